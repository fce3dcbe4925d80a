import Foundation
import ModelIR
import ONNX
import SpecLib
import TensorCore
import TorchExport

/// An outside compiler or runtime driven through the Python worker host and one adapter file
/// (`Python/graphsmith_worker`): onnxruntime, OpenVINO, TVM, IREE, or a user's plugin.
///
/// The host is started once and kept warm; each test exports the model to ONNX (graphsmith's compile stage) and
/// sends one request. The host's answer says in which of the compiler's stages a failure happened and whether the
/// adapter calls it unsupported. A host that dies is a crash result and one that does not answer in time a hang
/// result for that test; the next test starts a new host, and graphsmith itself never stops.
public final class ExternalBackend: Backend, @unchecked Sendable {
    /// Which adapter file hosts the backend, and which of the file's variants.
    public struct Adapter: Sendable, Hashable, Codable {
        /// The model files an adapter takes (its `FORMAT`).
        public enum Format: String, Sendable, Hashable, Codable {
            /// ONNX, exported from the specs' `onnx` lines.
            case onnx
            /// A PyTorch module, written from the specs' `torch` lines (`TorchEmitter`).
            case torch
        }

        /// The backend's name (`openvino`, `onnxruntime-noopt`, a plugin's `NAME`).
        public var name: String
        public var file: String
        public var variant: String?
        /// Optional in stored configs: those written before torch backends read as ONNX.
        public var format: Format?

        public init(name: String, file: String, variant: String? = nil, format: Format = .onnx) {
            self.name = name
            self.file = file
            self.variant = variant
            self.format = format == .onnx ? nil : format
        }

        /// What the adapter reads.
        public var modelFormat: Format { format ?? .onnx }
    }

    public let adapter: Adapter
    public let library: SpecLibrary
    public let host: WorkerHost
    /// Seconds allowed for one test (compile and run), and for the host to start.
    public let timeout: Double
    /// The lowest opset models are exported at (a model's operators may need a higher one).
    public let minimumOpset: Int
    public var name: String { adapter.name }

    private let lock = NSLock()
    private var worker: WorkerProcess?
    private var hello: HostProtocol.Hello?
    private var nextID = 0
    private let scratch: PrivateFolder
    /// The helpers every torch module carries (`Python/graphsmith_worker/torch_prelude.py`), read once, for an adapter
    /// of torch modules.
    private let torchPrelude: Result<String, any Error>?

    public init(adapter: Adapter, library: SpecLibrary, host: WorkerHost = .locate(), timeout: Double = 60,
                minimumOpset: Int = 1) {
        self.adapter = adapter
        self.library = library
        self.host = host
        self.timeout = timeout
        self.minimumOpset = minimumOpset
        scratch = PrivateFolder(prefix: "graphsmith-\(adapter.name)")
        torchPrelude = adapter.modelFormat == .torch
            ? Result { try String(contentsOfFile: host.folder + "/torch_prelude.py", encoding: .utf8) } : nil
    }

    deinit { worker?.terminate() }

    /// What the adapter declared (started on first use); an external compiler rounds its own way unless it says not.
    public var capabilities: BackendCapabilities {
        lock.lock()
        defer { lock.unlock() }
        _ = try? startedWorker()
        return BackendCapabilities(declared: hello?.capabilities)
    }

    /// The compiler's version as its adapter reports it, when the host can start.
    public var version: String? {
        lock.lock()
        defer { lock.unlock() }
        _ = try? startedWorker()
        return hello?.version
    }

    /// Nil when the backend can be used here; otherwise a one-line reason.
    public func unavailableReason() -> String? {
        lock.lock()
        defer { lock.unlock() }
        do { _ = try startedWorker() } catch let e as BackendError { return e.message } catch { return "\(error)" }
        return nil
    }

    /// The compile stage on graphsmith's side: the model exported to ONNX. The compiler itself compiles in the
    /// host, whose answer names the stage that failed. A model the adapter's declared capabilities rule out (a dtype
    /// it does not compute, an opset above its ceiling) is unsupported without being sent.
    public func prepare(_ model: Model) throws -> any PreparedModel { try exported(model) }

