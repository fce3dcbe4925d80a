import SpecLang
import TensorCore

/// A checked operator spec: the parsed file plus the facts derived from it.
///
/// A class, so passing a spec around (the generator does so constantly) costs one reference count.
public final class OpSpec: Sendable {
    /// The parsed file.
    public let file: SpecFile
    /// The folder under `Specs/` the file is in (`unary`, `conv`, ...).
    public let family: String
    /// Names bound by a plain item of an input or weight shape.
    public let dimSymbols: Set<String>
    /// Names bound by a splice item of an input or weight shape.
    public let groupSymbols: Set<String>
    /// The dtypes each type variable may take.
    public let typeVariables: [String: [DType]]
    /// Every enum case name, so `mode == reflect` can name one.
    public let enumCases: Set<String>

    public init(file: SpecFile, family: String, dimSymbols: Set<String>, groupSymbols: Set<String>,
                typeVariables: [String: [DType]], enumCases: Set<String>) {
        self.file = file
        self.family = family
        self.dimSymbols = dimSymbols
        self.groupSymbols = groupSymbols
        self.typeVariables = typeVariables
        self.enumCases = enumCases
    }

    public var name: String { file.name }
    public var inputs: [PortDecl] { file.inputs }
    public var outputs: [PortDecl] { file.outputs }
    public var attributes: [AttrDecl] { file.attributes }

    public func attribute(_ name: String) -> AttrDecl? { file.attributes.first { $0.name == name } }

    /// The relative tolerance ONNX defines outputs of `dtype` to, when the spec declares one (`tolerance`).
    public func declaredTolerance(_ dtype: DType) -> Double? { file.tolerances.first { $0.dtype == dtype.rawValue }?.rtol }
    public func port(_ name: String) -> PortDecl? { file.ports.first { $0.name == name } }
    public func stage(_ name: String) -> Definition? { file.stages.first { $0.target == name } }
    public func letDecl(_ name: String) -> LetDecl? { file.lets.first { $0.name == name } }

    /// The dtypes a port may have: its type variable's set, or its fixed dtype (empty when a dtype attribute decides).
    public func allowedDTypes(_ port: PortDecl) -> [DType] {
        typeVariables[port.type.name] ?? DType(rawValue: port.type.name).map { [$0] } ?? []
    }

    /// The shape items of a tensor a read can name: a port or a stage.
    public func declaredShape(_ tensor: String) -> [IndexItem]? {
        port(tensor)?.shape ?? stage(tensor)?.shape
    }
}
