import Foundation
import ModelIR
import ONNX
import Oracle
import TensorCore

/// The inputs of a user's model read from a folder (`graphsmith check --inputs DIR`), one `.pb` file (an ONNX
/// `TensorProto`) per model input, in any of the layouts graphsmith and ONNX write:
///
/// - the ONNX test-data layout: `input_K.pb` for the model's K-th input (`DIR` may also be the model's test folder,
///   whose `test_data_set_0` is then read);
/// - `gen --with-data`: `inputs/K.pb` (`DIR` is the model's data folder);
/// - a finding folder or a folder of files named after the inputs: `inputs/NAME.pb` or `NAME.pb` (the name made
///   safe as a finding folder makes it, see `Staging.fileName`).
///
/// Each tensor must have its input's exact dtype and shape; files the model does not need are ignored.
public enum CheckInputs {
    /// One tensor per input of `model`, by input name; a missing, unreadable or mistyped file is a one-line error
    /// naming it.
    public static func read(_ dir: String, model: Model) throws -> [String: Tensor] {
        let base = try folder(dir)
        var inputs: [String: Tensor] = [:]
        for (k, info) in model.inputs.enumerated() {
            let names = ["input_\(k).pb", "\(k).pb", "\(Staging.fileName(info.name)).pb"]
            guard let path = names.map({ base + "/" + $0 }).first(where: isFile) else {
                throw CampaignError.usage("--inputs \(dir): no file for model input \(k) '\(info.name)' (looked for "
                                          + names.joined(separator: ", ") + " in '\(base)')")
            }
            let tensor: Tensor
            do { tensor = try TensorProtoCodec.read(path: path).tensor } catch {
                throw CampaignError.badFile(path, "not a readable tensor (\(oneLine(error)))")
            }
            guard tensor.type == info.type else {
                throw CampaignError.badFile(path, "holds a \(tensor.type) tensor, model input '\(info.name)' is \(info.type)")
            }
            inputs[info.name] = tensor
        }
        return inputs
    }

    /// The folder that holds the files: `dir/inputs` or `dir/test_data_set_0` when there is one, else `dir`.
    static func folder(_ dir: String) throws -> String {
        guard isFolder(dir) else { throw CampaignError.usage("--inputs \(dir): no such folder") }
        for sub in ["inputs", "test_data_set_0"] where isFolder(dir + "/" + sub) { return dir + "/" + sub }
        return dir
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    private static func isFile(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
    }
}
