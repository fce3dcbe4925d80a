"""PyTorch: the torch modules graphsmith writes from its specs (`export --format torch`), run eagerly or compiled.

torch-compile is Dynamo + Inductor on CPU (C++ code generation); torch-compile-aot stops before Inductor (Dynamo
capture and AOTAutograd, then eager kernels), so a finding on torch-compile that torch-compile-aot does not share is
Inductor's. Compiles use fullgraph=True: a graph break is an error whose message says so (unsupported).
"""

import importlib.util
import itertools
import os

import numpy as np


def private_cache():
    """Inductor's compiled kernels go to a folder only this user can read (~/.cache/graphsmith/torchinductor), not
    the shared /tmp/torchinductor_USER; TORCHINDUCTOR_CACHE_DIR set by the user wins."""
    if not os.environ.get("TORCHINDUCTOR_CACHE_DIR"):
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "graphsmith", "torchinductor")
        os.makedirs(folder, mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = folder


private_cache()
import torch  # noqa: E402 - after the cache folder is chosen

FORMAT = "torch"
VARIANTS = {
    "torch-eager": {"backend": None},
    "torch-compile": {"backend": "inductor", "mode": None, "dynamic": False},
    "torch-compile-aot": {"backend": "aot_eager", "mode": None, "dynamic": False, "opt_in": True},
    "torch-compile-dynamic": {"backend": "inductor", "mode": None, "dynamic": True, "opt_in": True},
    "torch-compile-max-autotune": {"backend": "inductor", "mode": "max-autotune-no-cudagraphs", "dynamic": False,
                                   "opt_in": True},
}
# A kernel torch lacks for a dtype ("add_stub" not implemented for 'UInt32'), and what Dynamo cannot capture.
UNSUPPORTED = ["not implemented for '", "torch._dynamo.exc.Unsupported", "Unsupported: "]
_names = itertools.count()


def version(options):
    return torch.__version__


def capabilities(options):
    warm_up(options)
    caps = {
        "rounding": "own",
        "unsupported_dtypes": ["u16", "u32", "u64"],
        "notes": [
            "torch has few CPU kernels for uint16, uint32 and uint64 (\"not implemented for 'UInt32'\"); "
            "graphsmith does not send them",
            "Inductor fuses element-wise chains and may reorder reductions (rounding 'own'); f16/bf16 round after "
            "each operator as in eager (torch._inductor.config.emulate_precision_casts = True, off by default)",
        ],
    }
    if options.get("backend") == "inductor":
        caps["min_test_s"] = 90  # a g++ run per model, seconds each, more on a loaded machine
    return caps


def warm_up(options):
    """The first compile in a process is slow (Inductor loads and builds its C++ headers): do it before the hello,
    whose wait is generous, so that a test's time limit measures the test's own compile."""
    if options.get("backend"):
        emulate_eager_rounding()
        torch.compile(lambda x: torch.relu(x) + 1, backend=options["backend"], fullgraph=True)(torch.ones(4))
        torch._dynamo.reset()


def emulate_eager_rounding():
    """Inductor fuses f16/bf16 operators in float32 and drops the rounding eager does after each one, unless
    emulate_precision_casts is set (its documented default is off): with it on, a compiled model rounds like the
    reference and a difference is a bug, not that documented choice."""
    import torch._inductor.config as inductor

    if hasattr(inductor, "emulate_precision_casts"):
        inductor.emulate_precision_casts = True


def load(path):
    """The written module, under a fresh name each time (a test's file replaces the previous one)."""
    spec = importlib.util.spec_from_file_location(f"graphsmith_torch_model_{next(_names)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def output_signature(path):
    """[(output name, TensorProto data type)] as the written module declares them."""
    module = load(path)
    return [(name, module.CODES[dtype]) for name, dtype in zip(module.OUTPUTS, module.OUTPUT_DTYPES)]


def to_torch(array):
    array = np.asarray(array, order="C")  # not ascontiguousarray, which makes a 0-d array 1-d
    if array.dtype.name == "bfloat16":  # numpy has no bfloat16: cross as raw 16-bit words
        return torch.from_numpy(array.view(np.int16).copy()).view(torch.bfloat16)
    return torch.from_numpy(array.copy())


def to_numpy(t):
    t = t.detach().cpu().contiguous()
    if t.dtype == torch.bfloat16:
        import ml_dtypes

        return t.view(torch.int16).numpy().view(ml_dtypes.bfloat16)
    return t.numpy()


def prepare(model_path, options):
    module = load(model_path)
    model = module.Model().eval()
    fn = model
    if options["backend"]:
        torch._dynamo.reset()  # one model at a time: drop what earlier tests compiled
        emulate_eager_rounding()
        fn = torch.compile(model, backend=options["backend"], mode=options["mode"], dynamic=options["dynamic"],
                           fullgraph=True)

    def run(inputs):
        args = [to_torch(inputs[name]) for name in module.INPUTS]
        with torch.no_grad():
            return [to_numpy(t) for t in fn(*args)]

    return run


def read_model_tensor(path):
    """(name, tensor) of a TensorProto file, with the helpers the written modules carry (for repro.py)."""
    spec = importlib.util.spec_from_file_location("graphsmith_torch_prelude",
                                                  os.path.join(os.path.dirname(os.path.dirname(__file__)), "torch_prelude.py"))
    prelude = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(prelude)
    return prelude.read_pb(path)


def repro_source(options):
    """compiled(model) for repro.py: the variant's settings, torch only."""
    if not options["backend"]:
        return """
def compiled(model):
    return model  # eager
"""
    return f"""
import torch._inductor.config


def compiled(model):
    torch._inductor.config.emulate_precision_casts = True  # f16/bf16 rounded after each operator, as in eager
    return torch.compile(model, backend={options["backend"]!r}, mode={options["mode"]!r}, dynamic={options["dynamic"]!r},
                         fullgraph=True)
"""
