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
                                        ("MaxPool", "lower-padded-read"), ("ArgMax", "lower-arg-reduction"), ("Hardmax", "lower-arg-reduction")]
        for (op, path) in want {
            let lowered = try samples(op, seed: 3).map { try Lowering.lower($0.0) }
            XCTAssertTrue(lowered.contains { $0.paths.contains(path) }, "\(op) never took \(path)")
        }
        // An element-wise Neg reads no padding, reduces nothing and has no %.
        for (instance, _, _) in try samples("Neg", seed: 3) {
            let paths = try Lowering.lower(instance).paths
            XCTAssertTrue(paths.isDisjoint(with: ["lower-padded-read", "lower-modulo", "lower-extremum-reduction", "lower-arg-reduction",
                                                  "emit-signed-division"]), "\(paths)")
        }
    }

    func testABroadcastReadAndAHalfKernelAreRecorded() throws {
        let spec = try XCTUnwrap(library.spec(named: "Add"))
        let instance = try spec.instantiate(inputs: [TensorType(.f16, [2, 3]), TensorType(.f16, [1, 3])], attributes: [:])
        let paths = try Lowering.lower(instance).paths
        XCTAssertEqual(paths, ["lower-broadcast-read", "emit-half-rounding"])
    }

    /// Native code divides signed integers for an int32 `Div`, not for a float one: the emitter's typing decides.
    func testASignedIntegerDivisionIsRecordedAndAFloatOneIsNot() throws {
        let spec = try XCTUnwrap(library.spec(named: "Div"))
        let ints = try spec.instantiate(inputs: [TensorType(.i32, [2, 3]), TensorType(.i32, [2, 3])], attributes: [:])
        XCTAssertTrue(try Lowering.lower(ints).paths.contains("emit-signed-division"))
        let floats = try spec.instantiate(inputs: [TensorType(.f32, [2, 3]), TensorType(.f32, [2, 3])], attributes: [:])
        XCTAssertFalse(try Lowering.lower(floats).paths.contains("emit-signed-division"))
        let unsigned = try spec.instantiate(inputs: [TensorType(.u8, [2, 3]), TensorType(.u8, [2, 3])], attributes: [:])
        XCTAssertFalse(try Lowering.lower(unsigned).paths.contains("emit-signed-division"))
    }

    /// Of equal values the first index wins with `lower-arg-reduction` off too, and the general form is not the
    /// arg-reduction the path lowers to.
    func testTheGeneralArgReductionKeepsTheFirstOfEqualValues() throws {
        let spec = try XCTUnwrap(library.spec(named: "ArgMax"))
        let instance = try spec.instantiate(inputs: [TensorType(.f32, [2, 5])], attributes: ["axis": .int(1)])
        let x = Tensor(dtype: .f32, shape: [2, 5], doubles: [1, 3, 0, 3, 2, -1, -1, -2, -1, -3])
        let expected = try OpEvaluation.evaluate(instance, inputs: [x])
        XCTAssertEqual(expected.first?.doubles, [1, 0])
        let off = try Lowering.lower(instance, options: LoweringOptions(level: 3, disabledPasses: ["lower-arg-reduction"]))
        XCTAssertEqual(try VM.run(off, inputs: [x]), expected)
        func argReduces(_ e: LExpr) -> Bool {
            if case .argReduce = e { return true }
            return e.children.contains(where: argReduces)
        }
        XCTAssertFalse(off.kernels.contains { argReduces($0.body) })
        XCTAssertTrue(try Lowering.lower(instance).kernels.contains { argReduces($0.body) })
    }

    func testEveryPathSwitchedOffStillAgreesWithTheReference() throws {
        let ops = ["Mod", "Pad", "ReduceMax", "ReduceMin", "MaxPool", "Add", "Where", "ArgMax", "ArgMin", "Hardmax", "Div"]
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
        XCTAssertEqual(LoweringVariants(injecting: [.argTiesLast]).switchingOff(["lower-arg-reduction"]).rules.argTies.name, "extremum-equality")
        XCTAssertEqual(LoweringVariants(injecting: [.integerDivisionFloors]).switchingOff(["emit-signed-division"]).emission.signedDivision.name,
                       "lldiv-quotient")
        // A pass name is not a path: nothing changes.
        XCTAssertEqual(LoweringVariants(injecting: [.modNegative]).switchingOff(["loop-tile"]).rules.modulo.name, "floor-modulo")
    }
}
