import ArgumentParser
import Bench
import Compiler
import Foundation

/// `graphsmith bench compile-scaling`: compile CPU time against model size, per optimization level.
struct BenchCompileScaling: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile-scaling",
        abstract: "Compile time (CPU seconds) of N-node element-wise chains at each optimization level.",
        discussion: """
            Builds a chain of --sizes nodes ('relu': Relu(Relu(...)), which -O2 collapses to one node; 'mixed': \\
            Tanh, Sigmoid, Relu repeated, which -O3 fuses) and times the graph passes plus lowering to loop IR, \\
            in this thread's CPU seconds (other work on the machine does not inflate them). --run also times one \\
            run of the lowered model on the VM. Build with -c release for meaningful times.

            Examples:
              swift build -c release && .build/release/graphsmith bench compile-scaling
              graphsmith bench compile-scaling --sizes 500,5000 --levels O3 --chains mixed --run --json
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Chain lengths in nodes (comma-separated).", valueName: "sizes"))
    var sizes = "500,1000,2000,5000"

    @Option(help: ArgumentHelp("Levels (comma-separated): O0 to O3.", valueName: "levels"))
    var levels = "O1,O3"

    @Option(help: ArgumentHelp("Chains (comma-separated): relu, mixed.", valueName: "chains"))
    var chains = "relu,mixed"

    @Flag(name: .customLong("run"), help: "Also time one run of each compiled chain on the VM.")
    var runVM = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let sizes = try BenchGen.sizes(sizes)
        let levels = try levels.split(separator: ",").map { text -> OptimizationLevel in
            guard let l = OptimizationLevel(parsing: String(text)) else { throw UserError("--levels takes O0 to O3, got '\(text)'") }
            return l
        }
        let chains = try chains.split(separator: ",").map { text -> CompileScaling.Chain in
            guard let c = CompileScaling.Chain(rawValue: String(text)) else { throw UserError("--chains takes relu or mixed, got '\(text)'") }
            return c
        }
        let bench = CompileScaling(library: try specs.loadLibrary())
        var rows: [CompileScaling.Row] = []
        for chain in chains { for level in levels { for n in sizes {
            let row = try bench.measure(chain, nodes: n, level: level, run: runVM)
            rows.append(row)
            if !json { Console.out(Self.line(row)) }
        } } }
        if json { try Console.json(rows) }
    }

    /// `mixed  5000 nodes O3: compile 1.234 s cpu (-> 5000 nodes, 1 operators)`.
    static func line(_ row: CompileScaling.Row) -> String {
        let run = row.vmRunCPUSeconds.map { String(format: "; vm run %.3f s cpu", $0) } ?? ""
        return String(format: "%@ %5d nodes %@: compile %.3f s cpu (-> %d nodes, %d operators)%@",
                      row.chain.padding(toLength: 5, withPad: " ", startingAt: 0), row.nodes, row.level,
                      row.compileCPUSeconds, row.nodesAfter, row.operators, run)
    }
}
