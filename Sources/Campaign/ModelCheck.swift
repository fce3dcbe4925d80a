import Foundation
import InputSearch
import ModelIR
import ONNX
import Oracle
import SpecLib
import TensorCore

/// `graphsmith check`: a user's own model (an exported `.onnx` file, or the text format) run as one campaign test:
/// inputs from a folder or from the input search, the reference and every backend of the config in a worker process,
/// judged by the oracle as a campaign judges, and a disagreement or crash filed as a campaign files a finding, in
/// `OUT/findings/ID`, so that `graphsmith reduce` and `replay` take it as they take a campaign's.
public struct ModelCheck {
    /// The model file, as the user named it.
    public var model: String
    /// The folder the inputs are read from (`CheckInputs`); nil: the input search finds them.
    public var inputs: String?
    /// The folder a finding goes to, as `OUT/findings/ID`.
    public var out: String
    /// What the test runs: the backends, injected faults, seed (of the input search), time and memory limits, plugins.
    public var config: CampaignConfig
    /// Seconds the input search may take (a user's model is larger than a campaign's).
    public var searchSeconds: Double

    public init(model: String, inputs: String?, out: String, config: CampaignConfig, searchSeconds: Double = 10) {
        self.model = model
        self.inputs = inputs
        self.out = out
        self.config = config
        self.searchSeconds = searchSeconds
    }

    /// What the check found.
    public struct Outcome: Sendable {
        /// The test's report (verdict `pass` when every backend agreed; `flaky` for a crash or hang that did not repeat).
        public var report: TestReport
        /// The finding folder and its record, when the test failed.
        public var finding: (folder: String, record: FindingRecord)?
        /// Things the user should know that are not the verdict (weights the input search changed).
        public var notes: [String]
    }

    /// Imports the model, gets its inputs, runs the test on a worker made by `worker` (given the test's folder) with
    /// its files staged under `scratch`, and files a finding. Bad input (a missing or unreadable file, an operator
    /// without a spec, inputs that make the test say nothing) throws before any backend runs.
    public func run(library: SpecLibrary, scratch: String, worker makeWorker: (String) -> TestWorker) throws -> Outcome {
        try Self.checkOut(out)
        let imported = try Self.read(model, library: library)
        let (test, notes) = try prepare(imported, library: library)
        let dir = scratch + "/test"
        try Staging.write(model: test.model, inputs: test.inputs, config: config, to: dir)
        let worker = makeWorker(dir)
        defer { worker.stop() }
        let start = Date()
        var report = try worker.run(folder: dir, index: 0, seed: config.seed, timeout: config.testTimeout, saveOutputs: true)
        if CampaignRunner.needsConfirmation(report) {
            let again = try worker.run(folder: dir, index: 0, seed: config.seed, timeout: config.testTimeout, saveOutputs: true)
            report = CampaignRunner.confirmation(report, again: again)
        }
        if report.verdict == .invalid { throw CampaignError.usage("\(model): the test says nothing: \(report.message)") }
        guard report.verdict.isFinding, let fingerprint = report.fingerprint else {
            return Outcome(report: report, finding: nil, notes: notes)
        }
        let target = "\(out)/findings/\(fingerprint.id)"
        let record = FindingRecord(firstHit: report, fingerprint: fingerprint, elapsed: Date().timeIntervalSince(start),
                                   repro: ShellCommand.replay(target))
        try file(record, from: dir, to: target, library: library)
        return Outcome(report: report, finding: (target, record), notes: notes)
    }

