import Compiler
import Foundation
import ModelIR
import SpecLib
import TestSupport
import XCTest

/// The repository's specs, loaded once for every compiler test.
let specLibrary: SpecLibrary = {
    // Resolved, so a checkout reached through a symbolic link still lists its spec files.
    let path = URL(fileURLWithPath: repositorySpecs).resolvingSymlinksInPath().path
    do { return try SpecLibrary.load(directory: path) } catch { fatalError("cannot load specs: \(error)") }
}()

/// Reads a model written in the text format (test literals).
func model(_ text: String) throws -> Model {
    try TextReader.read(text)
}

/// A context at `level` over the repository specs, checked.
func context(_ level: OptimizationLevel = .O3, disabledPasses: Set<String> = [], disabledRules: Set<String> = []) -> PassContext {
    PassContext(library: specLibrary, level: level, disabledPasses: disabledPasses, disabledRules: disabledRules, verify: true)
}

/// Runs `pass` on the model `before` and checks the result equals the model `after` (both in the text format),
/// and that the result verifies.
func assertPass(_ pass: Pass, _ before: String, _ after: String, context ctx: PassContext = context(),
                file: StaticString = #filePath, line: UInt = #line) throws {
    let input = try TextReader.read(before)
    try Verifier.verify(input, library: specLibrary)
    let output = try pass(input, ctx)
    try Verifier.verify(output, library: specLibrary)
    let expected = try TextReader.read(after)
    XCTAssertEqual(TextWriter.write(output), TextWriter.write(expected), "after \(pass.name)", file: file, line: line)
}
