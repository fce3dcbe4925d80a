import Foundation
import LoopIR
import TensorCore
import XCTest

/// The SHA-256 that names and checks native-code cache entries, against published digests.
final class SHA256Tests: XCTestCase {
    /// The one-block and two-block examples of FIPS 180-4 (NIST's "SHA256.pdf" example computations), the empty
    /// message, and the long-message example (a million 'a').
    func testFIPS180Examples() {
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every length around the padding boundaries (55, 56, 63, 64, 119, 120 bytes), against the system's sha256sum.
    func testEveryShortLengthAgreesWithSha256sum() throws {
        var rng = SeededRNG(seed: 256)
        for length in [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129, 1000] {
            let bytes = Data((0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            XCTAssertEqual(SHA256.hex(bytes), try sha256sum(bytes), "length \(length)")
        }
    }

    private func sha256sum(_ data: Data) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sha256sum"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        do { try p.run() } catch { throw XCTSkip("no sha256sum here") }
        try input.fileHandleForWriting.write(contentsOf: data)
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("sha256sum failed") }
        return String(text.prefix(64))
    }
}
