import SpecLib
import TensorCore

/// Writes a model in graphsmith's text format, which reads back bit for bit.
///
/// ```
/// graphsmith-model 1
/// input x: f32[2, 3]
/// weight w: f32[3] = 3f800000 40000000 40400000
/// node y: f32[2, 3] = Add(x, w)
/// node z: f32[2, 3] = LeakyRelu(y) {alpha = 0.01}
/// output z
/// ```
/// Weights are the hexadecimal bit patterns of their elements, so the round trip is exact.
public enum TextWriter {
    public static let header = "graphsmith-model 1"

    public static func write(_ model: Model) -> String {
        var lines = [header]
        for i in model.inputs { lines.append("input \(i.name): \(i.type)") }
        for w in model.weights {
            let data = w.value.bits.map { hex($0, w.value.dtype) }.joined(separator: " ")
            lines.append("weight \(w.name): \(w.value.type) =" + (data.isEmpty ? "" : " " + data))
        }
        for n in model.nodes { lines.append(write(n)) }
        for o in model.outputs { lines.append("output \(o)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func write(_ n: Node) -> String {
        let outs = n.outputs.map { "\($0.name): \($0.type)" }
        let lhs = outs.count == 1 ? outs[0] : "(" + outs.joined(separator: ", ") + ")"
        var line = "node \(lhs) = \(n.op)(\(n.inputs.joined(separator: ", ")))"
        if !n.attributes.isEmpty {
            let attrs = n.attributes.keys.sorted().map { "\($0) = \(attribute(n.attributes[$0]!))" }
            line += " {" + attrs.joined(separator: ", ") + "}"
        }
        return line
    }

    /// Attribute text: dtypes as `dtype(f32)` so they never read back as enum names.
    static func attribute(_ a: AttributeValue) -> String {
        if case .dtype(let d) = a { return "dtype(\(d.rawValue))" }
        return a.description
    }

    static func hex(_ bits: UInt64, _ dtype: DType) -> String {
        let s = String(bits, radix: 16)
        let width = max(1, dtype.bitWidth / 4)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
