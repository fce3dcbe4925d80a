import ArgumentParser
import Backends
import ModelIR
import Reference
import SpecLib
import TensorCore

/// `graphsmith run MODEL`: runs a model on the reference interpreter.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model on the reference interpreter or another backend.",
        discussion: """
            Reads MODEL in the text format (see README.md) or, when its name ends in .onnx, as ONNX; \
            verifies it against the specs and runs it on the float64 reference interpreter, or on \
            the backend --backend names (onnxruntime runs in a Python worker process; \
            onnxruntime-noopt turns its graph optimizations off). Inputs are random from --seed (floats in \
            [-1, 1), signed integers in [-5, 5], unsigned in [0, 5]) unless --inputs gives a tensor \
            bundle: a 'graphsmith-model 1' file with only 'weight' lines, one per model input, named \
            like the inputs. Prints each output's name, type, first 16 values and min/max/mean and \
            NaN/Inf counts, or with --out saves the outputs as a tensor bundle.

            --demo runs a small built-in model, y = Softmax(Relu(x @ W + b)), instead of a file.

            Examples:
              graphsmith run --demo
              graphsmith run model.txt --seed 3
              graphsmith run model.txt --inputs inputs.txt --out outputs.txt
              graphsmith run model.onnx --backend onnxruntime
              graphsmith run model.txt --backend compiler -O3 --executor native
            """
    )

    @OptionGroup var specs: SpecsOptions
    @OptionGroup(title: "Compiler options (with --backend compiler)") var compiler: CompileOptions
    @OptionGroup(title: "Budgets (on the reference and the in-repo compiler)") var budget: WorkBudgetOptions

    @Argument(help: ArgumentHelp("A model file in the text format.", valueName: "model"))
    var model: String?

    @Flag(help: "Run the built-in demo model instead of a file.")
    var demo = false

    @Option(help: ArgumentHelp("Input tensors (a tensor bundle) instead of random inputs.", valueName: "file"))
    var inputs: String?

    @Option(parsing: .unconditional, help: "Seed of the random inputs (and of the demo model's weights).")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("The backend that runs the model: \(BackendChoice.names).", valueName: "name"))
    var backend: BackendChoice = .reference

    @Option(help: ArgumentHelp("Save the outputs to this file (a tensor bundle) instead of printing them.", valueName: "file"))
    var out: String?

    @Flag(help: "Print the reference's progress (node k of N) on stderr from the start (else only on a terminal, after 2 s).")
    var progress = false

    /// Argument combinations ArgumentParser cannot express; checked in `run()` so unknown flags are reported first.
    func checkArguments() throws {
        guard demo != (model != nil) else {
            throw ValidationError(demo ? "give a model file or --demo, not both" : "missing model file (or --demo)")
        }
    }

    func run() throws {
        try checkArguments()
        let library = try specs.loadLibrary()
        let (model, label) = try loadModel(library)
        let typed = try asUserError(label) { try TypedModel(model, library: library) }
        let runner = try backend.make(library, compiler: compiler)
        // Outside backends run in their own process with their own limits; the budgets are for the work done here.
        if runner.capabilities.isolation == .inProcess { try budget.check(typed, label: label) }
        let values: [String: Tensor]
        if let path = inputs {
            let bundle = try TensorBundle.read(try TextFile.read(path), path: path)
            values = try TensorBundle.inputs(for: model, from: bundle, path: path)
        } else {
            values = model.randomInputs(seed: seed)
        }
        let results = try asUserError(label) { try execute(typed, runner, values) }
        let named = Array(zip(model.outputs, results))
        if let path = out {
            try TextFile.write(TensorBundle.write(named.map { (name: $0.0, value: $0.1) }), to: path)
            Console.out("wrote \(plural(named.count, "output")) of \(label) to \(path)")
            return
        }
        let source = inputs.map { "inputs from \($0)" } ?? "random inputs, seed \(seed)"
        Console.out("\(label) on \(backend.name): \(plural(model.nodes.count, "node")), \(plural(model.inputs.count, "input")), \(plural(model.weights.count, "weight")); \(source)")
        for (name, tensor) in named {
            Console.out("output \(name): \(tensor.type)")
            Console.out(TensorSummary.lines(tensor).joined(separator: "\n"))
        }
    }

    /// Runs on the chosen backend; on the reference, node by node with progress (the reference is the slow one).
    private func execute(_ typed: TypedModel, _ runner: any Backend, _ values: [String: Tensor]) throws -> [Tensor] {
        guard backend.name == BackendChoice.reference.name else { return try runner.run(typed.model, inputs: values) }
        let shown = Progress(total: typed.model.nodes.count, label: "reference, nodes",
                             enabled: progress || Progress.isTerminal, delay: progress ? 0 : 2)
        defer { shown.finish() }
        do {
            return try Interpreter.outputs(typed, inputs: values) { _ in shown.step() }
        } catch let e as ReferenceError {
            // Reported as the reference backend reports it.
            throw BackendError(backend: runner.name, kind: .error, message: e.message)
        }
    }

    private func loadModel(_ library: SpecLibrary) throws -> (Model, String) {
        if demo {
            let m = try DemoModel.make(library: library, seed: seed)
            Console.out("demo model (weights from seed \(seed)):")
            Console.out(TextWriter.write(m), terminator: "")
            return (m, "demo")
        }
        let path = model!
        return (try asUserError(path) { try ModelFiles.read(path, library: library) }, path)
    }
}
