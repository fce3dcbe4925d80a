import Backends
import Foundation
import Generator
import LoopIR
import Oracle

// The files of a campaign directory, as Codable records. This is the contract between `graphsmith fuzz`
// (which writes them), `graphsmith report` (which merges them) and `graphsmith replay`/`reduce` (which read a
// finding folder). Layout:
//
//   DIR/config.json              CampaignConfig: what the campaign runs (written once, checked on --resume)
//   DIR/state.json               CampaignState: counters, rewritten atomically after every batch of tests
//   DIR/stats.jsonl              one StatsSample per line, appended periodically and at the end
//   DIR/coverage.json            Generator's `Coverage` of every model tested
//   DIR/triage.json              TriageRecord: outcomes per backend by triage class, and the de-duplicated
//                                outcomes that are not findings (unsupported, precision-policy, undefined-behaviour)
//   DIR/findings/<id>/finding.json   FindingRecord, plus model.txt, model.onnx, inputs/*.pb,
//                                    outputs/<backend>/*.pb and report.md in the same folder
//   DIR/summary.json             CampaignSummary; DIR/summary.md and DIR/junit.xml are renderings of it
//
// Every file is written atomically (temporary file, fsync, rename), and a finding folder is assembled under
// DIR/.staging and renamed into place, so a killed campaign never leaves a half-written file or folder.

/// The version of the campaign directory format; bumped on incompatible change.
public let campaignFormatVersion = 1

/// What a campaign runs. `--resume` continues a directory with its stored config (the command line's generator and
/// backend options do not apply); workers build their generator and backends from it.
public struct CampaignConfig: Codable, Sendable, Hashable {
    public var version = campaignFormatVersion
    /// The campaign seed: test `i` uses a seed derived from (seed, i).
    public var seed: UInt64
    /// Backend configurations compared with the reference, e.g. `vm-O0`, `native-O3`, `onnxruntime`.
    public var backends: [String]
    /// Operators per generated model.
    public var nodes: Int
    /// This shard's index and the shard count (`--shard I/N`): the shard runs tests i with i % count == index.
    public var shardIndex: Int
    public var shardCount: Int
    /// Injected compiler faults (empty on a normal campaign).
    public var faults: [String]
    /// Time limit per test in seconds (beyond it the test is a hang finding).
    public var testTimeout: Double
    /// Memory limit per worker process in MiB.
    public var memoryLimitMiB: Int
    /// What the generator makes: size, limits, filters, kernel table, value check.
    public var generator: GenerationSettings
    /// Compiler passes switched off (graph and loop passes by name); the reducer's pass bisection sets these.
    public var disabledPasses: [String] = []
    /// Adapter files of outside compilers the user added (`--plugin`), absolute paths; their backends may be named in
    /// `backends`.
    public var plugins: [String] = []
    /// The known-findings file (`--known`), absolute path: findings it lists are reported apart and do not fail the
    /// campaign. Not part of what a test is, so `--resume` may replace it.
    public var knownFile: String?
    /// Every tolerance of the oracle multiplied by this (`check --tolerance`); nil (every campaign) is 1.
    public var toleranceScale: Double?
    /// The share of tests whose inputs move toward a boundary value pattern (`--boundary-share`); nil (directories
    /// written before it) is none.
    public var boundaryShare: Double?
    /// Whether tests are spread over model sizes and dtype families by what they find (`YieldSchedule`); nil
    /// (directories written before it) is not, so their tests stay what they were.
    public var schedule: Bool?
    /// Whether native code is screened with TinyCC and failures confirmed on the system compiler's build
    /// (`NativeBuild.screening`); nil (directories written before it) is not.
    public var nativeScreening: Bool?

    /// How this campaign builds native code.
    public var nativeBuild: NativeBuild { nativeScreening == true ? .screening : .exact }

    /// Without `generator`, models have `nodes` operators and the generator's defaults otherwise.
    public init(seed: UInt64, backends: [String], nodes: Int, shardIndex: Int = 0, shardCount: Int = 1,
                faults: [String] = [], testTimeout: Double = 20, memoryLimitMiB: Int = 4096, generator: GenerationSettings? = nil) {
        self.seed = seed
        self.backends = backends
        self.nodes = nodes
        self.shardIndex = shardIndex
        self.shardCount = shardCount
        self.faults = faults
        self.testTimeout = testTimeout
        self.memoryLimitMiB = memoryLimitMiB
        self.generator = generator ?? GenerationSettings(nodes: nodes)
    }