    /// The model checked against the declared limits and exported for the host.
    func exported(_ model: Model) throws -> Prepared {
        if adapter.modelFormat == .torch { return try writtenAsTorch(model) }
        let opset: Int
        do { opset = try Exporter.opset(model, library: library, minimumOpset: minimumOpset) } catch {
            throw BackendError(backend: name, kind: .error, message: "ONNX export: \(error)")
        }
        if let why = (try? Exporter.opsetConflict(model, library: library, opset: opset)) ?? nil {
            throw BackendError(backend: name, kind: .unsupported, message: "ONNX cannot hold this model: \(why)", stage: .compile)
        }
        if let why = capabilities.refusal(model, opset: opset) {
            throw BackendError(backend: name, kind: .unsupported, message: why, stage: .compile)
        }
        let dir = try scratch.subfolder()
        let path = dir + "/model.onnx"
        do { try Exporter.write(model, library: library, path: path, minimumOpset: minimumOpset) } catch {
            throw BackendError(backend: name, kind: .error, message: "ONNX export: \(error)")
        }
        return Prepared(backend: self, model: model, folder: dir, path: path)
    }

    /// The model written as a torch module for the host; an operator without a `torch` line is unsupported.
    func writtenAsTorch(_ model: Model) throws -> Prepared {
        if let why = capabilities.refusal(model, opset: nil) {
            throw BackendError(backend: name, kind: .unsupported, message: why, stage: .compile)
        }
        let source: String
        do {
            source = try TorchEmitter.source(model, library: library, prelude: try torchPrelude?.get() ?? "")
        } catch let e as TorchError {
            throw BackendError(backend: name, kind: .unsupported, message: "torch code: \(e.message)", stage: .compile)
        } catch {
            throw BackendError(backend: name, kind: .error, message: "torch code: \(error)")
        }
        let dir = try scratch.subfolder()
        let path = dir + "/model.py"
        do { try OutputFile.write(source, to: path) } catch {
            throw BackendError(backend: name, kind: .error, message: "torch code: \(error)")
        }
        return Prepared(backend: self, model: model, folder: dir, path: path)
    }

    /// A model exported for the host; its folder goes when it does.
    final class Prepared: PreparedModel, @unchecked Sendable {
        let backend: ExternalBackend
        let model: Model
        let folder: String
        let path: String

        init(backend: ExternalBackend, model: Model, folder: String, path: String) {
            self.backend = backend
            self.model = model
            self.folder = folder
            self.path = path
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        func execute(_ inputs: [String: Tensor]) throws -> [Tensor] {
            try backend.run(model, exported: path, in: folder, inputs: inputs, check: false)
        }
    }

    /// Runs `model`; with `check`, onnx.checker must accept the exported file first (its complaint is the error).
    public func run(_ model: Model, inputs: [String: Tensor], check: Bool) throws -> [Tensor] {
        let prepared = try exported(model)
        return try run(model, exported: prepared.path, in: prepared.folder, inputs: inputs, check: check)
    }

    private func run(_ model: Model, exported path: String, in dir: String, inputs: [String: Tensor], check: Bool) throws -> [Tensor] {
        let answer = try answered(model, exported: path, in: dir, inputs: inputs, check: check)
        return try (answer.outputs ?? []).map { try TensorProtoCodec.read(path: $0).tensor }
    }

    /// The best of `repeats` in-process run times of `model`, in milliseconds: the host's own clock around the
    /// adapter's run, the model prepared once and kept (no export, file transfer or pipe in the time).
    public func bestRunMilliseconds(_ model: Model, inputs: [String: Tensor], repeats: Int) throws -> Double {
        let prepared = try exported(model)
        _ = try answered(model, exported: prepared.path, in: prepared.folder, inputs: inputs, check: false)
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let answer = try answered(model, exported: prepared.path, in: prepared.folder, inputs: inputs, check: false)
            guard let s = answer.run_s else { throw BackendError(backend: name, kind: .error, message: "the worker host gave no run time") }
            best = min(best, s * 1e3)
        }
        return best
    }

    /// The host's successful answer to running `model` (exported at `path`) on `inputs`.
    private func answered(_ model: Model, exported path: String, in dir: String, inputs: [String: Tensor], check: Bool) throws -> HostProtocol.Answer {
        var feeds: [[String]] = []
        for (k, info) in model.inputs.enumerated() {
            guard let t = inputs[info.name] else { throw BackendError(backend: name, kind: .error, message: "no value for input '\(info.name)'") }
            let file = dir + "/input_\(k).pb"
            try TensorProtoCodec.write(t, name: info.name, path: file)
            feeds.append([info.name, file])
        }
        let out = dir + "/out-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        lock.lock()
        defer { lock.unlock() }
        nextID += 1
        let answer = try exchange(HostProtocol.Request(id: nextID, model: path, inputs: feeds, out: out, check: check ? true : nil))
        guard answer.ok, answer.outputs != nil else { throw failure(answer) }
        return answer
    }

