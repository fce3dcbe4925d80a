import Backends
import Foundation
import ModelIR
import ONNX
import Oracle
import SpecLib
import TensorCore

/// The files of a test as a finding folder holds them: `model.txt`, `inputs/NAME.pb`, `outputs/BACKEND/K.pb`.
public enum Staging {
    /// Writes the model and its inputs (before any backend runs).
    static func writeTest(_ test: PreparedTest, to dir: String) throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: dir)
        try fm.createDirectory(atPath: dir + "/inputs", withIntermediateDirectories: true)
        try TextWriter.write(test.model).write(toFile: dir + "/model.txt", atomically: false, encoding: .utf8)
        for info in test.model.inputs {
            try TensorProtoCodec.write(test.inputs[info.name]!, name: info.name, path: dir + "/inputs/\(fileName(info.name)).pb")
        }
    }

    /// Writes a test folder from parts (a reducer's candidate, a reduced finding): model, inputs and config.
    public static func write(model: Model, inputs: [String: Tensor], config: CampaignConfig, to dir: String) throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: dir)
        try fm.createDirectory(atPath: dir + "/inputs", withIntermediateDirectories: true)
        try TextWriter.write(model).write(toFile: dir + "/model.txt", atomically: false, encoding: .utf8)
        for info in model.inputs {
            try TensorProtoCodec.write(inputs[info.name]!, name: info.name, path: dir + "/inputs/\(fileName(info.name)).pb")
        }
        try AtomicFile.writeJSON(config, to: dir + "/config.json")
    }

    /// Writes the reference outputs and each backend's outputs (for a finding).
    static func writeOutputs(_ runs: [BackendRun], test: PreparedTest, to dir: String) throws {
        try writeOutputs(TestPlan.expected(test), names: test.model.outputs, backend: "reference", to: dir)
        for run in runs { if let outs = run.outputs { try writeOutputs(outs, names: test.model.outputs, backend: run.backend, to: dir) } }
    }

    /// Writes `outputs/BACKEND/K.pb`, output K named after the model's output.
    public static func writeOutputs(_ tensors: [Tensor], names: [String], backend: String, to dir: String) throws {
        let folder = dir + "/outputs/\(fileName(backend))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (k, t) in tensors.enumerated() {
            try TensorProtoCodec.write(t, name: k < names.count ? names[k] : "output\(k)", path: folder + "/\(k).pb")
        }
    }

    /// A value or backend name made safe as a file name (model names can hold anything).
    public static func fileName(_ name: String) -> String {
        let safe = name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }
        let s = String(safe)
        return s.isEmpty || s.hasPrefix(".") ? "_" + s : s
    }

    /// Reads a staged or published test back: the model and its inputs by name, with errors naming the file.
    public static func readTest(_ dir: String, library: SpecLibrary) throws -> (model: Model, inputs: [String: Tensor]) {
        let modelPath = dir + "/model.txt"
        guard let text = try? String(contentsOfFile: modelPath, encoding: .utf8) else {
            throw CampaignError.badFile(modelPath, "missing or unreadable")
        }
        let model: Model
        do { model = try TextReader.read(text, path: modelPath) } catch {
            throw CampaignError.badFile(modelPath, oneLine(error))
        }
        var inputs: [String: Tensor] = [:]
        for info in model.inputs {
            let path = dir + "/inputs/\(fileName(info.name)).pb"
            guard FileManager.default.fileExists(atPath: path) else { throw CampaignError.badFile(path, "missing") }
            do { inputs[info.name] = try TensorProtoCodec.read(path: path).tensor } catch {
                throw CampaignError.badFile(path, oneLine(error))
            }
            guard inputs[info.name]!.type == info.type else {
                throw CampaignError.badFile(path, "holds a \(inputs[info.name]!.type) tensor, the model needs \(info.type)")
            }
        }
        return (model, inputs)
    }
}