    private enum CodingKeys: String, CodingKey {
        case version, seed, backends, nodes, shardIndex, shardCount, faults, testTimeout, memoryLimitMiB, generator, disabledPasses, plugins, knownFile
        case toleranceScale, boundaryShare, schedule, nativeScreening
        /// Read only: the generator options as command-line arguments, in directories written before `generator`.
        case generatorArguments
    }

    /// Fields added after version 1 was first written are optional when read, so older directories still open.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        seed = try c.decode(UInt64.self, forKey: .seed)
        backends = try c.decode([String].self, forKey: .backends)
        nodes = try c.decode(Int.self, forKey: .nodes)
        shardIndex = try c.decode(Int.self, forKey: .shardIndex)
        shardCount = try c.decode(Int.self, forKey: .shardCount)
        faults = try c.decode([String].self, forKey: .faults)
        testTimeout = try c.decode(Double.self, forKey: .testTimeout)
        memoryLimitMiB = try c.decode(Int.self, forKey: .memoryLimitMiB)
        generator = try Self.decodeGenerator(c)
        disabledPasses = try c.decodeIfPresent([String].self, forKey: .disabledPasses) ?? []
        plugins = try c.decodeIfPresent([String].self, forKey: .plugins) ?? []
        knownFile = try c.decodeIfPresent(String.self, forKey: .knownFile)
        toleranceScale = try c.decodeIfPresent(Double.self, forKey: .toleranceScale)
        boundaryShare = try c.decodeIfPresent(Double.self, forKey: .boundaryShare)
        schedule = try c.decodeIfPresent(Bool.self, forKey: .schedule)
        nativeScreening = try c.decodeIfPresent(Bool.self, forKey: .nativeScreening)
    }

    /// `generator`, else the settings of the older `generatorArguments` (none: the generator's defaults, which is what
    /// workers made of an empty argument list).
    private static func decodeGenerator(_ c: KeyedDecodingContainer<CodingKeys>) throws -> GenerationSettings {
        if let settings = try c.decodeIfPresent(GenerationSettings.self, forKey: .generator) { return settings }
        let arguments = try c.decodeIfPresent([String].self, forKey: .generatorArguments) ?? []
        guard let settings = GenerationSettings(legacyArguments: arguments) else {
            throw DecodingError.typeMismatch([String].self, .init(codingPath: c.codingPath + [CodingKeys.generatorArguments],
                                                                  debugDescription: "not generator options: \(arguments)"))
        }
        return settings
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(seed, forKey: .seed)
        try c.encode(backends, forKey: .backends)
        try c.encode(nodes, forKey: .nodes)
        try c.encode(shardIndex, forKey: .shardIndex)
        try c.encode(shardCount, forKey: .shardCount)
        try c.encode(faults, forKey: .faults)
        try c.encode(testTimeout, forKey: .testTimeout)
        try c.encode(memoryLimitMiB, forKey: .memoryLimitMiB)
        try c.encode(generator, forKey: .generator)
        try c.encode(disabledPasses, forKey: .disabledPasses)
        if !plugins.isEmpty { try c.encode(plugins, forKey: .plugins) }
        try c.encodeIfPresent(knownFile, forKey: .knownFile)
        try c.encodeIfPresent(toleranceScale, forKey: .toleranceScale)
        try c.encodeIfPresent(boundaryShare, forKey: .boundaryShare)
        try c.encodeIfPresent(schedule, forKey: .schedule)
        try c.encodeIfPresent(nativeScreening, forKey: .nativeScreening)
    }
}

