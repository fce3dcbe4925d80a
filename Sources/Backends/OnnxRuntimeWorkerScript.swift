/// The Python program that hosts onnxruntime for `OnnxRuntimeBackend`.
///
/// It reads one JSON request per line on stdin and answers one JSON line on stdout:
/// request `{"model": PATH, "inputs": [[NAME, PB_PATH], ...], "out": DIR, "level": "all"|"none", "check": BOOL}`
/// (`check` runs onnx.checker first),
/// answer `{"ok": true, "outputs": [PB_PATH, ...]}` or `{"ok": false, "error": TEXT}`.
/// A crash or hang of onnxruntime kills only this process; the backend restarts it.
enum OnnxRuntimeWorkerScript {
    static let source = #"""
import json
import os
import sys

try:
    import numpy as np
    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper
except ImportError as e:
    print(json.dumps({"ok": False, "error": f"missing python package: {e.name}"}), flush=True)
    sys.exit(3)

print(json.dumps({"ok": True, "ready": ort.__version__}), flush=True)
LEVELS = {"all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL, "none": ort.GraphOptimizationLevel.ORT_DISABLE_ALL}

for line in sys.stdin:
    try:
        req = json.loads(line)
        if "debug" in req:  # used by graphsmith's own tests of crash and hang handling
            if req["debug"] == "crash":
                import signal
                os.kill(os.getpid(), signal.SIGSEGV)
            if req["debug"] == "hang":
                import time
                time.sleep(3600)
        if req.get("check"):
            try:
                onnx.checker.check_model(onnx.load(req["model"]), full_check=True)
            except Exception as e:  # noqa: BLE001
                text = str(e).strip().splitlines()
                print(json.dumps({"ok": False, "error": f"onnx.checker: {text[0] if text else type(e).__name__}"}), flush=True)
                continue
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        opts.graph_optimization_level = LEVELS[req.get("level", "all")]
        opts.intra_op_num_threads = 1
        sess = ort.InferenceSession(req["model"], opts, providers=["CPUExecutionProvider"])
        feeds = {}
        for name, path in req["inputs"]:
            t = onnx.TensorProto()
            with open(path, "rb") as f:
                t.ParseFromString(f.read())
            if t.data_type == onnx.TensorProto.BFLOAT16:
                raise TypeError("bfloat16 inputs cannot be passed through numpy")
            feeds[name] = numpy_helper.to_array(t)
        outs = sess.run(None, feeds)
        names = [o.name for o in sess.get_outputs()]
        paths = []
        for k, (name, value) in enumerate(zip(names, outs)):
            path = os.path.join(req["out"], f"output_{k}.pb")
            with open(path, "wb") as f:
                f.write(numpy_helper.from_array(np.asarray(value), name).SerializeToString())
            paths.append(path)
        print(json.dumps({"ok": True, "outputs": paths}), flush=True)
    except Exception as e:  # noqa: BLE001 - every failure is reported to graphsmith as this test's result
        text = str(e).strip().splitlines()
        print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {text[0] if text else ''}"}), flush=True)
"""#
}
