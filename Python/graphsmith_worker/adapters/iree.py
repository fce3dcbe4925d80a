"""IREE: the ONNX importer (as iree-import-onnx does it), iree-compile for llvm-cpu, the local-sync runtime.

Compile flags are IREE's defaults plus what its CPU deployment guide asks for: the llvm-cpu target
backend and --iree-llvmcpu-target-cpu=host. Variant "iree" keeps IREE's default demotion of f64 to f32,
which breaks the function boundary of f64 models (iree#24180), so it declares f64 unsupported;
variant "iree-f64" turns that demotion off and computes f64 natively. Unsigned integers come back
signless (signed numpy arrays of the same width): their bits are reinterpreted as the model's type.
"""

import inspect
import os
import re
import shutil
import tempfile

import iree.compiler
import iree.runtime
import numpy as np
import onnx
from iree.compiler.extras import onnx_importer
from iree.compiler.ir import Context

VARIANTS = {
    "iree": {"flags": []},
    # A second configuration: not in the default campaign (name it in --backends).
    "iree-f64": {"flags": ["--iree-input-demote-f64-to-f32=false"], "opt_in": True},
}
UNSUPPORTED = [
    "failed to legalize operation 'torch.operator'",  # no lowering of this ONNX operator (or of its dtype or attributes)
    "Unknown ONNX tensor element type",
    "Unsupported ONNX TypeProto",
    "unimplemented",
]
FLAGS = ["--iree-llvmcpu-target-cpu=host"]  # without it iree-compile warns and targets a generic CPU
DRIVER = "local-sync"


def version():
    import importlib.metadata

    return f"iree-base-compiler {importlib.metadata.version('iree-base-compiler')}, " \
           f"iree-base-runtime {importlib.metadata.version('iree-base-runtime')}"


def capabilities(options):
    demoted = "--iree-input-demote-f64-to-f32=false" not in options["flags"]
    caps = {
        "rounding": "own",
        "signless_integers": True,
        "notes": [
            "i64 is kept: --iree-input-demote-i64-to-i32 defaults to false (InputDialectOptions.demoteI64ToI32)",
            "IREE supports only signless integers down the stack (iree#13576, #12665): unsigned results come "
            "back as signed arrays of the same width and are reinterpreted here",
            f"flags: --iree-hal-target-backends=llvm-cpu {' '.join(FLAGS + options['flags'])}; driver {DRIVER}",
        ],
    }
    if demoted:
        caps["unsupported_dtypes"] = ["f64"]
        caps["notes"].insert(0, "f64 is demoted to f32 by default (--iree-input-demote-f64-to-f32, "
                                "InputDialectOptions.demoteF64ToF32 = true) and the demotion leaves the function "
                                "boundary at f64 with f32-sized buffers: f64 models fail or read garbage (iree#24180)")
    else:
        caps["notes"].insert(0, "f64 demotion off (--iree-input-demote-f64-to-f32=false): f64 is computed as f64")
    return caps


def import_onnx(model):
    """MLIR text of `model`, as iree-import-onnx makes it (shape inference with data propagation first)."""
    model = onnx.shape_inference.infer_shapes(model, data_prop=True)
    model.graph.name = "main"  # the function's name
    context = Context()
    info = onnx_importer.ModelInfo(model)
    module = info.create_module(context=context).operation
    onnx_importer.NodeImporter.define_function(info.main_graph, module).import_all()
    module.verify()
    return module.get_asm()


def compile_error(e):
    """One readable line from iree-compile's output: how it ended, then its first error or where it crashed."""
    text = str(e)
    status = re.search(r"Error code: (-?\d+)", text)
    code = int(status.group(1)) if status else None
    errors = [ln.strip() for ln in text.splitlines() if "error:" in ln]
    frames = [m.group(1) for m in re.finditer(r"^\s*#\d+ 0x[0-9a-f]+ (.+?)(?: \S+:\d+:\d+)?$", text, re.M)]
    frames = [f for f in frames if not re.search(r"llvm::sys::|SignalHandler|libc\.so", f)]
    if errors:
        where = re.sub(r"\s*loc\(.*\)$", "", re.sub(r"^\S*?:\d+(:\d+)?: ", "", errors[0]))  # no temp paths
    elif frames:
        where = "in " + " < ".join(frames[:2])
    else:
        where = text.strip().splitlines()[0]
    how = f"crashed (signal {-code})" if code is not None and code < 0 else f"failed (exit {code})"
    return RuntimeError(f"iree-compile {how}: {where}")


def prepare(model_path, options):
    model = onnx.load(model_path)
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    outputs = [o.type.tensor_type.elem_type for o in model.graph.output]
    work = tempfile.mkdtemp(prefix="graphsmith-iree-")
    try:
        mlir = os.path.join(work, "model.mlir")
        with open(mlir, "w") as f:
            f.write(import_onnx(model))
        try:
            vmfb = iree.compiler.compile_file(mlir, target_backends=["llvm-cpu"], extra_args=FLAGS + options["flags"])
        except iree.compiler.CompilerToolError as e:
            raise compile_error(e) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)

    context = iree.runtime.SystemContext(config=iree.runtime.Config(DRIVER))
    context.add_vm_module(iree.runtime.VmModule.copy_buffer(context.instance, vmfb))
    main = context.modules.module["main"]

    def run(values):
        results = main(*[np.asarray(values[name], order="C") for name in inputs])
        results = results if isinstance(results, (list, tuple)) else [results]
        return [restore(r.to_host(), elem) for r, elem in zip(results, outputs)]

    return run


def restore(array, elem):
    """The model's unsigned type from the signless (signed) array IREE returns."""
    want = onnx.helper.tensor_dtype_to_np_dtype(elem) if elem else array.dtype
    if want != array.dtype and array.dtype.kind in "iu" and want.kind in "iu" and array.dtype.itemsize == want.itemsize:
        return array.view(want)
    return array  # anything else wrong the host reports as a wrong output type


def repro_source(options):
    """A standalone run(model_path, feeds) for repro.py: the ONNX import iree-import-onnx does, iree-compile with the
    same flags, the local-sync driver, and unsigned results reinterpreted from IREE's signless (signed) arrays."""
    return f"""
import iree.compiler
import iree.runtime
import onnx
from iree.compiler.extras import onnx_importer
from iree.compiler.ir import Context

FLAGS = {FLAGS + options["flags"]!r}


{inspect.getsource(import_onnx)}

def run(model_path, feeds):
    model = onnx.load(model_path)
    initializers = {{t.name for t in model.graph.initializer}}
    names = [i.name for i in model.graph.input if i.name not in initializers]
    kinds = [o.type.tensor_type.elem_type for o in model.graph.output]
    vmfb = iree.compiler.compile_str(import_onnx(model), target_backends=["llvm-cpu"], extra_args=FLAGS)
    context = iree.runtime.SystemContext(config=iree.runtime.Config({DRIVER!r}))
    context.add_vm_module(iree.runtime.VmModule.copy_buffer(context.instance, vmfb))
    results = context.modules.module["main"](*[np.ascontiguousarray(feeds[n]) for n in names])
    results = [r.to_host() for r in (results if isinstance(results, (list, tuple)) else [results])]
    wanted = [onnx.helper.tensor_dtype_to_np_dtype(k) for k in kinds]
    return [r.view(w) if r.dtype != w and r.dtype.kind in "iu" and w.kind in "iu" and r.dtype.itemsize == w.itemsize
            else r for r, w in zip(results, wanted)]
"""
