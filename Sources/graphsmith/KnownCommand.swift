import ArgumentParser
import Campaign
import Foundation

/// `graphsmith known add|list`: the known-findings file of a nightly campaign.
struct KnownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "known",
        abstract: "Keep a file of known findings, which campaigns and reports list apart and do not fail on.",
        discussion: """
            A known-findings file lists findings by fingerprint id, each with a note (typically the URL of the \
            upstream issue) and the day it was added. Give it to 'graphsmith fuzz --known FILE' or \
            'graphsmith report --known FILE': those findings are listed apart and do not fail --fail-on-findings, \
            so a nightly campaign against a compiler with open bugs fails only on new ones.

            Examples:
              graphsmith known add campaign/findings/f-0123456789ab --note https://github.com/org/compiler/issues/123
              graphsmith known add campaign/findings/f-* --note "float16 Cast bug, reported" --file known.json
              graphsmith known list --file known.json
            """,
        subcommands: [KnownAdd.self, KnownList.self]
    )
}

struct KnownAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add findings to a known-findings file (created if missing); an id already there gets the new note."
    )

    @Argument(help: ArgumentHelp("Finding folders (campaign/findings/f-…, holding finding.json).", valueName: "finding"))
    var findings: [String]

    @Option(help: ArgumentHelp("Why the findings are known, e.g. the upstream issue's URL.", valueName: "text"))
    var note: String

    @Option(help: ArgumentHelp("The known-findings file.", valueName: "file"))
    var file = "known.json"

    func validate() throws {
        guard !findings.isEmpty else { throw ValidationError("give at least one finding folder") }
        guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValidationError("--note is empty") }
    }

    func run() throws {
        let changes = try campaignError {
            try KnownFindings.add(folders: findings, note: note, file: file, added: KnownFindings.today())
        }
        for change in changes {
            switch change {
            case .added(let k): Console.out("added \(k.id)")
            case .updated(let k, let previous):
                Console.out(previous == k.note ? "\(k.id) was known already (note unchanged)"
                                               : "\(k.id) was known already: note updated (was: \(previous))")
            }
        }
        Console.out("wrote \(file)")
    }
}

struct KnownList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the findings of a known-findings file: id, day added, note, fingerprint."
    )

    @Option(help: ArgumentHelp("The known-findings file.", valueName: "file"))
    var file = "known.json"

    @Flag(help: "Print the file's entries as JSON.")
    var json = false

    func run() throws {
        let known = try campaignError { try KnownFindings.read(file) }
        if json { return try Console.json(known.known) }
        for k in known.known {
            Console.out("\(k.id)  \(k.added)  \(k.note)")
            if let f = k.fingerprint { Console.out("    \(f)") }
        }
        Console.out("\(plural(known.known.count, "known finding")) in \(file)")
    }
}
