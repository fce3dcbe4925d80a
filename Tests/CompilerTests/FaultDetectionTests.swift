import Backends
import Compiler
import Generator
import LoopIR
import ModelIR
import Reference
import TensorCore
import XCTest

/// Every injectable fault makes the compiler disagree with the reference on some model, and the same
/// models agree when the fault is off: faults are real, detectable bugs.
final class FaultDetectionTests: XCTestCase {
    struct Probe {
        var fault: Fault
        var level: OptimizationLevel
        var executor: CompilerBackend.Executor = .vm
        var include: Set<String>? = nil
        var dtypes: Set<DType> = []
        var maxRank = 5
    }

    static let probes: [Probe] = [
        Probe(fault: .tileRemainderDropped, level: .O2),
        Probe(fault: .vectorTailDropped, level: .O3),
        Probe(fault: .unrollRemainderShort, level: .O1),
        Probe(fault: .reorderWrongStride, level: .O2),
        Probe(fault: .reductionWrongIdentity, level: .O0, include: ["ReduceMax", "ReduceMin", "MaxPool", "Neg", "Relu"], dtypes: [.f32]),
        Probe(fault: .paddingOffByOne, level: .O0, include: ["Pad", "Conv", "MaxPool", "AveragePool", "Relu"], dtypes: [.f32]),
        Probe(fault: .modNegative, level: .O0, include: ["Mod", "Neg", "Add"], dtypes: [.i32, .i64]),
        Probe(fault: .broadcastStride, level: .O0, include: ["Add", "Mul", "Sub", "Where", "Greater"], dtypes: [.f32, .bool]),
        Probe(fault: .halfRoundingTruncates, level: .O0, executor: .native, include: ["Cast", "Mul", "Add"], dtypes: [.f32, .f16]),
        Probe(fault: .cseIgnoresAttributes, level: .O1, include: ["LeakyRelu", "Elu", "Softmax", "CumSum", "Selu"], dtypes: [.f32]),
        Probe(fault: .transposeFoldNotInverse, level: .O2, include: ["Transpose", "Neg"], dtypes: [.f32], maxRank: 3),
        Probe(fault: .fusionMultiConsumer, level: .O3),
        Probe(fault: .bufferReusedWhileLive, level: .O1),
    ]

    /// The first generated model (of `budget`) on which the faulty compiler disagrees with the reference.
    func firstDetection(_ probe: Probe, budget: Int) throws -> UInt64? {
        var config = GeneratorConfig()
        config.include = probe.include
        config.dtypes = probe.dtypes
        config.maxRank = probe.maxRank
        config.nodes = 8
        let generator = try ModelGenerator(library: specLibrary, config: config)
        let faulty = CompilerBackend(library: specLibrary, level: probe.level, executor: probe.executor, faults: [probe.fault])
        let correct = CompilerBackend(library: specLibrary, level: probe.level, executor: probe.executor)
        for seed in 0..<UInt64(budget) {
            let m = try generator.generate(seed: seed)
            let inputs = m.randomInputs(seed: seed)
            guard let expected = try? Interpreter.outputs(m, library: specLibrary, inputs: inputs) else { continue }
            // With the fault off, the same model must agree: a detection is the fault's doing.
            let good = try correct.run(m, inputs: inputs)
            XCTAssertTrue(zip(good, expected).allSatisfy { Compare.allClose(actual: $0, expected: $1, tolerance: .default(for: $1.dtype)).passed })
            guard let actual = try? faulty.run(m, inputs: inputs) else { return seed }  // an error is a detection too
            if !zip(actual, expected).allSatisfy({ Compare.allClose(actual: $0, expected: $1, tolerance: .default(for: $1.dtype)).passed }) {
                return seed
            }
        }
        return nil
    }

    func testEveryFaultIsDetectedOnGeneratedModels() throws {
        var missed: [String] = []
        for probe in Self.probes {
            let seed = try firstDetection(probe, budget: probe.executor == .native ? 25 : 150)
            if let s = seed { print("fault \(probe.fault.rawValue): detected at seed \(s)") } else { missed.append(probe.fault.rawValue) }
        }
        XCTAssertEqual(missed, [])
    }

    /// Faults whose detection needs a model made for it (here, in `HandMadeFaultTests` or in `IndependentFaultTests`).
    static let handMade: Set<Fault> = [.constantFoldFloorDivision, .layoutRewriteWrongRank,
                                       // `IndependentFaultTests`: the five written to measure the fuzzer, not tuned to it.
                                       .cseCommutesOperands, .argTiesLast, .indexCompareOffByOne, .roundHalfAway, .integerDivisionFloors]

    func testEveryFaultHasADetectionTestAndADocumentedName() {
        XCTAssertEqual(Set(Self.probes.map(\.fault)).union(Self.handMade), Set(Fault.allCases))
        for f in Fault.allCases {
            XCTAssertEqual(Fault(rawValue: f.rawValue), f)
            XCTAssertFalse(f.summary.isEmpty)
        }
    }

    /// Constant folding only acts on nodes whose inputs are all constants, so this fault gets a model made for it.
    func testConstantFoldFloorDivisionIsDetected() throws {
        let model = try TextReader.read("""
            graphsmith-model 1
            input x: i32[2]
            weight a: i32[2] = fffffff9 00000007
            weight b: i32[2] = 00000002 00000002
            node q: i32[2] = Div(a, b)
            node y: i32[2] = Add(q, x)
            output y
            """)
        let inputs = ["x": Tensor(dtype: .i32, shape: [2], ints: [0, 0])]
        // -7 / 2 truncates to -3 in ONNX; 7 / 2 is 3.
        XCTAssertEqual(try Interpreter.outputs(model, library: specLibrary, inputs: inputs)[0].doubles, [-3, 3])
        let faulty = CompilerBackend(library: specLibrary, level: .O1, faults: [.constantFoldFloorDivision])
        XCTAssertEqual(try faulty.run(model, inputs: inputs)[0].doubles, [-4, 3])
        XCTAssertEqual(try CompilerBackend(library: specLibrary, level: .O1).run(model, inputs: inputs)[0].doubles, [-3, 3])
    }
}
