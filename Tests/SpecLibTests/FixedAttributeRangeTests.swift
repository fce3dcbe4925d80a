import XCTest
import SpecLang
import TensorCore
import TestSupport
@testable import SpecLib

/// A given (pinned) attribute must lie in its declared range like a drawn one, and the solver redraws free shape
/// groups until the ranks it needs are there.
final class FixedAttributeRangeTests: XCTestCase {
    /// An operator whose `axis` is limited only by its range (no `require`).
    func pick() throws -> OpSpec {
        let source = "op Pick\ntypes T in f32\ninput X: T[*S]\nattr axis: int in 0 .. rank(X) - 1\noutput Y: T[*S]\ncompute Y[*i] = X[*i]\n"
        return try Checker.check(try Parser.parse(path: "Pick.op", source: source), family: "test")
    }

    func request(axis: Int, input: [Int]?) -> SolverRequest {
        var r = SolverRequest()
        r.fixedAttributes = ["axis": .int(axis)]
        if let input { r.fixedInputs = [0: TensorType(.f32, input)] }
        r.maxRank = 5
        r.attempts = 4
        return r
    }

    func testPinnedValueOutsideTheRangeOfTheGivenRankIsRefused() throws {
        let solver = Solver(spec: try pick())
        var rng = SeededRNG(seed: 1)
        XCTAssertNil(solver.solve(request(axis: 3, input: [3, 4]), using: &rng))
        let inside = try XCTUnwrap(solver.solve(request(axis: 1, input: [3, 4]), using: &rng))
        XCTAssertEqual(inside.attributes["axis"], .int(1))
    }

    func testFreeShapesAreRedrawnToTheRankAPinnedValueNeeds() throws {
        let solver = Solver(spec: try pick())
        for seed in 0..<20 as Range<UInt64> {
            var rng = SeededRNG(seed: seed)
            let instance = try XCTUnwrap(solver.solve(request(axis: 4, input: nil), using: &rng), "seed \(seed)")
            XCTAssertEqual(instance.inputTypes[0].rank, 5, "seed \(seed)")
        }
    }

    func testOneHotAxisFourIsReachedFromAFreeDraw() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let solver = Solver(spec: try XCTUnwrap(library.spec(named: "OneHot")))
        // Rank 4 comes from the rare deep draws of a free group (one in ten, then a rank up to the limit), so a few
        // more attempts than the rank-5 pick above needs: whether the depth is reached, not in how few draws.
        var req = request(axis: 4, input: nil)
        req.attempts = 8
        for seed in 0..<20 as Range<UInt64> {
            var rng = SeededRNG(seed: seed)
            let instance = try XCTUnwrap(solver.solve(req, using: &rng), "seed \(seed)")
            XCTAssertEqual(instance.inputTypes[0].rank, 4, "seed \(seed)")
            XCTAssertEqual(instance.outputTypes[0].rank, 5, "seed \(seed)")
        }
    }
}
