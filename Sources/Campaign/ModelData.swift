import Foundation
import ModelIR
import ONNX
import SpecLib
import TensorCore

/// Test data beside a generated model (`gen --with-data`): a folder with `inputs/K.pb` (input K, a TensorProto named
/// after the input) and `outputs/reference/K.pb` (the reference's output K, stored as a campaign stores it).
public enum ModelData {
    /// What `write` did.
    public struct Outcome: Sendable {
        /// The model the data belongs to: the generated one, or with weights the input search changed (only when
        /// the generator kept no witness).
        public var model: Model
        /// Why no data was written (no valid inputs found), or nil when the folder was written.
        public var skipped: String?
    }

    /// Makes `generated` a test (inputs from the generator's witness when it kept one, else from `preparer`) and,
    /// when the test is valid, writes its folder at `dir`: staged next to it and renamed into place, so a folder is
    /// either complete or absent. A folder at `dir` that is not an earlier run's data is refused, never replaced.
    public static func write(_ generated: Model, witness: [String: Tensor]?, seed: UInt64, library: SpecLibrary,
                             preparer: any InputPreparer, to dir: String) throws -> Outcome {
        let test = TestPlan.prepare(generated, witness: witness, index: 0, seed: seed, library: library,
                                    preparer: preparer, witnessFirst: true)
        // An earlier run's data goes (so none is left beside a model it does not belong to); anything else is refused.
        if let why = test.invalidReason {
            try folder.remove(dir)
            return Outcome(model: test.model, skipped: why)
        }
        try folder.check(dir)
        let staged = try OwnedFolder.stagingFolder(beside: dir)
        do {
            try FileManager.default.createDirectory(atPath: staged + "/inputs", withIntermediateDirectories: true)
            for (k, info) in test.model.inputs.enumerated() {
                try TensorProtoCodec.write(test.inputs[info.name]!, name: info.name, path: staged + "/inputs/\(k).pb")
            }
            try Staging.writeOutputs(TestPlan.expected(test), names: test.model.outputs, backend: "reference", to: staged)
            try folder.publish(staged, to: dir)
        } catch {
            try? FileManager.default.removeItem(atPath: staged)
            throw error
        }
        return Outcome(model: test.model, skipped: nil)
    }

    /// A model's data folder as `write` makes it: replaced by a later run, never when it holds anything else.
    static let folder = OwnedFolder(kind: "test data graphsmith wrote", advice: "move it away or choose another --out",
                                    names: ["inputs", "outputs"], required: [])
}
