import ArgumentParser

/// The root command: `graphsmith <subcommand>`.
struct Graphsmith: ParsableCommand {
    /// The version printed by `graphsmith --version`.
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "graphsmith",
        abstract: "A differential fuzzer for deep-learning compilers.",
        discussion: """
            graphsmith generates DNN models from operator spec files (Specs/*.op), runs them on a \
            float64 reference interpreter and compares against compilers. Every command takes \
            --specs DIR; without it the specs directory is $GRAPHSMITH_SPECS, else a 'Specs' \
            folder found by walking up from the current directory, else the one next to the \
            executable's package.

            Exit codes: 0 success, 1 a check failed, 2 a user error (bad flag, file or spec), \
            3 an internal error (a bug in graphsmith).

            Examples:
              graphsmith specs list
              graphsmith specs check
              graphsmith specs test Relu Softmax --count 100
              graphsmith run --demo
              graphsmith run model.txt --seed 7
              graphsmith run model.onnx --backend onnxruntime
              graphsmith convert model.txt model.onnx
              graphsmith conformance node-tests/ --json
            """,
        version: "graphsmith \(version) (spec language v1, model format 1)",
        subcommands: [SpecsCommand.self, GenCommand.self, RunCommand.self, ConvertCommand.self, ExportCommand.self, CoverageCommand.self,
                      ConformanceCommand.self, CompileCommand.self, PassesCommand.self, FaultsCommand.self, BackendsCommand.self, KernelsCommand.self, BenchCommand.self,
                      FuzzCommand.self, FuzzWorkerCommand.self, CheckCommand.self, ReplayCommand.self, ReduceCommand.self, ReportCommand.self, KnownCommand.self]
    )
}

/// `graphsmith specs <subcommand>`: working with operator spec files.
struct SpecsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "specs",
        abstract: "List, check, show and test operator specs.",
        discussion: """
            Examples:
              graphsmith specs list --json
              graphsmith specs check Specs/unary/Relu.op
              graphsmith specs show Conv
              graphsmith specs test --all --count 20
            """,
        subcommands: [SpecsList.self, SpecsCheck.self, SpecsShow.self, SpecsTest.self]
    )
}
