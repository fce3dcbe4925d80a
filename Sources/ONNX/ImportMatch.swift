import ModelIR
import SpecLang
import SpecLib
import TensorCore

/// Matches one ONNX node against one candidate spec by inverting the spec's `onnx` mapping.
///
/// A mapping entry `key = name` or `key = [a, b]` gives spec attributes directly; any other
/// entry is checked after instantiation by evaluating it forward and comparing. A spec with several
/// `onnx` lines is matched against each in turn: the first that inverts and maps the instance it gives.
struct ImportMatch {
    let spec: OpSpec
    /// The model's opset: only `onnx` lines whose `same` range holds it are tried.
    let opset: Int
    let attributes: [String: OnnxAttribute]
    let inputs: [ImportedValue?]

    func node() throws -> (inputs: [String], attributes: [String: AttributeValue], instance: OpInstance) {
        var failure: Error = OnnxError("no ONNX mapping")
        // A line whose operands all inverted but whose instance the spec refuses (a require) says why the node is not
        // covered; a later line's mismatch of input forms ("input 2 is not supported") says less.
        var refusal: InstanceError?
        for mapping in spec.file.onnxMappings where mapping.acceptedOpsets.contains(opset) {
            do {
                let matched = try AutoPad.mode(attributes, mapping) != nil ? nodeWithAutoPad(mapping) : node(mapping)
                if try mapping.maps(matched.instance) { return matched }
                failure = OnnxError("the instance is not one its opset-\(mapping.opset) mapping covers")
            } catch {
                if refusal == nil, let e = error as? InstanceError { refusal = e }
                failure = error
            }
        }
        if let refusal, (failure as? OnnxError)?.kind != .foreignDType { throw refusal }
        throw failure
    }

    func node(_ mapping: OnnxMapping) throws -> (inputs: [String], attributes: [String: AttributeValue], instance: OpInstance) {
        let entries = mapping.inputs ?? spec.inputs.map { OnnxInput.port($0.name, mapping.location) }
        guard inputs.count <= entries.count else { throw OnnxError("has \(inputs.count) inputs, the spec maps \(entries.count)") }
        var given: [String: AttributeValue] = [:]
        var ports: [String: ImportedValue] = [:]
        for (k, entry) in entries.enumerated() {
            let value = k < inputs.count ? inputs[k] : nil
            switch entry {
            case .port(let name, _):
                // An optional input ONNX leaves out (an empty name, or a trailing input not given) is absent.
                guard let v = value else {
                    if spec.port(name)?.presence != nil { continue }
                    throw OnnxError("input \(k) ('\(name)') is missing")
                }
                ports[name] = v
            case .constant(let dtypeName, let expr):
                guard let v = value else { continue }
                guard let c = v.constant else { throw OnnxError(ImportFolding.notConstant(k, v)) }
                try bindDTypeAttribute(dtypeName, c.dtype, into: &given)
                if let f = OnnxMapping.fraction(expr) { try invertFraction(f, c, into: &given); continue }
                try invert(expr, constantValue(c), into: &given)
            case .omitted:
                if value != nil { throw OnnxError("input \(k) is not supported") }
            }
        }
        for (key, expr) in mapping.attributes {
            if let a = attributes[key] { try invert(expr, a, into: &given) }
        }
        // Older opsets pass what is now a constant input (axes, shape) as an attribute of the same name.
        var known = Set(mapping.attributes.map(\.name))
        for case .constant(_, let expr) in entries {
            guard case .name(let n) = expr.kind, spec.attribute(n) != nil, given[n] == nil, let a = attributes[n] else { continue }
            try invert(expr, a, into: &given)
            known.insert(n)
        }
        if let extra = attributes.keys.sorted().first(where: { !known.contains($0) }) {
            throw OnnxError("attribute '\(extra)' is not supported")
        }
        try choosePresence(Set(ports.keys), &given)
        let present = spec.inputPorts(attributes: given)
        let types = try present.map { port -> TensorType in
            guard let v = ports[port.name] else { throw OnnxError("spec input '\(port.name)' has no ONNX input") }
            return v.type
        }
        try fillLengths(&given)
        let instance = try spec.instantiate(inputs: types, attributes: given)
        try verifyForward(mapping, instance)
        return (present.map { ports[$0.name]!.name }, instance.attributes, instance)
    }

    /// A `const D x` operand whose `D` is a dtype attribute (an operator with no runtime input, whose dtype no input
    /// gives) sets that attribute from the constant's dtype; every such operand must agree.
    func bindDTypeAttribute(_ name: String, _ dtype: DType, into given: inout [String: AttributeValue]) throws {
        guard let decl = spec.attribute(name), case .dtype = decl.kind else { return }
        if let old = given[name], old != .dtype(dtype) { throw OnnxError("'\(name)' would be both \(old) and \(dtype)") }
        given[name] = .dtype(dtype)
    }

