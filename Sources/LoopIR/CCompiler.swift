import Foundation

/// The system C compiler (`cc` on the PATH), building generated C into shared objects.
enum CCompiler {
    /// The flags a library is built with at `optimization`; OpenMP is tried first (`fallback` is without it).
    static func flags(_ optimization: String) -> (preferred: [String], fallback: [String]) {
        let common = ["-std=gnu11", "-shared", "-fPIC", "-w", optimization]
        return (common + ["-fopenmp"], common)
    }

    /// The first line of `cc --version`, read once: part of a cache key, so that a library built by another
    /// compiler (or another version of it) is not reused. Empty when there is no compiler (building then fails).
    static let identity: String = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["cc", "--version"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "" }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return p.terminationStatus == 0 ? text.split(separator: "\n").first.map(String.init) ?? "" : ""
    }()

    /// Builds `source` into the shared object `output`, with OpenMP when the compiler has it (parallel loops need it;
    /// a compiler without it builds the same code serially). A missing compiler or a compile error is thrown.
    /// The source is written next to `output` (which must be in a private folder) and removed afterwards.
    static func build(_ source: String, optimization: String, output: String) throws {
        let file = output + ".c"
        guard FileManager.default.createFile(atPath: file, contents: Data(source.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw LoweringError("cannot write the C source \(file)")
        }
        defer { unlink(file) }
        let flags = flags(optimization)
        do { try run(file, flags: flags.preferred, output: output) } catch { try run(file, flags: flags.fallback, output: output) }
    }

    /// One compiler run reading the source from standard input: the library then embeds no file name, so two
    /// processes building the same source get the same bytes.
    private static func run(_ file: String, flags: [String], output: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["cc"] + flags + ["-o", output, "-x", "c", "-", "-lm"]
        guard let input = FileHandle(forReadingAtPath: file) else { throw LoweringError("cannot read the C source \(file)") }
        defer { try? input.close() }
        let errors = Pipe()
        p.standardInput = input
        p.standardError = errors
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { throw LoweringError("no C compiler found: install gcc or clang (cc)") }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus == 127 { throw LoweringError("no C compiler found: install gcc or clang (cc)") }
        guard p.terminationStatus == 0 else {
            throw LoweringError("the C compiler failed: " + (text.split(separator: "\n").first.map(String.init) ?? "status \(p.terminationStatus)"))
        }
    }
}
