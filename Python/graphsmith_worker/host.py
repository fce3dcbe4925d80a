"""graphsmith's worker host: one warm Python process that runs one external compiler.

Started as ``python host.py --adapter PATH/TO/ADAPTER.py [--variant NAME]``. graphsmith writes
requests to the process's stdin and reads answers from its stdout, one JSON object per line.

Private protocol channel
    First thing, before the adapter is imported, fds 0 and 1 are duplicated to private descriptors that
    carry the protocol; fd 1 then points at fd 2 and fd 0 at /dev/null. Whatever a compiler
    prints to stdout (from Python or native code, or from a child process) lands on stderr and
    cannot corrupt the protocol. The parent must drain or redirect the worker's stderr.

Hello (first line, right after start)
    {"protocol": 1, "ok": true, "backend": NAME, "version": "...", "capabilities": {...},
     "variants": [...]}                    # "variants" only for adapters defining VARIANTS
    {"protocol": 1, "ok": false, "unavailable": "one-line reason"}
    The second form exits with status 3 when the compiler cannot be imported (a missing
    package) and with status 2 when the adapter itself is wrong (no such file or variant).

Requests and answers (one line each)
    {"id": N, "model": "/p/model.onnx", "inputs": [["name", "/p/input_0.pb"], ...], "out": "/dir"}
    {"id": N, "ok": true, "outputs": ["/dir/output_0.pb", ...], "compile_s": F, "run_s": F,
     "cached": BOOL}
    {"id": N, "ok": false, "stage": "compile"|"run"|"request", "kind": "unsupported"|"error",
     "error": "one line"}
    Stage "compile" is the adapter's prepare, "run" is running the prepared model, "request"
    is a malformed request, an unreadable model or input file or an unwritable output folder
    (a fault of the caller, not the compiler). Kind "unsupported" only when the exception text contains one of the adapter's
    UNSUPPORTED phrases (case-insensitive); everything else is "error".
    Tensors cross as ONNX TensorProto files; bfloat16 crosses as ml_dtypes.bfloat16 arrays.
    Outputs are named output_K.pb in the model's output order, each written then renamed.
    The prepared model of the previous request is reused when the same path comes again with
    the same contents (sha256); "cached" says so and compile_s is then 0.

Other modes
    --list FILE...: the backends the adapter files define (listing.py). --repro ADAPTER VARIANT OUT
    [--finding ID]: a standalone repro.py for a finding folder, from the adapter's repro_source (repro.py).

Debug requests (for graphsmith's own tests)
    {"id": N, "debug": "crash"|"abort"|"hang"|"noise"}: SIGSEGV, os.abort(), sleep forever, or
    print a lot on stdout and stderr (Python and a C-level write to fd 1) and answer
    {"id": N, "ok": true, "debug": "noise"}.

Adapter interface (a Python file)
    NAME = "backend"                  or VARIANTS = {"name": {options}, ...} (first is default)
    UNSUPPORTED = ["phrase", ...]     exception text that means "this compiler cannot do that"
    def version() -> str              may take (options) when the variants differ
    def capabilities(options) -> dict optional, default {}; keys: rounding ("own"),
                                      computes_as ({"f64": "f32"}), unsupported_dtypes
                                      (graphsmith dtype names), max_opset (int),
                                      signless_integers (bool), notes (list of one-liners)
    def prepare(model_path, options) -> run, where run(inputs: dict[str, np.ndarray])
                                      returns list[np.ndarray] in the model's output order.
    def repro_source(options) -> str  optional: standalone source of run(model_path, feeds) for
                                      repro.py, using only the compiler's package, onnx and numpy.
    An ImportError while importing the adapter, or from version()/capabilities(), means the
    compiler is unavailable.
"""

import argparse
import faulthandler
import hashlib
import importlib.util
import inspect
import json
import os
import re
import shlex
import signal
import sys
import threading
import time

PROTOCOL = 1
EXIT_UNAVAILABLE = 3
EXIT_BAD_ADAPTER = 2
MAX_ERROR = 1000  # long enough to keep what a compiler says after the node it quotes
CAPABILITY_KEYS = {"rounding", "computes_as", "unsupported_dtypes", "max_opset", "signless_integers", "min_test_s", "notes"}
DTYPES = {"f16", "bf16", "f32", "f64", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "bool"}

_PROTO_IN_FD = _PROTO_OUT_FD = None


def open_private_channel():
    """Moves the protocol off fds 0 and 1, before any compiler code can write to fd 1."""
    global _PROTO_IN_FD, _PROTO_OUT_FD
    _PROTO_IN_FD = os.dup(0)  # os.dup makes non-inheritable descriptors: child processes never hold them
    _PROTO_OUT_FD = os.dup(1)
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = sys.stderr
    faulthandler.enable(file=sys.stderr)  # a native crash leaves a Python traceback on stderr


