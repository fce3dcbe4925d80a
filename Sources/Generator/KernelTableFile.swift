import Foundation

/// The kernel table's file: the JSON object `graphsmith kernels` writes and `--kernels FILE` (or a campaign's
/// generator settings) names.
extension KernelTable {
    /// Reads a kernel table file; a `GeneratorError` naming the path when it cannot be read or holds no table.
    public static func read(path: String) throws -> KernelTable {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw GeneratorError("cannot read '\(path)': no such file")
        }
        guard !isDir.boolValue else { throw GeneratorError("cannot read '\(path)': it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GeneratorError("cannot read '\(path)': permission denied or I/O error")
        }
        guard let entries = try? JSONSerialization.jsonObject(with: data) as? [String: [String]],
              let table = KernelTable(entries: entries) else {
            throw GeneratorError("\(path): not a kernel table (a JSON object of operator name to signature list)")
        }
        return table
    }

    /// The file's text: the entries as indented JSON with sorted keys, and a final newline.
    public var fileText: String {
        // Entries are strings only, so serialization cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Dtype signatures over every operator.
    public var signatureCount: Int { kernels.values.map(\.count).reduce(0, +) }

    /// Signatures that run only with some bins of an attribute.
    public var restrictedSignatureCount: Int { kernels.values.flatMap(\.values).filter { !$0.isEmpty }.count }
}
