import Foundation
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import LoopIR

/// The native-code cache: only a private folder is trusted, and only a library matching its recorded digest loads.
final class NativeCacheTests: XCTestCase {
    let library = try! SpecLibrary.load(directory: repositorySpecs)

    /// A new empty folder (mode 0700) removed when the test ends.
    func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "native-cache-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// Relu on f32[n]: a distinct library for each n.
    func relu(_ n: Int) throws -> LoweredOp {
        try Lowering.lower(try XCTUnwrap(library.spec(named: "Relu")).instantiate(inputs: [TensorType(.f32, [n])], attributes: [:]))
    }

    /// Runs Relu on f32[n] from `cache` and checks the result against the VM; the library path it ran from.
    @discardableResult
    func runRelu(_ n: Int, _ cache: NativeCache) throws -> String {
        let x = Tensor(dtype: .f32, shape: [n], doubles: (0..<n).map { Double($0) - Double(n) / 2 })
        let program = try NativeProgram([try relu(n)], cache: cache)
        XCTAssertEqual(try program.run(op: 0, inputs: [x]), try VM.run(try relu(n), inputs: [x]))
        return program.libraryPath
    }

    func files(_ dir: String) throws -> Set<String> { Set(try FileManager.default.contentsOfDirectory(atPath: dir)) }

    func testAMissingFolderIsCreatedPrivate() throws {
        let dir = try folder() + "/a/b"
        let cache = NativeCache(folder: dir)
        XCTAssertNil(cache.refusal)
        XCTAssertEqual(cache.folder, dir)
        for path in [dir, (dir as NSString).deletingLastPathComponent] {
            let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            XCTAssertEqual(mode, 0o700, path)
        }
        XCTAssertTrue(try runRelu(5, cache).hasPrefix(dir + "/"))
    }

    /// A folder others can write to, a symbolic link, or (when the tests can change owners) another user's folder
    /// is not used: the library is built elsewhere, still runs, and nothing is written into the folder.
    func testAFolderOthersControlIsNotUsed() throws {
        let open = try folder()
        chmod(open, 0o777)
        let target = try folder()
        let link = try folder() + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        var cases = [(open, "writable by group or others (mode 777)"), (link, "symbolic link")]
        if geteuid() == 0 {
            let theirs = try folder()
            chown(theirs, 65534, 65534)
            cases.append((theirs, "owned by user 65534"))
        }
        for (dir, why) in cases {
            let cache = NativeCache(folder: dir)
            XCTAssertNil(cache.folder, dir)
            XCTAssertTrue(cache.refusal?.contains(why) == true, cache.refusal ?? "accepted \(dir)")
            XCTAssertFalse(try runRelu(6, cache).hasPrefix(dir), dir)
            XCTAssertEqual(try files(dir), [], "nothing written into \(dir)")
        }
    }

    func testTheFolderComesFromTheEnvironment() {
        XCTAssertEqual(NativeCacheFolder.configured(environment: ["GRAPHSMITH_CACHE": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"]), "/c")
        XCTAssertEqual(NativeCacheFolder.configured(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]), "/x/graphsmith/native")
        XCTAssertEqual(NativeCacheFolder.configured(environment: ["XDG_CACHE_HOME": "rel", "HOME": "/h"]), "/h/.cache/graphsmith/native")
        XCTAssertEqual(NativeCacheFolder.configured(environment: ["GRAPHSMITH_CACHE": "", "HOME": "/h"]), "/h/.cache/graphsmith/native")
    }

    /// A library another user planted under the right name, with a digest that is not its own: its constructor
    /// never runs, and the entry is rebuilt.
    func testAPlantedLibraryIsNotLoaded() throws {
        let genuine = try runRelu(7, NativeCache(folder: try folder()))
        let dir = try folder(), name = (genuine as NSString).lastPathComponent
        let key = String(name.dropLast(3)), marker = dir + "/constructor-ran"
        let planted = "__attribute__((constructor)) static void planted(void) { fclose(fopen(\"\(marker)\", \"w\")); }\n"
        try compile("#include <stdio.h>\n" + planted, to: "\(dir)/\(name)")
        try (String(repeating: "0", count: 64) + "\n").write(toFile: "\(dir)/\(key).sha256", atomically: true, encoding: .utf8)
        let path = try runRelu(7, NativeCache(folder: dir))
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the planted library was loaded")
        XCTAssertEqual(path, "\(dir)/\(name)")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), try Data(contentsOf: URL(fileURLWithPath: genuine)), "rebuilt")
    }

