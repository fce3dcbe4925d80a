import Foundation
import TestSupport
import XCTest

/// End-to-end tests of the `graphsmith` executable: exit codes, one-line errors and output formats.
final class CLITests: XCTestCase {
    func testVersionAndHelp() throws {
        let version = try Graphsmith.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("graphsmith "), version.stdout)
        for command in [["--help"], ["specs", "list", "--help"], ["specs", "check", "--help"], ["specs", "show", "--help"],
                        ["specs", "test", "--help"], ["run", "--help"]] {
            let help = try Graphsmith.run(command)
            XCTAssertEqual(help.status, 0, "\(command)")
            XCTAssertTrue(help.stdout.contains("Examples:"), "\(command) has no Examples section")
        }
    }

    func testSpecsCheckReportsMalformedSpecWithLocation() throws {
        let dir = try temporaryDirectory(self).appendingPathComponent("unary")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("Broken.op")
        try "op Broken\ntypes T in f32\ninput X: T[*S]\noutput Y: T[*S]\ncompute Y[*i] = X[*i] +\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try Graphsmith.run(["specs", "check", dir.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        let line = try XCTUnwrap(result.errorLines.first)
        XCTAssertTrue(line.hasPrefix(file.path + ":5:"), line)
        XCTAssertNotNil(line.range(of: #"^.+:\d+:\d+: error: .+$"#, options: .regularExpression), line)
    }

    func testSpecsCheckPassesOnRepositorySpecs() throws {
        let result = try Graphsmith.run(["specs", "check", "--specs", repositorySpecs])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasSuffix("operators OK\n"), result.stdout)
    }

    func testSpecsListJSON() throws {
        let result = try Graphsmith.run(["specs", "list", "--json", "--specs", repositorySpecs])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let ops = try XCTUnwrap(json as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(ops.count, 60)
        let relu = try XCTUnwrap(ops.first { $0["name"] as? String == "Relu" })
        XCTAssertEqual(relu["family"] as? String, "unary")
        XCTAssertEqual((relu["onnx"] as? [String: Any])?["op"] as? String, "Relu")
        XCTAssertEqual((relu["inputs"] as? [[String: Any]])?.first?["role"] as? String, "input")
        XCTAssertEqual(relu["torch"] as? Int, 1)
        for op in ops {
            for key in ["name", "family", "file", "onnx", "torch", "inputs", "outputs", "attributes"] {
                XCTAssertTrue(op.keys.contains(key), "\(op["name"] ?? "?") lacks \(key)")
            }
        }
    }

    func testSpecsShowAndUnknownOperator() throws {
        let show = try Graphsmith.run(["specs", "show", "Relu", "--specs", repositorySpecs])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("op Relu"))
        XCTAssertTrue(show.stdout.contains("Relu.op"))
        let unknown = try Graphsmith.run(["specs", "show", "NoSuchOp", "--specs", repositorySpecs])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.errorLines.count, 1, unknown.stderr)
        XCTAssertTrue(unknown.stderr.hasPrefix("error: unknown operator 'NoSuchOp'"), unknown.stderr)
    }

    func testSpecsTestRunsChecks() throws {
        let result = try Graphsmith.run(["specs", "test", "Relu", "Add", "--count", "5", "--specs", repositorySpecs])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("Relu: 5 instances, 5 ok"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Add: 5 instances, 5 ok"), result.stdout)
        let unknown = try Graphsmith.run(["specs", "test", "Nope", "--specs", repositorySpecs])
        XCTAssertEqual(unknown.status, 2)
    }

    /// `--backend` compares a backend with the reference on every instance and counts what it skipped.
    func testSpecsTestComparesANamedBackend() throws {
        let result = try Graphsmith.run(["specs", "test", "Relu", "--count", "3", "--no-onnxruntime", "--backend", "vm-O2",
                                         "--specs", repositorySpecs])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("backend vm-O2: compared on every instance"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Relu: 3 instances, 3 ok"), result.stdout)
        XCTAssertTrue(result.stdout.contains("vm-O2: 0 of 3 instances skipped as unsupported"), result.stdout)
    }

    func testRunMissingFile() throws {
        let result = try Graphsmith.run(["run", "/nonexistent/model.txt", "--specs", repositorySpecs])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("error: "), result.stderr)
        XCTAssertTrue(result.stdout.isEmpty)
    }

    func testRunMalformedModelGivesLocation() throws {
        let file = try temporaryDirectory(self).appendingPathComponent("bad.txt")
        try "graphsmith-model 1\ninput x f32[2]\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try Graphsmith.run(["run", file.path, "--specs", repositorySpecs])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.errorLines, ["\(file.path):2:9: error: expected ':', found 'f'"])
    }

    func testRunModelFileAndBundles() throws {
        let dir = try temporaryDirectory(self)
        let model = dir.appendingPathComponent("model.txt")
        try """
            graphsmith-model 1
            input x: f32[2, 3]
            weight b: f32[3] = 3f800000 40000000 40400000
            node s: f32[2, 3] = Add(x, b)
            node y: f32[2, 3] = Relu(s)
            output y

            """.write(to: model, atomically: true, encoding: .utf8)
        let printed = try Graphsmith.run(["run", model.path, "--seed", "4", "--specs", repositorySpecs])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertTrue(printed.stdout.contains("output y: f32[2, 3]"), printed.stdout)
        XCTAssertTrue(printed.stdout.contains("nan 0"), printed.stdout)

        // Inputs from a bundle, outputs to a bundle.
        let inputs = dir.appendingPathComponent("inputs.txt")
        try "graphsmith-model 1\nweight x: f32[2, 3] = bf800000 00000000 3f800000 c0800000 3f000000 40000000\n"
            .write(to: inputs, atomically: true, encoding: .utf8)
        let outputs = dir.appendingPathComponent("outputs.txt")
        let saved = try Graphsmith.run(["run", model.path, "--inputs", inputs.path, "--out", outputs.path, "--specs", repositorySpecs])
        XCTAssertEqual(saved.status, 0, saved.stderr)
        let text = try String(contentsOf: outputs, encoding: .utf8)
        // y = relu(x + [1, 2, 3]) = [0, 2, 4, 0, 2.5, 5]
        XCTAssertEqual(text, "graphsmith-model 1\nweight y: f32[2, 3] = 00000000 40000000 40800000 00000000 40200000 40a00000\n")
    }

    func testRunDemo() throws {
        let result = try Graphsmith.run(["run", "--demo", "--specs", repositorySpecs])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("output y: f32[2, 3]"), result.stdout)
    }

    func testWrongFlagIsUserError() throws {
        for args in [["--frobnicate"], ["specs", "list", "--frobnicate"], ["run", "--demo", "--seed", "x"], ["nosuchcommand"]] {
            let result = try Graphsmith.run(args)
            XCTAssertEqual(result.status, 2, "\(args)")
            XCTAssertEqual(result.errorLines.count, 1, "\(args): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("error: "), "\(args): \(result.stderr)")
        }
    }

    func testSpecsDirectoryFromEnvironmentAndMissingDirectory() throws {
        let fromEnv = try Graphsmith.run(["specs", "check"], in: FileManager.default.temporaryDirectory,
                                         environment: ["GRAPHSMITH_SPECS": repositorySpecs])
        XCTAssertEqual(fromEnv.status, 0, fromEnv.stderr)
        let missing = try Graphsmith.run(["specs", "list", "--specs", "/nonexistent/specs"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.errorLines.count, 1, missing.stderr)
    }

    func testSpecsOptionBeforeSubcommand() throws {
        let result = try Graphsmith.run(["--specs", repositorySpecs, "specs", "show", "Relu"], in: FileManager.default.temporaryDirectory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("op Relu"))
    }
}
