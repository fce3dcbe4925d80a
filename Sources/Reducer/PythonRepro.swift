import Campaign
import ModelIR

/// A standalone Python script that reruns a finding on onnxruntime and compares with graphsmith's reference outputs,
/// needing only onnxruntime, onnx and numpy: what a runtime developer can run without graphsmith.
enum PythonRepro {
    static func script(_ model: Model, record: FindingRecord) -> String {
        let inputs = model.inputs.map { "\"\(Staging.fileName($0.name))\"" }.joined(separator: ", ")
        return """
            #!/usr/bin/env python3
            # Reproduces graphsmith finding \(record.id) (\(record.verdict.rawValue) on \(record.backends.joined(separator: ", "))):
            # runs model.onnx on onnxruntime with the saved inputs and compares with the reference outputs.
            import os, sys
            import numpy as np
            import onnx
            from onnx import numpy_helper
            import onnxruntime as ort

            here = os.path.dirname(os.path.abspath(__file__))
            def load(path):
                t = onnx.TensorProto()
                with open(path, "rb") as f:
                    t.ParseFromString(f.read())
                return t.name, numpy_helper.to_array(t)

            feeds = dict(load(os.path.join(here, "inputs", n + ".pb")) for n in [\(inputs)])
            opts = ort.SessionOptions()
            if "noopt" in sys.argv:
                opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            sess = ort.InferenceSession(os.path.join(here, "model.onnx"), opts, providers=["CPUExecutionProvider"])
            got = sess.run(None, feeds)
            bad = 0
            for k, actual in enumerate(got):
                _, want = load(os.path.join(here, "outputs", "reference", "%d.pb" % k))
                tol = {np.float16: (1e-2, 1e-3), np.float32: (1e-4, 1e-5), np.float64: (1e-9, 1e-12)}.get(want.dtype.type, (0, 0))
                same = actual.shape == want.shape and np.allclose(actual, want, rtol=tol[0], atol=tol[1], equal_nan=True)
                print("output %d: %s" % (k, "matches the reference" if same else "DIFFERS from the reference"))
                if not same:
                    bad += 1
                    print("  onnxruntime:", actual.ravel()[:8], "\\n  reference:  ", want.ravel()[:8])
            sys.exit(1 if bad else 0)

            """
    }
}
