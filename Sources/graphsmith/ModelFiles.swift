import Foundation
import ModelIR
import ONNX
import SpecLib
import TensorCore
import Backends
import TorchExport

/// Reading and writing models by file name: `.onnx` is ONNX, `.py` a PyTorch module (written only), anything else
/// the text format.
enum ModelFiles {
    static func isOnnx(_ path: String) -> Bool { path.lowercased().hasSuffix(".onnx") }
    static func isTorch(_ path: String) -> Bool { path.lowercased().hasSuffix(".py") }

    static func read(_ path: String, library: SpecLibrary) throws -> Model {
        if isTorch(path) { throw UserError("cannot read '\(path)': graphsmith writes torch modules but reads only ONNX and its text format") }
        if isOnnx(path) {
            guard FileManager.default.fileExists(atPath: path) else { throw UserError("cannot read '\(path)': no such file") }
            return try Importer.read(path: path, library: library)
        }
        return try TextReader.read(try TextFile.read(path), path: path)
    }

    static func write(_ model: Model, to path: String, library: SpecLibrary) throws {
        if isOnnx(path) || isTorch(path) {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: parent) else {
                throw UserError("cannot write '\(path)': directory '\(parent)' does not exist")
            }
        }
        if isOnnx(path) {
            try Exporter.write(model, library: library, path: path)
        } else if isTorch(path) {
            let title = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            try OutputFile.write(try torchSource(model, library: library, title: title), to: path)
        } else {
            try TextFile.write(TextWriter.write(model), to: path)
        }
    }

    /// The torch module of `model`, with the prelude the worker host folder ships.
    static func torchSource(_ model: Model, library: SpecLibrary, title: String) throws -> String {
        let prelude = WorkerHost.locate().folder + "/torch_prelude.py"
        guard let text = try? String(contentsOfFile: prelude, encoding: .utf8) else {
            throw UserError("cannot read '\(prelude)', the helpers a torch module carries (set GRAPHSMITH_WORKER_DIR)")
        }
        do { return try TorchEmitter.source(model, library: library, prelude: text, title: title) } catch let e as TorchError {
            throw UserError(e.message)
        }
    }
}
