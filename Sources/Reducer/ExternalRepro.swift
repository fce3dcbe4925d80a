import Backends
import Campaign
import Foundation
import ONNX
import TensorCore
import TorchExport

/// The files a reduced finding on an outside compiler carries for that compiler's developers: `repro.py` (written by
/// the worker host from the adapter, see `ReproScript`) and `bug-report.md` (`BugReport`).
enum ExternalRepro {
    /// Writes both into the staged folder when one of the finding's backends is an outside compiler. Returns a note
    /// for the reduction report: what was written, or why repro.py is missing (never a failure of the reduction).
    static func write(_ reducer: Reducer, record: FindingRecord, to staged: String) -> String? {
        let registry = BackendRegistry.load(plugins: reducer.config.plugins)
        let external = record.backends.lazy.compactMap { name -> (String, ExternalBackend.Adapter)? in
            if case .external(let adapter) = registry.entry(name) { return (name, adapter) }
            return nil
        }.first
        guard let (backend, adapter) = external else {
            // A backend that is neither the reference nor in-repo is outside, but the host could not list it.
            let unlisted = record.backends.contains { $0 != "reference" && BackendRegistry.compiler($0) == nil }
            return unlisted ? registry.externalProblem.map { "repro.py and bug-report.md not written: \($0)" } : nil
        }
        var versions: [String: String] = [:]
        var problem: String?
        var module: String?
        if adapter.modelFormat == .torch {
            switch writeTorchModule(reducer, registry: registry, to: staged) {
            case .success(let text): module = text
            case .failure(let why): return "repro.py and bug-report.md not written: \(why.description)"
            }
        }
        do {
            versions = try ReproScript.write(host: registry.host, adapter: adapter, finding: record.id,
                                             to: staged + "/repro.py").versions
        } catch {
            problem = error.description
        }
        var report = BugReport(model: reducer.model, inputs: reducer.inputs, record: record, backend: backend,
                               versions: versions, expected: outputs(staged, "reference") ?? [],
                               actual: outputs(staged, backend), reproProblem: problem, format: adapter.modelFormat)
        report.forwardText = module
        do { try AtomicFile.write(report.markdown(), to: staged + "/bug-report.md") } catch {
            return "bug-report.md not written (\(error))"
        }
        return problem.map { "repro.py not written: \($0); bug-report.md written" } ?? "repro.py and bug-report.md written for \(backend)"
    }

    struct Problem: Error { var description: String }

    /// model.py, the reduced model as the torch module the backend ran (repro.py carries it inline): its text, or why not.
    static func writeTorchModule(_ reducer: Reducer, registry: BackendRegistry, to staged: String) -> Result<String, Problem> {
        do {
            let prelude = try String(contentsOfFile: registry.host.folder + "/torch_prelude.py", encoding: .utf8)
            let source = try TorchEmitter.source(reducer.model, library: reducer.library, prelude: prelude, title: "the reduced finding")
            try AtomicFile.write(source, to: staged + "/model.py")
            return .success(source)
        } catch {
            return .failure(Problem(description: "the torch module could not be written (\(error))"))
        }
    }

    /// `outputs/BACKEND/K.pb` of a finding folder in output order, nil when there are none.
    static func outputs(_ folder: String, _ backend: String) -> [Tensor]? {
        let dir = folder + "/outputs/" + Staging.fileName(backend)
        var tensors: [Tensor] = []
        while let t = try? TensorProtoCodec.read(path: "\(dir)/\(tensors.count).pb").tensor { tensors.append(t) }
        return tensors.isEmpty ? nil : tensors
    }
}
