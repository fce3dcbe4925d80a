import SpecLang
import TensorCore

/// Python source for values: nothing from a model or a spec reaches the written file except through these.
enum PythonLiteral {
    /// A single-quoted string literal: printable ASCII as is (but `\` and `'`), everything else escaped.
    static func string(_ s: String) -> String {
        var out = "'"
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case " "..."~": out.unicodeScalars.append(u)
            default:
                let hex = String(u.value, radix: 16)
                out += u.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                    : u.value <= 0xFFFF ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
            }
        }
        return out + "'"
    }

    /// A float that reads back as the same double (`float('inf')` and `float('nan')` for the rest).
    static func real(_ d: Double) -> String {
        if d.isNaN { return "float('nan')" }
        if d.isInfinite { return d < 0 ? "float('-inf')" : "float('inf')" }
        let text = "\(d)"
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    /// The torch dtype of a graphsmith dtype.
    static func dtype(_ d: DType) -> String {
        switch d {
        case .f16: return "torch.float16"
        case .bf16: return "torch.bfloat16"
        case .f32: return "torch.float32"
        case .f64: return "torch.float64"
        case .bool: return "torch.bool"
        case .i8: return "torch.int8"
        case .i16: return "torch.int16"
        case .i32: return "torch.int32"
        case .i64: return "torch.int64"
        case .u8: return "torch.uint8"
        case .u16: return "torch.uint16"
        case .u32: return "torch.uint32"
        case .u64: return "torch.uint64"
        }
    }

    /// A spec value: a number, a list of ints, a torch dtype, or an enum case as a string.
    static func value(_ v: Value) -> String {
        switch v {
        case .scalar(.bool(let b)): return b ? "True" : "False"
        case .scalar(.int(let i)): return String(i)
        case .scalar(.uint(let u)): return String(u)
        case .scalar(.float(let d)): return real(d)
        case .vector(let xs): return "[" + xs.map(String.init).joined(separator: ", ") + "]"
        case .name(let n): return string(n)
        case .dtype(let d): return dtype(d)
        }
    }
}