def exit_with_parent():
    """Exits, with every process the compiler started, when the process that started the host dies.
    graphsmith kills its test worker after a hang; a compile that never ends (an iree-compile child
    process) must not outlive it as an orphan spinning a core all night. The host leads a process
    group of its own, so graphsmith's kill and this thread's both reach the compiler's children.
    A thread, so it also ends an adapter that sleeps or runs native code that releases the GIL."""
    parent = os.getppid()
    try:
        os.setpgid(0, 0)
    except OSError:
        pass  # already a group leader

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        try:
            os.killpg(os.getpgid(0), signal.SIGKILL)
        finally:
            os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def send(obj):
    data = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
    while data:
        data = data[os.write(_PROTO_OUT_FD, data):]


def fail_hello(reason, status):
    send({"protocol": PROTOCOL, "ok": False, "unavailable": one_line(reason)})
    os._exit(status)


def one_line(text):
    return " ".join(str(text).split())[:MAX_ERROR]


# Lines that carry no message: stack frames, source locations, separators.
_NOISE = re.compile(
    r"^(Traceback \(most recent call last\)|File \".*\", line \d+|Stack trace:?|\d+: |#\d+ |at |-+$|=+$"
    r"|Exception from \S+:\d+:?$|Check '.*' failed at \S+:\d+:?$|\S+\.(cpp|cc|h|hpp|py):\d+:?$)"
)


def describe(exc, phrases=()):
    """Exception type and its first meaningful line: the line naming an unsupported phrase if there is one;
    a heading that ends with ':' gets the first line after it that is not a heading."""
    lines = [ln.strip().removeprefix("-- ") for ln in str(exc).splitlines()]
    lines = [ln for ln in lines if ln and not _NOISE.match(ln)]
    chosen = next((ln for ln in lines if any(p.lower() in ln.lower() for p in phrases)), None)
    if chosen is None and lines:
        chosen = lines[0]
        detail = next((ln for ln in lines[1:] if not ln.endswith(":")), None) if chosen.endswith(":") else None
        # A C/C++ compiler's own complaint ("/tmp/x.cpp:3:5: error: ..."), without its file and line, which name
        # a generated file and would keep the same failure of two models apart.
        cxx = next((ln.split("error:", 1)[1].strip() for ln in lines[1:] if "error:" in ln), None) if not detail else None
        chosen = f"{chosen} {detail}" if detail else f"{chosen}: {cxx}" if cxx else chosen
    head = type(exc).__name__
    return one_line(f"{head}: {chosen}" if chosen else head)


def classify(exc, phrases):
    # Whitespace normalized: a compiler may break its message across lines anywhere.
    text = " ".join(f"{type(exc).__name__}: {exc}".lower().split())
    return "unsupported" if any(" ".join(p.lower().split()) in text for p in phrases) else "error"


# Tensor files: tensors.py (a sibling module; host.py runs as a script, so its folder is on sys.path).
from tensors import read_tensor, tensor_type, write_tensor  # noqa: E402
from listing import backend_rows, declared_names  # noqa: E402


# ---------------------------------------------------------------- adapters


def call_with_options(fn, options):
    """Calls version() or version(options): an adapter with variants may need to know which."""
    try:
        takes = len(inspect.signature(fn).parameters) > 0
    except (TypeError, ValueError):
        takes = False
    return fn(options) if takes else fn()


def check_capabilities(caps):
    if not isinstance(caps, dict):
        raise TypeError(f"capabilities() returned {type(caps).__name__}, not a dict")
    unknown = set(caps) - CAPABILITY_KEYS
    if unknown:
        raise ValueError(f"unknown capability keys {sorted(unknown)}; known: {sorted(CAPABILITY_KEYS)}")
    names = set(caps.get("unsupported_dtypes", [])) | set(caps.get("computes_as", {}))
    names |= set(caps.get("computes_as", {}).values())
    if names - DTYPES:
        raise ValueError(f"unknown dtype names {sorted(names - DTYPES)}; known: {sorted(DTYPES)}")
    return caps


def setup_command(backend):
    """The command that installs a backend's packages, quoted so a shell reads the name back as one argument."""
    return shlex.join(["bash", "Scripts/setup.sh", "--backends", backend])


