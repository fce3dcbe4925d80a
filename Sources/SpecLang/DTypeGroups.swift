import TensorCore

/// Dtype names and the group names a spec may use in `types` and `dtype` attributes.
public enum DTypeGroups {
    public static let groups: [String: [DType]] = [
        "float": [.f16, .bf16, .f32, .f64],
        "sint": [.i8, .i16, .i32, .i64],
        "uint": [.u8, .u16, .u32, .u64],
        "int": [.i8, .i16, .i32, .i64, .u8, .u16, .u32, .u64],
        "num": [.f16, .bf16, .f32, .f64, .i8, .i16, .i32, .i64, .u8, .u16, .u32, .u64],
        "any": DType.allCases,
    ]

    /// The dtypes a name stands for: one dtype, or a group; nil when it is neither.
    public static func resolve(_ name: String) -> [DType]? {
        if let d = DType(rawValue: name) { return [d] }
        return groups[name]
    }

    /// Resolves a list of names, keeping the order of first appearance.
    public static func resolve(all names: [String]) -> [DType]? {
        var out: [DType] = []
        for n in names {
            guard let ds = resolve(n) else { return nil }
            for d in ds where !out.contains(d) { out.append(d) }
        }
        return out
    }
}
