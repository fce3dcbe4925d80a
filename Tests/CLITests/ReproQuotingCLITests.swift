import Foundation
import TestSupport
import XCTest

/// Commands graphsmith writes for people to paste (a finding's repro) name their paths so that a shell reads
/// each back as one argument, whatever the user's folder is called.
final class ReproQuotingCLITests: XCTestCase {
    let small = ["--nodes", "4", "--max-elements", "512", "--max-rank", "3", "--jobs", "2", "--quiet", "--backends", "vm-O0,vm-O3"]

    func testEveryWrittenCommandKeepsAHostilePathOneArgument() throws {
        let dir = try temporaryDirectory(self).path
        // A space, a command substitution, a single quote: pasted unquoted, the first splits the path, the
        // second runs `touch` (in `dir`, where the shell is started), the third leaves an unclosed quote.
        let out = dir + "/x $(touch pwned) it's"
        let r = try Graphsmith.run(["fuzz", "--iterations", "12", "--inject-fault", "broadcast-stride", "--include", "Add,Mul,Relu",
                                    "--dtypes", "f32", "--out", out] + small)
        XCTAssertEqual(r.status, 0, r.stderr)
        let ids = try FileManager.default.contentsOfDirectory(atPath: out + "/findings")
        let first = try XCTUnwrap(ids.sorted().first, "the injected fault gave no finding")
        let reduced = dir + "/r $(touch pwned) 'q'"
        let reduce = try Graphsmith.run(["reduce", "\(out)/findings/\(first)", "--out", reduced, "--time", "1m"])
        XCTAssertEqual(reduce.status, 0, reduce.stderr)
        let merged = dir + "/m $(touch pwned)"
        let report = try Graphsmith.run(["report", out, "--out", merged])
        XCTAssertEqual(report.status, 0, report.stderr)

        let folders = Set(ids.map { "\(out)/findings/\($0)" } + [reduced])
        var checked: [String: Int] = [:]
        for root in [out, reduced, merged] {
            for file in try textFiles(root) {
                for command in try commands(in: file) {
                    XCTAssertEqual(try Array(shellWords(command, in: dir).prefix(2)), ["graphsmith", "replay"], "\(file): \(command)")
                    let path = try shellWords(command, in: dir).dropFirst(2)
                    XCTAssertEqual(path.count, 1, "\(file): \(command)")
                    XCTAssertTrue(path.first.map(folders.contains) == true, "\(file): \(command) names \(path)")
                    checked[(file as NSString).lastPathComponent, default: 0] += 1
                }
            }
        }
        for name in ["finding.json", "report.md", "summary.json", "junit.xml", "reduction.md", "report.html"] {
            XCTAssertGreaterThan(checked[name] ?? 0, 0, "no command found in any \(name): \(checked)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/pwned"), "a command substitution ran")
    }

    /// The text files under `root` (JSON, Markdown, XML, HTML).
    func textFiles(_ root: String) throws -> [String] {
        let names = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: root))
        return names.filter { ["json", "md", "xml", "html"].contains(($0 as NSString).pathExtension) }.map { "\(root)/\($0)" }
    }

    /// Each `graphsmith replay ...` command in `file`: a JSON string; else the rest of a line, up to the closing
    /// backtick of a Markdown code span, with XML and HTML entities decoded.
    func commands(in file: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        if file.hasSuffix(".json") {
            return strings(in: try JSONSerialization.jsonObject(with: data)).filter { $0.hasPrefix("graphsmith replay") }
        }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").compactMap { line -> String? in
            guard let start = line.range(of: "graphsmith replay") else { return nil }
            var command = String(line[start.lowerBound...])
            if line[..<start.lowerBound].hasSuffix("`"), let end = command.firstIndex(of: "`") { command = String(command[..<end]) }
            if let end = command.range(of: "</") { command = String(command[..<end.lowerBound]) }
            for (entity, c) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&amp;", "&")] {
                command = command.replacingOccurrences(of: entity, with: c)
            }
            return command
        }
    }

    func strings(in json: Any) -> [String] {
        switch json {
        case let s as String: return [s]
        case let a as [Any]: return a.flatMap(strings)
        case let d as [String: Any]: return d.values.flatMap(strings)
        default: return []
        }
    }

    /// The words `/bin/sh`, started in `folder`, makes of `command` (printed one a line by printf instead of run).
    func shellWords(_ command: String, in folder: String) throws -> [String] {
        let p = Process()
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "printf '%s\\n' " + command]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return ["(the shell cannot parse it)"] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}
