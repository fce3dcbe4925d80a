import TensorCore

/// Human-readable rendering of a tensor: its first values and statistics.
enum TensorSummary {
    /// Elements shown before eliding the rest.
    static let shown = 16

    /// Lines describing `tensor`: values, then min/max/mean and NaN/Inf counts.
    static func lines(_ tensor: Tensor) -> [String] {
        let values = (0..<min(shown, tensor.count)).map { format(tensor, $0) }
        let more = tensor.count > shown ? ", ... (\(tensor.count - shown) more)" : ""
        var lines = ["  values: [\(values.joined(separator: ", "))\(more)]"]
        if tensor.count > 0 { lines.append("  " + statistics(tensor)) }
        return lines
    }

    static func statistics(_ tensor: Tensor) -> String {
        if tensor.dtype.isBool {
            let on = tensor.bits.count { $0 != 0 }
            return "true \(on)  false \(tensor.count - on)"
        }
        let xs = tensor.doubles
        let finite = xs.filter(\.isFinite)
        let nan = xs.count { $0.isNaN }
        let inf = xs.count { $0.isInfinite }
        var parts: [String] = []
        if let lo = finite.min(), let hi = finite.max() {
            let mean = finite.reduce(0, +) / Double(finite.count)
            parts += ["min \(number(lo, tensor.dtype))", "max \(number(hi, tensor.dtype))", "mean \(mean)"]
        } else {
            parts.append("no finite values")
        }
        parts += ["nan \(nan)", "inf \(inf)"]
        return parts.joined(separator: "  ")
    }

    /// One element: floats in their dtype's shortest form, integers exactly, bools as true/false.
    static func format(_ tensor: Tensor, _ k: Int) -> String {
        let s = tensor.scalar(at: k)
        if case .float(let d) = s { return number(d, tensor.dtype) }
        return s.description
    }

    static func number(_ d: Double, _ dtype: DType) -> String {
        guard dtype.isFloat else { return d == d.rounded() && abs(d) < 1e18 ? String(Int64(d)) : "\(d)" }
        if dtype == .f64 { return "\(d)" }
        return "\(Float(d))"
    }
}
