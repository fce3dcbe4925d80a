import SpecLang
import TensorCore

/// An operator at concrete input types and attributes: everything the evaluators need.
public struct OpInstance: Sendable {
    public let spec: OpSpec
    /// Every attribute, defaults filled in.
    public let attributes: [String: AttributeValue]
    public let inputTypes: [TensorType]
    public let outputTypes: [TensorType]
    /// Constants (dims, groups, attributes, lets), ranks and dtype bindings.
    public let evaluator: Evaluator
    /// For each input, output and stage: the dims each declared shape item covers.
    public let segments: [String: [Range<Int>]]
    /// Concrete shapes of the stages.
    public let stageShapes: [String: [Int]]

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
