#!/usr/bin/env python3
"""Exports small PyTorch graphs (Scripts/fixture_models.py) to ONNX test folders.

Usage: export-fixtures.py [--large] [--only NAME,...] OUT_DIR

Each catalog entry is exported twice, with torch.onnx.export's default exporter (dynamo, the
graph torch 2.x users get) as OUT_DIR/test_NAME/ and with the legacy TorchScript exporter
(dynamo=False, the graph most older exported models have: Shape/Gather/Concat shape arithmetic,
Constant nodes) as OUT_DIR/test_NAME_ts/. Input shapes are fixed. Each folder holds model.onnx and
test_data_set_0/input_K.pb, output_K.pb (the ONNX test-data layout), where the outputs are
onnxruntime's. A case is kept only when onnxruntime agrees with PyTorch run in float64 within the
conformance runner's tolerance, so a stored output is a fair target for graphsmith's float64
reference. OUT_DIR/manifest.json lists the cases (exporter, opset, operators, sizes).

--large writes every entry at other sizes (twice and three times the width, batch 3); it is meant
for a folder under /tmp and is never committed. Run it through Scripts/export-fixtures.sh, which sets up
a virtualenv with a CPU-only torch. The test suite needs none of this: it reads the committed folders.
"""
import argparse
import io
import json
import logging
import os
import shutil
import sys
import warnings

import numpy as np

# The runner's float32 tolerance (rtol 1e-3, atol 1e-5), applied as |actual - expected| <= atol + rtol·|expected|.
RTOL, ATOL = 1e-3, 1e-5
SEED = 20261206


def within_tolerance(actual, expected, rtol=RTOL, atol=ATOL):
    """True when actual and expected have one shape and agree elementwise within the tolerance."""
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    if actual.shape != expected.shape:
        return False
    return bool(np.all(np.abs(actual - expected) <= atol + rtol * np.abs(expected)))


def write_case(folder, model_bytes, input_names, inputs, output_names, outputs):
    """Writes one ONNX test folder: model.onnx and test_data_set_0/{input,output}_K.pb."""
    from onnx import numpy_helper
    if os.path.exists(folder):
        shutil.rmtree(folder)
    data = os.path.join(folder, "test_data_set_0")
    os.makedirs(data)
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(model_bytes)
    for kind, names, values in (("input", input_names, inputs), ("output", output_names, outputs)):
        for k, (name, value) in enumerate(zip(names, values)):
            with open(os.path.join(data, f"{kind}_{k}.pb"), "wb") as f:
                f.write(numpy_helper.from_array(np.asarray(value), name).SerializeToString())


def graph_inputs(model):
    """The names of the graph inputs that are fed at run time (not initializers)."""
    inits = {i.name for i in model.graph.initializer}
    return [i.name for i in model.graph.input if i.name not in inits]


def describe(model):
    """Facts for the manifest: opset, operator types in order of first use."""
    ops = []
    for n in model.graph.node:
        if n.op_type not in ops:
            ops.append(n.op_type)
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
    return {"opset": opset, "operators": ops}


def export(module, inputs, dynamo):
    """The ONNX model bytes for module at the inputs' fixed shapes."""
    import torch
    if dynamo:
        return torch.onnx.export(module, inputs, dynamo=True, verbose=False).model_proto.SerializeToString()
    buffer = io.BytesIO()
    torch.onnx.export(module, inputs, buffer, dynamo=False)
    return buffer.getvalue()


def float64_outputs(module, inputs):
    """PyTorch's outputs computed in float64: the independent check of onnxruntime's float32 outputs."""
    import copy
    import torch
    m64 = copy.deepcopy(module).double()
    x64 = tuple(x.double() if x.is_floating_point() else x for x in inputs)
    with torch.no_grad():
        out = m64(*x64)
    return [o.numpy() for o in (out if isinstance(out, tuple) else (out,))]


def make_case(out_dir, name, module, inputs, dynamo):
    """Exports, runs onnxruntime, checks it against float64 PyTorch; returns a manifest entry."""
    import onnx
    import onnxruntime as ort
    entry = {"name": name, "exporter": "dynamo" if dynamo else "torchscript"}
    try:
        data = export(module, inputs, dynamo)
    except Exception as e:  # an exporter limitation, recorded and skipped
        return dict(entry, status="export-failed", reason=f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
    model = onnx.load_from_string(data)
    names = graph_inputs(model)
    feeds = [x.numpy() for x in inputs]
    if len(names) != len(feeds):
        return dict(entry, status="export-failed", reason=f"model has {len(names)} inputs, module {len(feeds)}")
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    outputs = session.run(None, dict(zip(names, feeds)))
    expected = float64_outputs(module, inputs)
    entry.update(describe(model), inputs=[list(x.shape) for x in feeds], bytes=len(data))
    if len(expected) != len(outputs) or not all(within_tolerance(o, e) for o, e in zip(outputs, expected)):
        return dict(entry, status="inaccurate", reason="onnxruntime differs from float64 PyTorch beyond tolerance")
    write_case(os.path.join(out_dir, name), data, names, feeds, [o.name for o in model.graph.output], outputs)
    return dict(entry, status="written")


def variants(large):
    """(suffix, width, batch) triples: the small variant, or for --large other sizes (wider and
    larger first, then a bigger batch, then wider still), so a run stopped early covers every entry once."""
    if not large:
        return [("", 1, None)]
    return [("_w2", 2, None), ("_b3", 1, 3), ("_w3", 3, None)]


def with_batch(inputs, batch):
    """The inputs with their leading (batch) dimension replaced, for image-like float inputs."""
    import torch
    if batch is None:
        return inputs
    return tuple(torch.cat([x] * batch)[:batch] if x.dim() >= 3 and x.is_floating_point() else x for x in inputs)


def write_manifest(out, torch_version, cases):
    """OUT/manifest.json, rewritten after every case so a stopped run still describes what it wrote."""
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"torch": torch_version, "seed": SEED, "cases": cases}, f, indent=1)
        f.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Export PyTorch graphs as ONNX test folders.")
    parser.add_argument("out", help="output folder (created)")
    parser.add_argument("--large", action="store_true", help="several sizes per entry (for /tmp, never committed)")
    parser.add_argument("--only", default="", help="comma-separated catalog names")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import torch
    import fixture_models
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    names = [n for n in args.only.split(",") if n] or [n for n in fixture_models.CATALOG
                                                        if args.large or n not in fixture_models.LARGE_ONLY]
    unknown = [n for n in names if n not in fixture_models.CATALOG]
    if unknown:
        print(f"error: --only: unknown catalog name '{unknown[0]}'", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    for suffix, width, batch in variants(args.large):
        for name in names:
            module, inputs = fixture_models.build(name, width, SEED + list(fixture_models.CATALOG).index(name))
            inputs = with_batch(inputs, batch)
            for dynamo in (True, False):
                case = "test_" + name + suffix + ("" if dynamo else "_ts")
                entry = make_case(args.out, case, module, inputs, dynamo)
                print(f"{entry['status']:14} {case} {entry.get('reason', '')}", flush=True)
                manifest.append(entry)
                write_manifest(args.out, torch.__version__, manifest)
    written = sum(e["status"] == "written" for e in manifest)
    print(f"wrote {written} of {len(manifest)} cases to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