    /// A library cut short (a full disk, an older graphsmith killed while writing) is rebuilt, not loaded
    /// (loading it crashed graphsmith inside dlopen).
    func testATruncatedLibraryIsRebuilt() throws {
        let genuine = try runRelu(8, NativeCache(folder: try folder()))
        let dir = try folder(), name = (genuine as NSString).lastPathComponent
        let bytes = try Data(contentsOf: URL(fileURLWithPath: genuine))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: "\(dir)/\(name)"))
        let sum = (genuine as NSString).deletingPathExtension + ".sha256"
        try FileManager.default.copyItem(atPath: sum, toPath: "\(dir)/\((sum as NSString).lastPathComponent)")
        let path = try runRelu(8, NativeCache(folder: dir))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes, "rebuilt in full")
    }

    /// Writing an entry evicts the least recently used ones beyond the bound, and leaves other files alone.
    func testEvictionKeepsTheCacheUnderItsBound() throws {
        let probe = try folder()
        try runRelu(1, NativeCache(folder: probe))
        let size = try entryBytes(probe)
        let dir = try folder()
        try "mine".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        let limit = size * 5 / 2
        let cache = NativeCache(folder: dir, byteLimit: limit)
        let first = try runRelu(1, cache), second = try runRelu(2, cache)
        try runRelu(1, cache)  // used again: now the second is the least recently used
        let third = try runRelu(3, cache)
        XCTAssertTrue(FileManager.default.fileExists(atPath: first))
        XCTAssertFalse(FileManager.default.fileExists(atPath: second), "the least recently used entry is evicted")
        XCTAssertTrue(FileManager.default.fileExists(atPath: third))
        for n in 4...8 {
            try runRelu(n, cache)
            XCTAssertLessThanOrEqual(try entryBytes(dir), limit, "after Relu on f32[\(n)]")
        }
        XCTAssertTrue(try files(dir).contains("notes.txt"))
        XCTAssertEqual(try files(dir).filter { $0.hasSuffix(".so") }.count, 2)
    }

    /// Going over the bound evicts down to seven eighths of it, so the next writes fit without another eviction
    /// (and without another scan of a full folder).
    func testEvictionLeavesRoomForTheNextWrites() throws {
        let probe = try folder()
        try runRelu(1, NativeCache(folder: probe))
        let size = try entryBytes(probe)
        let dir = try folder()
        let cache = NativeCache(folder: dir, byteLimit: size * 8 + size / 4)
        for n in 1...8 { try runRelu(n, cache) }
        XCTAssertEqual(try files(dir).filter { $0.hasSuffix(".so") }.count, 8, "eight entries fit")
        try runRelu(9, cache)
        XCTAssertEqual(try files(dir).filter { $0.hasSuffix(".so") }.count, 7, "over the bound: down to seven eighths")
        try runRelu(10, cache)
        XCTAssertEqual(try files(dir).filter { $0.hasSuffix(".so") }.count, 8, "the next write fits")
    }

    /// Workers building one library at once each load a whole one, and leave one entry and no temporary file.
    func testConcurrentBuildsOfOneLibraryLeaveOneEntry() throws {
        let dir = try folder()
        let cache = NativeCache(folder: dir)
        let x = Tensor(dtype: .f32, shape: [9], doubles: (0..<9).map { Double($0) - 4 })
        let expected = try VM.run(try relu(9), inputs: [x])
        let op = try relu(9)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            results.add(Result { try NativeProgram([op], cache: cache).run(op: 0, inputs: [x]) })
        }
        XCTAssertEqual(results.all.count, 4)
        for r in results.all { XCTAssertEqual(try r.get(), expected) }
        let left = try files(dir)
        XCTAssertEqual(left.count, 2, "\(left)")
    }

    /// The bytes the cache entries in `dir` take (libraries and digests).
    func entryBytes(_ dir: String) throws -> Int {
        try files(dir).filter { $0.hasSuffix(".so") || $0.hasSuffix(".sha256") }.reduce(0) { total, name in
            total + (try FileManager.default.attributesOfItem(atPath: "\(dir)/\(name)")[.size] as? Int ?? 0)
        }
    }

    func compile(_ source: String, to output: String) throws {
        let c = output + ".c"
        try source.write(toFile: c, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: c) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["cc", "-shared", "-fPIC", "-o", output, c]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
    }
}

/// Results gathered from concurrent threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<[Tensor], Error>] = []

    func add(_ r: Result<[Tensor], Error>) { lock.withLock { items.append(r) } }
    var all: [Result<[Tensor], Error>] { lock.withLock { items } }
}
