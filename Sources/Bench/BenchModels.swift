import ModelIR
import SpecLib
import TensorCore

/// The fixed models of `bench compiler`: a small CNN block, an MLP, a long element-wise chain and a
/// reduction-heavy model, all float32, weights from a fixed seed.
public enum BenchModels {
    /// Builds a model node by node, each node instantiated from its spec so types are derived, not written.
    struct Builder {
        let library: SpecLibrary
        var model = Model()
        var rng = SeededRNG(seed: 2024)
        var counter = 0

        init(library: SpecLibrary) { self.library = library }

        mutating func input(_ shape: [Int]) -> String {
            let name = "x\(model.inputs.count)"
            model.inputs.append(ValueInfo(name, TensorType(.f32, shape)))
            return name
        }

        mutating func weight(_ shape: [Int], scale: Double = 0.5) -> String {
            counter += 1
            let name = "w\(counter)"
            model.weights.append(Weight(name, Tensor.random(TensorType(.f32, shape), using: &rng, low: -scale, high: scale)))
            return name
        }

        @discardableResult
        mutating func node(_ op: String, _ inputs: [String], _ attributes: [String: AttributeValue] = [:]) throws -> String {
            let types = model.valueTypes
            guard let spec = library.spec(named: op) else { throw InstanceError(op, "no such operator in the specs") }
            let instance = try spec.instantiate(inputs: inputs.map { types[$0]! }, attributes: attributes)
            counter += 1
            let outputs = instance.outputTypes.enumerated().map { ValueInfo("v\(counter)_\($0.offset)", $0.element) }
            model.nodes.append(Node(op: op, inputs: inputs, outputs: outputs, attributes: attributes))
            return outputs[0].name
        }

        mutating func finish(_ output: String) -> Model {
            model.outputs = [output]
            return model
        }
    }

    /// Every fixed model with its name: `cnn-block`, `mlp`, `elementwise-chain`, `reductions`.
    public static func all(_ library: SpecLibrary) throws -> [(String, Model)] {
        [("cnn-block", try cnn(library)), ("mlp", try mlp(library)), ("elementwise-chain", try chain(library)),
         ("reductions", try reductions(library))]
    }

    static func cnn(_ library: SpecLibrary) throws -> Model {
        var b = Builder(library: library)
        let x = b.input([1, 8, 16, 16])
        let conv: [String: AttributeValue] = ["pads": .ints([1, 1, 1, 1])]
        var h = try b.node("Conv", [x, b.weight([16, 8, 3, 3]), b.weight([16])], conv)
        h = try b.node("Relu", [h])
        h = try b.node("MaxPool", [h], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
        h = try b.node("Conv", [h, b.weight([16, 16, 3, 3]), b.weight([16])], conv)
        return b.finish(try b.node("Relu", [h]))
    }

    static func mlp(_ library: SpecLibrary) throws -> Model {
        var b = Builder(library: library)
        var h = b.input([16, 64])
        for (n, m) in [(64, 128), (128, 64)] {
            h = try b.node("MatMul", [h, b.weight([n, m])])
            h = try b.node("Relu", [try b.node("Add", [h, b.weight([m])])])
        }
        h = try b.node("MatMul", [h, b.weight([64, 10])])
        return b.finish(try b.node("Softmax", [h]))
    }

    static func chain(_ library: SpecLibrary) throws -> Model {
        var b = Builder(library: library)
        var h = b.input([64, 256])
        for k in 0..<24 {
            switch k % 6 {
            case 0: h = try b.node("Add", [h, b.weight([256])])
            case 1: h = try b.node("Mul", [h, b.weight([256])])
            case 2: h = try b.node("Tanh", [h])
            case 3: h = try b.node("Sigmoid", [h])
            case 4: h = try b.node("Neg", [h])
            default: h = try b.node("Relu", [h])
            }
        }
        return b.finish(h)
    }

    static func reductions(_ library: SpecLibrary) throws -> Model {
        var b = Builder(library: library)
        let x = b.input([32, 64, 16])
        var h = try b.node("Softmax", [x], ["axis": .int(-1)])
        h = try b.node("ReduceSum", [h], ["axes": .ints([2]), "keepdims": .int(0)])
        h = try b.node("LayerNormalization", [h, b.weight([64]), b.weight([64])], ["axis": .int(-1)])
        h = try b.node("ReduceMax", [h], ["axes": .ints([1]), "keepdims": .int(1)])
        return b.finish(try b.node("LogSoftmax", [h], ["axis": .int(0)]))
    }
}