    /// Sets the attributes that decide which optional inputs a node has (ONNX carries none of them) to the first
    /// values, in their declared ranges, that give exactly the inputs the ONNX node has.
    private func choosePresence(_ present: Set<String>, _ given: inout [String: AttributeValue]) throws {
        let free = spec.presenceAttributes.filter { given[$0] == nil }
        guard spec.inputs.contains(where: { $0.presence != nil }) else { return }
        func matches(_ g: [String: AttributeValue]) -> Bool { Set(spec.inputPorts(attributes: g).map(\.name)) == present }
        func search(_ k: Int, _ g: inout [String: AttributeValue]) -> Bool {
            if k == free.count { return matches(g) }
            for v in candidates(spec.attribute(free[k])!) {
                g[free[k]] = v
                if search(k + 1, &g) { return true }
            }
            g[free[k]] = nil
            return false
        }
        var g = given
        guard search(0, &g) else {
            throw OnnxError("no instance has inputs \(spec.inputs.map(\.name).filter(present.contains).joined(separator: ", "))")
        }
        given = g
    }

    /// The values an attribute that decides presence may take: 0 and 1 for a bool, its range for an int.
    private func candidates(_ decl: AttrDecl) -> [AttributeValue] {
        if decl.kind == .bool { return [.int(1), .int(0)] }
        if decl.kind == .int, let r = decl.range, let lo = try? Evaluator().eval(r.low).asInt(),
           let hi = try? Evaluator().eval(r.high).asInt(), lo <= hi, hi - lo < 64 {
            return (lo...hi).map { .int($0) }
        }
        return []
    }

    private func constantValue(_ t: Tensor) -> OnnxAttribute {
        if t.shape.isEmpty {
            return t.dtype.isFloat ? .float(Float(t.double(at: 0))) : .int(t.scalar(at: 0).asInt64)
        }
        return t.dtype.isFloat ? .floats(t.doubles.map(Float.init)) : .ints(t.scalars.map(\.asInt64))
    }

    /// `const D fraction(v, bits)`: the smallest `bits` (one for all elements, or one each when `bits` is an `ints`
    /// attribute) that makes each element times 2^bits whole, and those wholes.
    private func invertFraction(_ f: (value: Expr, bits: Expr), _ c: Tensor, into given: inout [String: AttributeValue]) throws {
        guard case .name(let v) = f.value.kind, case .name(let b) = f.bits.kind, let bitsDecl = spec.attribute(b) else { return }
        let xs = c.dtype.isFloat ? c.doubles : c.scalars.map { Double($0.asInt64) }
        func smallestBits(_ ys: [Double]) throws -> Int {
            for bits in 0...OnnxMapping.maxFractionBits where ys.allSatisfy({ y in
                let scaled = y * Double(sign: .plus, exponent: bits, significand: 1)
                return scaled.rounded() == scaled && abs(scaled) < 0x1p52
            }) { return bits }
            throw OnnxError("'\(v)' = \(xs) is not a whole multiple of 1/2^\(OnnxMapping.maxFractionBits)")
        }
        let bits: [Int]
        if case .ints = bitsDecl.kind {
            bits = try xs.map { try smallestBits([$0]) }
            given[b] = .ints(bits)
        } else {
            let common = try smallestBits(xs)
            bits = Array(repeating: common, count: xs.count)
            given[b] = .int(common)
        }
        given[v] = .ints(zip(xs, bits).map { Int($0 * Double(sign: .plus, exponent: $1, significand: 1)) })
    }

    /// `key = attr` and `key = [a, b, ...]` entries give spec attributes; others are checked forward.
    private func invert(_ expr: Expr, _ value: OnnxAttribute, into given: inout [String: AttributeValue]) throws {
        if let (dtypeName, element) = OnnxMapping.tensorAttribute(expr) {
            guard case .tensor(let t) = value, t.count == 1 else { throw OnnxError("attribute \(value) is not a one-element tensor") }
            try bindDTypeAttribute(dtypeName, t.dtype, into: &given)
            try invert(element, constantValue(t), into: &given)
            return
        }
        switch expr.kind {
        case .name(let n):
            guard let decl = spec.attribute(n) else { return }
            given[n] = try convert(value, to: decl)
        case .vector(let items):
            guard case .ints(let xs) = value, xs.count == items.count else { return }
            for (item, x) in zip(items, xs) {
                guard case .name(let n) = item.kind, spec.attribute(n) != nil else { continue }
                if let old = given[n], old != .int(Int(x)) { throw OnnxError("'\(n)' would be both \(old) and \(x)") }
                given[n] = .int(Int(x))
            }
        default: return
        }
    }

