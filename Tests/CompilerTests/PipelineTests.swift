import Backends
import Compiler
import ModelIR
import Reference
import TensorCore
import XCTest

/// The pipeline: levels, disabling, instruments, checked mode, and the backend around it.
final class PipelineTests: XCTestCase {
    static let text = """
        graphsmith-model 1
        input x: f32[2, 3]
        weight w: f32[3] = 3f800000 40000000 40400000
        node n: f32[3] = Neg(w)
        node a: f32[2, 3] = Add(x, n)
        node b: f32[2, 3] = Neg(a)
        node c: f32[2, 3] = Neg(b)
        node d: f32[2, 3] = Exp(c)
        node dead: f32[2, 3] = Relu(x)
        output d
        """

    func testLevelsScheduleTheStandardPasses() {
        let names = { (level: OptimizationLevel) in Pipeline.standard.schedule(context(level)).map(\.name) }
        XCTAssertEqual(names(.O0), [])
        XCTAssertEqual(names(.O1), ["dead-code-elimination", "common-subexpression-elimination", "constant-folding",
                                    "common-subexpression-elimination", "dead-code-elimination"])
        XCTAssertEqual(names(.O2), ["dead-code-elimination", "common-subexpression-elimination", "constant-folding",
                                    "algebraic-simplification", "layout-simplification",
                                    "common-subexpression-elimination", "dead-code-elimination"])
        XCTAssertEqual(names(.O3), names(.O2) + ["operator-fusion"])
        XCTAssertEqual(Pipeline.standard.distinctPasses.count, 6)
    }

    func testO3CompilesTheExampleToItsSimplestForm() throws {
        let compiled = try Pipeline.standard.compile(try model(Self.text), context: context(.O3))
        XCTAssertEqual(TextWriter.write(compiled.model), TextWriter.write(try model("""
            graphsmith-model 1
            input x: f32[2, 3]
            weight n: f32[3] = bf800000 c0000000 c0400000
            node a: f32[2, 3] = Add(x, n)
            node d: f32[2, 3] = Exp(a)
            output d
            """)))
        XCTAssertEqual(compiled.fusion.groups.map(\.nodes), [[0, 1]])
        XCTAssertEqual(compiled.level, .O3)
    }

    func testADisabledPassIsSkipped() throws {
        let ctx = context(.O2, disabledPasses: ["constant-folding", "algebraic-simplification"])
        let compiled = try Pipeline.standard.compile(try model(Self.text), context: ctx)
        XCTAssertFalse(compiled.passesRun.contains("constant-folding"))
        XCTAssertFalse(compiled.passesRun.contains("algebraic-simplification"))
        XCTAssertTrue(compiled.passesRun.contains("layout-simplification"))
        // Neither the constant Neg(w) nor the double negation is touched; only the dead Relu goes.
        XCTAssertEqual(compiled.model.nodes.map(\.outputs[0].name), ["n", "a", "b", "c", "d"])
        XCTAssertEqual(compiled.fusion, FusionGroups.unfused(compiled.model))
    }

    func testInstrumentsSeeEveryPassAndDumpAfterGivesTheText() throws {
        let log = Log()
        var ctx = context(.O1)
        ctx.instruments = [{ name, ir in if case .graph(let model) = ir { log.append("\(name):\(model.nodes.count)") } },
                           PassContext.dumpAfter("constant-folding") { log.append($0) }]
        _ = try Pipeline.standard.compile(try model(Self.text), context: ctx)
        let entries = log.entries
        XCTAssertEqual(entries.filter { $0.contains(":") && !$0.contains("\n") }, [
            "dead-code-elimination:5", "common-subexpression-elimination:5", "constant-folding:4",
            "common-subexpression-elimination:4", "dead-code-elimination:4"])
        let dump = try XCTUnwrap(entries.first { $0.hasPrefix("graphsmith-model 1") })
        XCTAssertTrue(dump.contains("weight n: f32[3] = bf800000 c0000000 c0400000"), dump)
    }

