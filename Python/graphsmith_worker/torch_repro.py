"""repro.py for a finding on a torch backend: one file that needs torch and numpy only. It holds the torch module
graphsmith wrote (model.py of the finding folder), the inputs and the reference outputs inline when they are small
(else read from inputs/K.pb and outputs/reference/K.pb beside it), the adapter's `compiled(model)` (how the backend
compiles, e.g. torch.compile with its settings) and the failing call with the comparison.
"""

import ast
import glob
import os

import torch

# graphsmith's Tolerance.default, as in repro.py (one table for both kinds of script).
from repro import TOLERANCES

# Tensors with at most this many elements are written out as torch.tensor literals.
INLINE = 64

HEADER = '''#!/usr/bin/env python3
"""Reproduces graphsmith finding {finding} on {backend} (torch {version}).

The model below is the reduced test case as a torch module; it runs eagerly and through {backend}, and each output
is compared with graphsmith's reference (a float64 interpreter of the ONNX operator semantics, rounded once per
operator). Needs torch and numpy only.

    python repro.py        exit 1: the bug still reproduces; exit 0: the outputs match (fixed)
"""
'''

TAIL = '''

# ---------------------------------------------------------------- how {backend} runs it, as graphsmith does
{compiled}

# ---------------------------------------------------------------- the failing call

# (rtol, atol) per dtype, graphsmith's: |actual - expected| <= atol + rtol * |expected|; NaN matches NaN.
TOLERANCES = {tolerances!r}


def differing(got, want):
    """Flat indices where got differs from want beyond the tolerance of its dtype."""
    if not want.dtype.is_floating_point:
        return (got.reshape(-1) != want.reshape(-1)).nonzero().reshape(-1).tolist()
    rtol, atol = TOLERANCES[str(want.dtype).replace("torch.", "")]
    g, w = got.double().reshape(-1), want.double().reshape(-1)
    ok = (g == w) | (g.isnan() & w.isnan()) | ((g - w).abs() <= atol + rtol * w.abs())
    return (~ok).nonzero().reshape(-1).tolist()


def reproduce():
    model = Model().eval()
    with torch.no_grad():
        try:
            got = compiled(model)(*FEEDS)
        except Exception as e:  # a crash or internal error of the compiler is the bug itself
            print("{backend} failed: %s: %s" % (type(e).__name__, e))
            return 1
    failing = 0
    for k, (name, want, actual) in enumerate(zip(OUTPUTS, EXPECTED, got)):
        if actual.dtype != want.dtype or actual.shape != want.shape:
            print("output %d %r: %s %s, expected %s %s" % (k, name, actual.dtype, list(actual.shape), want.dtype,
                                                           list(want.shape)))
            failing += 1
            continue
        bad = differing(actual, want)
        if not bad:
            print("output %d %r: matches the reference" % (k, name))
            continue
        failing += 1
        print("output %d %r: %d of %d elements differ" % (k, name, len(bad), want.numel()))
        for i in bad[:8]:
            print("  [%d] expected %r, {backend} %r" % (i, want.reshape(-1)[i].item(), actual.reshape(-1)[i].item()))
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(reproduce())
'''


def literal(t, fallback):
    """A tensor as Python source: torch.tensor([...]) when small, else the prelude's read of its file."""
    if t.numel() > INLINE:
        return fallback
    if t.dtype == torch.bfloat16 or t.dtype == torch.float16:
        values = t.float().tolist()
    else:
        values = t.tolist()
    return f"torch.tensor({values!r}, dtype={t.dtype})".replace("nan", "float('nan')").replace("inf", "float('inf')")


def numbered(folder):
    return sorted(glob.glob(os.path.join(folder, "*.pb")), key=lambda p: int(os.path.basename(p)[:-3]))


def script(folder, finding, backend, version, compiled_source, read_pb):
    """The text of repro.py for the finding folder `folder`, which holds model.py, inputs/ and outputs/reference/."""
    with open(os.path.join(folder, "model.py")) as f:
        module = f.read().split("\nif __name__ == '__main__':")[0].rstrip() + "\n"
    # The module's own header says how to run it alone; here the script runs it.
    module = "\n".join(line for line in module.splitlines() if not line.startswith(("# A PyTorch module", "# Run: "))) + "\n"
    here = "os.path.dirname(os.path.abspath(__file__))"
    # inputs/NAME.pb, each a TensorProto named after its input: in the module's INPUTS order.
    stored = {}
    for path in glob.glob(os.path.join(folder, "inputs", "*.pb")):
        name, value = read_pb(path)
        stored[name] = (os.path.basename(path), value)
    order = next(ast.literal_eval(line.split("=", 1)[1]) for line in module.splitlines() if line.startswith("INPUTS = "))
    missing = [name for name in order if name not in stored]
    if missing:
        raise LookupError(f"no inputs/*.pb holds input {missing[0]!r}")
    feeds = [literal(stored[name][1], f"read_pb(os.path.join({here}, 'inputs', {stored[name][0]!r}))[1]")
             for name in order]
    expected = [literal(read_pb(p)[1],
                        f"read_pb(os.path.join({here}, 'outputs', 'reference', {os.path.basename(p)!r}))[1]")
                for p in numbered(os.path.join(folder, "outputs", "reference"))]
    data = "\n\nFEEDS = [\n" + "".join(f"    {x},\n" for x in feeds) + "]\nEXPECTED = [\n" + \
        "".join(f"    {x},\n" for x in expected) + "]\n"
    tail = TAIL.replace("{compiled}", compiled_source.strip("\n")).replace("{tolerances!r}", repr(TOLERANCES))
    return HEADER.format(finding=finding or "(unknown)", backend=backend, version=version) + module + data + \
        tail.replace("{backend}", backend)
