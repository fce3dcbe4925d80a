import ArgumentParser
import Backends
import Campaign
import Compiler
import Foundation
import LoopIR
import ModelIR
import SpecLib

/// `graphsmith compile MODEL`: runs the compiler on a model and reports what it did.
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a model: graph passes, lowering to loop-IR kernels, and native code.",
        discussion: """
            Runs the pass pipeline at the chosen level (see 'graphsmith passes list'), prints the passes \
            that ran, the node count before and after, and the fusion groups; lowers every node to \
            loop-IR kernels (one operator per fusion group at -O3; --dump-loops prints them); with --executor native also emits C and compiles it with the system C \
            compiler (cached by content hash). --dump-after PASS prints the model after that graph pass, or each lowered operator with its loop nests after that loop pass; \
            --out writes the optimized model (.onnx or text); --emit-c writes the generated C.

            Examples:
              graphsmith compile model.txt -O3
              graphsmith compile model.txt -O2 --disable-pass layout-simplification --dump-after algebraic-simplification
              graphsmith compile model.onnx --executor native --emit-c model.c
              graphsmith compile model.txt -O3 --dump-loops --disable-pass inline-injective-producers
            """
    )

    @OptionGroup var specs: SpecsOptions
    @OptionGroup var compiler: CompileOptions

    @Argument(help: ArgumentHelp("The model (text format or .onnx).", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("Print the IR after this pass (graph or loop; see 'graphsmith passes list').", valueName: "pass"))
    var dumpAfter: String?

    @Option(help: ArgumentHelp("Write the optimized model here.", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Write the generated C here.", valueName: "file"))
    var emitC: String?

    @Flag(help: "Print every lowered operator's kernels (loop IR) after the loop passes.")
    var dumpLoops = false

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Largest estimated number of scalar operations constant folding may spend (default 2^30 = \(WorkBudgetOptions.defaultMaxWork)).",
        valueName: "n"))
    var maxWork = WorkBudgetOptions.defaultMaxWork

    func run() throws {
        let library = try specs.loadLibrary()
        let input = try asUserError(model) { try ModelFiles.read(model, library: library) }
        let typed = try asUserError(model) { try TypedModel(input, library: library) }
        let backend = try compiler.backend(library)
        let pipeline = backend.configured.pipeline
        var context = backend.configured.context
        if pipeline.schedule(context).contains(where: { $0.name == ConstantFolding.pass.name }) {
            try WorkBudgetOptions.checkFolding(typed, maxWork: maxWork, foldLimit: context.foldElementLimit, label: model)
        }
        if let pass = dumpAfter {
            guard PassRegistry.info(pass) != nil else { throw UserError("unknown pass '\(pass)' (graphsmith passes list)") }
            context.instruments = [PassContext.dumpAfter(pass) { Console.out("# after \(pass)\n" + $0, terminator: "") }]
        }
        let compiled = try asUserError(model) { try pipeline.compile(input, context: context) }
        Console.out("\(model) at \(backend.level): passes \(compiled.passesRun.joined(separator: ", "))")
        Console.out("nodes \(input.nodes.count) -> \(compiled.model.nodes.count); fusion groups of 2+: \(compiled.fusion.groups.filter { $0.nodes.count > 1 }.count)")
        let lowered: [LoweredOp]
        do {
            lowered = try LoweredModel(compiled.typed, groups: compiled.kernelGroups, options: context.lowering).ops
        } catch { throw UserError("\(model): cannot lower: \(error)") }
        Console.out("kernels: \(lowered.map(\.kernels.count).reduce(0, +)) over \(lowered.count) operators")
        if dumpLoops {
            for op in lowered { Console.out(op.listing, terminator: "") }
        }
        if backend.executor == .native || emitC != nil {
            let source = try CEmitter.emit(lowered).source
            if let path = emitC { try TextFile.write(source, to: path) }
            if backend.executor == .native {
                let program = try NativeProgram(lowered)
                let uncached = NativeCache.shared.refusal.map { " (not cached: \($0))" } ?? ""
                Console.out("native code: \(program.libraryPath)\(uncached)")
            }
        }
        if let path = out { try asUserError(path) { try ModelFiles.write(compiled.model, to: path, library: library) } }
    }
}
