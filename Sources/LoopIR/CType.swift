import TensorCore

/// The C type a loop-IR value has in native code: the evaluators' value domains made static.
enum CType: String {
    case f64 = "double", i64 = "int64_t", u64 = "uint64_t", bool = "int"

    /// The domain a buffer of `dtype` holds: floats as double, signed as int64, unsigned as uint64.
    init(_ dtype: DType) {
        self = dtype.isFloat ? .f64 : dtype.isBool ? .bool : dtype.isUnsignedInteger ? .u64 : .i64
    }

    init(_ s: Scalar) {
        switch s {
        case .float: self = .f64
        case .int: self = .i64
        case .uint: self = .u64
        case .bool: self = .bool
        }
    }

    /// `ScalarSemantics`' promotion: float if either is float, unsigned if both are, else signed.
    static func join(_ a: CType, _ b: CType) -> CType {
        if a == .f64 || b == .f64 { return .f64 }
        if a == .u64 && b == .u64 { return .u64 }
        return .i64
    }
}
