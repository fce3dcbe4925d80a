#!/usr/bin/env python3
"""Checks generated ONNX models with onnx.checker and onnxruntime.

Usage: onnx_validity.py DIR   (DIR holds *.onnx, e.g. from `graphsmith gen --format onnx`)

For each model: onnx.checker.check_model (full check), then an onnxruntime session and one run
on random inputs. Prints one line per failing model and a summary; exit 1 if any model fails the
checker or fails to load, or fails to run for a reason other than a missing onnxruntime kernel or a
known onnxruntime bug (KNOWN_ORT_BUGS: counted as "ort-bug" and named, but not a failure).
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort

RNG = np.random.default_rng(0)

# Load errors that are onnxruntime's bugs, not invalid models: a text in the error, and the bug.
KNOWN_ORT_BUGS = {
    # Relu followed by Clip on an integer tensor: the model is valid ONNX (Relu-14 and Clip-13 take int32),
    # both kernels exist and it runs with graph optimizations off, but the FuseReluClip rewrite only handles
    # float Clip bounds and fails the session ("Unexpected data type for Clip 'min' input of 6").
    "relu_clip_fusion.cc": "FuseReluClip rejects an integer Clip",
}


def random_input(value_info):
    t = value_info.type.tensor_type
    shape = [d.dim_value for d in t.shape.dim]
    dtype = onnx.helper.tensor_dtype_to_np_dtype(t.elem_type)
    if dtype == np.bool_:
        return RNG.integers(0, 2, size=shape).astype(np.bool_)
    if np.issubdtype(dtype, np.integer):
        lo = 0 if np.issubdtype(dtype, np.unsignedinteger) else -5
        return RNG.integers(lo, 6, size=shape).astype(dtype)
    return RNG.uniform(-1, 1, size=shape).astype(dtype)


def main():
    root = sys.argv[1]
    files = sorted(f for f in os.listdir(root) if f.endswith(".onnx"))
    counts = {"ok": 0, "checker": 0, "load": 0, "no-kernel": 0, "bf16-io": 0, "ort-bug": 0, "run": 0}
    for name in files:
        path = os.path.join(root, name)
        model = onnx.load(path)
        try:
            onnx.checker.check_model(model, full_check=True)
        except Exception as e:  # noqa: BLE001
            counts["checker"] += 1
            print(f"{name}: checker: {str(e).splitlines()[0]}")
            continue
        io = list(model.graph.input) + list(model.graph.output)
        if any(v.type.tensor_type.elem_type == onnx.TensorProto.BFLOAT16 for v in io):
            counts["bf16-io"] += 1
            continue
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        try:
            sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
        except Exception as e:  # noqa: BLE001
            text = str(e)
            bug = next((name for key, name in KNOWN_ORT_BUGS.items() if key in text), None)
            if "NOT_IMPLEMENTED" in text or "Could not find an implementation" in text:
                counts["no-kernel"] += 1
            elif bug:
                counts["ort-bug"] += 1
                print(f"{name}: onnxruntime bug: {bug}")
            else:
                counts["load"] += 1
                print(f"{name}: load: {text.splitlines()[0]}")
            continue
        try:
            sess.run(None, {v.name: random_input(v) for v in model.graph.input})
            counts["ok"] += 1
        except Exception as e:  # noqa: BLE001
            counts["run"] += 1
            print(f"{name}: run: {str(e).splitlines()[0]}")
    print(f"{len(files)} models: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    sys.exit(1 if counts["checker"] or counts["load"] or counts["run"] else 0)


if __name__ == "__main__":
    main()
