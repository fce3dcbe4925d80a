import Foundation
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import LoopIR

/// Which C compiler builds a program, and TinyCC's builds against the system compiler's.
final class NativeBuildTests: XCTestCase {
    let library = try! SpecLibrary.load(directory: repositorySpecs)

    func requireTinyCC() throws {
        guard CCompiler.tiny.isAvailable else { throw XCTSkip("tcc is not installed (Scripts/setup.sh installs it)") }
    }

    func testAnExactBuildIsAlwaysTheSystemCompilers() {
        for digit in "0123456789abcdef" {
            XCTAssertEqual(NativeBuild.exact.compilers(exactKey: "ab\(digit)"), [.system])
        }
    }

    /// One key in eight (last hexadecimal digit 0 or 8) is built exactly; the rest by TinyCC, after the system
    /// compiler's cached build.
    func testAScreenedBuildIsTinyCCButOneInEight() throws {
        try requireTinyCC()
        let choices = "0123456789abcdef".map { NativeBuild.screening.compilers(exactKey: "ab\($0)") }
        XCTAssertEqual(choices.filter { $0 == [.system] }.count, 16 / NativeBuild.exactShare)
        XCTAssertEqual(choices.filter { $0 == [.system, .tiny] }.count, 16 - 16 / NativeBuild.exactShare)
        XCTAssertEqual(choices[0], [.system])
        XCTAssertEqual(choices[3], [.system, .tiny])
    }

    /// A new empty private folder for a cache, removed when the test ends.
    func cache() throws -> NativeCache {
        let dir = NSTemporaryDirectory() + "native-build-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return NativeCache(folder: dir)
    }

    func tanh(_ n: Int) throws -> LoweredOp {
        try Lowering.lower(try XCTUnwrap(library.spec(named: "Tanh")).instantiate(inputs: [TensorType(.f32, [n])], attributes: [:]))
    }

    /// A screened program takes the system compiler's cached library when there is one, else TinyCC builds it.
    func testAScreenedBuildPrefersTheSystemCompilersCachedLibrary() throws {
        try requireTinyCC()
        let cache = try cache()
        let x = Tensor(dtype: .f32, shape: [5], doubles: [-2, -0.5, 0, 0.25, 3])
        let screened = try NativeProgram([try tanh(5)], compilers: [.system, .tiny], cache: cache)
        XCTAssertEqual(screened.compiler, .tiny)
        let exact = try NativeProgram([try tanh(5)], cache: cache)
        XCTAssertEqual(exact.compiler, .system)
        XCTAssertNotEqual(exact.libraryPath, screened.libraryPath)
        let again = try NativeProgram([try tanh(5)], compilers: [.system, .tiny], cache: cache)
        XCTAssertEqual(again.compiler, .system)
        XCTAssertEqual(again.libraryPath, exact.libraryPath)
        XCTAssertEqual(try screened.run(op: 0, inputs: [x]), try exact.run(op: 0, inputs: [x]))
    }

    /// TinyCC's build of every spec's sampled instances gives the system compiler's outputs bit for bit: a pass
    /// of the screen is a pass of the same C.
    func testTinyCCBuildsGiveTheSystemCompilersOutputs() throws {
        try requireTinyCC()
        let cases = try NativeAgainstReferenceTests.sampledCases(library)
        let ops = try cases.map { try Lowering.lower($0.0) }
        let tiny = try NativeProgram(ops, compilers: [.tiny])
        let system = try NativeProgram(ops, compilers: [.system])
        XCTAssertEqual(tiny.compiler, .tiny)
        var differing: [String] = []
        for (k, (instance, inputs, _)) in cases.enumerated() {
            let a = Result { try tiny.run(op: k, inputs: inputs) }, b = Result { try system.run(op: k, inputs: inputs) }
            switch (a, b) {
            case (.success(let x), .success(let y)) where x.map(\.bits) == y.map(\.bits): continue
            case (.failure(let x), .failure(let y)) where "\(x)" == "\(y)": continue
            default: differing.append("\(instance.name) \(instance.inputTypes) \(instance.attributes)")
            }
        }
        print("tcc against cc: \(cases.count) instances, \(differing.count) differ")
        XCTAssertEqual(differing, [], differing.prefix(15).joined(separator: "\n"))
    }
}
