import TensorCore

/// ONNX `TensorProto.DataType` codes and their graphsmith dtypes.
public enum OnnxDataType {
    /// Code for each graphsmith dtype (ONNX field numbers: FLOAT = 1, UINT8 = 2, ...).
    public static func code(_ d: DType) -> Int32 {
        switch d {
        case .f32: return 1
        case .u8: return 2
        case .i8: return 3
        case .u16: return 4
        case .i16: return 5
        case .i32: return 6
        case .i64: return 7
        case .bool: return 9
        case .f16: return 10
        case .f64: return 11
        case .u32: return 12
        case .u64: return 13
        case .bf16: return 16
        }
    }

    /// The dtype of a code, or nil for types outside graphsmith's set (string, complex, float8, int4, ...).
    public static func dtype(_ code: Int32) -> DType? {
        DType.allCases.first { Self.code($0) == code }
    }

    /// A readable name for any ONNX code, for messages.
    public static func name(_ code: Int32) -> String {
        let names: [Int32: String] = [0: "UNDEFINED", 8: "STRING", 14: "COMPLEX64", 15: "COMPLEX128", 17: "FLOAT8E4M3FN",
                                      18: "FLOAT8E4M3FNUZ", 19: "FLOAT8E5M2", 20: "FLOAT8E5M2FNUZ", 21: "UINT4", 22: "INT4", 23: "FLOAT4E2M1"]
        if let d = dtype(code) { return d.rawValue }
        return names[code] ?? "type \(code)"
    }
}
