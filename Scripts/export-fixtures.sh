#!/usr/bin/env bash
# Exports the PyTorch-made ONNX fixtures (see Scripts/export-fixtures.py).
#
# Usage: Scripts/export-fixtures.sh [export-fixtures.py arguments]
#   e.g. Scripts/export-fixtures.sh Tests/Fixtures/exported        (the committed small set)
#        Scripts/export-fixtures.sh --large /tmp/exported-large     (the bigger set, never committed)
#
# Creates (or reuses) a virtualenv at $TORCH_VENV (default /tmp/torch-venv) with a CPU-only torch.
# torch is pinned to the CPU build (a local wheel folder named by pip's find-links, e.g. /opt/wheels,
# is preferred when configured) so pip never pulls the multi-gigabyte CUDA wheels.
# The test suite never needs torch: only this script does.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${TORCH_VENV:-/tmp/torch-venv}"
torch_req="${TORCH_REQUIREMENT:-torch==2.13.0+cpu}"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import torch, onnx, onnxruntime, numpy" 2>/dev/null; then
    # The '+cpu' local version only matches a CPU wheel, so a machine without one fails here
    # instead of downloading CUDA torch.
    if ! "$venv/bin/pip" install --quiet "$torch_req" onnx onnxruntime numpy; then
        echo "error: could not install $torch_req; put a CPU torch wheel in a pip find-links folder" >&2
        exit 2
    fi
fi
exec "$venv/bin/python" "$here/export-fixtures.py" "$@"
