#!/usr/bin/env python3
"""Writes the ONNX backend node test suite to a folder, from the installed onnx package.

Usage: gen-conformance.py OUT_DIR

Each test case of onnx.backend.test.case.node becomes OUT_DIR/test_NAME/ with model.onnx and
test_data_set_K/input_J.pb, output_J.pb (the ONNX test-data layout). Inputs and outputs that
are not plain tensors (sequences, maps, optionals) are written as a file named
'unsupported_io' instead, so the runner can count them apart. The data is generated, never
committed.
"""
import os
import shutil
import sys

try:
    import numpy as np
    from onnx import numpy_helper
    import onnx.backend.test.case.node as node_cases
except ImportError as e:
    print(f"error: the onnx Python package is required ({e})", file=sys.stderr)
    sys.exit(2)


def write_tensor(path, value, name):
    if not isinstance(value, np.ndarray):
        value = np.asarray(value)
    if value.dtype == object:
        raise TypeError("object array")
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(value, name).SerializeToString())


def main():
    if len(sys.argv) != 2:
        print("usage: gen-conformance.py OUT_DIR", file=sys.stderr)
        sys.exit(2)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    cases = node_cases.collect_testcases()
    written = 0
    for case in cases:
        folder = os.path.join(out, case.name)
        if os.path.exists(folder):
            shutil.rmtree(folder)
        os.makedirs(folder)
        with open(os.path.join(folder, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        graph = case.model.graph
        try:
            for k, (inputs, outputs) in enumerate(case.data_sets):
                data = os.path.join(folder, f"test_data_set_{k}")
                os.makedirs(data)
                for j, value in enumerate(inputs):
                    if not graph.input[j].type.HasField("tensor_type"):
                        raise TypeError("non-tensor input")
                    write_tensor(os.path.join(data, f"input_{j}.pb"), value, graph.input[j].name)
                for j, value in enumerate(outputs):
                    if not graph.output[j].type.HasField("tensor_type"):
                        raise TypeError("non-tensor output")
                    write_tensor(os.path.join(data, f"output_{j}.pb"), value, graph.output[j].name)
        except (TypeError, ValueError) as e:
            with open(os.path.join(folder, "unsupported_io"), "w") as f:
                f.write(f"{e}\n")
        written += 1
    print(f"wrote {written} node test cases to {out}")


if __name__ == "__main__":
    main()
