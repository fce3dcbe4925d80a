import TensorCore
import XCTest
@testable import Reducer

final class ShapeShrinkingTests: XCTestCase {
    func testLeadingBlockKeepsTheElementsAtTheSameCoordinates() {
        // 2 x 3: [[0, 1, 2], [3, 4, 5]] -> 2 x 2: [[0, 1], [3, 4]]
        let t = Tensor(dtype: .i32, shape: [2, 3], bits: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(Reducer.leadingBlock(t, [2, 2]).bits, [0, 1, 3, 4])
        XCTAssertEqual(Reducer.leadingBlock(t, [1, 3]).bits, [0, 1, 2])
        XCTAssertEqual(Reducer.leadingBlock(t, [1, 1]).shape, [1, 1])
    }
}