    private func convert(_ v: OnnxAttribute, to decl: AttrDecl) throws -> AttributeValue {
        switch (decl.kind, v) {
        case (.real, .float(let f)): return .real(Double(f))
        case (.real, .int(let i)): return .real(Double(Float(i)))
        // A one-element vector where ONNX asks for a scalar operand (Pad's constant_value as [1]), as exporters write it.
        case (.real, .floats(let fs)) where fs.count == 1: return .real(Double(fs[0]))
        case (.real, .ints(let xs)) where xs.count == 1: return .real(Double(Float(xs[0])))
        case (.int, .ints(let xs)) where xs.count == 1: return .int(Int(xs[0]))
        case (.int, .int(let i)), (.bool, .int(let i)): return .int(Int(i))
        // A constant input of a float dtype holding a whole number (OneHot's depth may be any numeric tensor).
        case (.int, .float(let f)) where f.rounded() == f && abs(f) < 1e9: return .int(Int(f))
        case (.ints, .ints(let xs)), (.perm, .ints(let xs)), (.axes, .ints(let xs)): return .ints(xs.map { Int($0) })
        case (.ints, .int(let i)), (.axes, .int(let i)): return .ints([Int(i)])
        // A float vector of whole numbers (Resize's and Upsample's scales [1, 1, 2, 2]); a fractional one is refused.
        case (.ints, .floats(let xs)) where xs.allSatisfy({ $0.rounded() == $0 && abs($0) < 1e9 }): return .ints(xs.map { Int($0) })
        case (.enumeration, .string(let s)): return .name(s)
        case (.dtype, .int(let code)):
            guard let d = OnnxDataType.dtype(Int32(truncatingIfNeeded: code)) else { throw OnnxError("unsupported dtype code \(code)") }
            return .dtype(d)
        default: throw OnnxError("attribute '\(decl.name)' cannot take \(v)")
        }
    }

    /// An attribute ONNX does not carry but a vector's length fixes: `ints[n]`, or `require len(v) == n`.
    private func fillLengths(_ given: inout [String: AttributeValue]) throws {
        var links: [(vector: String, length: String)] = []
        for decl in spec.attributes {
            if case .ints(let n?) = decl.kind, case .name(let lengthName) = n.kind { links.append((decl.name, lengthName)) }
        }
        for r in spec.file.requires {
            for conjunct in Self.conjuncts(r) {
                guard case .binary("==", let a, let b) = conjunct.kind else { continue }
                for (x, y) in [(a, b), (b, a)] {
                    if case .call("len", let args) = x.kind, args.count == 1, case .name(let v) = args[0].kind, case .name(let n) = y.kind {
                        links.append((v, n))
                    }
                }
            }
        }
        for (vector, length) in links where given[length] == nil && spec.attribute(length) != nil {
            if case .ints(let xs)? = given[vector] { given[length] = .int(xs.count) }
        }
    }

    static func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary("&&", let a, let b) = e.kind { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    /// Every ONNX attribute present must equal what the spec's mapping gives for the instance.
    private func verifyForward(_ mapping: OnnxMapping, _ instance: OpInstance) throws {
        // A `tensor(D, x)` entry is inverted exactly (dtype and element), so it needs no check.
        for (key, expr) in mapping.attributes where OnnxMapping.tensorAttribute(expr) == nil {
            guard let actual = attributes[key] else { continue }
            let v: Value
            do { v = try instance.evaluator.eval(expr) } catch { throw OnnxError("cannot evaluate mapping of '\(key)': \(error)") }
            let same: Bool
            switch (v, actual) {
            case (.scalar(.float(let d)), .float(let f)): same = Float(d) == f
            case (.scalar(.float(let d)), .int(let i)): same = d == Double(i)
            case (.scalar(let s), .int(let i)): same = s.asInt64 == i
            case (.scalar(let s), .float(let f)): same = Float(s.asDouble) == f
            case (.vector(let xs), .ints(let ys)): same = xs.map(Int64.init) == ys
            case (.name(let n), .string(let s)): same = n == s
            case (.dtype(let d), .int(let code)): same = Int64(OnnxDataType.code(d)) == code
            default: same = false
            }
            if !same { throw OnnxError("attribute '\(key)' = \(actual) is not expressible (the spec gives \(v))") }
        }
    }
}
