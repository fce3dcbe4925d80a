import Foundation

/// A standalone `repro.py` for a finding folder, written by the worker host (`host.py --repro`) from the adapter's
/// `repro_source`: it reruns `model.onnx` on the outside compiler alone (its package, onnx and numpy) and compares
/// with `outputs/reference/K.pb`.
public enum ReproScript {
    /// What the host answers: the backend and the versions the script was written with.
    public struct Written: Codable, Sendable, Equatable {
        public var backend: String
        /// `backend` (the adapter's version string), `python`, `onnx`, `numpy`.
        public var versions: [String: String]
    }

    /// Why no script was written: the host could not start, or the adapter cannot give one.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    private struct Answer: Decodable {
        var ok: Bool
        var backend: String?
        var versions: [String: String]?
        var error: String?
        var unavailable: String?
    }

    /// Asks `host` to write the script for `adapter` to `path`, naming `finding` in its header.
    public static func write(host: WorkerHost, adapter: ExternalBackend.Adapter, finding: String,
                             to path: String) throws(Failure) -> Written {
        guard let (status, data) = host.runOnce(host.command(repro: adapter, finding: finding, out: path)) else {
            throw Failure(description: "cannot start \(host.python)")
        }
        let lastLine = data.split(separator: UInt8(ascii: "\n")).last.map { Data($0) } ?? Data()
        guard let answer = try? JSONDecoder().decode(Answer.self, from: lastLine) else {
            throw Failure(description: "\(host.python) \(host.script) --repro failed (status \(status))")
        }
        guard answer.ok, let backend = answer.backend, let versions = answer.versions else {
            throw Failure(description: answer.error ?? answer.unavailable ?? "the host wrote no repro.py")
        }
        return Written(backend: backend, versions: versions)
    }
}

extension WorkerHost {
    /// The command that writes `repro.py` for `adapter` to `out`.
    func command(repro adapter: ExternalBackend.Adapter, finding: String, out: String) -> (executable: String, arguments: [String]) {
        launch([script, "--repro", adapter.file, adapter.variant ?? "-", out, "--finding", finding])
    }
}
