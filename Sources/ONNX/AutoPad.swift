import SpecLang
import SpecLib
import TensorCore

/// ONNX's `auto_pad` (SAME_UPPER, SAME_LOWER, VALID), read as the explicit `pads` it stands for.
///
/// The rule lives here rather than in each spec because ONNX defines `auto_pad` once, by the output size it asks
/// for: SAME gives ceil(in / stride) along each spatial axis, VALID pads nothing. Every fact about the operator
/// comes from its spec's `onnx` line, which must fix `auto_pad = "NOTSET"` (what export writes) and map `pads`,
/// `kernel_shape` and, when it has them, `strides` and `dilations`: import derives the pads from the input's spatial
/// dims (the dims after N and C) and those values, re-reads the node with them, and then checks that the spec's
/// output has ONNX's size, so an operator whose auto_pad means something else (ConvTranspose) is refused rather
/// than read wrong.
enum AutoPad: String {
    case sameUpper = "SAME_UPPER", sameLower = "SAME_LOWER", valid = "VALID"

    /// The mode a node asks for, when its spec's mapping can take it: nil for NOTSET, an absent attribute, or a
    /// mapping without the `auto_pad` and `pads` entries (then the node is read as it is, and refused if it must be).
    static func mode(_ attributes: [String: OnnxAttribute], _ mapping: OnnxMapping) -> AutoPad? {
        guard case .string(let s)? = attributes["auto_pad"], let mode = AutoPad(rawValue: s) else { return nil }
        let keys = Set(mapping.attributes.map(\.name))
        return keys.contains("auto_pad") && keys.contains("pads") ? mode : nil
    }

    /// Total padding along one axis for SAME: enough that the output has ceil(in / stride) positions.
    static func samePadding(input: Int, kernel: Int, stride: Int, dilation: Int) -> Int {
        let out = (input + stride - 1) / stride
        return max((out - 1) * stride + (kernel - 1) * dilation + 1 - input, 0)
    }

    /// The explicit pads `[begins..., ends...]`: SAME_UPPER puts an odd total's extra element at the end,
    /// SAME_LOWER at the beginning.
    func pads(input: [Int], kernel: [Int], strides: [Int], dilations: [Int]) -> [Int] {
        guard self != .valid else { return Array(repeating: 0, count: 2 * input.count) }
        let totals = input.indices.map {
            Self.samePadding(input: input[$0], kernel: kernel[$0], stride: strides[$0], dilation: dilations[$0])
        }
        let small = totals.map { $0 / 2 }, large = totals.map { $0 - $0 / 2 }
        return self == .sameUpper ? small + large : large + small
    }

    /// The output size ONNX defines along one spatial axis.
    func outputSize(input: Int, kernel: Int, stride: Int, dilation: Int) -> Int {
        let extent = (kernel - 1) * dilation + 1
        return self == .valid ? max((input - extent + stride) / stride, 0) : (input + stride - 1) / stride
    }
}

extension ImportMatch {
    /// Reads a node with `auto_pad` other than NOTSET: once with zero pads to learn its kernel, strides and
    /// dilations as the spec maps them, then with the pads they give.
    func nodeWithAutoPad(_ mapping: OnnxMapping) throws -> (inputs: [String], attributes: [String: AttributeValue], instance: OpInstance) {
        guard let mode = AutoPad.mode(attributes, mapping) else { return try node(mapping) }
        if let pads = attributes["pads"], !Self.allZero(pads) {
            throw OnnxError("auto_pad = \(mode.rawValue) with explicit pads \(pads): ONNX allows only one of them")
        }
        var plain = attributes
        plain["auto_pad"] = .string("NOTSET")
        plain["pads"] = nil
        let probe = try ImportMatch(spec: spec, opset: opset, attributes: plain, inputs: inputs).node(mapping).instance
        guard let spatial = probe.inputTypes.first.map({ Array($0.shape.dropFirst(2)) }), !spatial.isEmpty else {
            throw OnnxError("auto_pad = \(mode.rawValue) needs an input with spatial dims after N and C")
        }
        let kernel = try mapped("kernel_shape", mapping, probe, spatial.count, fallback: nil)
        let strides = try mapped("strides", mapping, probe, spatial.count, fallback: 1)
        let dilations = try mapped("dilations", mapping, probe, spatial.count, fallback: 1)
        plain["pads"] = .ints(mode.pads(input: spatial, kernel: kernel, strides: strides, dilations: dilations).map(Int64.init))
        let matched = try ImportMatch(spec: spec, opset: opset, attributes: plain, inputs: inputs).node(mapping)
        let expected = spatial.indices.map {
            mode.outputSize(input: spatial[$0], kernel: kernel[$0], stride: strides[$0], dilation: dilations[$0])
        }
        let got = matched.instance.outputTypes.first.map { Array($0.shape.dropFirst(2)) } ?? []
        guard got == expected else {
            throw OnnxError("auto_pad = \(mode.rawValue): pads \(plain["pads"]!) give spatial output \(got), ONNX's rule gives \(expected)")
        }
        return matched
    }

    private static func allZero(_ a: OnnxAttribute) -> Bool {
        if case .ints(let xs) = a { return xs.allSatisfy { $0 == 0 } }
        return false
    }

    /// The per-axis values the mapping writes for ONNX attribute `key`, evaluated on `instance`.
    private func mapped(_ key: String, _ mapping: OnnxMapping, _ instance: OpInstance, _ rank: Int, fallback: Int?) throws -> [Int] {
        guard let expr = mapping.attributes.first(where: { $0.name == key })?.value else {
            guard let fallback else { throw OnnxError("auto_pad needs the spec's ONNX mapping to give '\(key)'") }
            return Array(repeating: fallback, count: rank)
        }
        let v = try instance.evaluator.eval(expr).asVector()
        guard v.count == rank else { throw OnnxError("auto_pad: '\(key)' has \(v.count) values for \(rank) spatial axes") }
        return v
    }
}
