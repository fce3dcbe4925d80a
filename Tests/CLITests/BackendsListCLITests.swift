import Foundation
import TestSupport
import XCTest

/// `graphsmith backends list --json`: every backend the repository ships, the in-repo configurations, and a plugin
/// when one is given, each available or with the one-line reason why not.
final class BackendsListCLITests: XCTestCase {
    func testListsShippedInRepoAndPluginBackends() throws {
        let dir = try temporaryDirectory(self)
        let plugin = dir.appendingPathComponent("mycompiler.py").path
        try """
            NAME = "mycompiler"
            UNSUPPORTED = []

            def version():
                return "1"

            def prepare(model_path, options):
                return lambda inputs: []
            """.write(toFile: plugin, atomically: true, encoding: .utf8)
        let r = try Graphsmith.run(["backends", "list", "--json", "--plugin", plugin])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let kinds = Dictionary(rows.compactMap { row in (row["name"] as? String).map { ($0, row["kind"] as? String ?? "") } },
                               uniquingKeysWith: { a, _ in a })
        let inRepo = ["vm", "native"].flatMap { e in (0...3).map { "\(e)-O\($0)" } }
        for name in inRepo { XCTAssertEqual(kinds[name], "in-repo", name) }
        for name in ["onnxruntime", "onnxruntime-noopt", "onnxruntime-onnxsim", "onnxruntime-onnxslim", "openvino", "tvm", "iree"] {
            XCTAssertEqual(kinds[name], "external", "\(name) in \(kinds)")
        }
        XCTAssertEqual(kinds["mycompiler"], "plugin")
        // Each row is available or says why not, in one line.
        for row in rows where row["available"] as? Bool != true {
            let why = try XCTUnwrap(row["reason"] as? String, "\(row)")
            XCTAssertFalse(why.isEmpty || why.contains("\n"), why)
        }
    }
}
