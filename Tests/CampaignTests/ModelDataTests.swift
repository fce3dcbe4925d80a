import Campaign
import Foundation
import Generator
import InputSearch
import ModelIR
import ONNX
import Reference
import SpecLib
import TensorCore
import TestSupport
import XCTest

/// `gen --with-data`: the folder beside a model reads back as that model's inputs and reference outputs.
final class ModelDataTests: XCTestCase {
    static let library: SpecLibrary = {
        let path = URL(fileURLWithPath: repositorySpecs).resolvingSymlinksInPath().path
        do { return try SpecLibrary.load(directory: path) } catch { fatalError("cannot load specs: \(error)") }
    }()

    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "graphsmith-modeldata-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testDataReadsBackAsInputsAndReferenceOutputs() throws {
        let library = Self.library
        let gen = try GenerationSettings(nodes: 3, dtypes: [.f32, .i32]).generator(library: library)
        for seed: UInt64 in [3, 4] {
            let (model, witness) = try gen.generateWitnessed(seed: seed)
            let folder = dir + "/model-\(seed)"
            let outcome = try ModelData.write(model, witness: witness, seed: seed, library: library,
                                              preparer: SearchInputPreparer(library: library), to: folder)
            XCTAssertNil(outcome.skipped)

            var inputs: [String: Tensor] = [:]
            for (k, info) in outcome.model.inputs.enumerated() {
                let (name, tensor) = try TensorProtoCodec.read(path: folder + "/inputs/\(k).pb")
                XCTAssertEqual(name, info.name)
                XCTAssertEqual(tensor.dtype, info.type.dtype)
                XCTAssertEqual(tensor.shape, info.type.shape)
                inputs[name] = tensor
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/inputs")
            XCTAssertEqual(files.count, outcome.model.inputs.count)

            let values = try Interpreter.run(outcome.model, library: library, inputs: inputs)
            for (k, output) in outcome.model.outputs.enumerated() {
                let (name, stored) = try TensorProtoCodec.read(path: folder + "/outputs/reference/\(k).pb")
                XCTAssertEqual(name, output)
                XCTAssertEqual(stored, values[output], "seed \(seed) output \(k)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/outputs/reference/\(outcome.model.outputs.count).pb"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["model-3", "model-4"],
                       "no staging folder left behind")
    }

    /// No valid inputs: no folder at all, and an earlier folder of that name is gone.
    func testModelWithoutValidInputsGetsNoFolder() throws {
        let library = Self.library
        let gen = try GenerationSettings(nodes: 2, dtypes: [.f32]).generator(library: library)
        let model = try gen.generate(seed: 1)
        let folder = dir + "/model-1"
        try FileManager.default.createDirectory(atPath: folder + "/inputs", withIntermediateDirectories: true)
        let outcome = try ModelData.write(model, witness: nil, seed: 1, library: library, preparer: NeverFinite(), to: folder)
        XCTAssertEqual(outcome.skipped, "never")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }
}

private struct NeverFinite: InputPreparer {
    func prepare(_ model: Model, seed: UInt64) -> (model: Model, inputs: [String: Tensor], finite: Bool, why: String?) {
        (model, [:], false, "never")
    }
}
