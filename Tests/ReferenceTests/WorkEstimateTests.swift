import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Reference

/// The work estimate counts what the reference evaluates: expression nodes per element, a reduction's body once per
/// iteration, and saturates instead of trapping on shapes no machine could hold.
final class WorkEstimateTests: XCTestCase {
    func matMul(_ m: Int, _ k: Int, _ n: Int) throws -> NodeWork {
        let spec = try sharedLibrary.get().spec(named: "MatMul")!
        return WorkEstimate.node(try spec.instantiate(inputs: [TensorType(.f32, [m, k]), TensorType(.f32, [k, n])], attributes: [:]))
    }

    /// `sum(k < K) (A[*cat(b, m), k] * B[*b, k, *n])`: per element a store, the sum, and K products of two reads
    /// (11 nodes each: the product, two reads, their index items and the `cat` call).
    func testMatMulCountsTheReductionOncePerIteration() throws {
        let w = try matMul(2, 3, 4)
        XCTAssertEqual(w.operations, 8 * (1 + 1 + 3 * 11))
        XCTAssertEqual(w.outputElements, 8)
        XCTAssertEqual(w.stageElements, 0)
        // Linear in each extent: doubling K nearly doubles the work.
        XCTAssertEqual(try matMul(2, 6, 4).operations, 8 * (1 + 1 + 6 * 11))
    }

    /// Softmax has two stages over the reduced shape; each reads the whole axis.
    func testStagesAreCounted() throws {
        let spec = try sharedLibrary.get().spec(named: "Softmax")!
        let w = WorkEstimate.node(try spec.instantiate(inputs: [TensorType(.f32, [5, 7])], attributes: [:]))
        XCTAssertEqual(w.stageElements, 10, "two stages of 5 elements")
        XCTAssertEqual(w.outputElements, 35)
        XCTAssertGreaterThan(w.operations, 2 * 5 * 7 + 35, "each stage element reduces over 7")
    }

    /// A shape whose work overflows `Int` saturates at `Int.max`.
    func testHugeWorkSaturates() throws {
        XCTAssertEqual(try matMul(1 << 20, 1 << 20, 1 << 20).operations, Int.max)
        XCTAssertEqual(WorkEstimate.times(Int.max, 2), Int.max)
        XCTAssertEqual(WorkEstimate.add(Int.max, 1), Int.max)
    }

    /// Every operator's sampled instances get an estimate of at least one operation per output element.
    func testEveryOperatorHasAnEstimate() throws {
        let library = try sharedLibrary.get()
        var rng = SeededRNG(seed: 1)
        for spec in library.operators {
            for _ in 0..<3 {
                guard let instance = InstanceSampler(spec: spec).sample(using: &rng) else { continue }
                let w = WorkEstimate.node(instance)
                let outputs = instance.outputTypes.reduce(0) { $0 + $1.count }
                XCTAssertEqual(w.outputElements, outputs, spec.name)
                XCTAssertGreaterThanOrEqual(w.operations, outputs, spec.name)
            }
        }
    }
}
