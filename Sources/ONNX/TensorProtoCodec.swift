import CProtobufONNX
import Foundation
import TensorCore

/// Converts between graphsmith tensors and ONNX `TensorProto` messages (and `.pb` tensor files).
public enum TensorProtoCodec {
    /// The largest tensor a file may declare; larger claims are treated as corrupt rather than allocated (the same
    /// cap as the text format's).
    public static let maxElements = TensorType.maxElements

    /// Decodes a serialized `TensorProto` (a `.pb` test-data file).
    public static func decode(_ bytes: [UInt8], what: String = "tensor") throws -> (name: String, tensor: Tensor) {
        let proto = bytes.withUnsafeBufferPointer { onnx__tensor_proto__unpack(nil, $0.count, $0.baseAddress) }
        guard let proto else { throw OnnxError("\(what): not a valid TensorProto (corrupt or truncated protobuf)") }
        defer { onnx__tensor_proto__free_unpacked(proto, nil) }
        return (swiftString(proto.pointee.name), try tensor(proto.pointee, what: what))
    }

    /// Encodes a tensor as a serialized `TensorProto` with `raw_data`.
    public static func encode(_ tensor: Tensor, name: String) -> [UInt8] {
        let arena = ProtoArena()
        let proto = message(tensor, name: name, arena)
        let size = onnx__tensor_proto__get_packed_size(proto)
        var out = [UInt8](repeating: 0, count: size)
        out.withUnsafeMutableBufferPointer { _ = onnx__tensor_proto__pack(proto, $0.baseAddress) }
        return out
    }

    /// Reads a `.pb` tensor file.
    public static func read(path: String) throws -> (name: String, tensor: Tensor) {
        guard let data = FileManager.default.contents(atPath: path) else { throw OnnxError("\(path): cannot read file") }
        do { return try decode([UInt8](data), what: path) } catch let e as OnnxError { throw e.message.hasPrefix(path) ? e : e.prefixed(path) }
    }

    /// Writes a `.pb` tensor file atomically, replacing whatever is there (graphsmith names these files in folders of
    /// its own, see `OutputFile.replace`).
    public static func write(_ tensor: Tensor, name: String, path: String) throws {
        try OutputFile.replace(Data(encode(tensor, name: name)), at: path, durable: false)
    }

    /// Builds a `TensorProto` in `arena` memory.
    static func message(_ tensor: Tensor, name: String, _ arena: ProtoArena) -> UnsafeMutablePointer<Onnx__TensorProto> {
        let p: UnsafeMutablePointer<Onnx__TensorProto> = arena.message(onnx__tensor_proto__init)
        p.pointee.n_dims = tensor.shape.count
        p.pointee.dims = arena.array(tensor.shape.map(Int64.init))
        p.pointee.has_data_type = 1
        p.pointee.data_type = OnnxDataType.code(tensor.dtype)
        p.pointee.name = arena.string(name)
        p.pointee.has_raw_data = 1
        p.pointee.raw_data = arena.binary(tensor.littleEndianBytes)
        return p
    }

    static func byteWidth(_ d: DType) -> Int { d.byteWidth }

    /// Decodes an unpacked `TensorProto`.
    static func tensor(_ p: Onnx__TensorProto, what: String) throws -> Tensor {
        guard p.has_data_location == 0 || p.data_location.rawValue == 0 else { throw OnnxError("\(what): external data is not supported") }
        guard let dtype = OnnxDataType.dtype(p.data_type) else {
            throw OnnxError("\(what): unsupported element type \(OnnxDataType.name(p.data_type))", kind: .foreignDType)
        }
        let shape = try dims(p.dims, p.n_dims, what: what)
        let count = shape.reduce(1, *)
        var bits: [UInt64]
        if p.has_raw_data != 0 {
            let width = byteWidth(dtype)
            guard p.raw_data.len == count * width else {
                throw OnnxError("\(what): raw_data has \(p.raw_data.len) bytes, shape \(shape) of \(dtype) needs \(count * width)")
            }
            let raw = UnsafeBufferPointer(start: p.raw_data.data, count: p.raw_data.len)
            bits = (0..<count).map { i in (0..<width).reduce(UInt64(0)) { $0 | UInt64(raw[i * width + $1]) << (8 * UInt64($1)) } }
        } else {
            bits = try typedData(p, dtype, what: what)
            guard bits.count == count else { throw OnnxError("\(what): has \(bits.count) values, shape \(shape) needs \(count)") }
        }
        // Only 0 and 1 are bools; other bytes would read as true in one backend and be compared bit by bit in another.
        if dtype == .bool, let k = bits.firstIndex(where: { $0 > 1 }) {
            throw OnnxError("\(what): bool element \(k) is \(bits[k]); a bool is 0 or 1")
        }
        return Tensor(dtype: dtype, shape: shape, bits: bits)
    }

    static func dims(_ p: UnsafeMutablePointer<Int64>?, _ n: Int, what: String) throws -> [Int] {
        guard n <= 64 else { throw OnnxError("\(what): rank \(n) is too large") }
        let shape = (0..<n).map { Int(p![$0]) }
        var count = 1
        for d in shape {
            guard d >= 0 else { throw OnnxError("\(what): negative dim \(d)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= maxElements else { throw OnnxError("\(what): shape \(shape) is too large") }
            count = product
        }
        return shape
    }

    /// The typed `*_data` field each dtype uses when there is no `raw_data`.
    static func typedData(_ p: Onnx__TensorProto, _ dtype: DType, what: String) throws -> [UInt64] {
        func values<T>(_ ptr: UnsafeMutablePointer<T>?, _ n: Int) -> [T] { n == 0 ? [] : Array(UnsafeBufferPointer(start: ptr, count: n)) }
        switch dtype {
        case .f32: return values(p.float_data, p.n_float_data).map { ElementCodec.bits(of: .float(Double($0)), as: .f32) }
        case .f64: return values(p.double_data, p.n_double_data).map { $0.bitPattern }
        case .i64: return values(p.int64_data, p.n_int64_data).map { UInt64(bitPattern: $0) }
        case .u32, .u64: return values(p.uint64_data, p.n_uint64_data).map { ElementCodec.bits(of: .uint($0), as: dtype) }
        case .f16, .bf16: return values(p.int32_data, p.n_int32_data).map { UInt64(UInt16(truncatingIfNeeded: $0)) }
        default: return values(p.int32_data, p.n_int32_data).map { ElementCodec.bits(of: .int(Int64($0)), as: dtype) }
        }
    }
}
