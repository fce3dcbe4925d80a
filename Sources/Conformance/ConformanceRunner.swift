import Backends
import Foundation
import ModelIR
import ONNX
import SpecLib
import TensorCore

/// Runs the ONNX backend node test suite (`test_*/model.onnx` with `test_data_set_*/input_*.pb` and `output_*.pb`).
public struct ConformanceRunner {
    public let library: SpecLibrary
    public let backend: any Backend

    public init(library: SpecLibrary, backend: any Backend) {
        self.library = library
        self.backend = backend
    }

    /// The test folders under `directory`, sorted by name.
    public static func testFolders(_ directory: String) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw OnnxError("\(directory): cannot read directory")
        }
        return names.filter { $0.hasPrefix("test_") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Runs one test folder.
    public func run(folder: String) -> ConformanceResult {
        let name = (folder as NSString).lastPathComponent
        let opTypes = ModelOpTypes.read((folder as NSString).appendingPathComponent("model.onnx"))
        func result(_ s: ConformanceResult.Status, _ reason: String? = nil) -> ConformanceResult {
            ConformanceResult(name: name, status: s, opTypes: opTypes, reason: reason)
        }
        let specced = Set(library.operators.compactMap { $0.file.onnx?.opType })
        if let missing = opTypes.first(where: { !specced.contains($0) && !Importer.foldedWithoutSpec.contains($0) }) {
            return result(.noSpec, "operator type '\(missing)' has no spec")
        }
        if FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("unsupported_io")) {
            return result(.foreignDType, "inputs or outputs are sequences, maps or optionals")
        }
        let model: Model
        do {
            // Inputs whose data every data set agrees on may stand in for constants (axes, shapes, bounds).
            let known = knownInputs(folder)
            model = try Importer.read(path: (folder as NSString).appendingPathComponent("model.onnx"), library: library, knownInputs: known)
        } catch let e as OnnxError {
            switch e.kind {
            case .noSpec: return result(.noSpec, e.message)
            case .foreignDType: return result(.foreignDType, e.message)
            default: return result(.unsupportedVariant, e.message)
            }
        } catch {
            return result(.failed, "\(error)")
        }
        do {
            // A test with nothing to compare against would pass whatever the backend computes.
            let sets = try dataSets(folder)
            guard !sets.isEmpty else { return result(.failed, "no test_data_set_* folder: nothing to compare against") }
            for set in sets {
                if let problem = try check(model, set) { return result(.failed, "\((set as NSString).lastPathComponent): \(problem)") }
            }
            return result(.passed)
        } catch let e as OnnxError where e.kind == .foreignDType {
            return result(.foreignDType, e.message)
        } catch {
            return result(.failed, "\(error)")
        }
    }

    /// Input values that are the same in every data set of a test.
    private func knownInputs(_ folder: String) -> [Int: Tensor] {
        guard let sets = try? dataSets(folder), let first = sets.first else { return [:] }
        var known: [Int: Tensor] = [:]
        var k = 0
        while let t = try? TensorProtoCodec.read(path: (first as NSString).appendingPathComponent("input_\(k).pb")).tensor {
            let same = sets.dropFirst().allSatisfy { (try? TensorProtoCodec.read(path: ($0 as NSString).appendingPathComponent("input_\(k).pb")).tensor) == t }
            if same && t.count <= 64 { known[k] = t }
            k += 1
        }
        return known
    }

    private func dataSets(_ folder: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("test_data_set_") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    /// Runs one data set; returns a description of the first disagreement, or nil.
    private func check(_ model: Model, _ set: String) throws -> String? {
        var inputs: [String: Tensor] = [:]
        for (k, info) in model.inputs.enumerated() {
            inputs[info.name] = try TensorProtoCodec.read(path: (set as NSString).appendingPathComponent("input_\(k).pb")).tensor
        }
        let outputs = try backend.run(model, inputs: inputs)
        let expectedFiles = outputs.indices.map { (set as NSString).appendingPathComponent("output_\($0).pb") }
        guard expectedFiles.contains(where: FileManager.default.fileExists) else {
            return "no expected outputs (output_*.pb): nothing to compare against"
        }
        for (k, actual) in outputs.enumerated() {
            let path = (set as NSString).appendingPathComponent("output_\(k).pb")
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let expected = try TensorProtoCodec.read(path: path).tensor
            let report = Compare.allClose(actual: actual, expected: expected, tolerance: Self.tolerance(expected.dtype))
            if !report.passed {
                if report.shapeMismatch || report.dtypeMismatch { return "output \(k) is \(actual.type), expected \(expected.type)" }
                let i = report.firstMismatch ?? 0
                return "output \(k) element \(i): \(actual.scalar(at: i)) vs expected \(expected.scalar(at: i)) (\(report.mismatches) of \(report.count) differ)"
            }
        }
        return nil
    }

    /// The suite's own tolerance (rtol 1e-3, atol 1e-7), widened for half-precision outputs.
    static func tolerance(_ dtype: DType) -> Tolerance {
        let d = Tolerance.default(for: dtype)
        return dtype.isFloat ? Tolerance(rtol: max(1e-3, d.rtol), atol: max(1e-7, d.atol)) : d
    }
}
