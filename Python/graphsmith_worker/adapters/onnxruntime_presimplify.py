"""onnxruntime (all optimizations) on a model simplified first by onnxsim or onnxslim.

A failure of the simplifier is a compile-stage error: it is a bug of that tool.
"""

import importlib
import importlib.metadata
import importlib.util
import os

import onnx

# The onnxruntime adapter next to this file (loaded by path: the adapters folder is never on sys.path).
_spec = importlib.util.spec_from_file_location("graphsmith_adapter_onnxruntime",
                                               os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnxruntime.py"))
ort_adapter = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ort_adapter)

VARIANTS = {
    "onnxruntime-onnxsim": {"simplifier": "onnxsim"},
    "onnxruntime-onnxslim": {"simplifier": "onnxslim"},
}
UNSUPPORTED = ort_adapter.UNSUPPORTED


def version(options):
    tool = options["simplifier"]
    importlib.import_module(tool)  # ImportError: this variant is unavailable
    return f"onnxruntime {ort_adapter.version()} + {tool} {importlib.metadata.version(tool)}"


def capabilities(options):
    return ort_adapter.capabilities(options)


def simplify(model, tool):
    if tool == "onnxsim":
        import onnxsim

        simplified, ok = onnxsim.simplify(model)
        if not ok:
            raise RuntimeError("onnxsim: the simplified model failed onnxsim's own check")
        return simplified
    import onnxslim

    return onnxslim.slim(model)


def prepare(model_path, options):
    tool = options["simplifier"]
    try:
        simplified = simplify(onnx.load(model_path), tool)
    except Exception as e:
        raise RuntimeError(f"{tool} failed: {type(e).__name__}: {e}") from e
    return ort_adapter.runner(ort_adapter.session(simplified.SerializeToString(), "all"))


def repro_source(options):
    """A standalone run(model_path, feeds) for repro.py: the simplifier, then onnxruntime with all optimizations."""
    if options["simplifier"] == "onnxsim":
        simplify = "import onnxsim\n    model, ok = onnxsim.simplify(onnx.load(model_path))\n" \
                   "    assert ok, \"onnxsim: the simplified model failed onnxsim's own check\""
    else:
        simplify = "import onnxslim\n    model = onnxslim.slim(onnx.load(model_path))"
    return f"""
import onnx
import onnxruntime as ort


def run(model_path, feeds):
    {simplify}
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)
"""