    /// The host's word on a failure as a backend error: its kind and the stage it names.
    private func failure(_ answer: HostProtocol.Answer) -> BackendError {
        let kind: BackendError.Kind = answer.kind == "unsupported" ? .unsupported : .error
        var e = BackendError(backend: name, kind: kind, message: answer.error ?? "the host failed without a message")
        e.stage = answer.stage == "compile" ? .compile : answer.stage == "run" ? .execute : nil
        return e
    }

    /// Makes the host crash, abort, hang or print noise on purpose, for tests of recovery.
    func debugRequest(_ what: String) throws -> HostProtocol.Answer {
        lock.lock()
        defer { lock.unlock() }
        nextID += 1
        return try exchange(HostProtocol.Request(id: nextID, debug: what))
    }

    /// Sends a request and waits for its answer; a dead or stuck host is replaced on the next call.
    private func exchange(_ request: HostProtocol.Request) throws -> HostProtocol.Answer {
        let w = try startedWorker()
        do {
            try w.send(try HostProtocol.line(request))
            while true {
                let reply = try w.readLine(timeout: timeout)
                guard let answer = HostProtocol.decode(HostProtocol.Answer.self, reply) else {
                    throw BackendError(backend: name, kind: .error, message: "unreadable answer from the worker host: \(reply.prefix(200))")
                }
                if answer.id == request.id { return answer }  // an answer to an abandoned request is skipped
            }
        } catch WorkerProcess.Failure.timedOut {
            w.terminate()
            worker = nil
            throw BackendError(backend: name, kind: .hang, message: "no answer within \(Int(timeout)) s")
        } catch WorkerProcess.Failure.exited(let how) {
            worker = nil
            let last = CrashLine.of(w.finalStderrTail(timeout: 0.5))
            throw BackendError(backend: name, kind: .crash, message: "\(name) worker \(how)" + (last.isEmpty ? "" : ": \(last)"))
        }
    }

    private func startedWorker() throws -> WorkerProcess {
        if let w = worker, w.isRunning { return w }
        let (executable, arguments) = host.command(adapter)
        let w: WorkerProcess
        do { w = try WorkerProcess(executable: executable, arguments: arguments) } catch {
            throw BackendError(backend: name, kind: .unavailable, message: "\(name) is not available: cannot start \(host.python)")
        }
        let first: String
        // The hello comes once the compiler is imported and warm (torch-compile compiles once first): minutes on a
        // loaded machine, and a host that fails to start says so at once (its stream ends).
        do { first = try w.readLine(timeout: max(timeout, 300)) } catch {
            w.terminate()
            let last = w.stderrTail.split(whereSeparator: \.isNewline).last.map(String.init) ?? "no message"
            throw BackendError(backend: name, kind: .unavailable, message: "\(name) is not available: the worker host did not start (\(last))")
        }
        guard let h = HostProtocol.decode(HostProtocol.Hello.self, first), h.protocol == HostProtocol.version else {
            w.terminate()
            throw BackendError(backend: name, kind: .unavailable, message: "\(name) is not available: the worker host speaks another protocol")
        }
        guard h.ok else {
            w.terminate()
            // The host's reason names the backend already ("openvino is unavailable: ...").
            throw BackendError(backend: name, kind: .unavailable, message: h.unavailable ?? "\(name) is not available: unknown reason")
        }
        hello = h
        worker = w
        return w
    }
}

extension ExternalBackend {
    /// onnxruntime through the adapter the repository ships, with all graph optimizations or none.
    public static func onnxruntime(library: SpecLibrary, optimized: Bool = true, timeout: Double = 60, minimumOpset: Int = 1,
                                   host: WorkerHost = .locate()) -> ExternalBackend {
        let name = optimized ? "onnxruntime" : "onnxruntime-noopt"
        return ExternalBackend(adapter: Adapter(name: name, file: host.adapters + "/onnxruntime.py", variant: name),
                               library: library, host: host, timeout: timeout, minimumOpset: minimumOpset)
    }
}
