import Foundation
import Generator
import InputSearch
import ModelIR
import Oracle
import Reference
import SpecLib
import TensorCore

/// A prepared test: a valid model with inputs on which every reference value is finite.
public struct PreparedTest: Sendable {
    public var index: Int
    public var seed: UInt64
    public var model: Model
    public var inputs: [String: Tensor]
    /// Every value of the model on the reference (inputs, weights, node outputs), when the test is valid.
    public var reference: [String: Tensor]
    /// Why the test is not valid (no finite inputs found, the reference refused it), or nil.
    public var invalidReason: String?
    /// Whether the test is invalid because a value of it is one ONNX leaves undefined (`TestValidity`: an integer
    /// overflow, an input outside an operator's domain). Known only where the reference checks the test; a test
    /// the input search gave up on is invalid without a class.
    public var undefinedBehaviour = false
    /// The value pattern the test's inputs were moved toward (`BoundaryValues`), when they were.
    public var boundary: BoundaryPattern?
    /// The schedule arm its model was generated under (`YieldSchedule`), when one was asked for and is possible.
    public var arm: ScheduleArm?
}

/// Finds inputs (and possibly new weights) under which a model's values are all finite.
public protocol InputPreparer: Sendable {
    /// Returns the model (weights may change), its inputs, and whether every value is finite, with a reason if not.
    func prepare(_ model: Model, seed: UInt64) -> (model: Model, inputs: [String: Tensor], finite: Bool, why: String?)
}

/// What test `i` of a campaign is: a function of (campaign seed, test index, configuration, specs).
public struct TestPlan: Sendable {
    public let library: SpecLibrary
    public let config: CampaignConfig
    public let generator: ModelGenerator
    /// The generator of each schedule arm the configuration allows (`ScheduleArm.apply`), by arm.
    public let armGenerators: [ScheduleArm: ModelGenerator]
    public let preparer: any InputPreparer

    public init(library: SpecLibrary, config: CampaignConfig, generatorConfig: GeneratorConfig,
                feasibility: (any FeasibilityCheck)? = nil, preparer: any InputPreparer) throws {
        self.library = library
        self.config = config
        self.generator = try ModelGenerator(library: library, config: generatorConfig, feasibility: feasibility)
        var arms: [ScheduleArm: ModelGenerator] = [:]
        if config.schedule == true {
            for arm in ScheduleArm.all {
                guard let c = arm.apply(to: generatorConfig) else { continue }
                arms[arm] = c == generatorConfig ? generator : try? ModelGenerator(library: library, config: c, feasibility: feasibility)
            }
        }
        self.armGenerators = arms
        self.preparer = preparer
    }

