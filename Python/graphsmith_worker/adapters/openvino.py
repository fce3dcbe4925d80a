"""OpenVINO on its CPU plugin, reading the ONNX file directly, in f32 inference precision.

INFERENCE_PRECISION_HINT defaults to bf16 on CPUs with AVX512_BF16 or AMX: asking for f32 keeps
such machines from silently running f32 models in bf16. One inference thread, like onnxruntime.
"""

import numpy as np
import openvino as ov

NAME = "openvino"
UNSUPPORTED = [
    "No conversion rule found for operations",  # the ONNX frontend has no translator for the operator
    "Unsupported operation of type",  # the CPU plugin has no node for it
    "Cannot fallback on ngraph reference implementation",
    "CPU plugin does not support",  # a precision oneDNN cannot take, e.g. i16
    "does not support precision",
    "is not supported",
    "is not implemented",
    "Unsupported padding mode",  # Pad mode wrap
    "Element not supported",  # what a consumer of such a Pad reports
    "results is supported only",  # MaxPool with storage_order = 1 (column-major indices)
    "unsupported dst_prc",  # the CPU plugin has no bool output for this node
    # The Mod converter predates opset 28 (a float Mod with fmod = 0) and refuses it with this check.
    "If the input type is floating point, then `fmod` attribute must be set to 1",
]
CONFIG = {"INFERENCE_PRECISION_HINT": "f32", "INFERENCE_NUM_THREADS": 1}

core = ov.Core()


def version():
    return ov.get_version()


def capabilities(options):
    return {
        "rounding": "own",
        "computes_as": {"f64": "f32", "i64": "i32", "u64": "i32", "u32": "i32", "f16": "f32", "bf16": "f32"},
        "notes": [
            "CPU inference precisions are f32, bf16, f16 and i32 (+ u8/i8 for quantized ops); f64 and 64-bit "
            "integers are converted (docs: CPU Device, Supported Model Precision; openvino#24072: i64 is not "
            "supported, converted to i32)",
            "with INFERENCE_PRECISION_HINT f32 the plugin converts f16 and bf16 to f32 and keeps f32 between "
            "operations (docs: the default floating-point precision of a CPU primitive is f32)",
            "i8/u8 Add, Sub and Mul saturate on overflow instead of wrapping (open reports openvino#35651, "
            "#35647, #33373)",
            "i32 Div and MatMul go through f32 and are inexact above 2^24 (open reports openvino#35830, #37956)",
        ],
    }


def to_ov(array):
    array = np.asarray(array, order="C")
    if array.dtype.name == "bfloat16":  # OpenVINO takes bf16 as raw 16-bit words with an explicit type
        return ov.Tensor(array.view(np.uint16), array.shape, ov.Type.bf16)
    return ov.Tensor(array)


def from_ov(tensor):
    data = tensor.data
    if tensor.element_type == ov.Type.bf16:  # .data shows bf16 words as float16: reinterpret the bits
        import ml_dtypes

        return data.view(np.uint16).view(ml_dtypes.bfloat16).copy()
    return data.copy()


def prepare(model_path, options):
    compiled = core.compile_model(model_path, "CPU", CONFIG)
    request = compiled.create_infer_request()

    def run(inputs):
        request.infer({name: to_ov(a) for name, a in inputs.items()})
        return [from_ov(request.get_tensor(out)) for out in compiled.outputs]

    return run


def repro_source(options):
    """A standalone run(model_path, feeds) for repro.py: the CPU plugin with the same config (f32 precision hint),
    bfloat16 converted by this file's own to_ov and from_ov."""
    import inspect

    conversions = inspect.getsource(to_ov) + "\n\n" + inspect.getsource(from_ov)
    return f"""
import openvino as ov


{conversions}

def run(model_path, feeds):
    compiled = ov.Core().compile_model(model_path, "CPU", {CONFIG!r})
    request = compiled.create_infer_request()
    request.infer({{name: to_ov(a) for name, a in feeds.items()}})
    return [from_ov(request.get_tensor(out)) for out in compiled.outputs]
"""
