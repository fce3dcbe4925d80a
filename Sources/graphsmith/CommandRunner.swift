import ArgumentParser
import Foundation

/// Parses arguments, runs the chosen command and maps every outcome to graphsmith's exit codes.
///
/// 0 success (also `--help` and `--version`), 1 a check found a problem, 2 a user error
/// (one line `error: ...` on stderr), 3 an internal error. ArgumentParser's own exit code for
/// usage errors (64) is replaced by 2 so that every user error exits the same way.
enum CommandRunner {
    static func run(_ arguments: [String]) -> Int32 {
        var command: ParsableCommand
        do {
            command = try Graphsmith.parseAsRoot(hoistGlobalOptions(arguments))
        } catch {
            return reportParseError(error, arguments)
        }
        do {
            try command.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            if let line = Outcome.userErrorLine(error) {
                Console.error(line)
                return Outcome.userError
            }
            if isArgumentParserError(error) { return reportParseError(error, arguments) }
            Console.error(Outcome.internalErrorLine(error))
            return Outcome.internalError
        }
    }

    /// Help and version requests print on stdout and succeed; anything else is a one-line usage error.
    private static func reportParseError(_ error: Error, _ arguments: [String]) -> Int32 {
        let code = Graphsmith.exitCode(for: error)
        if code == .success {
            Console.out(Graphsmith.fullMessage(for: error))
            return 0
        }
        let message = Graphsmith.message(for: error)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") }
            .joined(separator: "; ")
        var line = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        if line.isEmpty { line = "invalid command line" }
        line = line.prefix(1).lowercased() + line.dropFirst()
        Console.error("error: \(line) (see '\(commandPath(arguments).joined(separator: " ")) --help')")
        return Outcome.userError
    }

    /// Lets `--specs DIR` stand anywhere, also before the subcommand (`graphsmith --specs D specs list`):
    /// moves occurrences among the leading subcommand names to just after them, where the leaf command parses it.
    static func hoistGlobalOptions(_ arguments: [String]) -> [String] {
        var path: [String] = []
        var hoisted: [String] = []
        var command: ParsableCommand.Type = Graphsmith.self
        var k = 0
        while k < arguments.count {
            let arg = arguments[k]
            if arg == "--specs", k + 1 < arguments.count {
                hoisted += [arg, arguments[k + 1]]
                k += 2
            } else if arg.hasPrefix("--specs=") {
                hoisted.append(arg)
                k += 1
            } else if let sub = command.configuration.subcommands.first(where: { $0.configuration.commandName == arg }) {
                path.append(arg)
                command = sub
                k += 1
            } else {
                break
            }
        }
        // Only a leaf command declares --specs; before a group it would be an unknown option anyway.
        guard !hoisted.isEmpty, command.configuration.subcommands.isEmpty else { return arguments }
        return path + hoisted + arguments[k...]
    }

    /// The names of the commands the arguments select, `graphsmith specs test` for `specs test --bogus`.
    private static func commandPath(_ arguments: [String]) -> [String] {
        var path = ["graphsmith"]
        var command: ParsableCommand.Type = Graphsmith.self
        for arg in arguments {
            guard let sub = command.configuration.subcommands.first(where: { $0.configuration.commandName == arg }) else { break }
            path.append(arg)
            command = sub
        }
        return path
    }

    /// Validation errors, help requests and clean exits that reach `run()` are ArgumentParser's, not internal errors.
    private static func isArgumentParserError(_ error: Error) -> Bool {
        error is ValidationError || error is CleanExit || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
