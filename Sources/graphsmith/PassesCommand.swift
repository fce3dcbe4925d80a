import ArgumentParser
import Compiler

/// `graphsmith passes list`: the pipeline and the rewrite rules.
struct PassesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passes",
        abstract: "The compiler's passes and rewrite rules.",
        discussion: """
            Examples:
              graphsmith passes list
              graphsmith passes list --json
            """,
        subcommands: [PassesList.self]
    )
}

struct PassesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the graph passes, lowering paths, loop passes and code-generation paths in the order they run, then the rewrite rules.",
        discussion: """
            Every pass and path can be switched off by name (--disable-pass NAME); a level runs every pass at or \
            below it. A path switched off takes its plain general implementation.
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Flag(help: "Print JSON: {\"passes\": [{name, kind, level, summary}], \"rules\": [{name, category, lhs, rhs}]}.")
    var json = false

    /// The listing as data.
    struct Listing: Encodable {
        struct Rule: Encodable { var name, category, lhs, rhs: String }
        var passes: [PassInfo]
        var rules: [Rule]
        var unusableIdentities: [String]
    }

    func run() throws {
        let table = RuleTable.derive(from: try specs.loadLibrary())
        let listing = Listing(passes: PassRegistry.all(),
                              rules: table.rules.map { .init(name: $0.name, category: $0.category.rawValue, lhs: "\($0.lhs)", rhs: "\($0.rhs)") },
                              unusableIdentities: table.unusable.map { "\($0)" })
        if json { return try Console.json(listing) }
        Console.out("passes (in the order they run; graph passes on the model, lowering and code-generation paths and loop passes on each lowered operator or fusion group):")
        for p in listing.passes { Console.out("  O\(p.level)  \(p.kind.rawValue)  \(p.name): \(p.summary)") }
        Console.out("rewrite rules (\(listing.rules.count); --disable-rule NAME):")
        for r in listing.rules { Console.out("  [\(r.category)] \(r.name): \(r.lhs) == \(r.rhs)") }
        if !listing.unusableIdentities.isEmpty {
            Console.out("identities not used as rules:")
            for u in listing.unusableIdentities { Console.out("  \(u)") }
        }
    }
}