    /// The one context reaches the loop passes: lowering under `context.lowering` calls the same instruments, with
    /// each lowered operator after each loop pass, and a disabled loop pass is not called.
    func testInstrumentsSeeTheLoopPassesToo() throws {
        let log = Log()
        var ctx = context(.O2, disabledPasses: ["loop-reorder"])
        ctx.instruments = [{ name, ir in if case .loop = ir { log.append(name) } },
                           PassContext.dumpAfter("loop-unroll") { log.append($0) }]
        let m = try TextReader.read("""
            graphsmith-model 1
            input x: f32[5, 20]
            node y: f32[5, 20] = Relu(x)
            output y
            """)
        let compiled = try Pipeline.standard.compile(m, context: ctx)
        let lowered = try LoweredModel(compiled.typed, groups: compiled.kernelGroups, options: ctx.lowering)
        XCTAssertEqual(lowered.ops.count, 1)
        let names = log.entries.filter { !$0.contains("\n") }
        XCTAssertEqual(names, ["simplify-index", "loop-tile", "loop-unroll"])
        let dump = try XCTUnwrap(log.entries.first { $0.hasPrefix("# Relu") })
        // Tiled by 8 over the 20 columns: a loop over 5 rows, one over 3 tiles, unrolled chunks inside each tile.
        XCTAssertTrue(dump.contains("in 0 ..< 5\n"), dump)
        XCTAssertTrue(dump.contains("in 0 ..< 3\n"), dump)
        XCTAssertTrue(dump.contains("unrolled"), dump)
    }

    func testCheckedModeNamesThePassThatBrokeTheModel() throws {
        // A test-only pass that drops the first node, leaving its readers reading an undefined value.
        let corrupt = Pass(name: "drop-first-node", summary: "test: breaks the model", level: .O1) { typed, _ in
            var m = typed.model
            m.nodes.removeFirst()
            return m
        }
        let pipeline = Pipeline([DeadCodeElimination.pass, corrupt, CommonSubexpressionElimination.pass])
        XCTAssertThrowsError(try pipeline.compile(try model(Self.text), context: context(.O1))) { error in
            let e = error as? PassError
            XCTAssertEqual(e?.pass, "drop-first-node")
            XCTAssertEqual(e?.kind, .brokeModel)
        }
        // Disabled, the same pipeline compiles: that is how a finding is bisected to a pass.
        XCTAssertNoThrow(try pipeline.compile(try model(Self.text), context: context(.O1, disabledPasses: ["drop-first-node"])))
    }

    func testCheckedModeCatchesAChangedInterface() throws {
        let retype = Pass(name: "drop-output", summary: "test: changes the outputs", level: .O1) { typed, _ in
            var m = typed.model
            m.outputs = ["w"]
            return m
        }
        XCTAssertThrowsError(try Pipeline([retype]).compile(try model(Self.text), context: context(.O1))) { error in
            XCTAssertEqual((error as? PassError)?.pass, "drop-output")
        }
    }

    func testAnInvalidInputIsNotBlamedOnAPass() throws {
        var m = try model(Self.text)
        m.outputs = ["nowhere"]
        XCTAssertThrowsError(try Pipeline.standard.compile(m, context: context(.O1))) { error in
            XCTAssertEqual((error as? PassError)?.kind, .invalidInput)
        }
    }

    func testTheBackendRunsTheOptimizedModel() throws {
        let m = try model(Self.text)
        let inputs = m.randomInputs(seed: 7)
        let expected = try Interpreter.outputs(m, library: specLibrary, inputs: inputs)
        for level in OptimizationLevel.allCases {
            let backend = CompilerBackend(library: specLibrary, level: level, verify: true)
            XCTAssertEqual(backend.name, "compiler-O\(level.rawValue)")
            let actual = try backend.run(m, inputs: inputs)
            XCTAssertTrue(Compare.allClose(actual: actual[0], expected: expected[0], tolerance: .default(for: .f32)).passed)
        }
        XCTAssertEqual(OptimizationLevel(parsing: "-O3"), .O3)
        XCTAssertNil(OptimizationLevel(parsing: "O4"))
    }
}

/// A thread-safe list of strings, for instruments (which are `@Sendable`).
final class Log: @unchecked Sendable {
    private var items: [String] = []
    private let lock = NSLock()
    func append(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var entries: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
