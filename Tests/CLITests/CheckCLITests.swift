import Foundation
import XCTest

/// `graphsmith check MODEL.onnx`: a user's exported model run on the reference and on backends, a disagreement filed
/// as a campaign finding that `reduce` minimizes and `replay` reruns, and bad input refused in one line.
final class CheckCLITests: XCTestCase {
    /// A small image classifier as an older PyTorch exporter writes one (values named by number, weights as initializers):
    /// Conv, Relu, MaxPool, Conv 1x1, Relu, Flatten, Gemm, Softmax. Written in the text format and converted to ONNX by
    /// `graphsmith convert` (the exporter), so the file is a real ONNX model. `side` is the input image's side.
    static func classifier(side: Int = 6) -> String {
        var rng = UInt64(12345)
        func weights(_ count: Int) -> String {
            (0..<count).map { _ -> String in
                rng = rng &* 6364136223846793005 &+ 1442695040888963407
                let x = Float(Double(rng >> 40) / Double(1 << 24) - 0.5)
                return String(format: "%08x", x.bitPattern)
            }.joined(separator: " ")
        }
        let half = side / 2, flat = 4 * half * half
        return """
            graphsmith-model 1
            input input.1: f32[1, 2, \(side), \(side)]
            weight conv1.weight: f32[4, 2, 3, 3] = \(weights(72))
            weight conv1.bias: f32[4] = \(weights(4))
            weight conv2.weight: f32[4, 4, 1, 1] = \(weights(16))
            weight conv2.bias: f32[4] = \(weights(4))
            weight fc.weight: f32[5, \(flat)] = \(weights(5 * flat))
            weight fc.bias: f32[5] = \(weights(5))
            node 9: f32[1, 4, \(side), \(side)] = Conv(input.1, conv1.weight, conv1.bias) {dilations = [1, 1], group = 1, pads = [1, 1, 1, 1], strides = [1, 1]}
            node 10: f32[1, 4, \(side), \(side)] = Relu(9)
            node input.4: f32[1, 4, \(half), \(half)] = MaxPool(10) {ceil_mode = 0, dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]}
            node 12: f32[1, 4, \(half), \(half)] = Conv(input.4, conv2.weight, conv2.bias) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]}
            node 13: f32[1, 4, \(half), \(half)] = Relu(12)
            node 14: f32[1, \(flat)] = Flatten(13) {axis = 1}
            node 15: f32[1, 5] = Gemm(14, fc.weight, fc.bias) {alpha = 1.0, beta = 1.0, transA = 0, transB = 1}
            node output: f32[1, 5] = Softmax(15) {axis = 1}
            output output

            """
    }

