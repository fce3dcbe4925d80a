import Foundation
import ModelIR
import ONNX
import SpecLib

/// Reading and writing models by file name: `.onnx` is ONNX, anything else the text format.
enum ModelFiles {
    static func isOnnx(_ path: String) -> Bool { path.lowercased().hasSuffix(".onnx") }

    static func read(_ path: String, library: SpecLibrary) throws -> Model {
        if isOnnx(path) {
            guard FileManager.default.fileExists(atPath: path) else { throw UserError("cannot read '\(path)': no such file") }
            return try Importer.read(path: path, library: library)
        }
        return try TextReader.read(try TextFile.read(path), path: path)
    }

    static func write(_ model: Model, to path: String, library: SpecLibrary) throws {
        if isOnnx(path) {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: parent) else {
                throw UserError("cannot write '\(path)': directory '\(parent)' does not exist")
            }
            try Exporter.write(model, library: library, path: path)
        } else {
            try TextFile.write(TextWriter.write(model), to: path)
        }
    }
}
