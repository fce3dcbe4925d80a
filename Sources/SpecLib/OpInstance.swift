import SpecLang
import TensorCore

/// An operator at concrete input types and attributes: everything the evaluators need.
public struct OpInstance: Sendable {
    public let spec: OpSpec
    /// Every attribute, defaults filled in.
    public let attributes: [String: AttributeValue]
    /// The types of the inputs the node has: every declared input but the absent optional ones, in order.
    public let inputTypes: [TensorType]
    /// The declared inputs the node has, in the order of `inputTypes` (an optional input whose flag is 0 is absent).
    public let inputPorts: [PortDecl]
    public let outputTypes: [TensorType]
    /// Constants (dims, groups, attributes, lets), ranks and dtype bindings.
    public let evaluator: Evaluator
    /// For each input, output and stage: the dims each declared shape item covers.
    public let segments: [String: [Range<Int>]]
    /// Concrete shapes of the stages.
    public let stageShapes: [String: [Int]]
    /// The spec's stages and computes for this instance: every read of an absent input replaced by its fallback.
    public let stages: [Definition]
    public let computes: [Definition]

    /// The compute definition of an output.
    public func compute(_ output: String) -> Definition? { computes.first { $0.target == output } }

    /// Whether the declared input `name` is one of the node's inputs.
    public func isPresent(_ name: String) -> Bool { inputPorts.contains { $0.name == name } }

    public var name: String { spec.name }
}

/// Why an operator cannot be instantiated at the given types and attributes.
public struct InstanceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var op: String
    public var message: String
    public init(_ op: String, _ message: String) {
        self.op = op
        self.message = message
    }
    public var description: String { "\(op): \(message)" }
}
