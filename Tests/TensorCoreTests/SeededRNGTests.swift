import XCTest
@testable import TensorCore

final class SeededRNGTests: XCTestCase {
    func testSplitMixGolden() {
        // Published SplitMix64 outputs for seed 0.
        var mixer = SplitMix64(state: 0)
        XCTAssertEqual(mixer.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(mixer.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(mixer.next(), 0x06C4_5D18_8009_454F)
        XCTAssertEqual(mixer.next(), 0xF88B_B8A8_724C_81EC)
    }

    func testXoshiroGolden() {
        // xoshiro256** outputs for the state seeded from SplitMix64(0), computed from
        // the reference definition with an independent implementation.
        var rng = SeededRNG(seed: 0)
        let expected: [UInt64] = [
            0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0,
            0x6AA5_94F1_262D_2D2C, 0xBBA5_AD4A_1F84_2E59,
        ]
        XCTAssertEqual((0..<5).map { _ in rng.next() }, expected)
    }

    func testSameSeedSameStream() {
        var a = SeededRNG(seed: 12345)
        var b = SeededRNG(seed: 12345)
        var c = SeededRNG(seed: 12346)
        let sa = (0..<1000).map { _ in a.next() }
        let sb = (0..<1000).map { _ in b.next() }
        let sc = (0..<1000).map { _ in c.next() }
        XCTAssertEqual(sa, sb)
        XCTAssertNotEqual(sa, sc)
        XCTAssertEqual(Set(sa).count, 1000)
    }

    func testIntInRange() {
        var rng = SeededRNG(seed: 3)
        var counts = [Int: Int]()
        for _ in 0..<10_000 {
            let v = rng.int(in: -2...7)
            XCTAssertTrue((-2...7).contains(v))
            counts[v, default: 0] += 1
        }
        XCTAssertEqual(counts.count, 10)
        XCTAssertTrue(counts.values.allSatisfy { $0 > 850 && $0 < 1150 }, "\(counts)")
        XCTAssertEqual(rng.int(in: 5...5), 5)
        var sawMin = false, sawMax = false
        for _ in 0..<1000 {
            let v = rng.int(in: 0...1)
            sawMin = sawMin || v == 0
            sawMax = sawMax || v == 1
        }
        XCTAssertTrue(sawMin && sawMax)
        // Extreme ranges must not overflow.
        _ = rng.int(in: Int.min...Int.max)
        let high = rng.int(in: (Int.max - 1)...Int.max)
        XCTAssertTrue(high >= Int.max - 1)
        let low = rng.int(in: Int.min...(Int.min + 2))
        XCTAssertTrue(low <= Int.min + 2)
    }

    func testIntInRangeIsStable() {
        // Pins the sampling algorithm: a change here breaks reproducibility of old seeds.
        var a = SeededRNG(seed: 0)
        var b = SeededRNG(seed: 0)
        let n = UInt64(100)
        for _ in 0..<100 {
            // Lemire: for n = 100 rejection needs low < 16 (probability ~1e-18), so high word it is.
            XCTAssertEqual(UInt64(a.int(in: 0...99)), b.next().multipliedFullWidth(by: n).high)
        }
    }

    func testUnitDoubleAndBool() {
        var rng = SeededRNG(seed: 5)
        var trues = 0
        for _ in 0..<10_000 {
            let u = rng.nextUnit()
            XCTAssertTrue(u >= 0 && u < 1)
            let d = rng.double(in: -2, 3)
            XCTAssertTrue(d >= -2 && d < 3)
            if rng.bool() { trues += 1 }
        }
        XCTAssertTrue(trues > 4700 && trues < 5300, "\(trues)")
        XCTAssertEqual(rng.double(in: 1, 1), 1)
        var golden = SeededRNG(seed: 0)
        XCTAssertEqual(golden.nextUnit(), Double(UInt64(0x99EC_5F36_CB75_F2B4) >> 11) * 0x1p-53)
    }

    func testSplit() {
        let parent = SeededRNG(seed: 77)
        var c1 = parent.split(1)
        var c1again = parent.split(1)
        var c2 = parent.split(2)
        let s1 = (0..<100).map { _ in c1.next() }
        XCTAssertEqual(s1, (0..<100).map { _ in c1again.next() })
        XCTAssertNotEqual(s1, (0..<100).map { _ in c2.next() })
        // The parent is not consumed by splitting.
        var p1 = parent
        var p2 = SeededRNG(seed: 77)
        XCTAssertEqual(p1.next(), p2.next())
        // Children differ from the parent stream.
        var fresh = SeededRNG(seed: 77)
        XCTAssertNotEqual(s1, (0..<100).map { _ in fresh.next() })
    }
}
