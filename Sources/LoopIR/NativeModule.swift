import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// C source compiled with the system C compiler into a shared object, cached by content hash, and loaded.
public final class NativeModule: @unchecked Sendable {
    public typealias Function = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int32>) -> Void

    private let handle: UnsafeMutableRawPointer
    public let path: String

    /// Compiles (or reuses the cached build of) `source`; a missing compiler or a compile error is a thrown error.
    public init(source: String, optimization: String = "-O1") throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("graphsmith-native")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // The flags are part of the key: the same source built at another level is another library.
        let hash = String((optimization + "\n" + source).utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }, radix: 16)
        let so = dir.appendingPathComponent("\(hash).so").path
        if !FileManager.default.fileExists(atPath: so) {
            let c = dir.appendingPathComponent("\(hash)-\(getpid()).c")
            try source.write(to: c, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: c) }
            let tmp = so + ".\(getpid()).tmp"
            // Parallel loops need OpenMP; a compiler without it still builds the same code serially.
            do { try Self.compile(c.path, output: tmp, flags: [optimization, "-fopenmp"]) } catch { try Self.compile(c.path, output: tmp, flags: [optimization]) }
            // Rename into place so a concurrent reader never sees a half-written library.
            guard rename(tmp, so) == 0 else { throw LoweringError("cannot move the compiled library into place") }
        }
        _ = Self.openMPRuntime
        guard let h = dlopen(so, RTLD_NOW | RTLD_LOCAL) else {
            throw LoweringError("cannot load \(so): \(String(cString: dlerror()))")
        }
        handle = h
        path = so
    }

    /// The OpenMP runtime, loaded once and never unloaded: its worker threads outlive any one library, and
    /// unloading it with the last library that used it would leave them running unmapped code.
    /// Idle workers sleep rather than spin (unless the user chose): on a shared, loaded machine spinning workers
    /// take the cores the running kernels need and make parallel code many times slower than serial code.
    private static let openMPRuntime: Bool = {
        setenv("OMP_WAIT_POLICY", "PASSIVE", 0)
        return dlopen("libgomp.so.1", RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE) != nil
    }()

    deinit { dlclose(handle) }

    public func function(_ name: String) throws -> Function {
        guard let sym = dlsym(handle, name) else { throw LoweringError("no function \(name) in \(path)") }
        return unsafeBitCast(sym, to: Function.self)
    }

    private static func compile(_ source: String, output: String, flags: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["cc", "-std=gnu11", "-shared", "-fPIC", "-w"] + flags + ["-o", output, source, "-lm"]
        let errors = Pipe()
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
