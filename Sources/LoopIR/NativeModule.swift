import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// C source compiled with the system C compiler into a shared object, cached (`NativeCache`), and loaded.
public final class NativeModule: @unchecked Sendable {
    public typealias Function = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int32>) -> Void

    private let handle: UnsafeMutableRawPointer
    /// The shared object the module was loaded from: an entry of the cache, or (when the cache folder was refused)
    /// a file already removed, since nothing else may load it.
    public let path: String

    /// The compiler that built the library.
    public let compiler: CCompiler

    /// Compiles (or reuses the verified cached build of) `source` with the compiler `build` chooses; a missing
    /// compiler or a compile error is a thrown error. A cached library that is missing, corrupt or fails to load is
    /// built again.
    public convenience init(source: String, optimization: String = "-O1", build: NativeBuild = .exact, cache: NativeCache = .shared) throws {
        let exactKey = NativeCache.key(source: source, optimization: optimization)
        try self.init(source: source, optimization: optimization, compilers: build.compilers(exactKey: exactKey), cache: cache,
                      exactKey: exactKey)
    }

    /// Loads the first of `compilers`' builds of `source` that is cached and verified; else builds it with the last
    /// of them. (A screened build takes the system compiler's cached library when there is one: exact and free.)
    /// `exactKey`, when the caller has it, is the system compiler's key (not hashed again).
    init(source: String, optimization: String, compilers: [CCompiler], cache: NativeCache, exactKey: String? = nil) throws {
        _ = Self.openMPRuntime
        var key = ""
        for c in compilers {
            key = c == .system ? exactKey ?? NativeCache.key(source: source, optimization: optimization) :
                NativeCache.key(source: source, optimization: optimization, compiler: c)
            if let h = Self.loadCached(key, cache) {
                (handle, path, compiler) = (h.handle, h.path, c)
                return
            }
        }
        let chosen = compilers.last ?? .system
        compiler = chosen
        guard let built = cache.temporaryPath(for: key) else {
            (handle, path) = try Self.buildUncached(source, optimization: optimization, compiler: chosen)
            return
        }
        do { try chosen.build(source, optimization: optimization, output: built) } catch {
            unlink(built)
            throw error
        }
        let so = try cache.store(built, key: key)
        (handle, path) = (try Self.load(so), so)
    }

    /// The verified cached library `key`, loaded; nil when there is none. A verified entry can still vanish before
    /// it loads (another worker's eviction): then it is built again.
    private static func loadCached(_ key: String, _ cache: NativeCache) -> (handle: UnsafeMutableRawPointer, path: String)? {
        guard let cached = cache.verified(key), let h = dlopen(cached, RTLD_NOW | RTLD_LOCAL) else { return nil }
        return (h, cached)
    }

    /// Builds in a fresh folder only this user can enter, loads, and removes the file and folder at once: a
    /// loaded library stays mapped, and nothing is left behind for anyone to tamper with or clean up.
    private static func buildUncached(_ source: String, optimization: String, compiler: CCompiler) throws -> (UnsafeMutableRawPointer, String) {
        var template = Array((FileManager.default.temporaryDirectory.path + "/graphsmith-native-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw LoweringError("cannot create a private temporary folder: \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: made), so = folder + "/module.so"
        defer {
            unlink(so)
            rmdir(folder)
        }
        try compiler.build(source, optimization: optimization, output: so)
        return (try load(so), so)
    }

    private static func load(_ so: String) throws -> UnsafeMutableRawPointer {
        guard let h = dlopen(so, RTLD_NOW | RTLD_LOCAL) else {
            throw LoweringError("cannot load \(so): \(String(cString: dlerror()))")
        }
        return h
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
}
