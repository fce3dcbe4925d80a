/// An expression in a spec, with the place it starts.
public struct Expr: Hashable, Sendable {
    public indirect enum Kind: Hashable, Sendable {
        case integer(Int)
        case real(Double)
        /// `"NOTSET"`: a fixed name, as ONNX string attributes take.
        case string(String)
        case name(String)
        case unary(String, Expr)
        case binary(String, Expr, Expr)
        /// `c ? a : b`, lazy.
        case conditional(Expr, Expr, Expr)
        case call(String, [Expr])
        /// `[a, b, c]`: a vector literal.
        case vector([Expr])
        /// `X[items] else default`: a tensor read, or an element of a vector-valued name.
        case read(String, [IndexItem], default: Expr?)
        /// `sum(k < K, *r < S) body`.
        case reduce(String, [Binder], Expr)
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, _ location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

/// One item of an index list or shape list: a scalar, or a splice `*v` of a vector.
public enum IndexItem: Hashable, Sendable {
    case scalar(Expr)
    case splice(Expr)

    public var expr: Expr {
        switch self {
        case .scalar(let e), .splice(let e): return e
        }
    }

    public var isSplice: Bool {
        if case .splice = self { return true }
        return false
    }
}

/// A loop variable of a reduction: `k < K` or `*r < S`.
public struct Binder: Hashable, Sendable {
    public var name: String
    public var isVector: Bool
    public var bound: Expr
    public var location: SourceLocation
}

/// A name on the left of a `compute` or `stage`: `i` or `*v`.
public struct IndexVariable: Hashable, Sendable {
    public var name: String
    public var isVector: Bool
    public var location: SourceLocation
}

/// A declared tensor's dtype: a type variable or a fixed dtype name.
public struct TypeRef: Hashable, Sendable {
    public var name: String
    public var location: SourceLocation
}

/// `if cond else value` after an input or weight: the input is present when `cond` (over attributes) holds;
/// otherwise the node omits it and every read of it gives `fallback`.
public struct Presence: Hashable, Sendable {
    public var condition: Expr
    public var fallback: Expr
}

/// `input`, `weight` or `output` declaration.
public struct PortDecl: Hashable, Sendable {
    public enum Role: String, Hashable, Sendable { case input, weight, output }
    public var role: Role
    public var name: String
    public var type: TypeRef
    public var shape: [IndexItem]
    public var location: SourceLocation
    /// Set for an optional input (`weight B: T[K] if bias else 0`).
    public var presence: Presence? = nil
}

/// The kind of an attribute and the parameters of that kind.
public enum AttrKind: Hashable, Sendable {
    case int, real, bool
    case ints(length: Expr?)
    case enumeration([String])
    case dtype(allowed: [String])
    case perm(Expr)
    case axes(Expr)
}

/// An attribute declaration.
public struct AttrDecl: Hashable, Sendable {
    public enum Default: Hashable, Sendable {
        case expr(Expr)
        /// `= all` for axes.
        case all
    }
    public var name: String
    public var kind: AttrKind
    public var range: (low: Expr, high: Expr)?
    public var defaultValue: Default?
    public var location: SourceLocation

    public static func == (a: AttrDecl, b: AttrDecl) -> Bool {
        a.name == b.name && a.kind == b.kind && a.range?.low == b.range?.low && a.range?.high == b.range?.high
            && a.defaultValue == b.defaultValue && a.location == b.location
    }

    public func hash(into h: inout Hasher) { h.combine(name); h.combine(location) }
}

/// `types T in f32, f64`.
public struct TypeVarDecl: Hashable, Sendable {
    public var name: String
    /// Dtype names and group names as written.
    public var allowed: [String]
    public var location: SourceLocation
}

/// `stage M[idx] : [dims] = expr` or `compute Y[idx] = expr`.
public struct Definition: Hashable, Sendable {
    public var target: String
    public var indices: [IndexVariable]
    /// The stage's shape; nil for `compute` (the output's declared shape is used).
    public var shape: [IndexItem]?
    public var body: Expr
    public var location: SourceLocation
}

/// One entry of the ONNX input list: a spec input, a constant made from an expression, or an omitted input.
public enum OnnxInput: Hashable, Sendable {
    case port(String, SourceLocation)
    case constant(dtype: String, Expr)
    case omitted
}

/// `onnx OpType opset N [same A..B] (key = expr, ..., inputs = [...]) [when cond]`.
public struct OnnxMapping: Hashable, Sendable {
    public var opType: String
    public var opset: Int
    /// `same A..B`: the model opsets whose definition of the operator means what this line implements.
    public var same: OpsetRange?
    public var attributes: [(name: String, value: Expr)]
    public var inputs: [OnnxInput]?
    /// The instances this line maps (nil: every one the lines before it do not).
    public var condition: Expr?
    public var location: SourceLocation

    /// The model opsets import reads this line at: `same`, else its own opset and every later one.
    public var acceptedOpsets: OpsetRange { same ?? OpsetRange(lowest: opset, highest: nil) }

    public static func == (a: OnnxMapping, b: OnnxMapping) -> Bool {
        a.opType == b.opType && a.opset == b.opset && a.same == b.same && a.inputs == b.inputs && a.condition == b.condition
            && a.attributes.map(\.name) == b.attributes.map(\.name) && a.attributes.map(\.value) == b.attributes.map(\.value)
    }

    public func hash(into h: inout Hasher) { h.combine(opType); h.combine(opset) }
}

/// A piece of a `torch` line's template: Python text, or a placeholder (`$name`, `$(expression)`) that becomes a
/// tensor's variable when it names an input and a Python literal of the expression's value otherwise.
public enum TorchPiece: Hashable, Sendable {
    case text(String)
    case placeholder(Expr)
}

/// `torch "python expression" [when cond]`: how an instance becomes a PyTorch expression (a tuple for several outputs).
public struct TorchMapping: Hashable, Sendable {
    public var pieces: [TorchPiece]
    /// The instances this line maps (nil: every one the lines before it do not).
    public var condition: Expr?
    public var location: SourceLocation

    public init(pieces: [TorchPiece], condition: Expr?, location: SourceLocation) {
        self.pieces = pieces
        self.condition = condition
        self.location = location
    }
}

/// A term of an identity: an op applied to terms with attribute bindings, or a variable.
public indirect enum Term: Hashable, Sendable {
    case variable(String, SourceLocation)
    case apply(op: String, args: [Term], attributes: [String: Expr], SourceLocation)
}

/// `identity name: lhs == rhs`.
public struct IdentityDecl: Hashable, Sendable {
    public var name: String
    public var lhs: Term
    public var rhs: Term
    public var location: SourceLocation
}

/// `tolerance f64 rtol 1e-6`: how closely ONNX defines the operator's outputs of one dtype, when that is less
/// closely than the dtype's own tolerance (a function body that computes float64 with float32 constants).
public struct ToleranceDecl: Hashable, Sendable {
    /// The dtype's short name (`f64`).
    public var dtype: String
    /// The relative tolerance an output of that dtype is defined to.
    public var rtol: Double
    public var location: SourceLocation
}

/// `domain X: cond`.
public struct DomainDecl: Hashable, Sendable {
    public var tensor: String
    public var condition: Expr
    public var location: SourceLocation
}

/// `let name = expr`.
public struct LetDecl: Hashable, Sendable {
    public var name: String
    public var value: Expr
    public var location: SourceLocation
}

/// A parsed spec file, before checking.
public struct SpecFile: Hashable, Sendable {
    public var path: String
    public var name: String = ""
    public var nameLocation: SourceLocation
    public var doc: String?
    /// The `onnx` lines in order: an instance is exported by the first whose condition holds (the last has none).
    public var onnxMappings: [OnnxMapping] = []
    /// The `torch` lines in order: an instance is written by the first whose condition holds (the last has none).
    public var torchMappings: [TorchMapping] = []
    public var typeVars: [TypeVarDecl] = []
    public var attributes: [AttrDecl] = []
    public var ports: [PortDecl] = []
    public var lets: [LetDecl] = []
    public var requires: [Expr] = []
    public var domains: [DomainDecl] = []
    public var stages: [Definition] = []
    public var computes: [Definition] = []
    public var identities: [IdentityDecl] = []
    public var tolerances: [ToleranceDecl] = []

    /// The `onnx` line that maps every instance (the last), for what all lines share: the ONNX operator type.
    public var onnx: OnnxMapping? { onnxMappings.last }

    public var inputs: [PortDecl] { ports.filter { $0.role != .output } }
    public var outputs: [PortDecl] { ports.filter { $0.role == .output } }
}
