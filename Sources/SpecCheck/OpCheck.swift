import Backends
import ModelIR
import ONNX
import Reference
import SpecLib
import TensorCore

/// A check failed for one instance; `reason` says how.
public struct CheckFailure: Error, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Everything the checks of `specs test` share about one sampled instance; each check may add to it.
public struct CheckCase {
    public let library: SpecLibrary
    public let instance: OpInstance
    /// One tensor per spec input and weight, in declaration order.
    public let inputs: [Tensor]
    /// Reference outputs of the instance (set by `evaluate`).
    public var outputs: [Tensor] = []
    /// The instance as a one-node model (set by `verify`).
    public var model = Model()
    /// The model's runtime input values by name.
    public var modelInputs: [String: Tensor] = [:]
    /// onnxruntime, when installed and not turned off.
    public var onnxruntime: ExternalBackend?
    /// The backends of `specs test --backend`, by the name the user gave, each compared with the reference
    /// (`OpCheck.backends`).
    public var backends: [NamedBackend] = []
    /// Checks that did not apply to this instance, with why (e.g. `onnxruntime: no kernel`).
    public var skipped: [String] = []
    /// The instance's number within its operator (checks may sample by it).
    public var index = 0
    /// The `compiler` check runs native code on instances whose number is a multiple of this.
    public var nativeEvery = 1

    /// A case of `instance` on `inputs`, before any check has run.
    public init(library: SpecLibrary, instance: OpInstance, inputs: [Tensor]) {
        self.library = library
        self.instance = instance
        self.inputs = inputs
    }
}

/// One named check of `specs test`, run in order on every instance; later checks may rely on what earlier
/// ones stored in the case. A new kind of check (ONNX export, onnxruntime, compiler, gradients) is a new entry
/// in `OpCheck.all`.
public struct OpCheck: Sendable {
    public var name: String
    public var summary: String
    public var run: @Sendable (inout CheckCase) throws -> Void

    public init(name: String, summary: String, run: @escaping @Sendable (inout CheckCase) throws -> Void) {
        self.name = name
        self.summary = summary
        self.run = run
    }

    /// Every check, in the order they run.
    public static let all: [OpCheck] = [evaluate, outputTypes, verify, textRoundTrip, determinism, onnxRoundTrip, onnxruntime, backends, gradient, compiler]

    /// What comparing outside backends needs and nothing more (`specs test --backends-only`).
    public static let backendChecks: [OpCheck] = [evaluate, outputTypes, verify, backends]

    public static let evaluate = OpCheck(name: "evaluate", summary: "the reference interpreter evaluates the instance") { c in
        c.outputs = try OpEvaluation.evaluate(c.instance, inputs: c.inputs)
    }

    public static let outputTypes = OpCheck(name: "output-types", summary: "outputs have the instance's dtypes and shapes") { c in
        guard c.outputs.count == c.instance.outputTypes.count else {
            throw CheckFailure("\(c.outputs.count) outputs, the instance declares \(c.instance.outputTypes.count)")
        }
        for (k, (tensor, type)) in zip(c.outputs, c.instance.outputTypes).enumerated() where tensor.type != type {
            throw CheckFailure("output \(k) is \(tensor.type), the instance declares \(type)")
        }
    }

    public static let verify = OpCheck(name: "verify", summary: "the one-node model passes the verifier") { c in
        (c.model, c.modelInputs) = OneNodeModel.make(c.instance, c.inputs)
        try Verifier.verify(c.model, library: c.library)
    }

    public static let textRoundTrip = OpCheck(name: "text-roundtrip", summary: "the model's text reads back bit for bit") { c in
        let text = TextWriter.write(c.model)
        let back = try TextReader.read(text, path: "<\(c.instance.name) model>")
        guard back == c.model else { throw CheckFailure("model read back differs from the model written:\n\(text)") }
        guard TextWriter.write(back) == text else { throw CheckFailure("writing the model read back gives different text") }
    }

    public static let determinism = OpCheck(name: "determinism", summary: "running the model gives bit-identical outputs") { c in
        let again = try Interpreter.outputs(c.model, library: c.library, inputs: c.modelInputs)
        for (k, (a, b)) in zip(c.outputs, again).enumerated() where a != b {
            guard a.type == b.type else { throw CheckFailure("output \(k) is \(a.type) in one run and \(b.type) in the other") }
            let first = a.bits.indices.first { a.bits[$0] != b.bits[$0] }.map { " (first at element \($0))" } ?? ""
            throw CheckFailure("output \(k) differs between runs\(first)")
        }
    }
}

