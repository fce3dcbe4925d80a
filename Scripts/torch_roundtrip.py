"""Runs graphsmith's torch modules eagerly and compares them with the reference outputs stored beside them.

Usage: python Scripts/torch_roundtrip.py DIR [DIR ...]

Each DIR holds what `graphsmith gen --with-data` and `graphsmith export --format torch` write: model-SEED.py and
model-SEED/inputs/K.pb, model-SEED/outputs/reference/K.pb. Prints one line per model that fails (an exception, a
dtype or shape that differs, values outside the tolerance) and a summary; exits 1 when any failed. A model torch has
no kernel for (NotImplementedError "... not implemented for 'UInt32'") is counted apart, not failed.
"""

import importlib.util
import os
import sys

import torch

# Tolerances by dtype, a little looser than the campaign oracle's: this checks a mapping's meaning, not rounding.
TOLERANCE = {torch.float16: (1e-2, 1e-2), torch.bfloat16: (4e-2, 4e-2), torch.float32: (1e-4, 1e-5),
             torch.float64: (1e-9, 1e-12)}


def load(path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3].replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def differs(got, want):
    """Why `got` is not `want` (None when it is)."""
    if got.dtype != want.dtype:
        return f"dtype {got.dtype}, reference {want.dtype}"
    if list(got.shape) != list(want.shape):
        return f"shape {list(got.shape)}, reference {list(want.shape)}"
    if not want.dtype.is_floating_point:
        bad = (got != want)
        return None if not bad.any() else f"{int(bad.sum())} of {want.numel()} elements differ"
    g, w = got.double(), want.double()
    rtol, atol = TOLERANCE[want.dtype]
    same = (g == w) | (g.isnan() & w.isnan()) | ((g - w).abs() <= atol + rtol * w.abs())
    if same.all():
        return None
    k = int((~same).reshape(-1).nonzero()[0][0])
    return f"{int((~same).sum())} of {want.numel()} elements differ, e.g. {g.reshape(-1)[k].item()} vs {w.reshape(-1)[k].item()}"


def check(folder, name):
    module = load(os.path.join(folder, name + ".py"))
    data = os.path.join(folder, name)
    inputs = [module.read_pb(os.path.join(data, "inputs", f"{k}.pb"))[1] for k in range(len(module.INPUTS))]
    with torch.no_grad():
        outputs = module.Model()(*inputs)
    for k, got in enumerate(outputs):
        want = module.read_pb(os.path.join(data, "outputs", "reference", f"{k}.pb"))[1]
        why = differs(got, want)
        if why:
            return f"output {k}: {why}"
    return None


def main(folders):
    ran, failed, nokernel = 0, 0, 0
    for folder in folders:
        for entry in sorted(os.listdir(folder)):
            name = entry[:-3]
            if not entry.endswith(".py") or not os.path.isdir(os.path.join(folder, name, "inputs")):
                continue
            ran += 1
            try:
                why = check(folder, name)
            except NotImplementedError as e:
                if "not implemented for '" in str(e):  # torch has no kernel for the dtype: not the mapping's fault
                    nokernel += 1
                    continue
                why = f"NotImplementedError: {str(e).strip()[:300]}"
            except Exception as e:  # a mapping that torch refuses: its message, one line
                why = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"[:300]
            if why:
                failed += 1
                print(f"FAIL {os.path.join(folder, entry)}: {why}")
    checked = ran - nokernel
    print(f"torch round trip: {checked - failed} of {checked} models agree with the reference "
          f"({nokernel} more have a dtype torch has no kernel for)")
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
