import TensorCore
import TestSupport
import XCTest
@testable import LoopIR

/// `simplify-index`: expressions before and after, and a check that simplification never changes a value.
final class IndexSimplificationTests: XCTestCase {
    let i0 = LExpr.slot(0), i1 = LExpr.slot(1)
    /// i0 in 0...2, i1 in 0...3: a [3, 4] loop nest.
    let ranges: [Int: ClosedRange<Int>] = [0: 0...2, 1: 0...3]

    func simplified(_ e: LExpr) -> String { IndexSimplification.simplify(e, slotRanges: ranges).description }
    func add(_ a: LExpr, _ b: LExpr) -> LExpr { .binary("+", a, b) }
    func mul(_ a: LExpr, _ b: LExpr) -> LExpr { .binary("*", a, b) }

    func testDelinearizingARowMajorOffsetGivesTheLoopVariablesBack() {
        let offset = add(mul(i0, .int(4)), i1)  // (i0 * 4) + i1, in 0...11
        XCTAssertEqual(offset.description, "((i0 * 4) + i1)")
        XCTAssertEqual(simplified(.binary("/", offset, .int(4))), "i0")
        XCTAssertEqual(simplified(.binary("%", offset, .int(4))), "i1")
        XCTAssertEqual(simplified(.binary("%", .binary("/", offset, .int(1)), .int(12))), "((i0 * 4) + i1)")
    }

    func testUnitsAndConstantsFold() {
        XCTAssertEqual(simplified(add(mul(i0, .int(1)), .int(0))), "i0")
        XCTAssertEqual(simplified(add(mul(.int(3), .int(4)), i1)), "(i1 + 12)")
        XCTAssertEqual(simplified(mul(i1, .int(0))), "0")
        XCTAssertEqual(simplified(.binary("-", add(i0, i1), i0)), "i1")
    }

    func testNegativeDividendsKeepTruncatingSemantics() {
        // (i0 * 4 + i1 - 8) is in -8...3: floor semantics would give i0 - 2 and i1, truncation does not.
        let shifted = add(add(mul(i0, .int(4)), i1), .int(-8))
        XCTAssertEqual(simplified(.binary("/", shifted, .int(4))), "((((i0 * 4) + i1) + -8) / 4)")
        XCTAssertEqual(simplified(.binary("%", shifted, .int(4))), "((((i0 * 4) + i1) + -8) % 4)")
        // |i0 - 2| < 4: the quotient truncates to 0 and the remainder is the value itself.
        XCTAssertEqual(simplified(.binary("/", .binary("-", i0, .int(2)), .int(4))), "0")
        XCTAssertEqual(simplified(.binary("%", .binary("-", i0, .int(2)), .int(4))), "(i0 + -2)")
    }

    func testBoundsChecksDecidedByRangesDisappear() {
        let check = LExpr.binary("&&", .binary(">=", i1, .int(0)), .binary("<", i1, .int(4)))
        XCTAssertEqual(simplified(check), "true")
        XCTAssertEqual(simplified(.binary("<", i1, .int(3))), "(i1 < 3)")
        let read = LExpr.load(buffer: 0, offset: i1, inBounds: check, fallback: .const(.float(0)))
        XCTAssertEqual(simplified(read), "b0[i1]")
    }

    func testFloatsAndLoadsAreLeftAlone() {
        let x = LExpr.load(buffer: 0, offset: i0, inBounds: .const(.bool(true)), fallback: nil)
        XCTAssertEqual(simplified(add(x, .int(0))), "(b0[i0] + 0)")
        XCTAssertEqual(simplified(mul(.const(.float(2)), .int(1))), "2.0")
    }

    /// Random integer index expressions (negative constants included) evaluate the same before and after.
    func testSimplificationNeverChangesAValue() throws {
        var rng = SeededRNG(seed: 11)
        var changed = 0
        for _ in 0..<400 {
            let e = randomIndex(depth: 4, &rng)
            let s = IndexSimplification.simplify(e, slotRanges: ranges)
            if s.description != e.description { changed += 1 }
            let before = VM.compile(e), after = VM.compile(s)
            for a in 0...2 {
                for b in 0...3 {
                    let frame = VM.Frame(slots: 2, buffers: [])
                    frame.slots = [a, b]
                    let x = try? before(frame), y = try? after(frame)
                    XCTAssertEqual(x, y, "\(e) -> \(s) at i0=\(a), i1=\(b)")
                }
            }
        }
        XCTAssertGreaterThan(changed, 100)
    }

    func randomIndex(depth: Int, _ rng: inout SeededRNG) -> LExpr {
        if depth == 0 || rng.next() % 4 == 0 {
            switch rng.next() % 3 {
            case 0: return i0
            case 1: return i1
            default: return .int(Int(rng.next() % 13) - 6)
            }
        }
        let ops = ["+", "-", "*", "/", "%"]
        let op = ops[Int(rng.next() % 5)]
        let right = op == "/" || op == "%" ? LExpr.int(Int(rng.next() % 5) + 1) : randomIndex(depth: depth - 1, &rng)
        return .binary(op, randomIndex(depth: depth - 1, &rng), right)
    }
}
