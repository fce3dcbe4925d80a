import SpecLang
import TensorCore

/// Records, while one instance is evaluated, whether an integer value left the exact integers: the fact that makes
/// a test say nothing about a compiler (ONNX leaves integer overflow undefined; the reference wraps, some runtimes
/// saturate, others compute 64-bit integers in 32 bits). The values themselves are not changed.
///
/// An evaluator holding a monitor reports to it: integer arithmetic whose exact result leaves its 64 bits
/// (`ScalarSemantics.wraps`), a `sum` or `prod` that may leave the definition's range in some order of its terms
/// (`IntegerAccumulation`), and an output element whose exact value does not fit its dtype (a float stored into an
/// integer output: truncated, out of range or NaN). `cast` is not watched: an integer cast to a narrower integer
/// wraps, as ONNX's Cast defines, and Cast's `domain` keeps floats converted to integers in range (specs also cast
/// attributes, such as Clip's bounds, which graphsmith itself converts on export).
public final class OverflowMonitor: @unchecked Sendable {
    /// The first overflow, described; nil while there is none.
    public private(set) var first: String?
    /// The range integer reductions of the definition being evaluated stay in.
    private var range = IntegerRange.int64
    /// The dtype of the output being computed, when it is an integer dtype, and its range.
    private var stored: (DType, IntegerRange)?

    public init() {}

    public var overflowed: Bool { first != nil }

    private func note(_ what: @autoclosure () -> String) {
        if first == nil { first = what() }
    }

    /// Starts a definition: an output of dtype `output` (its elements must fit it, and so must its reductions), or a
    /// stage (nil), whose reductions must fit the instance's integer outputs.
    public func begin(output: DType?, of instance: OpInstance) {
        if let d = output {
            range = IntegerRange(d)
            stored = d.isInteger ? (d, range) : nil
        } else {
            range = instance.integerRange
            stored = nil
        }
    }

    public func binary(_ op: String, _ a: Scalar, _ b: Scalar) {
        if ScalarSemantics.wraps(op, a, b) { note("\(a) \(op) \(b) overflows") }
    }

    public func unary(_ op: String, _ a: Scalar) {
        if ScalarSemantics.wraps(unary: op, a) { note("\(op)\(a) overflows") }
    }

    public func function(_ f: String, _ args: [Scalar]) {
        if ScalarSemantics.wraps(function: f, args) { note("\(f)(\(args.map(\.description).joined(separator: ", "))) overflows") }
    }

    public func reduction(_ r: String, _ accumulation: IntegerAccumulation) {
        if accumulation.overflows(r, in: range) { note("an integer \(r) leaves the range of the result") }
    }

    /// One element of the output being computed, before it is stored (and wrapped) into its dtype.
    public func store(_ x: Scalar) {
        guard let (dtype, r) = stored, !r.contains(x) else { return }
        note("\(x) does not fit \(dtype)")
    }
}

extension OpInstance {
    /// Whether an output has an integer dtype: only then can an integer overflow change a value the test sees.
    public var computesIntegers: Bool { outputTypes.contains { $0.dtype.isInteger } }

    /// The range of the instance's integer outputs together (64-bit signed when it has none): what the integer
    /// reductions of its stages must fit, since stages hold the values outputs are made of.
    public var integerRange: IntegerRange {
        let ranges = outputTypes.filter { $0.dtype.isInteger }.map { IntegerRange($0.dtype) }
        guard let first = ranges.first else { return .int64 }
        return ranges.dropFirst().reduce(first) { $0.union($1) }
    }
}