    /// The seed of global test `index`: well mixed so neighbouring tests share nothing.
    public static func testSeed(campaign seed: UInt64, index: Int) -> UInt64 {
        var rng = SeededRNG(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        return rng.next()
    }

    /// The global test index of this shard's `k`-th test.
    public func globalIndex(_ k: Int) -> Int { config.shardIndex + k * config.shardCount }

    /// Generates the model of global test `index`, finds its inputs and evaluates the reference.
    /// `focus` names the rewrite rules whose left sides generation favours (the campaign's steering).
    /// `arm` picks the generator of that schedule arm; when the configuration rules it out (no float dtype allowed), or
    /// no model of its kind can be made from the operators in play, the test is the configuration's own.
    public func prepare(index: Int, focus: [String] = [], arm: ScheduleArm? = nil) throws -> PreparedTest {
        let seed = Self.testSeed(campaign: config.seed, index: index)
        let focus = Set(focus)
        let armed = arm.flatMap { a in
            armGenerators[a].flatMap { g in (try? g.generateWitnessed(seed: seed, focus: focus)).map { (arm: a, made: $0) } }
        }
        let (generated, witness) = try armed?.made ?? generator.generateWitnessed(seed: seed, focus: focus)
        var test = Self.prepare(generated, witness: witness, index: index, seed: seed, library: library, preparer: preparer)
        test.arm = armed?.arm
        Self.moveToBoundary(&test, share: config.boundaryShare ?? 0, library: library)
        return test
    }

    /// With probability `share` (drawn from the test's seed), moves a valid test's inputs toward a value pattern
    /// drawn the same way (`BoundaryValues`), and keeps the move only when the test stays valid: every value
    /// finite, inside its operator's domain, and no integer overflow.
    /// `pattern` given is used instead of the drawn one.
    public static func moveToBoundary(_ test: inout PreparedTest, share: Double, library: SpecLibrary, pattern given: BoundaryPattern? = nil) {
        guard share > 0, test.invalidReason == nil else { return }
        var rng = SeededRNG(seed: test.seed ^ 0xB0DA_27F1_5EED_0001)
        guard rng.double(in: 0, 1) < share else { return }
        let drawn = BoundaryPattern.allCases[rng.int(in: 0...(BoundaryPattern.allCases.count - 1))]
        let pattern = given ?? drawn
        let (model, inputs) = BoundaryValues.apply(pattern, model: test.model, inputs: test.inputs, using: &rng)
        var moved = test
        moved.model = model
        moved.inputs = inputs
        evaluateReference(&moved, library: library)
        guard moved.invalidReason == nil, moved.reference.values.allSatisfy(\.isAllFinite) else { return }
        moved.boundary = pattern
        test = moved
    }

    /// A generated model made a test: inputs from `preparer` or the generator's `witness` (by default the witness
    /// only when the preparer fails; with `witnessFirst` the witness whenever there is one, which keeps the model's
    /// weights as generated), then the reference values and the validity check.
    public static func prepare(_ generated: Model, witness: [String: Tensor]?, index: Int, seed: UInt64,
                               library: SpecLibrary, preparer: any InputPreparer, witnessFirst: Bool = false) -> PreparedTest {
        let fromWitness = witness.map { w -> (model: Model, inputs: [String: Tensor], finite: Bool, why: String?) in
            (generated, Dictionary(uniqueKeysWithValues: generated.inputs.map { ($0.name, w[$0.name]!) }), true, nil)
        }
        var found = witnessFirst && fromWitness != nil ? fromWitness! : preparer.prepare(generated, seed: seed)
        // The search failed, but the generator's feasibility check kept a state where every value is finite.
        if !found.finite, let fromWitness { found = fromWitness }
        var test = PreparedTest(index: index, seed: seed, model: found.model, inputs: found.inputs, reference: [:])
        guard found.finite else {
            test.invalidReason = found.why ?? "no finite inputs found"
            return test
        }
        evaluateReference(&test, library: library)
        return test
    }

    /// Runs the reference on the test's model and inputs and checks that the test says something: every value
    /// inside its operator's domain, no integer overflow (`TestValidity`); else sets `invalidReason`.
    public static func evaluateReference(_ test: inout PreparedTest, library: SpecLibrary) {
        do {
            let typed = try TypedModel(test.model, library: library)
            test.reference = try Interpreter.run(typed, inputs: test.inputs)
            let violation = TestValidity.check(typed.model, instances: typed.instances, values: test.reference)
            test.invalidReason = violation?.message
            test.undefinedBehaviour = violation?.undefined ?? false
        } catch {
            test.invalidReason = "the reference rejected the test: \(oneLine(error))"
        }
    }

    /// The reference outputs, in model output order.
    public static func expected(_ test: PreparedTest) -> [Tensor] { test.model.outputs.map { test.reference[$0]! } }
}

/// Random inputs, redrawn a few times until the reference values are all finite: the fallback when no smarter
/// search is configured, and the baseline the input-search benchmark compares against.
public struct RandomInputPreparer: InputPreparer {
    public let library: SpecLibrary
    public var attempts = 4

    public init(library: SpecLibrary) { self.library = library }

    public func prepare(_ model: Model, seed: UInt64) -> (model: Model, inputs: [String: Tensor], finite: Bool, why: String?) {
        var last: [String: Tensor] = [:]
        for attempt in 0..<attempts {
            let inputs = model.randomInputs(seed: seed &+ UInt64(attempt))
            last = inputs
            guard let values = try? Interpreter.run(model, library: library, inputs: inputs) else { continue }
            if values.values.allSatisfy(\.isAllFinite) { return (model, inputs, true, nil) }
        }
        return (model, last, false, "random inputs gave NaN/Inf after \(attempts) draws")
    }
}

/// The gradient-based input search (`InputSearch`) as a campaign's input preparer: the default.
public struct SearchInputPreparer: InputPreparer {
    public let search: InputSearch

    public init(library: SpecLibrary, config: SearchConfig = SearchConfig()) {
        search = InputSearch(library: library, config: config)
    }

    public func prepare(_ model: Model, seed: UInt64) -> (model: Model, inputs: [String: Tensor], finite: Bool, why: String?) {
        let outcome = search.search(model, seed: seed)
        return (outcome.model, outcome.inputs, outcome.finite, outcome.violation)
    }
}
