import SpecLang
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import LoopIR
@testable import Reference

/// Lowering paths: lowering records the ones it takes, and each switched off (its general implementation) still
/// computes what the reference does, so switching a path off can only mend a test, never break one.
final class LoweringPathTests: XCTestCase {
    let library = try! SpecLibrary.load(directory: repositorySpecs)

    /// Lowered instances of `op` sampled from seed `seed`, with their inputs and the reference's outputs.
    func samples(_ op: String, seed: UInt64, count: Int = 6) throws -> [(OpInstance, [Tensor], [Tensor])] {
        let spec = try XCTUnwrap(library.spec(named: op))
        var rng = SeededRNG(seed: seed)
        var out: [(OpInstance, [Tensor], [Tensor])] = []
        for _ in 0..<60 where out.count < count {
            guard let instance = InstanceSampler(spec: spec).sample(using: &rng) else { continue }
            let inputs = DomainInputs.sample(for: instance, using: &rng)
            guard let expected = try? OpEvaluation.evaluate(instance, inputs: inputs) else { continue }
            out.append((instance, inputs, expected))
        }
        XCTAssertFalse(out.isEmpty, "no instance of \(op)")
        return out
    }

    func testLoweringRecordsThePathsItTakes() throws {
        let want: [(String, String)] = [("Mod", "lower-modulo"), ("Pad", "lower-padded-read"), ("ReduceMax", "lower-extremum-reduction"),
                                        ("MaxPool", "lower-padded-read")]
        for (op, path) in want {
            let lowered = try samples(op, seed: 3).map { try Lowering.lower($0.0) }
            XCTAssertTrue(lowered.contains { $0.paths.contains(path) }, "\(op) never took \(path)")
        }
        // An element-wise Neg reads no padding, reduces nothing and has no %.
        for (instance, _, _) in try samples("Neg", seed: 3) {
            let paths = try Lowering.lower(instance).paths
            XCTAssertTrue(paths.isDisjoint(with: ["lower-padded-read", "lower-modulo", "lower-extremum-reduction"]), "\(paths)")
        }
    }

    func testABroadcastReadAndAHalfKernelAreRecorded() throws {
        let spec = try XCTUnwrap(library.spec(named: "Add"))
        let instance = try spec.instantiate(inputs: [TensorType(.f16, [2, 3]), TensorType(.f16, [1, 3])], attributes: [:])
        let paths = try Lowering.lower(instance).paths
        XCTAssertEqual(paths, ["lower-broadcast-read", "emit-half-rounding"])
    }

    func testEveryPathSwitchedOffStillAgreesWithTheReference() throws {
        let ops = ["Mod", "Pad", "ReduceMax", "ReduceMin", "MaxPool", "Add", "Where", "ArgMax"]
        for path in LoweringPath.all {
            let options = LoweringOptions(level: 3, disabledPasses: [path.name])
            XCTAssertNotEqual(options.effectiveVariants, LoweringVariants(), "\(path.name) switched off changes nothing")
            for op in ops {
                for (instance, inputs, expected) in try samples(op, seed: 7, count: 3) {
                    let got = try VM.run(try Lowering.lower(instance, options: options), inputs: inputs)
                    XCTAssertEqual(got, expected, "\(op) with \(path.name) off")
                }
            }
        }
    }

    func testSwitchingAPathOffUndoesItsFault() {
        XCTAssertEqual(LoweringVariants(injecting: [.modNegative]).switchingOff(["lower-modulo"]).rules.modulo.name, "plain-remainder")
        XCTAssertEqual(LoweringVariants(injecting: [.halfRoundingTruncates]).switchingOff(["emit-half-rounding"]).rounding.name, "rint")
        // A pass name is not a path: nothing changes.
        XCTAssertEqual(LoweringVariants(injecting: [.modNegative]).switchingOff(["loop-tile"]).rules.modulo.name, "floor-modulo")
    }
}
