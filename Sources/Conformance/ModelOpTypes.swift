import CProtobufONNX
import Foundation
import ONNX

/// The operator types a model file uses, read without importing it (for reports).
enum ModelOpTypes {
    static func read(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let bytes = [UInt8](data)
        guard let proto = bytes.withUnsafeBufferPointer({ onnx__model_proto__unpack(nil, $0.count, $0.baseAddress) }) else { return [] }
        defer { onnx__model_proto__free_unpacked(proto, nil) }
        guard let g = proto.pointee.graph else { return [] }
        var out: [String] = []
        for k in 0..<g.pointee.n_node {
            guard let n = g.pointee.node[k], let t = n.pointee.op_type else { continue }
            let s = String(cString: t)
            if !out.contains(s) { out.append(s) }
        }
        return out
    }
}
