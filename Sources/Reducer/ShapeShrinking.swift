import Campaign
import ModelIR
import SpecLib
import TensorCore

extension Reducer {
    /// Shrinks the model inputs' dimensions (to 1, else to half) one at a time: every node is instantiated again
    /// from its spec with the smaller input types and its own attributes (so the constraints are solved anew; a
    /// candidate the spec rejects is skipped), and each input keeps the leading block of its old values.
    func shrinkShapes() throws {
        var progress = true
        while progress && timeLeft {
            progress = false
            for info in model.inputs {
                for axis in info.type.shape.indices where info.type.shape[axis] > 1 {
                    for size in [1, info.type.shape[axis] / 2] where size >= 1 && size < info.type.shape[axis] {
                        var shape = info.type.shape
                        shape[axis] = size
                        guard let (m, ins) = resized(info.name, to: shape), valid(m, ins) else { continue }
                        if try accept(m, ins) { progress = true; break }
                    }
                    if progress { break }
                }
                if progress { break }
            }
        }
    }

    /// The model with input `name` of a new shape, every node re-instantiated; nil when some spec rejects it.
    func resized(_ name: String, to shape: [Int]) -> (Model, [String: Tensor])? {
        var m = model
        var types = m.valueTypes
        let old = types[name]!
        types[name] = TensorType(old.dtype, shape)
        m.inputs = m.inputs.map { $0.name == name ? ValueInfo(name, types[name]!) : $0 }
        for k in m.nodes.indices {
            guard let spec = library.spec(named: m.nodes[k].op),
                  let instance = try? spec.instantiate(inputs: m.nodes[k].inputs.map { types[$0]! }, attributes: m.nodes[k].attributes)
            else { return nil }
            for (j, t) in instance.outputTypes.enumerated() {
                m.nodes[k].outputs[j].type = t
                types[m.nodes[k].outputs[j].name] = t
            }
        }
        var ins = inputs
        ins[name] = Self.leadingBlock(inputs[name]!, shape)
        return (m, ins)
    }

    /// The elements of `t` whose coordinates fit in `shape` (the leading block).
    static func leadingBlock(_ t: Tensor, _ shape: [Int]) -> Tensor {
        let oldStrides = Tensor.strides(of: t.shape)
        let count = shape.reduce(1, *)
        var bits: [UInt64] = []
        bits.reserveCapacity(count)
        var index = [Int](repeating: 0, count: shape.count)
        for _ in 0..<count {
            bits.append(t.bits[zip(index, oldStrides).reduce(0) { $0 + $1.0 * $1.1 }])
            Tensor.advance(&index, in: shape)
        }
        return Tensor(dtype: t.dtype, shape: shape, bits: bits)
    }
}
