import ArgumentParser
import Backends
import Compiler
import LoopIR
import SpecLang
import SpecLib

/// `-O0` to `-O3`.
enum OptimizationFlag: String, EnumerableFlag {
    case O0, O1, O2, O3

    static func name(for value: OptimizationFlag) -> NameSpecification { .customLong(value.rawValue, withSingleDash: true) }

    static func help(for value: OptimizationFlag) -> ArgumentHelp? {
        switch value {
        case .O0: return "No graph pass (lowering only)."
        case .O1: return "Dead code elimination, CSE, constant folding."
        case .O2: return "O1 plus algebraic and layout simplification (default)."
        case .O3: return "O2 plus operator fusion."
        }
    }

    var level: OptimizationLevel { OptimizationLevel(rawValue: OptimizationFlag.allCases.firstIndex(of: self)!)! }
}

/// The compiler's options, shared by `compile` and `run --backend compiler`.
struct CompileOptions: ParsableArguments {
    @Flag var optimization: OptimizationFlag = .O2

    @Option(name: .customLong("disable-pass"), help: ArgumentHelp("A pass not to run (repeatable; see 'passes list').", valueName: "pass"))
    var disabledPasses: [String] = []

    @Option(name: .customLong("disable-rule"), help: ArgumentHelp("A rewrite rule not to apply (repeatable).", valueName: "rule"))
    var disabledRules: [String] = []

    @Option(help: ArgumentHelp("What runs the optimized model: vm, native or reference.", valueName: "executor"))
    var executor: String = "vm"

    @Flag(help: "Verify the model after every pass and name the pass that breaks it.")
    var verifyPasses = false

    @Option(name: .customLong("inject-fault"), help: ArgumentHelp("Switch on a documented compiler bug (repeatable; see 'faults list').", valueName: "fault"))
    var faults: [String] = []

    func backend(_ library: SpecLibrary) throws -> CompilerBackend {
        guard let exec = CompilerBackend.Executor(rawValue: executor) else {
            throw UserError("unknown executor '\(executor)' (expected vm, native or reference)")
        }
        let injected = try Set(faults.map { name -> Fault in
            guard let f = Fault(rawValue: name) else {
                let hint = Suggestions.closest(to: name, among: Fault.allCases.map(\.rawValue)).first.map { "; did you mean '\($0)'?" } ?? ""
                throw UserError("unknown fault '\(name)'\(hint) (see 'graphsmith faults list')")
            }
            return f
        })
        let known = Set(Pipeline.standard.distinctPasses.map(\.name) + LoopPass.all.map(\.name))
        for p in disabledPasses where !known.contains(p) {
            let hint = Suggestions.closest(to: p, among: known.sorted()).first.map { "; did you mean '\($0)'?" } ?? ""
            throw UserError("unknown pass '\(p)'\(hint)")
        }
        return CompilerBackend(library: library, level: optimization.level, disabledPasses: Set(disabledPasses),
                               disabledRules: Set(disabledRules), verify: verifyPasses, executor: exec, faults: injected)
    }
}
