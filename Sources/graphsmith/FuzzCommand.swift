import ArgumentParser
import Backends
import Campaign
import Compiler
import Foundation
import Generator
import LoopIR
import SpecLang
import SpecLib

/// `graphsmith fuzz`: the fuzzing campaign.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Run a fuzzing campaign: generate, search inputs, run every backend, compare, record findings.",
        discussion: """
            Each test is one generated model with one input set, run on the reference interpreter and on every \
            backend of --backends; a test that crashes, hangs, disagrees with the reference or produces NaN/Inf \
            where the reference is finite is a finding. Findings are de-duplicated by fingerprint (verdict, stage, \
            operator at the first diverging value, crash message class) and written to OUT/findings/ID/ with the \
            model, its inputs, every backend's outputs, a report and a repro command. Tests run in --jobs worker \
            processes under a time limit (--test-timeout) and a memory limit (--memory-limit); a worker that dies \
            or hangs gives a crash or hang finding and is replaced.

            Each finding has a triage class: wrong-result, crash, hang or internal-error (the backend reported an \
            error). What a backend declares or says it does not support (unsupported), a wrong result its declared \
            precision explains (precision-policy) and a test ONNX leaves undefined (undefined-behaviour) are not \
            findings: they are counted per backend and listed apart in triage.json and the summary.

            The campaign directory (config.json, state.json, stats.jsonl, coverage.json, triage.json, findings/, summary.json, \
            summary.md, junit.xml) is written atomically; after an interruption (even kill -9) --resume continues \
            it with nothing lost. --time limits this run; --iterations is the campaign's total test count, across \
            resumes. Without either, the campaign runs until interrupted (Ctrl-C stops it cleanly).

            Backends: see 'graphsmith backends list' (the in-repo compiler's vm-O0 ... native-O3, and outside compilers \
            through their adapters; --plugin FILE.py adds a user's own). Default: \(BackendRegistry.defaultNames.joined(separator: ",")), and \
            every outside compiler the repository has an adapter for that is installed (onnxruntime and its \
            variants, openvino, tvm, iree; 'bash Scripts/setup.sh --backends all' installs them; a second \
            configuration such as iree-f64 only when named).
            --known FILE names a known-findings file (see 'graphsmith known'): the findings it lists are reported \
            apart (summary.md, and skipped rather than failed in junit.xml), do not fail --fail-on-findings, and the \
            run ends with a line 'N new findings, M known'. The file's path is kept in config.json, so --resume and \
            'graphsmith report' use it without the flag (--known on --resume replaces it).
            Exit codes: 0 done, 1 findings with --fail-on-findings (new ones only, with --known), 2 a user error.

            Examples:
              graphsmith fuzz --time 10m --out campaign
              graphsmith fuzz --iterations 500 --backends vm-O0,vm-O3 --seed 7 --out c1
              graphsmith fuzz --time 5m --inject-fault broadcast-stride --fail-on-findings --out canary
              graphsmith fuzz --time 45m --shard 2/8 --out shard2
              graphsmith fuzz --resume --out campaign --time 10m
              graphsmith fuzz --time 45m --backends openvino --known known.json --fail-on-findings --out nightly
            """
    )

    @OptionGroup var specs: SpecsOptions
    @OptionGroup(title: "Generator options") var generator: GeneratorOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Run for this long (e.g. 90s, 10m, 2h).", valueName: "duration"))
    var time: String?

    @Option(parsing: .unconditional, help: "Stop when the campaign has run this many tests in total.")
    var iterations: Int?

    @Option(parsing: .unconditional, help: "Campaign seed (test i uses a seed derived from it and i).")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Worker processes running tests in parallel (default: the number of cores; at most 8 per core).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Backends compared with the reference (comma-separated).", valueName: "list"))
    var backends: String?

    @Option(help: ArgumentHelp("The campaign directory.", valueName: "dir"))
    var out: String = "campaign"

    @Flag(help: "Continue the campaign in --out (its config is kept; only the limits and --jobs apply).")
    var resume = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Run shard I of N (tests i with i % N == I).", valueName: "I/N"))
    var shard: String?

    @Option(name: .customLong("inject-fault"), help: ArgumentHelp("Switch on a documented fault (repeatable; see 'faults list').", valueName: "fault"))
    var faults: [String] = []

    @Option(name: .customLong("plugin"), help: ArgumentHelp("An adapter file of your own compiler (repeatable); name its backend in --backends.", valueName: "file.py"))
    var plugins: [String] = []

    /// The plugin files, each checked to exist, as absolute paths (workers run from elsewhere).
    func pluginPaths() throws -> [String] { try plugins.map(PluginFile.absolute) }

    @Flag(help: "Exit with code 1 when the campaign has any finding (any new one, with --known).")
    var failOnFindings = false

    @Option(help: ArgumentHelp("A known-findings file: its findings are listed apart and do not fail the campaign.", valueName: "file"))
    var known: String?

    /// The --known file, checked to exist, as an absolute path (the campaign's config keeps it for --resume and report).
    func knownPath() throws -> String? {
        try known.map { path in
            guard FileManager.default.fileExists(atPath: path) else {
                throw UserError("--known \(path): no such file (make one with 'graphsmith known add')")
            }
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
    }

    @Flag(help: "Stop at the first finding.")
    var stopOnFinding = false

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        The share of tests whose inputs (and float weights) move toward a boundary value pattern after the input \
        search: ties, exact halves, narrow-integer extremes, negative integers, values shared between inputs; a move \
        that makes a value non-finite or leaves a domain is undone (0 to 1, default 0.25).
        """, valueName: "share"))
    var boundaryShare: Double = 0.25

    @Flag(help: ArgumentHelp("""
        Generate every test with the configured size and dtypes. By default the campaign spreads its tests over model \
        sizes (half, one, one and a half times --nodes) and dtype families (any, float, integer), half in turn and half \
        on the one that has failed most (the report's Schedule table).
        """))
    var noSchedule = false

    @Flag(help: ArgumentHelp("""
        Build every test's native code with the system C compiler. By default, when TinyCC (tcc) is installed, most \
        tests' native code is built by it in milliseconds, one in \(NativeBuild.exactShare) by the system compiler, and \
        a native run that fails is run again on the system compiler's build before anything is filed.
        """))
    var noNativeScreening = false

    @Option(parsing: .unconditional, help: "Seconds a test may take before it is a hang (default 20, or more when a backend declares it needs more: torch-compile 90).")
    var testTimeout: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Memory limit per worker process (at least 256).", valueName: "MiB"))
    var memoryLimit: Int = 4096

    @Flag(help: "No progress output.")
    var quiet = false

    func run() throws {
        try checkFlags()
        if !resume { try OutputFolder.check(out, flag: "--out") }
        let library = try specs.loadLibrary()
        let specsDir = try specs.resolve()
        let limits = RunLimits(time: try time.map(Self.parseDuration), iterations: iterations, stopOnFinding: stopOnFinding)
        let store = try campaignError { resume ? try CampaignStore.open(out, knownFile: try knownPath()) : try CampaignStore.create(out, config: try config(library)) }
        let denominators = CoverageDenominators(library: library, config: try store.config.generator.config())
        let runner = CampaignRunner(store: store, library: library, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                    limits: limits, workerCommand: WorkerCommand.campaign(out, specs: specsDir), denominators: denominators,
                                    status: StatusPrinter(quiet: quiet))
        let summary = try campaignError { try runner.run() }
        if store.config.knownFile != nil {
            Console.out(KnownRendering.counts(new: summary.newFindings.count, known: summary.known.count))
        }
        if failOnFindings && KnownFindings.failing(findings: summary.findings, known: store.known) { throw ExitCode(Outcome.checkFailed) }
    }

    /// The numeric flags' ranges, checked before anything is loaded or created.
    func checkFlags() throws {
        if let n = iterations { try FlagChecks.atLeast(1, n, "--iterations") }
        if let j = jobs { try FlagChecks.jobs(j) }
        if let t = testTimeout { try FlagChecks.timeout(t, "--test-timeout") }
        guard boundaryShare.isFinite, (0...1).contains(boundaryShare) else {
            throw UserError("--boundary-share must be between 0 and 1, got \(boundaryShare)")
        }
        try FlagChecks.memoryLimit(memoryLimit)
        if let t = time { _ = try Self.parseDuration(t) }
        if let s = shard { _ = try Self.parseShard(s) }
    }

    /// Campaign models are smaller than `gen`'s by default: the reference interpreter's time grows with tensor size,
    /// and many small tests find more than a few big ones.
    static let defaultMaxElements = 4096

    /// The new campaign's configuration from the flags, each checked.
    func config(_ library: SpecLibrary) throws -> CampaignConfig {
        let plugins = try pluginPaths()
        try Self.checkFaults(faults, known: Fault.allCases.map(\.rawValue) + WorkerFault.allCases.map(\.rawValue))
        let (index, count) = try Self.parseShard(shard ?? "0/1")
        var settings = try generator.settings(defaultMaxElements: Self.defaultMaxElements)
        _ = try GeneratorOptions.config(settings)
        // Workers run in the campaign directory's stead: the kernel table's path must not depend on the current directory.
        settings.kernels = settings.kernels.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let knownFile = try knownPath()
        // Last, since it starts each outside compiler's host: the backends.
        let registry = BackendRegistry.load(plugins: plugins)
        let chosen = try BackendSelection.chosen(backends, registry, library, quiet: quiet)
        let (names, declared) = (chosen.names, chosen.declared)
        let scope = TorchScope.narrowed(settings, backends: names, registry: registry, library: library, capabilities: declared)
        settings = scope.settings
        if let note = scope.note, !quiet { Console.error(note) }
        var config = CampaignConfig(seed: seed, backends: names, nodes: generator.nodes, shardIndex: index, shardCount: count,
                                    faults: faults, testTimeout: testTimeout ?? Self.defaultTestTimeout(declared.values),
                                    memoryLimitMiB: memoryLimit, generator: settings)
        config.plugins = plugins
        config.knownFile = knownFile
        config.boundaryShare = boundaryShare
        config.schedule = !noSchedule
        config.nativeScreening = !noNativeScreening
        return config
    }

    /// 20 s, or the most any of `backends` declares a test needs (`min_test_s`).
    static func defaultTestTimeout<C: Sequence>(_ declared: C) -> Double where C.Element == BackendCapabilities {
        declared.compactMap(\.minTestSeconds).reduce(20, max)
    }

    /// Each of `faults` one of `known`, else a one-line error with the closest name.
    static func checkFaults(_ faults: [String], known: [String]) throws {
        for f in faults where !known.contains(f) {
            let hint = Suggestions.closest(to: f, among: known).first.map { "; did you mean '\($0)'?" } ?? ""
            throw UserError("unknown fault '\(f)'\(hint) (see 'graphsmith faults list')")
        }
    }

    /// `I/N` with 0 <= I < N.
    static func parseShard(_ text: String) throws -> (Int, Int) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else {
            throw UserError("--shard must be I/N with 0 <= I < N, got '\(text)'")
        }
        return (i, n)
    }

    /// The longest `--time`: a year.
    static let maxDuration = 366.0 * 86_400

    /// `90`, `90s`, `10m`, `2h`, `1h30m` as seconds.
    static func parseDuration(_ text: String) throws -> Double {
        if text.hasPrefix("-") { throw UserError("--time must be positive, got '\(text)'") }
        var total = 0.0, number = ""
        for c in text {
            if c.isNumber || c == "." { number.append(c); continue }
            guard let v = Double(number), let unit = ["s": 1.0, "m": 60, "h": 3600][String(c)] else {
                throw UserError("--time: cannot read '\(text)' (examples: 90s, 10m, 2h)")
            }
            total += v * unit
            number = ""
        }
        if !number.isEmpty {
            guard let v = Double(number) else { throw UserError("--time: cannot read '\(text)' (examples: 90s, 10m, 2h)") }
            total += v
        }
        guard total > 0 else { throw UserError("--time must be positive") }
        // Deadlines are dates: a duration past any date (1e300s) is a typo, not a campaign.
        guard total <= maxDuration else { throw UserError("--time must be at most a year, got '\(text)'") }
        return total
    }
}

/// Runs `body`, turning campaign errors into one-line user errors.
func campaignError<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as CampaignError { throw UserError(e.description) }
}
