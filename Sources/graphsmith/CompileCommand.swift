import Campaign
import ArgumentParser
import Backends
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
            compiler (cached by content hash). --dump-after PASS prints the model after that pass; \
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

    @Option(help: ArgumentHelp("Print the model after this pass.", valueName: "pass"))
    var dumpAfter: String?

    @Option(help: ArgumentHelp("Write the optimized model here.", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Write the generated C here.", valueName: "file"))
    var emitC: String?

    @Flag(help: "Print every lowered operator's kernels (loop IR) after the loop passes.")
    var dumpLoops = false

    func run() throws {
        let library = try specs.loadLibrary()
        let input = try asUserError(model) { try ModelFiles.read(model, library: library) }
        try asUserError(model) { try Verifier.verify(input, library: library) }
        let backend = try compiler.backend(library)
        var context = backend.context
        if let pass = dumpAfter {
            guard Pipeline.standard.distinctPasses.contains(where: { $0.name == pass }) else { throw UserError("unknown pass '\(pass)'") }
            context.instruments = [PassContext.dumpAfter(pass) { Console.out("# after \(pass)\n" + $0, terminator: "") }]
        }
        let compiled = try asUserError(model) { try Pipeline.standard.compile(input, context: context) }
        Console.out("\(model) at \(backend.level): passes \(compiled.passesRun.joined(separator: ", "))")
        Console.out("nodes \(input.nodes.count) -> \(compiled.model.nodes.count); fusion groups of 2+: \(compiled.fusion.groups.filter { $0.nodes.count > 1 }.count)")
        let lowered: [LoweredOp]
        do {
            lowered = try GroupLowering.lower(compiled.model, library: library, groups: backend.groups(compiled), options: backend.lowering)
        } catch { throw UserError("\(model): cannot lower: \(error)") }
        Console.out("kernels: \(lowered.map(\.kernels.count).reduce(0, +)) over \(lowered.count) operators")
        if dumpLoops {
            for op in lowered {
                Console.out("# \(op.op)")
                for k in op.kernels { Console.out("  \(k.name) -> b\(k.target)\(k.shape): \(k.body)") }
            }
        }
        if backend.executor == .native || emitC != nil {
            let source = try CEmitter.emit(lowered).source
            if let path = emitC { try TextFile.write(source, to: path) }
            if backend.executor == .native {
                let program = try NativeProgram(lowered)
                Console.out("native code: \(program.libraryPath)")
            }
        }
        if let path = out { try asUserError(path) { try ModelFiles.write(compiled.model, to: path, library: library) } }
    }
}

/// `graphsmith passes list`: the pipeline and the rewrite rules.
struct PassesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passes",
        abstract: "The compiler's passes and rewrite rules.",
        discussion: """
            Examples:
              graphsmith passes list
            """,
        subcommands: [PassesList.self]
    )
}

struct PassesList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List passes in pipeline order, then the rewrite rules.")

    @OptionGroup var specs: SpecsOptions

    func run() throws {
        let library = try specs.loadLibrary()
        Console.out("passes (in pipeline order; a level runs every pass at or below it):")
        for p in Pipeline.standard.passes { Console.out("  \(p.level)  \(p.name): \(p.summary)") }
        Console.out("loop passes (in order, on each lowered operator or fusion group; buffer-reuse when the model runs):")
        for p in LoopPass.all { Console.out("  O\(p.level)  \(p.name): \(p.summary)") }
        let table = RuleTable.derive(from: library)
        Console.out("rewrite rules (\(table.rules.count); --disable-rule NAME):")
        for r in table.rules { Console.out("  [\(r.category.rawValue)] \(r.name): \(r.lhs) == \(r.rhs)") }
        if !table.unusable.isEmpty {
            Console.out("identities not used as rules:")
            for u in table.unusable { Console.out("  \(u)") }
        }
    }
}

/// `graphsmith faults list`: the injectable compiler bugs.
struct FaultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faults",
        abstract: "The compiler bugs --inject-fault can switch on.",
        discussion: """
            Faults are off unless asked for. They are the ground truth the fuzzer is measured by: a \
            campaign with a fault must find it.

            Examples:
              graphsmith faults list
              graphsmith run model.txt --backend compiler -O3 --inject-fault tile-remainder-dropped
            """,
        subcommands: [FaultsList.self]
    )
}

struct FaultsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the faults with where they act and what goes wrong.")

    func run() throws {
        for f in Fault.allCases { Console.out("\(f.rawValue)  [\(f.stage)]  \(f.summary)") }
        for f in WorkerFault.allCases { Console.out("\(f.rawValue)  [test worker, fuzz only]  \(f.summary)") }
    }
}