def load_adapter(path, variant):
    """(module, backend name, options, variant names); answers the failing hello itself."""
    names = declared_names(path)
    wanted = variant or names[0]
    if not os.path.isfile(path):
        fail_hello(f"no adapter file {path}", EXIT_BAD_ADAPTER)
    try:
        import numpy  # noqa: F401
        import onnx  # noqa: F401
    except ImportError as e:
        fail_hello(f"the worker host needs the Python package {e.name} (ImportError: {e}); "
                   f"run: {setup_command(wanted)}", EXIT_UNAVAILABLE)
    try:
        spec = importlib.util.spec_from_file_location("graphsmith_adapter", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except ImportError as e:
        fail_hello(f"{wanted} is unavailable: Python package {e.name or '?'} is missing "
                   f"({describe(e)}); run: {setup_command(wanted)}", EXIT_UNAVAILABLE)
    except Exception as e:  # noqa: BLE001 - any import failure means the backend cannot start
        fail_hello(f"{wanted} is unavailable: its adapter {os.path.basename(path)} failed to load "
                   f"({describe(e)})", EXIT_UNAVAILABLE)
    variants = getattr(module, "VARIANTS", None)
    if variants:
        if wanted not in variants:
            fail_hello(f"adapter {path} has no variant {wanted!r} (it has: {', '.join(variants)})", EXIT_BAD_ADAPTER)
        return module, wanted, dict(variants[wanted]), list(variants)
    name = getattr(module, "NAME", None)
    if not isinstance(name, str):
        fail_hello(f"adapter {path} defines neither NAME nor VARIANTS", EXIT_BAD_ADAPTER)
    if variant and variant != name:
        fail_hello(f"adapter {path} has no variant {variant!r} (it is {name!r})", EXIT_BAD_ADAPTER)
    return module, name, {}, None


# ---------------------------------------------------------------- requests


class RequestError(Exception):
    """The request itself is wrong: a fault of the caller, not of the compiler."""


def debug(req):
    what = req["debug"]
    if what == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif what == "abort":
        os.abort()
    elif what == "hang":
        while True:
            time.sleep(3600)
    elif what == "noise":
        import ctypes

        libc = ctypes.CDLL(None)
        for k in range(2000):
            print(f"noise {k}: print() to sys.stdout, which is stderr now " + "x" * 40)
            sys.stderr.write(f"noise {k}: sys.stderr\n")
            line = f"noise {k}: C write(1, ...) " + "y" * 40 + "\n"
            libc.write(1, line.encode(), len(line.encode()))
        libc.printf(b"noise: C printf to stdout\n")
        libc.fflush(None)
        sys.stderr.flush()
        return {"id": req.get("id"), "ok": True, "debug": "noise"}
    raise RequestError(f"unknown debug request {what!r}")


class Host:
    def __init__(self, module, name, options):
        self.module, self.name, self.options = module, name, options
        self.unsupported = [str(p) for p in getattr(module, "UNSUPPORTED", [])]
        self.cache_key = None
        self.prepared = None  # (run, [(output name, declared TensorProto type)])

    def handle(self, req):
        rid = req.get("id")
        try:
            model, out = req["model"], req["out"]
            with open(model, "rb") as f:
                data = f.read()
            key = (model, hashlib.sha256(data).hexdigest())
            cached = key == self.cache_key and self.prepared is not None
            signature = None if cached else self.signature(model, data)
            inputs = {name: read_tensor(path) for name, path in req["inputs"]}
        except Exception as e:  # noqa: BLE001 - a missing field or file, a damaged .pb or model
            return self.failure(rid, "request", e)

        if req.get("check") and getattr(self.module, "FORMAT", "onnx") == "onnx":
            try:
                import onnx
                onnx.checker.check_model(onnx.load_model_from_string(data), full_check=True)
            except Exception as e:  # noqa: BLE001 - the exporter's fault, not the compiler's
                return {"id": rid, "ok": False, "stage": "request", "kind": "error", "error": "onnx.checker: " + describe(e)}

        compile_s = 0.0
        if not cached:
            self.cache_key, self.prepared = None, None  # let the previous model go first
            t0 = time.perf_counter()
            try:
                run = self.module.prepare(model, self.options)
            except Exception as e:  # noqa: BLE001 - every failure of the compiler is an answer
                return self.failure(rid, "compile", e)
            compile_s = time.perf_counter() - t0
            self.cache_key, self.prepared = key, (run, signature)
        run, outputs = self.prepared

        t0 = time.perf_counter()
        try:
            values = run(inputs)
            run_s = time.perf_counter() - t0
            arrays = checked_outputs(values, outputs)
        except Exception as e:  # noqa: BLE001
            return self.failure(rid, "run", e)
        try:
            paths = []
            for k, (array, (name, _)) in enumerate(zip(arrays, outputs)):
                paths.append(os.path.join(out, f"output_{k}.pb"))
                write_tensor(array, name, paths[-1])
        except Exception as e:  # noqa: BLE001 - e.g. no such folder "out": the caller's fault
            return self.failure(rid, "request", e)
        return {"id": rid, "ok": True, "outputs": paths, "compile_s": round(compile_s, 6),
                "run_s": round(run_s, 6), "cached": cached}

    def signature(self, path, data):
        """The model's outputs and their declared types: read from the ONNX file, or by an adapter whose models are
        another format (FORMAT = "torch") through its own output_signature(path)."""
        custom = getattr(self.module, "output_signature", None)
        return custom(path) if custom else output_signature(data)

    def failure(self, rid, stage, exc):
        kind = "error" if stage == "request" else classify(exc, self.unsupported)
        phrases = self.unsupported if kind == "unsupported" else ()
        return {"id": rid, "ok": False, "stage": stage, "kind": kind, "error": describe(exc, phrases)}


def checked_outputs(values, outputs):
    """The compiler's outputs as arrays, each of the type the model declares."""
    import numpy as np
    import onnx

    arrays = [np.asarray(v) for v in values]
    if len(arrays) != len(outputs):
        raise RuntimeError(f"the compiler returned {len(arrays)} outputs, the model has {len(outputs)}")
    for k, (array, (name, declared)) in enumerate(zip(arrays, outputs)):
        got = tensor_type(array)
        if declared and got != declared:
            raise RuntimeError(f"output {k} '{name}' came back as {onnx.TensorProto.DataType.Name(got)}, "
                               f"the model declares {onnx.TensorProto.DataType.Name(declared)}")
    return arrays


def output_signature(model_bytes):
    """[(name, TensorProto data type or 0)] of the model's outputs."""
    import onnx

    m = onnx.ModelProto()
    m.ParseFromString(model_bytes)
    return [(o.name, o.type.tensor_type.elem_type if o.type.HasField("tensor_type") else 0) for o in m.graph.output]


def main():
    open_private_channel()
    exit_with_parent()
    parser = argparse.ArgumentParser(description="graphsmith's worker host for one external compiler")
    parser.add_argument("--adapter", help="path of the adapter .py file")
    parser.add_argument("--variant", help="which of the adapter's VARIANTS (default: the first)")
    parser.add_argument("--list", nargs="+", metavar="ADAPTER", help="list the backends these adapter files define, and exit")
    parser.add_argument("--repro", nargs=3, metavar=("ADAPTER", "VARIANT", "OUT"),
                        help="write a standalone repro.py for this backend to OUT (see repro.py), and exit")
    parser.add_argument("--finding", help="the finding id named in --repro's script")
    args = parser.parse_args()
    if args.list:
        send(backend_rows(args.list))
        os._exit(0)
    if args.repro:
        import repro
        repro.main(args.repro, args.finding, load_adapter, call_with_options, send, describe)
        os._exit(0)
    if not args.adapter:
        fail_hello("host.py needs --adapter FILE (or --list FILE...)", EXIT_BAD_ADAPTER)

    module, name, options, variants = load_adapter(args.adapter, args.variant)
    try:
        version = str(call_with_options(module.version, options))
        caps = module.capabilities(options) if hasattr(module, "capabilities") else {}
        check_capabilities(caps)
    except ImportError as e:
        fail_hello(f"{name} is unavailable: Python package {e.name or '?'} is missing ({describe(e)}); "
                   f"run: {setup_command(name)}", EXIT_UNAVAILABLE)
    except Exception as e:  # noqa: BLE001
        fail_hello(f"adapter {args.adapter} ({name}): {describe(e)}", EXIT_BAD_ADAPTER)
    hello = {"protocol": PROTOCOL, "ok": True, "backend": name, "version": version, "capabilities": caps}
    if variants:
        hello["variants"] = variants
    send(hello)

    host = Host(module, name, options)
    with os.fdopen(_PROTO_IN_FD, "rb") as requests:
        for line in requests:
            if not line.strip():
                continue
            try:
                req = json.loads(line)
                if not isinstance(req, dict):
                    raise RequestError("a request is a JSON object")
            except (ValueError, RequestError) as e:
                send({"id": None, "ok": False, "stage": "request", "kind": "error", "error": describe(e)})
                continue
            try:
                answer = debug(req) if "debug" in req else host.handle(req)
            except RequestError as e:
                answer = {"id": req.get("id"), "ok": False, "stage": "request", "kind": "error", "error": describe(e)}
            sys.stderr.flush()
            send(answer)
    sys.stderr.flush()
    os._exit(0)  # compilers' threads and atexit hooks must not keep a finished worker alive


if __name__ == "__main__":
    main()
