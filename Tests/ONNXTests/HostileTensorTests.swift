import TensorCore
import XCTest
@testable import ONNX

/// `.pb` tensors (and so initializers) with values their dtype does not have are refused, naming the tensor.
final class HostileTensorTests: XCTestCase {
    /// A bool `raw_data` byte other than 00 or 01 (Tensor keeps the whole byte, so encoding writes it as it is).
    func testBoolBytesOtherThanZeroAndOneAreRefused() {
        for byte: UInt64 in [2, 0xff] {
            let bytes = TensorProtoCodec.encode(Tensor(dtype: .bool, shape: [3], bits: [1, 0, byte]), name: "flags")
            XCTAssertThrowsError(try TensorProtoCodec.decode(bytes, what: "flags.pb")) { error in
                let message = (error as? OnnxError)?.message ?? "\(error)"
                XCTAssertTrue(message.hasPrefix("flags.pb: bool element 2 is \(byte)"), message)
            }
        }
        let valid = TensorProtoCodec.encode(Tensor(dtype: .bool, shape: [2], bits: [1, 0]), name: "flags")
        XCTAssertEqual(try TensorProtoCodec.decode(valid).tensor.bits, [1, 0])
    }

}
