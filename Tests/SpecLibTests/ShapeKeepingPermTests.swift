import XCTest
import SpecLang
import TensorCore
import TestSupport
@testable import SpecLib

/// A permutation drawn for an input whose shape has a tie (two equal dims above 1) is now and then a swap of two of
/// those axes: a Transpose that keeps the shape but not the values.
final class ShapeKeepingPermTests: XCTestCase {
    func transposes(of shape: [Int], count: Int = 600) throws -> [[Int]] {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let solver = Solver(spec: try XCTUnwrap(library.spec(named: "Transpose")))
        var request = SolverRequest()
        request.fixedInputs = [0: TensorType(.f32, shape)]
        var rng = SeededRNG(seed: 3)
        return try (0..<count).map { _ in
            let instance = try XCTUnwrap(solver.solve(request, using: &rng))
            guard case .ints(let p)? = instance.attributes["perm"] else { throw XCTSkip("perm is not an ints attribute") }
            return p
        }
    }

    /// Non-identity permutations that give the shape back.
    func keeping(_ perms: [[Int]], _ shape: [Int]) -> Int {
        perms.filter { p in p != Array(p.indices) && p.map { shape[$0] } == shape }.count
    }

    func testATiedShapeGetsShapeKeepingSwaps() throws {
        // Axes 1 and 3 tie; no structured permutation (reversal, a swap of the first or last two, a rotation)
        // keeps this shape, and only one random permutation in 24 does.
        let shape = [5, 3, 7, 3]
        let perms = try transposes(of: shape)
        XCTAssertGreaterThan(keeping(perms, shape), perms.count / 12, "about one draw in eight swaps axes 1 and 3")
        XCTAssertTrue(perms.contains([0, 3, 2, 1]))
    }

    func testDimsOfOneAreNoTie() {
        var rng = SeededRNG(seed: 1)
        let here = SourceLocation(file: "test", line: 1, column: 1)
        let rank = Expr(.call("rank", [Expr(.name("X"), here)]), here)
        XCTAssertNil(AttributeDraw.shapeKeepingSwap(rank, ["X": [1, 4, 1, 2]], 4, &rng))
        XCTAssertNil(AttributeDraw.shapeKeepingSwap(rank, ["Y": [4, 4]], 2, &rng), "another input's shape")
        XCTAssertEqual(AttributeDraw.shapeKeepingSwap(rank, ["X": [1, 4, 1, 4]], 4, &rng), [0, 3, 2, 1])
    }
}
