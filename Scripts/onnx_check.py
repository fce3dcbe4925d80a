#!/usr/bin/env python3
"""Checks exported graphsmith cases with onnx.checker and onnxruntime.

Usage: onnx_check.py DIR
DIR holds one folder per case: model.onnx, input_K.pb, expected_K.pb (the reference
interpreter's outputs) and tolerance.txt ("rtol atol"). Prints one JSON object per case:
{"case": ..., "checker": "ok"|error, "ort": "ok"|"mismatch"|error, "detail": ...}.
Exit code 0 always when the script itself ran; 3 when onnx or onnxruntime is missing.
"""
import json
import os
import sys

try:
    import numpy as np
    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper
except ImportError as e:
    print(json.dumps({"error": f"missing python package: {e.name}"}))
    sys.exit(3)


def load_tensors(folder, prefix):
    out = []
    k = 0
    while os.path.exists(os.path.join(folder, f"{prefix}_{k}.pb")):
        t = onnx.TensorProto()
        with open(os.path.join(folder, f"{prefix}_{k}.pb"), "rb") as f:
            t.ParseFromString(f.read())
        out.append((t.name, numpy_helper.to_array(t)))
        k += 1
    return out


def compare(actual, expected, rtol, atol):
    if actual.shape != expected.shape:
        return f"shape {actual.shape} != {expected.shape}"
    if actual.dtype != expected.dtype:
        return f"dtype {actual.dtype} != {expected.dtype}"
    if expected.dtype.kind in "fc":
        a = actual.astype(np.float64)
        e = expected.astype(np.float64)
        ok = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
        if not ok.all():
            i = int(np.argmin(ok.reshape(-1)))
            return f"element {i}: {a.reshape(-1)[i]!r} vs reference {e.reshape(-1)[i]!r}"
        return None
    if not np.array_equal(actual, expected):
        i = int(np.argmin((actual == expected).reshape(-1)))
        return f"element {i}: {actual.reshape(-1)[i]!r} vs reference {expected.reshape(-1)[i]!r}"
    return None


def check_case(folder):
    result = {"case": os.path.basename(folder)}
    path = os.path.join(folder, "model.onnx")
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        result["checker"] = "ok"
    except Exception as e:  # noqa: BLE001 - any checker failure is a finding of this case
        result["checker"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    rtol, atol = 1e-4, 1e-5
    tol_path = os.path.join(folder, "tolerance.txt")
    if os.path.exists(tol_path):
        rtol, atol = (float(x) for x in open(tol_path).read().split())
    io = list(model.graph.input) + list(model.graph.output) if result["checker"] == "ok" else []
    if any(v.type.tensor_type.elem_type == onnx.TensorProto.BFLOAT16 for v in io):
        result["ort"] = "skip: bfloat16 inputs or outputs cannot cross numpy"
        return result
    try:
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
        feeds = {name: value for name, value in load_tensors(folder, "input")}
        outs = sess.run(None, feeds)
        expected = load_tensors(folder, "expected")
        problems = [compare(np.asarray(a), e, rtol, atol) for a, (_, e) in zip(outs, expected)]
        problems = [p for p in problems if p]
        result["ort"] = "mismatch" if problems else "ok"
        if problems:
            result["detail"] = problems[0]
    except Exception as e:  # noqa: BLE001
        result["ort"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    return result


def main():
    root = sys.argv[1]
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        if os.path.isdir(folder):
            print(json.dumps(check_case(folder)), flush=True)


if __name__ == "__main__":
    main()
