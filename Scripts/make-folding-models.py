#!/usr/bin/env python3
"""Writes small ONNX models with the shape arithmetic torch.onnx.export emits (Shape, Gather, Concat, Reshape,
Constant, ConstantOfShape, Range, Size, computed Clip/Slice/Expand/Pad operands, auto_pad SAME) in the node test
suite's layout (model.onnx, test_data_set_0/input_k.pb and output_k.pb, the outputs from onnxruntime), so
`graphsmith conformance DIR` checks that import folds them and agrees with onnxruntime.

Usage: make-folding-models.py OUT_DIR   (needs onnx, onnxruntime and numpy)
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OPSET = 19
F = TensorProto.FLOAT


def const(name, values, dtype=np.int64):
    """A Constant node holding `values` (torch exports its literals this way)."""
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.array(values, dtype=dtype), name))


def dims_of(x, k, name):
    """Shape(x)[k] as a 1-element vector: Shape, Gather, Unsqueeze, as exporters write `x.size(k)`."""
    return [
        helper.make_node("Shape", [x], [f"{name}_shape"]),
        const(f"{name}_k", k),
        helper.make_node("Gather", [f"{name}_shape", f"{name}_k"], [f"{name}_scalar"], axis=0),
        const(f"{name}_axes", [0]),
        helper.make_node("Unsqueeze", [f"{name}_scalar", f"{name}_axes"], [name]),
    ]


def view(rng):
    """x.view(x.size(0), -1).relu()"""
    nodes = dims_of("x", 0, "n") + [
        const("minus1", [-1]),
        helper.make_node("Concat", ["n", "minus1"], ["shape"], axis=0),
        helper.make_node("Reshape", ["x", "shape"], ["flat"]),
        helper.make_node("Relu", ["flat"], ["y"]),
    ]
    return nodes, {"x": rng.standard_normal((2, 3, 4))}, [("y", [2, 12])]


def flatten_by_size(rng):
    """x.reshape(x.numel()) via Size."""
    nodes = [
        helper.make_node("Size", ["x"], ["count"]),
        const("axes", [0]),
        helper.make_node("Unsqueeze", ["count", "axes"], ["shape"]),
        helper.make_node("Reshape", ["x", "shape"], ["y"]),
    ]
    return nodes, {"x": rng.standard_normal((3, 5))}, [("y", [15])]


def clamp(rng):
    """x.clamp(-0.5, 0.75): Constant bounds, as torch exports them."""
    nodes = [const("lo", -0.5, np.float32), const("hi", 0.75, np.float32), helper.make_node("Clip", ["x", "lo", "hi"], ["y"])]
    return nodes, {"x": rng.standard_normal((4, 4))}, [("y", [4, 4])]


def slice_computed(rng):
    """x[:, 1:x.size(1) - 1]: the end computed from the shape."""
    nodes = dims_of("x", 1, "w") + [
        const("one", [1]),
        helper.make_node("Sub", ["w", "one"], ["end"]),
        const("start", [1]),
        const("axis", [1]),
        helper.make_node("Slice", ["x", "start", "end", "axis"], ["y"]),
    ]
    return nodes, {"x": rng.standard_normal((3, 6))}, [("y", [3, 4])]


def expand_as(rng):
    """x.expand_as(z) + z"""
    nodes = [
        helper.make_node("Shape", ["z"], ["zs"]),
        helper.make_node("Expand", ["x", "zs"], ["xe"]),
        helper.make_node("Add", ["xe", "z"], ["y"]),
    ]
    return nodes, {"x": rng.standard_normal((3, 1)), "z": rng.standard_normal((2, 3, 4))}, [("y", [2, 3, 4])]


def pad_computed(rng):
    """F.pad(x, (1, 2)) on the last axis, the pads assembled from ConstantOfShape zeros and a constant, then a Cast."""
    nodes = [
        const("two", [2]),
        helper.make_node("ConstantOfShape", ["two"], ["zeros"], value=numpy_helper.from_array(np.array([0], dtype=np.int64))),
        const("begin_end", [1, 2]),
        helper.make_node("Concat", ["zeros", "begin_end"], ["pads_raw"], axis=0),
        const("order", [0, 2, 1, 3]),
        helper.make_node("Gather", ["pads_raw", "order"], ["pads"], axis=0),
        helper.make_node("Pad", ["x", "pads"], ["y"]),
    ]
    return nodes, {"x": rng.standard_normal((2, 3))}, [("y", [2, 6])]


def range_gather(rng):
    """x[torch.arange(0, x.size(0), 2)]"""
    nodes = [
        helper.make_node("Shape", ["x"], ["s"]),
        const("zero", 0),
        helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
        const("start", 0),
        const("step", 2),
        helper.make_node("Range", ["start", "n", "step"], ["idx"]),
        helper.make_node("Gather", ["x", "idx"], ["y"], axis=0),
    ]
    return nodes, {"x": rng.standard_normal((5, 3))}, [("y", [3, 3])]


def full_like(rng):
    """x + torch.full_like(x, 1.5) via ConstantOfShape(Shape(x)), and an Identity of a constant."""
    nodes = [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("ConstantOfShape", ["s"], ["c"], value=numpy_helper.from_array(np.array([1.5], dtype=np.float32))),
        const("two", 2.0, np.float32),
        helper.make_node("Identity", ["two"], ["two_again"]),
        helper.make_node("Mul", ["c", "two_again"], ["c2"]),
        helper.make_node("Add", ["x", "c2"], ["y"]),
    ]
    return nodes, {"x": rng.standard_normal((2, 5))}, [("y", [2, 5])]


def conv_same(rng):
    """Conv with auto_pad SAME_UPPER then MaxPool SAME_LOWER (odd pad totals)."""
    w = numpy_helper.from_array(rng.standard_normal((4, 3, 2, 3)).astype(np.float32), "w")
    b = numpy_helper.from_array(rng.standard_normal((4,)).astype(np.float32), "b")
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], auto_pad="SAME_UPPER", strides=[1, 2]),
        helper.make_node("MaxPool", ["c"], ["y"], auto_pad="SAME_LOWER", kernel_shape=[2, 2]),
    ]
    return nodes, {"x": rng.standard_normal((1, 3, 5, 7))}, [("y", [1, 4, 5, 4])], [w, b]


def average_same(rng):
    """AveragePool with auto_pad SAME_UPPER and strides."""
    nodes = [helper.make_node("AveragePool", ["x"], ["y"], auto_pad="SAME_UPPER", kernel_shape=[3, 2], strides=[2, 2])]
    return nodes, {"x": rng.standard_normal((1, 2, 7, 6))}, [("y", [1, 2, 4, 3])]


MODELS = [view, flatten_by_size, clamp, slice_computed, expand_as, pad_computed, range_gather, full_like, conv_same, average_same]


def write(out_dir, make, rng):
    made = make(rng)
    nodes, inputs, outputs = made[:3]
    initializers = made[3] if len(made) > 3 else []
    inputs = {k: v.astype(np.float32) for k, v in inputs.items()}
    graph = helper.make_graph(
        nodes, make.__name__,
        [helper.make_tensor_value_info(k, F, v.shape) for k, v in inputs.items()],
        [helper.make_tensor_value_info(name, F, shape) for name, shape in outputs],
        initializer=initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 9
    onnx.checker.check_model(model, full_check=True)
    folder = os.path.join(out_dir, f"test_folding_{make.__name__}")
    data = os.path.join(folder, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    onnx.save(model, os.path.join(folder, "model.onnx"))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    results = session.run(None, inputs)
    for k, (name, value) in enumerate(inputs.items()):
        onnx.save_tensor(numpy_helper.from_array(value, name), os.path.join(data, f"input_{k}.pb"))
    for k, ((name, shape), value) in enumerate(zip(outputs, results)):
        assert list(value.shape) == shape, (make.__name__, value.shape, shape)
        onnx.save_tensor(numpy_helper.from_array(value, name), os.path.join(data, f"output_{k}.pb"))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rng = np.random.default_rng(15)
    for make in MODELS:
        write(sys.argv[1], make, rng)
    print(f"wrote {len(MODELS)} models to {sys.argv[1]}")


if __name__ == "__main__":
    main()