/// One de-duplicated finding: a fingerprint and everything needed to look at it again.
public struct FindingRecord: Codable, Sendable, Hashable {
    /// Short stable id (`f-` and 12 hex digits of a hash of the fingerprint); the folder name.
    public var id: String
    /// The de-duplication key: verdict, stage, backend, operator kinds at the first diverging value, message class.
    public var fingerprint: Fingerprint
    public var verdict: Verdict
    /// The triage class (`wrong-result`, `crash`, `hang`, `internal-error`). Records written before triage classes
    /// have none: it is derived from the verdict, and `triageRecorded` is false.
    public var triage: Triage
    /// False for a record read from an older `finding.json` without `triage` (not itself stored).
    public private(set) var triageRecorded = true
    public var stage: Stage
    /// The reference and the backend(s) that disagreed or failed.
    public var backends: [String]
    /// Operator kinds at the first diverging value (or of the whole model for a crash without one).
    public var operators: [String]
    /// A one-line description (the largest difference, or the crash message).
    public var message: String
    /// Test index and test seed of the first hit.
    public var test: Int
    public var testSeed: UInt64
    /// Seconds since the campaign started at the first hit.
    public var elapsed: Double
    /// How many tests hit this fingerprint.
    public var hits: Int
    /// The command that reruns the first hit.
    public var repro: String
    /// The in-repo compiler pass whose absence mends the first hit, when one does (see `CulpritPass`).
    public var culpritPass: String?

    /// `triage` nil is derived from the fingerprint and the verdict (`derivedTriage`).
    public init(id: String, fingerprint: Fingerprint, verdict: Verdict, triage: Triage? = nil, stage: Stage, backends: [String],
                operators: [String], message: String, test: Int, testSeed: UInt64, elapsed: Double, hits: Int,
                repro: String, culpritPass: String? = nil) {
        self.culpritPass = culpritPass
        self.id = id
        self.fingerprint = fingerprint
        self.verdict = verdict
        self.triage = triage ?? Self.derivedTriage(fingerprint, verdict)
        self.stage = stage
        self.backends = backends
        self.operators = operators
        self.message = message
        self.test = test
        self.testSeed = testSeed
        self.elapsed = elapsed
        self.hits = hits
        self.repro = repro
    }

    private enum CodingKeys: String, CodingKey {
        case id, fingerprint, verdict, triage, stage, backends, operators, message, test, testSeed, elapsed, hits, repro, culpritPass
    }

    /// Reads a record; one without `triage` (written before triage classes) gets the class its verdict implies.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        fingerprint = try c.decode(Fingerprint.self, forKey: .fingerprint)
        verdict = try c.decode(Verdict.self, forKey: .verdict)
        let stored = try c.decodeIfPresent(Triage.self, forKey: .triage)
        triage = stored ?? Self.derivedTriage(fingerprint, verdict)
        triageRecorded = stored != nil
        stage = try c.decode(Stage.self, forKey: .stage)
        backends = try c.decode([String].self, forKey: .backends)
        operators = try c.decode([String].self, forKey: .operators)
        message = try c.decode(String.self, forKey: .message)
        test = try c.decode(Int.self, forKey: .test)
        testSeed = try c.decode(UInt64.self, forKey: .testSeed)
        elapsed = try c.decode(Double.self, forKey: .elapsed)
        hits = try c.decode(Int.self, forKey: .hits)
        repro = try c.decode(String.self, forKey: .repro)
        culpritPass = try c.decodeIfPresent(String.self, forKey: .culpritPass)
    }

    /// The class a record without one has: `internal-error` when its fingerprint says so, else its verdict's.
    static func derivedTriage(_ fingerprint: Fingerprint, _ verdict: Verdict) -> Triage {
        if fingerprint.symptom == Triage.internalError.rawValue { return .internalError }
        return Triage(legacy: verdict) ?? .wrongResult
    }

    /// Whether a rerun that gave `other` reproduces this finding: the same fingerprint, or for a record written
    /// before triage classes, the `crash` it filed an internal error under.
    public func isReproduced(by other: Fingerprint?) -> Bool {
        guard let other else { return false }
        return other == fingerprint || (!triageRecorded && fingerprint.isLegacyCrash(of: other))
    }
}

/// Counters of a campaign, continued by `--resume`.
public struct CampaignState: Codable, Sendable, Hashable {
    /// Tests completed (any verdict).
    public var tests = 0
    /// Every test index below this one has completed; `--resume` starts here.
    public var nextTest = 0
    /// Completed test indices at or above `nextTest` (tests finish out of order with several jobs).
    public var completedAhead: [Int] = []
    /// Tests per verdict.
    public var verdicts: [String: Int] = [:]
    /// Seconds of campaign time accumulated over all runs (a resumed campaign continues the clock).
    public var elapsed: Double = 0
    /// The rules completed tests fired, per batch: what later tests' generation is steered by (`RuleSteering`).
    public var steering = RuleSteering()
    /// The tests and failures of each schedule arm, per batch: what later tests' arms are chosen by (`YieldSchedule`).
    public var schedule = YieldSchedule()

