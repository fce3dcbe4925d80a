import ArgumentParser
import Backends
import Foundation

/// `graphsmith backends list`: every backend a campaign can compare with the reference.
struct BackendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backends",
        abstract: "The systems graphsmith can test: the in-repo compiler's configurations and outside compilers.",
        discussion: """
            Outside compilers run in a Python worker host (Python/graphsmith_worker) with one adapter file each; \
            install them with 'bash Scripts/setup.sh --backends openvino,tvm,iree'. A compiler of your own is a \
            plugin: an adapter file given with --plugin (see Python/README.md).

            Examples:
              graphsmith backends list
              graphsmith backends list --json --plugin my_compiler.py
            """,
        subcommands: [BackendsList.self]
    )
}

struct BackendsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every backend: available or why not, its version and its declared capabilities."
    )

    @OptionGroup var specs: SpecsOptions

    @Option(name: .customLong("plugin"), help: ArgumentHelp("An adapter file of your own compiler (repeatable).", valueName: "file.py"))
    var plugins: [String] = []

    @Flag(help: "Print JSON: [{name, kind, available, reason, version, capabilities}].")
    var json = false

    func run() throws {
        let plugins = try plugins.map(PluginFile.absolute)
        let library = try specs.loadLibrary()
        let registry = BackendRegistry.load(plugins: plugins)
        if let problem = registry.externalProblem { Console.error("note: outside compilers cannot be listed: \(problem)") }
        let rows = BackendListing.rows(registry, library: library, plugins: Set(plugins))
        if json { return try Console.json(rows) }
        for r in rows {
            let state = r.available ? "available" : "unavailable: \(r.reason ?? "")"
            let version = r.version.map { " \($0)" } ?? ""
            Console.out("\(r.name)  [\(r.kind)\(version)]  \(state)")
            if let c = r.capabilities, r.kind != "in-repo" {
                var facts = ["rounding \(c.rounding.rawValue)"]
                if !c.computesAs.isEmpty { facts.append("computes " + c.computesAs.map { "\($0.key) as \($0.value)" }.sorted().joined(separator: ", ")) }
                if !c.unsupportedDTypes.isEmpty { facts.append("no " + c.unsupportedDTypes.map(\.rawValue).sorted().joined(separator: ", ")) }
                if let o = c.maxOpset { facts.append("opset <= \(o)") }
                if c.signlessIntegers { facts.append("signless integers") }
                Console.out("    " + facts.joined(separator: "; "))
            }
        }
    }
}
