import ModelIR
import Reference
import SpecLib
import TensorCore
import XCTest

/// A test run is valid when every value is finite and inside the domains of the operators that read it.
final class TestValidityTests: XCTestCase {
    func violation(_ text: String, _ x: [Float]) throws -> String? {
        let library = try sharedLibrary.get()
        let model = try TextReader.read(text)
        let input = Tensor(dtype: .f32, shape: [x.count], bits: x.map { UInt64($0.bitPattern) })
        let instances = try Verifier.verify(model, library: library)
        let values = try Interpreter.run(model, library: library, inputs: ["x": input])
        return TestValidity.violation(model, instances: instances, values: values)
    }

    let reciprocalThenCast = """
        graphsmith-model 1
        input x: f32[2]
        node r: f32[2] = Reciprocal(x)
        node c: i64[2] = Cast(r) {to = dtype(i64)}
        output c
        """

    func testAnInfiniteValueMakesTheTestInvalid() throws {
        let why = try violation(reciprocalThenCast, [0, 2])
        XCTAssertNotNil(why)
    }

    func testACastOutOfItsDomainMakesTheTestInvalid() throws {
        // 1 / 0.001 = 1000 is finite, but outside Cast's domain: converting it is not defined for narrow targets.
        XCTAssertEqual(try violation(reciprocalThenCast, [0.001, 2]), "Cast input 'r' is outside the operator's domain")
    }

    func testFiniteValuesInsideTheDomainsAreValid() throws {
        XCTAssertNil(try violation(reciprocalThenCast, [0.5, 2]))
    }

    /// A slice of equal values has variance 0, where ONNX's E[X^2] - E[X]^2 in float32 is rounding noise: outside
    /// MeanVarianceNormalization's stage domain, an undefined value, while the reference's own result is finite.
    func testAStageDomainMakesAConstantSliceUndefined() throws {
        let mvn = """
            graphsmith-model 1
            input x: f32[4]
            node y: f32[4] = MeanVarianceNormalization(x) {axes = [0]}
            output y
            """
        let why = try violation(mvn, [-0.6, -0.6, -0.6, -0.6])
        XCTAssertEqual(why?.hasPrefix("MeanVarianceNormalization stage 'Sd'"), true, why ?? "nil")
        // A tiny spread against a large mean is as bad; a spread like the values' own size is fine.
        XCTAssertNotNil(try violation(mvn, [100, 100.01, 100, 100.01]))
        XCTAssertNil(try violation(mvn, [1, -0.5, 0.25, 2]))
        let model = try TextReader.read(mvn), library = try sharedLibrary.get()
        let input = Tensor(dtype: .f32, shape: [4], doubles: [2, 2, 2, 2])
        let values = try Interpreter.run(model, library: library, inputs: ["x": input])
        XCTAssertEqual(TestValidity.check(model, instances: try Verifier.verify(model, library: library), values: values)?.undefined, true)
    }

    /// GroupNormalization and LayerNormalization take the variance as ONNX's E[X^2] - E[X]^2 too: a constant group
    /// far from 0 is outside (onnxruntime gives NaN there), a spread group is inside.
    func testNormalizationsWithAOnePassVarianceRefuseNearlyConstantGroups() throws {
        let group = """
            graphsmith-model 1
            input x: f32[4]
            weight s: f32[1] = 3f800000
            weight b: f32[1] = 00000000
            node r: f32[1, 1, 4] = Reshape(x) {n = 3, shape = [1, 1, 4]}
            node y: f32[1, 1, 4] = GroupNormalization(r, s, b) {num_groups = 1}
            output y
            """
        XCTAssertNotNil(try violation(group, [7.585573, 7.585573, 7.585573, 7.585573]))
        XCTAssertNil(try violation(group, [1, -0.5, 0.25, 2]))
        let layer = """
            graphsmith-model 1
            input x: f32[4]
            weight s: f32[4] = 3f800000 3f800000 3f800000 3f800000
            weight b: f32[4] = 00000000 00000000 00000000 00000000
            node (y: f32[4], m: f32[1], i: f32[1]) = LayerNormalization(x, s, b)
            output y
            """
        XCTAssertNotNil(try violation(layer, [100, 100.001, 100, 100.001]))
        XCTAssertNil(try violation(layer, [1, -0.5, 0.25, 2]))
    }
}
