"""onnxruntime on its CPU execution provider, with all graph optimizations or none."""

import ctypes
import os

import numpy as np
import onnxruntime as ort

VARIANTS = {
    "onnxruntime": {"level": "all"},
    "onnxruntime-noopt": {"level": "none"},
}
# onnxruntime's type check refusing bfloat16 where the ONNX operator allows it (onnx.checker accepts the model) is
# a dtype it does not support there, like a missing kernel.
# ScatterElements and ScatterND refuse float16/bfloat16 with a reduction at run time ("MLFloat16 data type is not
# supported with ScatterND opset 18 when reduction is 'max'"): no kernel for that case either.
UNSUPPORTED = ["NOT_IMPLEMENTED", "Could not find an implementation", "Type Error: Type 'tensor(bfloat16)'",
               "data type is not supported with"]
LEVELS = {"all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL, "none": ort.GraphOptimizationLevel.ORT_DISABLE_ALL}
BFLOAT16 = 16  # TensorProto.BFLOAT16


def version():
    return ort.__version__


def capabilities(options):
    return {
        "rounding": "own",
        # Its inserted Casts compute float16 nodes in float32, and the pairs they leave between two such nodes are
        # removed (a float16 result feeding a Cast to float32 is never rounded): float16 is computed as float32.
        "computes_as": {"f16": "f32"},
        "notes": [
            "float16 nodes without a CPU float16 kernel run in float32 between Casts that onnxruntime "
            "inserts itself (InsertCastTransformer), at every optimization level (onnxruntime#11831, #1494)",
            "no bfloat16 arithmetic kernels on CPU: such models fail with NOT_IMPLEMENTED (unsupported)",
        ],
    }


def threads():
    """Threads of a session: one in campaigns; `bench compiler` sets GRAPHSMITH_ORT_THREADS to the count native code
    runs with, so the two are timed alike. Anything but a positive integer means one."""
    text = os.environ.get("GRAPHSMITH_ORT_THREADS", "1")
    return int(text) if text.isdigit() and int(text) > 0 else 1


def session(model, level):
    """An InferenceSession on a model path or serialized model bytes."""
    opts = ort.SessionOptions()
    opts.graph_optimization_level = LEVELS[level]
    opts.intra_op_num_threads = threads()
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    return ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])


def to_ort(array):
    if array.dtype.name == "bfloat16":  # numpy cannot name bfloat16 for onnxruntime: pass its bits
        return ort.OrtValue.ortvalue_from_numpy_with_onnx_type(array.view(np.uint16), BFLOAT16)
    return ort.OrtValue.ortvalue_from_numpy(array)


def from_ort(value):
    if value.data_type() != "tensor(bfloat16)":
        return value.numpy()
    import ml_dtypes

    shape = tuple(value.shape())
    n = int(np.prod(shape))
    bits = np.ctypeslib.as_array((ctypes.c_uint16 * n).from_address(value.data_ptr())) if n else np.empty(0, np.uint16)
    return bits.copy().reshape(shape).view(ml_dtypes.bfloat16)


def runner(sess):
    def run(inputs):
        # C order (0-d stays 0-d); kept alive while onnxruntime reads them
        arrays = {name: np.asarray(a, order="C") for name, a in inputs.items()}
        feeds = {name: to_ort(a) for name, a in arrays.items()}
        return [from_ort(v) for v in sess.run_with_ort_values(None, feeds)]

    return run


def prepare(model_path, options):
    return runner(session(model_path, options["level"]))


def repro_source(options):
    """A standalone run(model_path, feeds) for repro.py: the same session options, onnxruntime only."""
    level = "ORT_ENABLE_ALL" if options["level"] == "all" else "ORT_DISABLE_ALL"
    return f"""
import onnxruntime as ort


def run(model_path, feeds):
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.{level}
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(model_path, opts, providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)
"""
