"""Apache TVM: the Relax ONNX frontend, tvm.compile for llvm (the default Relax and TIR pipelines), the Relax VM on CPU.

The frontend prints to stdout (e.g. "Error converting operator ..."): the host's private channel keeps
that off the protocol.
"""

import numpy as np
import onnx
import tvm
from tvm import relax
from tvm.relax.frontend.onnx import from_onnx

NAME = "tvm"
UNSUPPORTED = [
    "not supported for frontend ONNX",  # tvm.error.OpNotImplemented: no converter for the operator
    "NotImplementedError",  # a converter that says it cannot do this case
    "not implemented",
    "not supported",
    "layer_norm: only support",  # the layer_norm operator takes float32 and float16 only
]
TARGET = "llvm"


def version():
    return tvm.__version__


def newest_converter_opset():
    """The highest opset any converter of this frontend implements.

    The frontend picks, per operator, the newest converter at or below the model's opset.
    """
    from tvm.relax.frontend.onnx.onnx_frontend import _get_convert_map

    versions = [int(a[len("_impl_v"):]) for c in _get_convert_map().values() for a in dir(c) if a.startswith("_impl_v")]
    return max(versions)


def capabilities(options):
    return {
        "rounding": "own",
        "max_opset": newest_converter_opset(),
        "notes": [
            "from_onnx picks for each operator the converter with the highest version at or below the model's "
            "opset (OnnxOpConverter.get_converter): max_opset is the newest converter in this frontend",
            "input dtypes are the model's; from_onnx's dtype_dict default ('float32') only applies to untyped inputs",
            f"built with tvm.compile(target='{TARGET}') and run on relax.VirtualMachine with tvm.cpu()",
        ],
    }


def prepare(model_path, options):
    model = onnx.load(model_path)
    initializers = {t.name for t in model.graph.initializer}
    names = [i.name for i in model.graph.input if i.name not in initializers]  # the order of main's parameters
    module = from_onnx(model)  # initializers become constants (keep_params_in_input=False)
    vm = relax.VirtualMachine(tvm.compile(module, target=TARGET), tvm.cpu())

    def run(inputs):
        result = vm["main"](*[tvm.runtime.tensor(np.asarray(inputs[name], order="C")) for name in names])
        results = [result] if hasattr(result, "numpy") else list(result)
        return [r.numpy() for r in results]

    return run


def repro_source(options):
    """A standalone run(model_path, feeds) for repro.py: the same Relax frontend, tvm.compile and VM."""
    return f"""
import onnx
import tvm
from tvm import relax
from tvm.relax.frontend.onnx import from_onnx


def run(model_path, feeds):
    model = onnx.load(model_path)
    initializers = {{t.name for t in model.graph.initializer}}
    names = [i.name for i in model.graph.input if i.name not in initializers]
    vm = relax.VirtualMachine(tvm.compile(from_onnx(model), target={TARGET!r}), tvm.cpu())
    result = vm["main"](*[tvm.runtime.tensor(np.ascontiguousarray(feeds[n])) for n in names])
    return [r.numpy() for r in ([result] if hasattr(result, "numpy") else list(result))]
"""