    /// Refuses an `out` that cannot take findings: a file, or a campaign's folder (whose counters and summary would
    /// not know the finding).
    public static func checkOut(_ out: String) throws {
        var isDir: ObjCBool = false
        let fm = FileManager.default
        guard fm.fileExists(atPath: out, isDirectory: &isDir) else { return }
        guard isDir.boolValue else { throw CampaignError.usage("--out '\(out)' is a file, not a folder") }
        if fm.fileExists(atPath: out + "/config.json") {
            throw CampaignError.usage("--out '\(out)' holds a campaign (config.json); a check's findings go apart: choose another --out")
        }
        if fm.fileExists(atPath: out + "/findings", isDirectory: &isDir), !isDir.boolValue {
            throw CampaignError.usage("--out '\(out)': '\(out)/findings' is a file, not a folder")
        }
    }

    /// The model in `path`: ONNX for `.onnx`, else the text format; a one-line error naming the file otherwise.
    static func read(_ path: String, library: SpecLibrary) throws -> Model {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw CampaignError.usage("cannot read '\(path)': no such file")
        }
        guard !isDir.boolValue else { throw CampaignError.usage("'\(path)' is a folder, not a model file") }
        if path.lowercased().hasSuffix(".onnx") { return try Importer.read(path: path, library: library) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CampaignError.usage("cannot read '\(path)' (not UTF-8 text; an ONNX model needs the .onnx extension)")
        }
        return try TextReader.read(text, path: path)
    }

    /// The test: the model with the inputs of `inputs` (which must keep every reference value finite and inside its
    /// operator's domain), or with the input search's (which may change weights to get there, said in a note).
    func prepare(_ model: Model, library: SpecLibrary) throws -> (PreparedTest, [String]) {
        guard let dir = inputs else {
            let preparer = SearchInputPreparer(library: library, config: SearchConfig(timeBudget: searchSeconds))
            let test = TestPlan.prepare(model, witness: nil, index: 0, seed: config.seed, library: library, preparer: preparer)
            if let why = test.invalidReason {
                throw CampaignError.usage("\(self.model): the input search found no inputs under which every value is finite and "
                                          + "inside its operator's domain (\(why)); give inputs with --inputs DIR")
            }
            let changed = zip(model.weights, test.model.weights).filter { $0.value != $1.value }.map(\.0.name)
            let note = changed.isEmpty ? [] : ["note: the input search changed \(changed.count) weight(s) to keep every value "
                                               + "finite (\(changed.prefix(3).joined(separator: ", "))\(changed.count > 3 ? ", ..." : "")); "
                                               + "the finding holds the changed model"]
            return (test, note)
        }
        var test = PreparedTest(index: 0, seed: config.seed, model: model, inputs: try CheckInputs.read(dir, model: model),
                                reference: [:])
        TestPlan.evaluateReference(&test, library: library)
        if let why = test.invalidReason { throw CampaignError.usage("--inputs \(dir): with these inputs the test says nothing: \(why)") }
        let values = model.inputs.map(\.name) + model.weights.map(\.name) + model.nodes.flatMap { $0.outputs.map(\.name) }
        if let bad = values.first(where: { test.reference[$0].map { !$0.isAllFinite } ?? false }) {
            throw CampaignError.usage("--inputs \(dir): with these inputs '\(bad)' is not finite on the reference, so the "
                                      + "comparison would say little; leave --inputs out to let the input search find inputs")
        }
        return (test, [])
    }

    /// Assembles the finding folder beside `target` from the test's folder `dir` (model, inputs, outputs) and renames
    /// it into place; an earlier finding there is replaced, anything else refused.
    func file(_ record: FindingRecord, from dir: String, to target: String, library: SpecLibrary) throws {
        try FindingFiles.folder.check(target)
        let staged = try OwnedFolder.stagingFolder(beside: target)
        do {
            // The test folder copied whole in the staging folder's place, so the finding has a campaign finding's
            // permissions rather than the private staging folder's.
            try FileManager.default.removeItem(atPath: staged)
            try FileManager.default.copyItem(atPath: dir, toPath: staged)
            try FindingFiles.complete(staged, record: record, config: config, library: library)
            try FindingFiles.folder.publish(staged, to: target)
        } catch {
            try? FileManager.default.removeItem(atPath: staged)
            throw error
        }
    }
}
