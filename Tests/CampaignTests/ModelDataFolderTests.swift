import Campaign
import Foundation
import Generator
import InputSearch
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest

/// `gen --with-data` writes `DIR/model-SEED/`: a folder of that name holding anything but an earlier run's data is
/// refused and kept, whether or not the model gets data this time.
final class ModelDataFolderTests: XCTestCase {
    static let library: SpecLibrary = {
        let path = URL(fileURLWithPath: repositorySpecs).resolvingSymlinksInPath().path
        do { return try SpecLibrary.load(directory: path) } catch { fatalError("cannot load specs: \(error)") }
    }()

    func folderWithNotes() throws -> String {
        let dir = NSTemporaryDirectory() + "graphsmith-modeldata-folder-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/model-1", withIntermediateDirectories: true)
        try "mine\n".write(toFile: dir + "/model-1/notes.txt", atomically: true, encoding: .utf8)
        return dir + "/model-1"
    }

    func testAFolderThatIsNotDataIsKept() throws {
        let library = Self.library
        let gen = try GenerationSettings(nodes: 2, dtypes: [.f32]).generator(library: library)
        let (model, witness) = try gen.generateWitnessed(seed: 1)
        let preparers: [any InputPreparer] = [SearchInputPreparer(library: library), NoInputs()]
        for preparer in preparers {
            let folder = try folderWithNotes()
            XCTAssertThrowsError(try ModelData.write(model, witness: preparer is NoInputs ? nil : witness, seed: 1,
                                                     library: library, preparer: preparer, to: folder)) { error in
                XCTAssertEqual(error as? CampaignError, .usage("'\(folder)' is not empty and is not test data graphsmith wrote "
                                                               + "(it has 'notes.txt'); move it away or choose another --out"))
            }
            XCTAssertEqual(try String(contentsOfFile: folder + "/notes.txt", encoding: .utf8), "mine\n")
            let parent = (folder as NSString).deletingLastPathComponent
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent), ["model-1"], "nothing staged is left")
        }
    }
}

private struct NoInputs: InputPreparer {
    func prepare(_ model: Model, seed: UInt64) -> (model: Model, inputs: [String: Tensor], finite: Bool, why: String?) {
        (model, [:], false, "no inputs here")
    }
}
