import Foundation
import ModelIR
import ONNX
import SpecLib
import TensorCore

/// onnxruntime (from PyPI) as a backend, driven through a persistent Python worker over pipes.
///
/// A crash or hang of the worker becomes a `BackendError` for that model and the worker is
/// restarted on the next call; graphsmith itself never stops.
public final class OnnxRuntimeBackend: Backend, @unchecked Sendable {
    /// onnxruntime's graph optimization level.
    public enum Optimization: String, Sendable { case all, none }

    public let library: SpecLibrary
    public let optimization: Optimization
    /// Seconds allowed for one model.
    public let timeout: Double
    /// The lowest opset models are exported at (a model's operators may need a higher one).
    public let minimumOpset: Int
    public var name: String { optimization == .all ? "onnxruntime" : "onnxruntime-noopt" }

    private let lock = NSLock()
    private var worker: WorkerProcess?
    private let scratch: URL

    public init(library: SpecLibrary, optimization: Optimization = .all, timeout: Double = 60, minimumOpset: Int = 1) {
        self.library = library
        self.minimumOpset = minimumOpset
        self.optimization = optimization
        self.timeout = timeout
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("graphsmith-ort-\(getpid())-\(UUID().uuidString)")
    }

    deinit {
        worker?.terminate()
        try? FileManager.default.removeItem(at: scratch)
    }

    /// onnxruntime rounds its own way (float16 sums kept wider, its own `tanh`) in a worker process.
    public var capabilities: BackendCapabilities { BackendCapabilities(rounding: .own, isolation: .worker) }

    /// Whether an error's text only says onnxruntime cannot run this model at all (no kernel for a dtype, bf16
    /// across numpy, its float16-widening bug), which tells nothing about the model's correctness.
    static func isRuntimeLimitation(message: String) -> Bool {
        ["NOT_IMPLEMENTED", "Could not find an implementation", "bfloat16", "InsertedPrecisionFreeCast"].contains { message.contains($0) }
    }

    /// Nil when onnxruntime can be used; otherwise a one-line reason.
    public func unavailableReason() -> String? {
        lock.lock()
        defer { lock.unlock() }
        do {
            _ = try startedWorker()
            return nil
        } catch let e as BackendError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    /// onnxruntime compiles when it creates its session, inside the worker: everything happens when executing.
    public func prepare(_ model: Model) throws -> any PreparedModel {
        DeferredModel { [self] inputs in try run(model, inputs: inputs, check: false) }
    }

    /// Runs `model`; with `check`, onnx.checker must accept the exported file first (its complaint is the error).
    public func run(_ model: Model, inputs: [String: Tensor], check: Bool) throws -> [Tensor] {
        lock.lock()
        defer { lock.unlock() }
        let dir = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let modelPath = dir.appendingPathComponent("model.onnx").path
        try Exporter.write(model, library: library, path: modelPath, minimumOpset: minimumOpset)
        var feeds: [[String]] = []
        for (k, info) in model.inputs.enumerated() {
            guard let t = inputs[info.name] else { throw BackendError(backend: name, kind: .error, message: "no value for input '\(info.name)'") }
            let path = dir.appendingPathComponent("input_\(k).pb").path
            try TensorProtoCodec.write(t, name: info.name, path: path)
            feeds.append([info.name, path])
        }
        let request: [String: Any] = ["model": modelPath, "inputs": feeds, "out": dir.path, "level": optimization.rawValue, "check": check]
        let line = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        let answer = try exchange(line)
        guard answer["ok"] as? Bool == true, let paths = answer["outputs"] as? [String] else {
            let message = answer["error"] as? String ?? "malformed answer from the worker"
            throw BackendError(backend: name, kind: Self.isRuntimeLimitation(message: message) ? .unsupported : .error, message: message)
        }
        return try paths.map { try TensorProtoCodec.read(path: $0).tensor }
    }

    /// Makes the worker crash or hang on purpose (`"crash"`, `"hang"`), for tests of recovery.
    func debugRequest(_ what: String) throws -> [String: Any] {
        lock.lock()
        defer { lock.unlock() }
        return try exchange("{\"debug\": \"\(what)\"}")
    }

    /// Sends a request and waits for its answer; a dead or stuck worker is replaced.
    private func exchange(_ line: String) throws -> [String: Any] {
        let w = try startedWorker()
        do {
            try w.send(line)
            let reply = try w.readLine(timeout: timeout)
            return try parse(reply)
        } catch WorkerProcess.Failure.timedOut {
            w.terminate()
            worker = nil
            throw BackendError(backend: name, kind: .hang, message: "no answer within \(Int(timeout)) s")
        } catch WorkerProcess.Failure.exited(let how) {
            worker = nil
            throw BackendError(backend: name, kind: .crash, message: "onnxruntime worker \(how)")
        }
    }

    private func parse(_ line: String) throws -> [String: Any] {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw BackendError(backend: name, kind: .error, message: "unreadable answer from the worker: \(line.prefix(200))")
        }
        return obj
    }

    private func startedWorker() throws -> WorkerProcess {
        if let w = worker, w.isRunning { return w }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let script = scratch.appendingPathComponent("ort_worker.py")
        try OnnxRuntimeWorkerScript.source.write(to: script, atomically: true, encoding: .utf8)
        let w: WorkerProcess
        do {
            w = try WorkerProcess(executable: "/usr/bin/env", arguments: ["python3", script.path])
        } catch {
            throw BackendError(backend: name, kind: .unavailable, message: "onnxruntime is not available: cannot start python3")
        }
        let hello: [String: Any]
        do { hello = try parse(try w.readLine(timeout: 120)) } catch {
            w.terminate()
            throw BackendError(backend: name, kind: .unavailable, message: "onnxruntime is not available: the Python worker did not start")
        }
        guard hello["ok"] as? Bool == true else {
            w.terminate()
            let why = hello["error"] as? String ?? "unknown reason"
            throw BackendError(backend: name, kind: .unavailable, message: "onnxruntime is not installed (\(why)); run: python3 -m pip install onnxruntime onnx")
        }
        worker = w
        return w
    }
}
