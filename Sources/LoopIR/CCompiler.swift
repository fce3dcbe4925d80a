import Foundation
import Synchronization

/// A C compiler on the PATH building generated C into shared objects: the system compiler (`cc`), whose build is
/// what native code means, or TinyCC (`tcc`), which builds the same C about twenty times sooner into slower code and
/// screens campaign tests (`NativeBuild.screening`).
public struct CCompiler: Sendable, Hashable {
    /// The command run (found on the PATH).
    public let command: String
    /// The flag that prints its version (TinyCC's `-v`; `--version` is an error there).
    let versionFlag: String
    /// What to install when the command is missing.
    let installHint: String

    /// The system C compiler: every native result graphsmith reports is this compiler's.
    public static let system = CCompiler(command: "cc", versionFlag: "--version", installHint: "install gcc or clang (cc)")
    /// TinyCC: no optimizer, so a build takes milliseconds; used to screen tests when it is installed.
    public static let tiny = CCompiler(command: "tcc", versionFlag: "-v", installHint: "install tcc")

    /// The flags a library is built with at `optimization`; OpenMP is tried first (`fallback` is without it).
    /// TinyCC accepts and ignores `-O1` and `-fopenmp` (its build runs serially).
    func flags(_ optimization: String) -> (preferred: [String], fallback: [String]) {
        let common = ["-std=gnu11", "-shared", "-fPIC", "-w", optimization]
        return (common + ["-fopenmp"], common)
    }

    /// The first line of what `versionFlag` prints, read once per compiler: part of a cache key, so
    /// that a library built by another compiler (or another version of it) is not reused. Empty when the compiler
    /// is not installed.
    public var identity: String {
        Self.identities.withLock { known in
            if let id = known[command] { return id }
            let id = readIdentity()
            known[command] = id
            return id
        }
    }

    /// Whether the compiler is installed here.
    public var isAvailable: Bool { !identity.isEmpty }

    private static let identities = Mutex<[String: String]>([:])

    private func readIdentity() -> String {
        guard let result = try? ChildProcess.run([command, versionFlag]),
              result.status == 0 else { return "" }
        return result.output.split(separator: "\n").first.map(String.init) ?? ""
    }

    /// Builds `source` into the shared object `output`, with OpenMP when the compiler has it (parallel loops need it;
    /// a compiler without it builds the same code serially). A missing compiler or a compile error is thrown.
    /// The source is written next to `output` (which must be in a private folder) and removed afterwards.
    func build(_ source: String, optimization: String, output: String) throws {
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
    private func run(_ file: String, flags: [String], output: String) throws {
        let result = try ChildProcess.run([command] + flags + ["-o", output, "-x", "c", "-", "-lm"], input: file)
        if result.status == 127 {
            throw LoweringError("no C compiler found: \(installHint)")
        }
        guard result.status == 0 else {
            let first = result.output.split(separator: "\n").first.map(String.init) ?? "status \(result.status)"
            throw LoweringError("the C compiler (\(command)) failed: " + first)
        }
    }
}