    public init() {}

    private enum CodingKeys: String, CodingKey { case tests, nextTest, completedAhead, verdicts, elapsed, steering, schedule }

    /// Reads a state; one written before steering has none (its later tests are steered by what they fire).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tests = try c.decode(Int.self, forKey: .tests)
        nextTest = try c.decode(Int.self, forKey: .nextTest)
        completedAhead = try c.decode([Int].self, forKey: .completedAhead)
        verdicts = try c.decode([String: Int].self, forKey: .verdicts)
        elapsed = try c.decode(Double.self, forKey: .elapsed)
        steering = try c.decodeIfPresent(RuleSteering.self, forKey: .steering) ?? RuleSteering()
        schedule = try c.decodeIfPresent(YieldSchedule.self, forKey: .schedule) ?? YieldSchedule()
    }
}

/// One point of the campaign's time series.
public struct StatsSample: Codable, Sendable, Hashable {
    public var elapsed: Double
    public var tests: Int
    /// Unique findings so far and total hits.
    public var findings: Int
    public var hits: Int
    /// Tests per second over the last period.
    public var rate: Double
    /// Covered and total: operators, feasible operator pairs, attribute bins.
    public var operators: Int
    public var operatorsTotal: Int
    public var pairs: Int
    public var pairsTotal: Int
    public var bins: Int
    public var binsTotal: Int

    public init(elapsed: Double, tests: Int, findings: Int, hits: Int, rate: Double, operators: Int,
                operatorsTotal: Int, pairs: Int, pairsTotal: Int, bins: Int, binsTotal: Int) {
        self.elapsed = elapsed
        self.tests = tests
        self.findings = findings
        self.hits = hits
        self.rate = rate
        self.operators = operators
        self.operatorsTotal = operatorsTotal
        self.pairs = pairs
        self.pairsTotal = pairsTotal
        self.bins = bins
        self.binsTotal = binsTotal
    }
}

/// The end-of-campaign summary (also rewritten periodically while it runs).
public struct CampaignSummary: Codable, Sendable {
    public var version = campaignFormatVersion
    public var config: CampaignConfig
    public var state: CampaignState
    public var findings: [FindingRecord]
    /// The last stats sample (coverage and rate).
    public var last: StatsSample?
    /// The entries of the known-findings file that `findings` match (those findings are listed apart and do not fail).
    public var known: [KnownFinding] = []
    /// Outcomes per backend by triage class, and those listed apart (nil in summaries written before them).
    public var triage: TriageRecord?

    public init(config: CampaignConfig, state: CampaignState, findings: [FindingRecord], last: StatsSample?,
                known: [KnownFinding] = [], triage: TriageRecord? = nil) {
        self.config = config
        self.state = state
        self.findings = findings
        self.last = last
        self.known = known
        self.triage = triage
    }

    private enum CodingKeys: String, CodingKey { case version, config, state, findings, last, known, triage }

    /// `known` and `triage` are optional when read: summaries written before them have none.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        config = try c.decode(CampaignConfig.self, forKey: .config)
        state = try c.decode(CampaignState.self, forKey: .state)
        findings = try c.decode([FindingRecord].self, forKey: .findings)
        last = try c.decodeIfPresent(StatsSample.self, forKey: .last)
        known = try c.decodeIfPresent([KnownFinding].self, forKey: .known) ?? []
        triage = try c.decodeIfPresent(TriageRecord.self, forKey: .triage)
    }

    /// The note of a finding listed in `known`, nil for a new finding.
    public func knownNote(_ f: FindingRecord) -> String? { known.first { $0.id == f.fingerprint.id }?.note }

    /// The findings of a failing triage class not in `known`: the ones that fail `--fail-on-findings`.
    public var newFindings: [FindingRecord] { findings.filter { $0.triage.isFailing && knownNote($0) == nil } }
}
