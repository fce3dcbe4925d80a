import ModelIR
import SpecLib

/// One explicit, ordered list of passes. What runs is decided only by the context (level and disabled set).
public struct Pipeline: Sendable {
    /// Every pass in order; a pass may appear more than once.
    public let passes: [Pass]

    /// A pipeline of `passes`, run in this order.
    public init(_ passes: [Pass]) { self.passes = passes }

    /// The compiler's pipeline. Cleanups come first so the rewriting passes see small graphs, and run again
    /// after them because rewriting leaves duplicates and dead producers behind; fusion comes last because it
    /// only groups the final nodes.
    public static let standard = Pipeline([
        DeadCodeElimination.pass,
        CommonSubexpressionElimination.pass,
        ConstantFolding.pass,
        AlgebraicSimplification.pass,
        LayoutSimplification.pass,
        CommonSubexpressionElimination.pass,
        DeadCodeElimination.pass,
        OperatorFusion.pass,
    ])

    /// Every distinct pass, in first-run order, for listing and for checking disabled names.
    public var distinctPasses: [Pass] {
        var seen: Set<String> = []
        return passes.filter { seen.insert($0.name).inserted }
    }

    /// The passes `context` runs, in order.
    public func schedule(_ context: PassContext) -> [Pass] { passes.filter(context.runs) }

    /// Runs the scheduled passes on `model`.
    ///
    /// The input is verified first, and every pass's result is verified before the next pass reads it (each pass
    /// is handed the verified model), so a pass that breaks the model is named in a `PassError`. In checked mode
    /// (`context.verify`) a pass that changes the model's inputs or output types, or a fusion grouping that breaks
    /// the fusion rule, is named too.
    public func compile(_ model: Model, context: PassContext) throws -> CompiledModel {
        var current: TypedModel
        do { current = try TypedModel(model, library: context.library) } catch {
            throw PassError(pass: "input", kind: .invalidInput, message: "\(error)")
        }
        let interface = Interface(model)
        var ran: [String] = []
        for pass in schedule(context) {
            let next: Model
            let previous = current.model
            do { next = try pass(current, context) } catch let e as PassError { throw e } catch {
                throw PassError(pass: pass.name, kind: .failed, message: "\(error)")
            }
            // An unchanged model keeps its instances: verifying is most of a pass's cost when nothing matched.
            if next != previous {
                do { current = try TypedModel(next, library: context.library) } catch {
                    throw PassError(pass: pass.name, kind: .brokeModel, message: "\(error)")
                }
            }
            if context.verify, let change = interface.difference(Interface(next)) {
                throw PassError(pass: pass.name, kind: .brokeModel, message: change)
            }
            ran.append(pass.name)
            if let log = context.feedback, next != previous { log.record("pass", pass.name) }
            for instrument in context.instruments { instrument(pass.name, .graph(next)) }
        }
        // Grouping is read off the final model, so it always describes the nodes that will run.
        let fusion = ran.contains(OperatorFusion.pass.name)
            ? FusionGroups.plan(current, rule: context.fusionRule)
            : FusionGroups.unfused(current.model)
        // Fusion changes no node, only how they run: it counts as firing when it put two or more in one kernel.
        if ran.contains(OperatorFusion.pass.name), fusion.groups.contains(where: { $0.nodes.count > 1 }) {
            context.feedback?.record("pass", OperatorFusion.pass.name)
        }
        if context.verify, let problem = fusion.problem(in: current.model, library: context.library) {
            throw PassError(pass: OperatorFusion.pass.name, kind: .brokeModel, message: problem)
        }
        return CompiledModel(typed: current, fusion: fusion, passesRun: ran, level: context.level)
    }
}

/// What callers of a model depend on: its inputs and the types of its outputs, in order.
/// Passes may rename outputs (an output can become an alias of another value) but never change these.
struct Interface: Equatable {
    var inputs: [ValueInfo]
    var outputTypes: [String]

    init(_ model: Model) {
        inputs = model.inputs
        let types = model.valueTypes
        outputTypes = model.outputs.map { types[$0].map { "\($0)" } ?? "undefined" }
    }

    func difference(_ other: Interface) -> String? {
        if inputs != other.inputs { return "the model's inputs changed" }
        if outputTypes != other.outputTypes {
            return "the model's outputs changed from \(outputTypes.joined(separator: ", ")) to \(other.outputTypes.joined(separator: ", "))"
        }
        return nil
    }
}
