import CProtobufONNX
import TensorCore

extension ImportBuilder {
    /// A graph output's declared type must agree with the one its producer computes: an element type or a concrete
    /// dim that differs means the file and graphsmith disagree about the model, and importing it would hide that.
    /// A declaration that leaves the type, the shape or a dim open (symbolic) constrains nothing there.
    static func checkDeclared(_ v: Onnx__ValueInfoProto, computed: TensorType, what: String) throws {
        guard let type = v.type, type.pointee.value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE, let tt = type.pointee.tensor_type else { return }
        if tt.pointee.elem_type != 0, tt.pointee.elem_type != OnnxDataType.code(computed.dtype) {
            throw OnnxError("\(what): declared element type \(OnnxDataType.name(tt.pointee.elem_type)) but the graph computes \(computed)")
        }
        guard let shape = tt.pointee.shape else { return }
        let declared: [Int?] = (0..<shape.pointee.n_dim).map { k in
            guard let d = shape.pointee.dim[k], d.pointee.value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE else { return nil }
            return Int(d.pointee.dim_value)
        }
        let agrees = declared.count == computed.rank && zip(declared, computed.shape).allSatisfy { $0 == nil || $0 == $1 }
        guard agrees else {
            let text = "[" + declared.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]"
            throw OnnxError("\(what): declared shape \(text) but the graph computes \(computed)")
        }
    }
}