    /// `classifier(side:)` written to `dir/name.onnx` through `graphsmith convert`.
    func exportedModel(_ dir: URL, name: String = "model", side: Int = 6) throws -> URL {
        let text = dir.appendingPathComponent("\(name).txt"), onnx = dir.appendingPathComponent("\(name).onnx")
        try Self.classifier(side: side).write(to: text, atomically: true, encoding: .utf8)
        let r = try Graphsmith.run(["convert", text.path, onnx.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        return onnx
    }

    func testAgreeingModelExitsZeroAndFilesNothing() throws {
        let dir = try temporaryDirectory(self)
        let model = try exportedModel(dir)
        let out = dir.appendingPathComponent("out")
        let r = try Graphsmith.run(["check", model.path, "--backends", "vm-O0,vm-O3", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "\(model.path): the reference and vm-O0, vm-O3 agree\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing is written when every backend agrees")
    }

    /// An injected compiler fault gives a finding folder as a campaign writes it; `reduce` cuts it to at most three
    /// operators and `replay` reproduces the reduced finding.
    func testInjectedFaultIsAFindingThatReducesAndReplays() throws {
        let dir = try temporaryDirectory(self)
        let model = try exportedModel(dir)
        let out = dir.appendingPathComponent("out")
        let r = try Graphsmith.run(["check", model.path, "--backends", "vm-O3", "--inject-fault", "vector-tail-dropped",
                                    "--out", out.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let folder = try XCTUnwrap(lines.first { $0.hasPrefix("finding: ") }).dropFirst("finding: ".count)
        XCTAssertTrue(folder.hasPrefix(out.path + "/findings/f-"), r.stdout)
        XCTAssertTrue(lines.contains("minimize it: graphsmith reduce \(folder)"), r.stdout)
        XCTAssertTrue(lines.contains("replay it:   graphsmith replay \(folder)"), r.stdout)
        for name in ["finding.json", "config.json", "model.txt", "model.onnx", "report.md", "inputs/input.1.pb",
                     "outputs/reference/0.pb", "outputs/vm-O3/0.pb"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/\(name)"), "missing \(name)")
        }
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/finding.json"))) as? [String: Any]
        XCTAssertEqual(record?["verdict"] as? String, "mismatch")
        XCTAssertEqual(record?["backends"] as? [String], ["vm-O3"])
        XCTAssertEqual(record?["repro"] as? String, "graphsmith replay \(folder)")

        let reduced = dir.appendingPathComponent("reduced").path
        let red = try Graphsmith.run(["reduce", String(folder), "--out", reduced, "--time", "3m"])
        XCTAssertEqual(red.status, 0, red.stderr)
        let nodes = try String(contentsOfFile: reduced + "/model.txt", encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("node ") }
        XCTAssertGreaterThan(nodes.count, 0)
        XCTAssertLessThanOrEqual(nodes.count, 3, nodes.joined(separator: "\n"))
        let replay = try Graphsmith.run(["replay", reduced])
        XCTAssertEqual(replay.status, 0, replay.stdout + replay.stderr)
        XCTAssertTrue(replay.stdout.contains(": reproduces"), replay.stdout)
    }

    /// Inputs from a folder in each layout: a finding's `inputs/NAME.pb`, ONNX test data's `input_K.pb`, `gen
    /// --with-data`'s `inputs/K.pb`; the same inputs file the same finding (at a wider tolerance too, which the
    /// finding's config keeps for replay and reduce), and a tensor of the wrong shape is refused naming its file.
    func testInputsFromAFolder() throws {
        let dir = try temporaryDirectory(self)
        let model = try exportedModel(dir)
        let first = dir.appendingPathComponent("first").path
        let args = ["--backends", "vm-O3", "--inject-fault", "vector-tail-dropped"]
        let r = try Graphsmith.run(["check", model.path, "--out", first] + args)
        XCTAssertEqual(r.status, 1, r.stderr)
        let folder = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: first + "/findings").first)
        let finding = "\(first)/findings/\(folder)"
        let againOut = dir.appendingPathComponent("again").path
        let again = try Graphsmith.run(["check", model.path, "--inputs", finding, "--out", againOut, "--tolerance", "5"] + args)
        XCTAssertEqual(again.status, 1, again.stderr)
        XCTAssertTrue(again.stdout.contains("finding \(folder)"), "the same inputs give the same fingerprint: " + again.stdout)
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(againOut)/findings/\(folder)/config.json"))) as? [String: Any]
        XCTAssertEqual(config?["toleranceScale"] as? Double, 5)

        let genData = dir.appendingPathComponent("model-0/inputs")
        try FileManager.default.createDirectory(at: genData, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: finding + "/inputs/input.1.pb", toPath: genData.appendingPathComponent("0.pb").path)
        let fromGen = try Graphsmith.run(["check", model.path, "--inputs", genData.deletingLastPathComponent().path, "--out", againOut] + args)
        XCTAssertEqual(fromGen.status, 1, fromGen.stderr)
        XCTAssertTrue(fromGen.stdout.contains("finding \(folder)"), fromGen.stdout)

        let testData = dir.appendingPathComponent("test_data_set_0")
        try FileManager.default.createDirectory(at: testData, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: finding + "/inputs/input.1.pb", toPath: testData.appendingPathComponent("input_0.pb").path)
        let agree = try Graphsmith.run(["check", model.path, "--inputs", testData.path, "--backends", "vm-O0",
                                        "--out", dir.appendingPathComponent("o").path])
        XCTAssertEqual(agree.status, 0, agree.stderr)

        let bigger = try exportedModel(dir, name: "bigger", side: 8)
        let bad = try Graphsmith.run(["check", bigger.path, "--inputs", testData.path, "--backends", "vm-O0"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.errorLines, ["error: \(testData.path)/input_0.pb: holds a f32[1, 2, 6, 6] tensor, model input 'input.1' is f32[1, 2, 8, 8]"])
    }

    func testBadInputIsOneLineAndExitTwo() throws {
        let dir = try temporaryDirectory(self)
        let model = try exportedModel(dir)
        let missing = dir.appendingPathComponent("nope.onnx").path
        let corrupt = dir.appendingPathComponent("corrupt.onnx")
        try Data([0x08, 0xff, 0xff, 0x12, 0x99]).write(to: corrupt)
        // An operator without a spec: the exporter's Softmax renamed in the file (node name and op type; same length,
        // so still valid protobuf).
        var bytes = try Data(contentsOf: model)
        XCTAssertNotNil(bytes.range(of: Data("Softmax".utf8)))
        while let at = bytes.range(of: Data("Softmax".utf8)) { bytes.replaceSubrange(at, with: Data("Softmix".utf8)) }
        let unknownOp = dir.appendingPathComponent("unknown-op.onnx")
        try bytes.write(to: unknownOp)
        let file = dir.appendingPathComponent("a-file")
        try Data().write(to: file)
        let cases: [([String], String)] = [
            (["check", missing, "--backends", "vm-O0"], missing),
            (["check", corrupt.path, "--backends", "vm-O0"], corrupt.path),
            (["check", unknownOp.path, "--backends", "vm-O0"], "Softmix"),
            (["check", model.path, "--backends", "vm-O9"], "vm-O9"),
            (["check", model.path, "--backends", "vm-O0", "--inject-fault", "no-such-fault"], "no-such-fault"),
            (["check", model.path, "--backends", "vm-O0", "--inject-fault", "test-trap"], "test-trap"),
            (["check", model.path, "--backends", "vm-O0", "--inputs", missing], "--inputs"),
            (["check", model.path, "--backends", "vm-O0", "--inputs", dir.path], "--inputs"),
            (["check", model.path, "--backends", "vm-O0", "--out", file.path], "--out"),
            (["check", model.path, "--backends", "vm-O0", "--test-timeout", "0"], "--test-timeout"),
            (["check", model.path, "--backends", "vm-O0", "--tolerance", "0"], "--tolerance"),
            (["check", model.path, "--backends", "vm-O0", "--seed", "-1"], "--seed"),
        ]
        for (args, named) in cases {
            let r = try Graphsmith.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.errorLines.count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("error: ") && r.stderr.contains(named), "\(args): \(r.stderr)")
        }
    }

    /// A campaign's folder is not a place for a check's finding (its counters and summary would not know it), and a
    /// folder at the finding's place that graphsmith did not write is refused, never replaced.
    func testForeignFoldersAreRefusedNeverReplaced() throws {
        let dir = try temporaryDirectory(self)
        let model = try exportedModel(dir)
        let campaign = dir.appendingPathComponent("campaign")
        try FileManager.default.createDirectory(at: campaign, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: campaign.appendingPathComponent("config.json"))
        let r = try Graphsmith.run(["check", model.path, "--backends", "vm-O3", "--inject-fault", "vector-tail-dropped",
                                    "--out", campaign.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.errorLines, ["error: --out '\(campaign.path)' holds a campaign (config.json); a check's findings go apart: choose another --out"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: campaign.path), ["config.json"])

        let out = dir.appendingPathComponent("out").path
        let args = ["check", model.path, "--backends", "vm-O3", "--inject-fault", "vector-tail-dropped", "--out", out]
        XCTAssertEqual(try Graphsmith.run(args).status, 1)
        let id = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: out + "/findings").first)
        let place = "\(out)/findings/\(id)"
        try FileManager.default.removeItem(atPath: place)
        try FileManager.default.createDirectory(atPath: place, withIntermediateDirectories: false)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: place + "/notes.txt"))
        let again = try Graphsmith.run(args)
        XCTAssertEqual(again.status, 2, again.stderr)
        XCTAssertEqual(again.errorLines, ["error: '\(place)' is not empty and is not a finding folder (it has 'notes.txt'); move it away or choose another --out"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: place), ["notes.txt"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out + "/findings"), [id], "no staging folder is left behind")
    }
}
