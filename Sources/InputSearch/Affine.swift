import SpecLang
import SpecLib

/// An integer that is an affine function of the current index: the definition's dims, then the dims
/// of its reductions' loop variables (see `DefinitionPlan`).
struct Affine: Sendable {
    var constant: Int
    /// (position in the index, coefficient), nonzero coefficients only.
    var terms: [(Int, Int)]

    static func const(_ c: Int) -> Affine { Affine(constant: c, terms: []) }

    func value(_ index: [Int]) -> Int {
        var v = constant
        for (p, c) in terms { v += c * index[p] }
        return v
    }

    static func + (a: Affine, b: Affine) -> Affine {
        var t: [Int: Int] = [:]
        for (p, c) in a.terms + b.terms { t[p, default: 0] += c }
        return Affine(constant: a.constant + b.constant, terms: t.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    func scaled(_ k: Int) -> Affine {
        k == 0 ? .const(0) : Affine(constant: constant * k, terms: terms.map { ($0.0, $0.1 * k) })
    }
}

/// Finds the affine forms of index expressions: `o * strides - P + r * dilations`, `*cat(b, m)`,
/// `*place(k, A, r)`, `*permute(o, p)`, with constant vectors taken from the instance.
struct AffineContext {
    /// Index variables with their first position in the index and their number of dims.
    var variables: [String: (start: Int, count: Int, isVector: Bool)]
    /// Every name bound per element (index and loop variables): parts naming one are not constant.
    let locals: Set<String>
    let ev: Evaluator

    /// The forms of `e` (one per vector component, or one for a scalar), or nil when not affine.
    func forms(_ e: Expr) -> (forms: [Affine], isVector: Bool)? {
        if !DefinitionPlan.mentions(e, locals), let v = try? ev.eval(e) { return constant(v) }
        switch e.kind {
        case .name(let n):
            guard let v = variables[n] else { return nil }
            return ((0..<v.count).map { Affine(constant: 0, terms: [(v.start + $0, 1)]) }, v.isVector)
        case .unary("-", let a):
            return forms(a).map { ($0.forms.map { $0.scaled(-1) }, $0.isVector) }
        case .binary(let op, let a, let b) where op == "+" || op == "-" || op == "*":
            return binary(op, a, b)
        case .vector(let items):
            var out: [Affine] = []
            for item in items {
                guard let f = forms(item), !f.isVector else { return nil }
                out += f.forms
            }
            return (out, true)
        case .call(let f, let args): return call(f, args)
        default: return nil
        }
    }

    private func constant(_ v: Value) -> ([Affine], Bool)? {
        switch v {
        case .vector(let xs): return (xs.map { .const($0) }, true)
        case .scalar(.int(let x)): return ([.const(Int(x))], false)
        default: return nil
        }
    }

    private func binary(_ op: String, _ a: Expr, _ b: Expr) -> ([Affine], Bool)? {
        guard let fa = forms(a), let fb = forms(b) else { return nil }
        let n = max(fa.forms.count, fb.forms.count)
        // A scalar combines with every component of a vector (as `lift` does).
        guard fa.forms.count == n || !fa.isVector, fb.forms.count == n || !fb.isVector else { return nil }
        func at(_ f: ([Affine], Bool), _ k: Int) -> Affine { f.1 ? f.0[k] : f.0[0] }
        var out: [Affine] = []
        for k in 0..<n {
            let x = at(fa, k), y = at(fb, k)
            switch op {
            case "+": out.append(x + y)
            case "-": out.append(x + y.scaled(-1))
            default:
                if x.terms.isEmpty { out.append(y.scaled(x.constant)) } else if y.terms.isEmpty { out.append(x.scaled(y.constant)) } else { return nil }
            }
        }
        return (out, fa.isVector || fb.isVector)
    }

    private func call(_ f: String, _ args: [Expr]) -> ([Affine], Bool)? {
        func positions(_ e: Expr) -> [Int]? {
            guard !DefinitionPlan.mentions(e, locals), case .vector(let p)? = try? ev.eval(e) else { return nil }
            return p
        }
        switch f {
        case "cat":
            guard args.count == 2, let a = forms(args[0]), let b = forms(args[1]), a.isVector, b.isVector else { return nil }
            return (a.forms + b.forms, true)
        case "place":
            guard args.count == 3, let v = forms(args[0]), v.isVector, let p = positions(args[1]), let w = forms(args[2]), w.isVector,
                  p.count == w.forms.count, p.allSatisfy({ $0 >= 0 && $0 < v.forms.count }) else { return nil }
            var out = v.forms
            for (k, x) in p.enumerated() { out[x] = w.forms[k] }
            return (out, true)
        case "linear":
            // The row-major flat position of an index in a constant shape: affine in the index.
            guard args.count == 2, let i = forms(args[0]), i.isVector, let shape = positions(args[1]), shape.count == i.forms.count else { return nil }
            var flat = Affine.const(0)
            for (k, f) in i.forms.enumerated() { flat = flat + f.scaled(shape[(k + 1)...].reduce(1, *)) }
            return ([flat], false)
        case "pick", "permute":
            guard args.count == 2, let v = forms(args[0]), v.isVector, let p = positions(args[1]),
                  p.allSatisfy({ $0 >= 0 && $0 < v.forms.count }) else { return nil }
            return (p.map { v.forms[$0] }, true)
        default: return nil
        }
    }
}

/// A read whose every index is affine: per tensor dim, the index's form, the dim's size and stride.
struct ReadPlan: Sendable {
    struct Dim: Sendable {
        var form: Affine
        /// A scalar index item that is not affine (a value read from a tensor): the read's child to evaluate.
        var item: Int?
        var size: Int
        var stride: Int
    }
    var dims: [Dim]
    var hasItems: Bool { dims.contains { $0.item != nil } }

    /// The flat offset, or nil when an index leaves the tensor; `items` holds the evaluated non-affine items.
    func offset(_ index: [Int], _ items: [Int] = []) -> Int? {
        var offset = 0
        for d in dims {
            let i = d.item.map { items[$0] } ?? d.form.value(index)
            guard i >= 0 && i < d.size else { return nil }
            offset += i * d.stride
        }
        return offset
    }
}
