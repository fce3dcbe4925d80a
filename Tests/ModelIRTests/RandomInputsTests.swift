import TensorCore
import XCTest
@testable import ModelIR

final class RandomInputsTests: XCTestCase {
    let model = Model(inputs: [ValueInfo("a", TensorType(.f32, [4, 5])), ValueInfo("b", TensorType(.i8, [7])),
                               ValueInfo("c", TensorType(.bool, [3])), ValueInfo("d", TensorType(.bf16, [2, 2]))],
                      outputs: ["a"])

    func testSameSeedSameBits() {
        XCTAssertEqual(model.randomInputs(seed: 42), model.randomInputs(seed: 42))
    }

    func testDifferentSeedsDiffer() {
        XCTAssertNotEqual(model.randomInputs(seed: 1)["a"], model.randomInputs(seed: 2)["a"])
    }

    func testRanges() {
        let inputs = model.randomInputs(seed: 3)
        XCTAssertTrue(inputs["a"]!.doubles.allSatisfy { $0 >= -1 && $0 <= 1 })
        XCTAssertTrue(inputs["b"]!.doubles.allSatisfy { $0 >= -5 && $0 <= 5 && $0 == $0.rounded() })
        XCTAssertTrue(inputs["c"]!.bits.allSatisfy { $0 <= 1 })
    }
}