extension OpCheck {
    public static let onnxRoundTrip = OpCheck(name: "onnx-roundtrip", summary: "the model exports to ONNX and imports back unchanged") { c in
        let bytes = try Exporter.export(c.model, library: c.library)
        let back = try Importer.decode(bytes, library: c.library)
        guard back == c.model else {
            throw CheckFailure("imported model differs:\n\(TextWriter.write(back))expected:\n\(TextWriter.write(c.model))")
        }
    }

    /// onnxruntime bugs that this check, which tests graphsmith's specs and exporter, does not fail on: the phrase of
    /// the error and the bug. A campaign against onnxruntime still files them.
    ///
    /// Not a known-findings file (`fuzz --known`): those match a campaign finding's fingerprint id, and this check
    /// makes no findings or fingerprints, only one error message per operator instance, so it matches the phrase.
    /// A campaign's nightly lists the same bug in its known-findings file under the finding's id.
    static let knownOnnxruntimeBugs = [
        ("InsertedPrecisionFreeCast", "its float16 widening inserts a Cast whose 'to' attribute has the wrong type"),
    ]

    /// The known onnxruntime bug an error message shows, if any.
    static func knownOnnxruntimeBug(_ message: String) -> String? {
        knownOnnxruntimeBugs.first { message.contains($0.0) }?.1
    }

    public static let onnxruntime = OpCheck(
        name: "onnxruntime",
        summary: "onnx.checker accepts the ONNX file and onnxruntime's outputs equal the reference's (when installed)"
    ) { c in
        guard let ort = c.onnxruntime else { return }
        let outputs: [Tensor]
        do {
            outputs = try ort.run(c.model, inputs: c.modelInputs, check: true)
        } catch let e as BackendError where e.kind == .unsupported || knownOnnxruntimeBug(e.message) != nil {
            c.skipped.append("onnxruntime")
            return
        }
        try compare(outputs, c.outputs, from: "onnxruntime", tolerance: externalTolerance)
    }

    public static let backends = OpCheck(
        name: "backend",
        summary: "each backend named with --backend gives the reference's outputs within its tolerance (instances it does not support are skipped)"
    ) { c in
        for (name, backend) in c.backends {
            let outputs: [Tensor]
            do {
                outputs = try backend.run(c.model, inputs: c.modelInputs)
            } catch let e as BackendError where e.kind == .unsupported {
                c.skipped.append(name)
                continue
            }
            let computesAs = backend.capabilities.computesAs
            try compare(outputs, c.outputs, from: name) { externalTolerance($0, computedAs: computesAs[$0]) }
        }
    }

    /// Fails unless every output of `backend` has the reference's dtype and shape and is within `tolerance`.
    static func compare(_ outputs: [Tensor], _ reference: [Tensor], from backend: String,
                        tolerance: (DType) -> Tolerance) throws {
        guard outputs.count == reference.count else {
            throw CheckFailure("\(backend) gave \(outputs.count) outputs, the reference \(reference.count)")
        }
        for (k, (actual, expected)) in zip(outputs, reference).enumerated() {
            guard actual.type == expected.type else {
                throw CheckFailure("\(backend) output \(k) is \(actual.type), the reference's \(expected.type)")
            }
            let report = Compare.allClose(actual: actual, expected: expected, tolerance: tolerance(expected.dtype))
            guard report.passed else {
                let i = report.firstMismatch ?? 0
                throw CheckFailure("\(backend) output \(k) differs at element \(i): \(actual.scalar(at: i)) vs reference \(expected.scalar(at: i)) (\(report.mismatches) of \(report.count))")
            }
        }
    }
}

/// The tolerance for an external runtime: the dtype's default, but float64 results only to 1e-7 relative,
/// since runtimes evaluate some float64 operators with float32 constants (onnxruntime's tanh Gelu does).
func externalTolerance(_ dtype: DType) -> Tolerance {
    let d = Tolerance.default(for: dtype)
    return dtype == .f64 ? Tolerance(rtol: max(d.rtol, 1e-7), atol: max(d.atol, 1e-12)) : d
}

/// The external tolerance of `dtype` for a backend that documents computing it as `computed` (f64 as f32): the
/// wider of the two, as the campaign's precision policy has it.
func externalTolerance(_ dtype: DType, computedAs computed: DType?) -> Tolerance {
    let own = externalTolerance(dtype)
    guard let computed, computed.isFloat, dtype.isFloat else { return own }
    let wider = externalTolerance(computed)
    return wider.rtol > own.rtol ? wider : own
}
