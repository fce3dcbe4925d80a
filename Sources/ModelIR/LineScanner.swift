import SpecLib
import TensorCore

/// A cursor over one line of a model text file.
struct LineScanner {
    let chars: [Character]
    let path: String
    let line: Int
    var i = 0

    init(_ chars: [Character], path: String, line: Int) {
        self.chars = chars
        self.path = path
        self.line = line
    }

    var atEnd: Bool { i >= chars.count }
    var peek: Character? { atEnd ? nil : chars[i] }
    var rest: String { String(chars[i...]) }

    func error(_ message: String) -> ModelFormatError {
        ModelFormatError(path: path, line: line, column: i + 1, message: message)
    }

    mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" || c == "\r" { i += 1 } }

    mutating func accept(_ c: Character) -> Bool {
        skipSpaces()
        if peek == c { i += 1; return true }
        return false
    }

    mutating func expect(_ c: Character) throws {
        guard accept(c) else { throw error("expected '\(c)'" + (atEnd ? " at end of line" : ", found '\(peek!)'")) }
    }

    /// A name, number or hex word: letters, digits, `_`, `.`, `-`, `+`.
    mutating func word() throws -> String {
        skipSpaces()
        let start = i
        while let c = peek, c.isLetter || c.isNumber || c == "_" || c == "." || c == "-" || c == "+" { i += 1 }
        guard i > start else { throw error(atEnd ? "unexpected end of line" : "unexpected '\(peek!)'") }
        return String(chars[start..<i])
    }

    mutating func integer() throws -> Int {
        let w = try word()
        guard let v = Int(w) else { throw error("expected an integer, found '\(w)'") }
        return v
    }

    mutating func type() throws -> TensorType {
        let name = try word()
        guard let dtype = DType(rawValue: name) else { throw error("unknown dtype '\(name)'") }
        try expect("[")
        let open = i
        var dims: [Int] = []
        if !accept("]") {
            repeat {
                let d = try integer()
                guard d >= 0 else { throw error("negative dim \(d)") }
                dims.append(d)
            } while accept(",")
            try expect("]")
        }
        // Every reader allocates what the type claims: a hostile shape would exhaust memory or overflow the count.
        guard TensorType.cappedCount(dims) != nil else {
            throw ModelFormatError(path: path, line: line, column: open,
                                   message: "shape \(dims) has more than \(TensorType.maxElements) elements, the most a model file may declare")
        }
        return TensorType(dtype, dims)
    }

    mutating func typedName() throws -> (String, TensorType) {
        let name = try word()
        try expect(":")
        return (name, try type())
    }

    mutating func weightData(_ name: String, _ type: TensorType) throws -> Tensor {
        var bits: [UInt64] = []
        bits.reserveCapacity(type.count)
        // A bool is stored as one byte, but only 00 and 01 are values; 02 or ff would mean true to some readers only.
        let limit: UInt64 = type.dtype == .bool ? 1 : type.dtype.bitWidth == 64 ? .max : (1 << UInt64(type.dtype.bitWidth)) - 1
        skipSpaces()
        while !atEnd {
            let w = try word()
            guard let b = UInt64(w, radix: 16), b <= limit else {
                let expected = type.dtype == .bool ? "bool (00 or 01)" : "\(type.dtype) bit pattern in hex"
                throw error("weight '\(name)': '\(w)' is not a \(expected)")
            }
            bits.append(b)
            skipSpaces()
        }
        guard bits.count == type.count else { throw error("weight '\(name)' has \(bits.count) elements, its type \(type) needs \(type.count)") }
        return Tensor(dtype: type.dtype, shape: type.shape, bits: bits)
    }

    mutating func node() throws -> Node {
        var outputs: [ValueInfo] = []
        if accept("(") {
            repeat {
                let (n, t) = try typedName()
                outputs.append(ValueInfo(n, t))
            } while accept(",")
            try expect(")")
        } else {
            let (n, t) = try typedName()
            outputs.append(ValueInfo(n, t))
        }
        try expect("=")
        let op = try word()
        try expect("(")
        var inputs: [String] = []
        if !accept(")") {
            repeat { inputs.append(try word()) } while accept(",")
            try expect(")")
        }
        var attributes: [String: AttributeValue] = [:]
        if accept("{") {
            repeat {
                let key = try word()
                try expect("=")
                guard attributes[key] == nil else { throw error("attribute '\(key)' given twice") }
                attributes[key] = try attribute()
            } while accept(",")
            try expect("}")
        }
        return Node(op: op, inputs: inputs, outputs: outputs, attributes: attributes)
    }

    mutating func attribute() throws -> AttributeValue {
        if accept("[") {
            var xs: [Int] = []
            if !accept("]") {
                repeat { xs.append(try integer()) } while accept(",")
                try expect("]")
            }
            return .ints(xs)
        }
        let w = try word()
        if w == "dtype" {
            try expect("(")
            let d = try word()
            guard let dtype = DType(rawValue: d) else { throw error("unknown dtype '\(d)'") }
            try expect(")")
            return .dtype(dtype)
        }
        if let v = Int(w) { return .int(v) }
        switch w {
        case "nan": return .real(.nan)
        case "inf": return .real(.infinity)
        case "-inf": return .real(-.infinity)
        default: break
        }
        if let first = w.first, first.isNumber || first == "-" || first == "." {
            guard let d = Double(w) else { throw error("malformed number '\(w)'") }
            return .real(d)
        }
        return .name(w)
    }
}
