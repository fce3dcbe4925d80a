"""repro.py for a finding folder: a standalone script that reruns model.onnx on one outside compiler with the saved
inputs and compares with graphsmith's reference outputs. It needs the compiler's own package, onnx and numpy; never
graphsmith. An adapter of torch modules (FORMAT = "torch") gets torch_repro's script instead: the module inline,
torch and numpy only.

The compiler part comes from the adapter: ``repro_source(options)`` returns Python source defining
``run(model_path, feeds) -> list of numpy arrays`` with the same settings as the adapter's variant. The script may use
``os``, ``sys``, ``np`` and ``onnx``, which the assembled file imports.

Reached through the host: ``host.py --repro ADAPTER_FILE VARIANT OUT_PATH [--finding ID]`` writes OUT_PATH and sends
one JSON line, ``{"ok": true, "path": ..., "backend": ..., "versions": {...}}``, or ``{"ok": false, "error": ...}``.
"""

import os
import platform

# graphsmith's Tolerance.default (Sources/TensorCore/Comparison.swift), by numpy dtype name: (rtol, atol).
# Keep the two in step: the script must call a difference a bug exactly when graphsmith's oracle does.
TOLERANCES = {"float64": (1e-9, 1e-12), "float32": (1e-4, 1e-5), "float16": (1e-2, 1e-3), "bfloat16": (2e-2, 1e-2)}

HEADER = '''#!/usr/bin/env python3
"""Reproduces graphsmith finding {finding} on {backend} ({version}).

Runs model.onnx with the inputs in inputs/*.pb and compares each output with graphsmith's reference output
outputs/reference/K.pb. Needs {packages}, onnx and numpy (written with Python {python}, onnx {onnx}, numpy {numpy}).

    python repro.py        exit 1: the bug still reproduces; exit 0: the outputs match (fixed)
"""

import glob
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- {backend}, set up as graphsmith runs it
'''

FOOTER = '''
# ---------------------------------------------------------------- comparison

# (rtol, atol) per dtype; they mirror graphsmith's Tolerance.default (Sources/TensorCore/Comparison.swift):
# |actual - expected| <= atol + rtol * |expected|; NaN matches NaN, an infinity only itself; integers and bool exact.
TOLERANCES = {tolerances!r}


def load(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t.name, numpy_helper.to_array(t)


def numbered(folder):
    return sorted(glob.glob(os.path.join(HERE, folder, "*.pb")), key=lambda p: int(os.path.basename(p)[:-3]))


def bad_elements(actual, expected):
    """Flat indices where actual differs from expected beyond the tolerance of its dtype."""
    rtol, atol = TOLERANCES.get(expected.dtype.name, (0.0, 0.0))
    a = actual.astype(np.float64).ravel() if rtol or atol else actual.ravel()
    e = expected.astype(np.float64).ravel() if rtol or atol else expected.ravel()
    if not (rtol or atol):
        return np.flatnonzero(a != e)
    both_nan = np.isnan(a) & np.isnan(e)
    finite = np.isfinite(a) & np.isfinite(e)
    with np.errstate(invalid="ignore"):
        ok = both_nan | np.where(finite, np.abs(a - e) <= atol + rtol * np.abs(e), a == e)
    return np.flatnonzero(~ok)


def main():
    feeds = dict(load(p) for p in sorted(glob.glob(os.path.join(HERE, "inputs", "*.pb"))))
    expected = [load(p) for p in numbered(os.path.join("outputs", "reference"))]
    try:
        got = [np.asarray(v) for v in run(os.path.join(HERE, "model.onnx"), feeds)]
    except Exception as e:  # a crash or internal error of the compiler is the bug itself
        print("{backend} failed: %s: %s" % (type(e).__name__, e))
        return 1
    if len(got) != len(expected):
        print("{backend} returned %d outputs, the model has %d" % (len(got), len(expected)))
        return 1
    failing = 0
    for k, ((name, want), actual) in enumerate(zip(expected, got)):
        if actual.shape != want.shape or actual.dtype != want.dtype:
            print("output %d %r: %s %s, expected %s %s" % (k, name, actual.dtype, actual.shape, want.dtype, want.shape))
            failing += 1
            continue
        bad = bad_elements(actual, want)
        if bad.size == 0:
            print("output %d %r: matches the reference" % (k, name))
            continue
        failing += 1
        print("output %d %r: %d of %d elements differ" % (k, name, bad.size, want.size))
        for i in bad[:8]:
            print("  [%s] expected %r, {backend} %r" % (i, want.ravel()[i].item(), actual.ravel()[i].item()))
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
'''


def package_versions():
    import numpy
    import onnx

    return {"python": platform.python_version(), "onnx": onnx.__version__, "numpy": numpy.__version__}


def assemble(source, finding, backend, version, packages):
    """The text of repro.py around the adapter's `source` (which defines run(model_path, feeds))."""
    fields = dict(package_versions(), finding=finding or "(unknown)", backend=backend, version=version,
                  packages=packages)
    return HEADER.format(**fields) + source.strip("\n") + "\n\n" + \
        FOOTER.replace("{tolerances!r}", repr(TOLERANCES)).replace("{backend}", backend)


def write(text, path):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o755)
    os.replace(tmp, path)


def packages_of(source):
    """The top-level packages the snippet imports, other than onnx and numpy: what a reader must install."""
    names = []
    for line in source.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] in ("import", "from"):
            top = words[1].split(".")[0]
            if top not in ("onnx", "numpy", "os", "sys", "inspect", "subprocess", "tempfile") and top not in names:
                names.append(top)
    return ", ".join(names) or "the compiler's package"


def main(arguments, finding, load_adapter, call_with_options, send, describe):
    """`host.py --repro ADAPTER VARIANT OUT`: loads the adapter like a worker does, asks it for its snippet, writes
    the script and answers with the versions (for bug-report.md)."""
    adapter, variant, out = arguments
    module, name, options, _ = load_adapter(adapter, None if variant in ("", "-") else variant)
    try:
        if not hasattr(module, "repro_source"):
            raise LookupError(f"adapter {os.path.basename(adapter)} has no repro_source(options)")
        source = call_with_options(module.repro_source, options)
        version = str(call_with_options(module.version, options))
        if getattr(module, "FORMAT", "onnx") == "torch":
            # The finding folder holds model.py, the torch module graphsmith wrote; the script carries it inline.
            import torch_repro

            write(torch_repro.script(os.path.dirname(os.path.abspath(out)), finding, name, version, source,
                                     module.read_model_tensor), out)
        else:
            write(assemble(source, finding, name, version, packages_of(source)), out)
    except Exception as e:  # noqa: BLE001 - the caller writes the finding without repro.py and says why
        send({"ok": False, "error": describe(e)})
        return
    send({"ok": True, "path": out, "backend": name, "versions": dict(package_versions(), backend=version)})
