import ModelIR
import SpecLib
import TestSupport
import XCTest
@testable import Generator

/// Generated int attributes stay inside their declared ranges at the final ranks of the instance.
final class AttributeRangeTests: XCTestCase {
    func testIntAttributesStayInRange() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let gen = try ModelGenerator(library: library, config: GeneratorConfig())
        var outside: [String] = []
        // Seed 2661 once gave LayerNormalization axis = 3 on a rank-3 input (range -3..2).
        for seed in 2600..<2700 as Range<UInt64> {
            let m = try gen.generate(seed: seed)
            for (node, instance) in zip(m.nodes, try Verifier.verify(m, library: library)) {
                for decl in instance.spec.attributes where decl.kind == .int {
                    guard let r = decl.range, case .int(let v)? = node.attributes[decl.name],
                          let lo = try? instance.evaluator.eval(r.low).asInt(), let hi = try? instance.evaluator.eval(r.high).asInt(),
                          lo <= hi else { continue }
                    if !(lo...hi).contains(v) { outside.append("seed \(seed): \(node.op).\(decl.name) = \(v) not in \(lo)..\(hi)") }
                }
            }
        }
        XCTAssertEqual(outside, [])
    }
}
