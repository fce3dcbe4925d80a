import SpecLib
import TensorCore

/// A named, typed value of a model.
public struct ValueInfo: Hashable, Sendable {
    public var name: String
    public var type: TensorType
    public init(_ name: String, _ type: TensorType) {
        self.name = name
        self.type = type
    }
}

/// One operator application: an op of the spec library at concrete attributes.
public struct Node: Hashable, Sendable {
    public var op: String
    public var inputs: [String]
    public var outputs: [ValueInfo]
    public var attributes: [String: AttributeValue]

    public init(op: String, inputs: [String], outputs: [ValueInfo], attributes: [String: AttributeValue] = [:]) {
        self.op = op
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }
}

/// A constant tensor of the model (a weight).
public struct Weight: Hashable, Sendable {
    public var name: String
    public var value: Tensor
    public init(_ name: String, _ value: Tensor) {
        self.name = name
        self.value = value
    }
}

/// A model: runtime inputs, weights, nodes in topological order, and outputs.
public struct Model: Hashable, Sendable {
    public var inputs: [ValueInfo]
    public var weights: [Weight]
    public var nodes: [Node]
    public var outputs: [String]

    public init(inputs: [ValueInfo] = [], weights: [Weight] = [], nodes: [Node] = [], outputs: [String] = []) {
        self.inputs = inputs
        self.weights = weights
        self.nodes = nodes
        self.outputs = outputs
    }

    /// The type of every value: inputs, weights and node outputs.
    public var valueTypes: [String: TensorType] {
        var types: [String: TensorType] = [:]
        for i in inputs { types[i.name] = i.type }
        for w in weights { types[w.name] = w.value.type }
        for n in nodes { for o in n.outputs { types[o.name] = o.type } }
        return types
    }
}
