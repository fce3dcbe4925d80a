#!/usr/bin/env bash
# Checks torch mappings: for each operator, COUNT one-node models (graphsmith gen --with-data), each written as a
# torch module (graphsmith export --format torch) and run eagerly; their outputs must equal the reference's.
# Usage: bash Scripts/torch-roundtrip.sh [--count N] [--python PY] [OP ...]   (default: every operator with a torch line)
# Needs a Python with torch (default: $GRAPHSMITH_PYTHON, else .venv/bin/python, else python3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
count=4
python=${GRAPHSMITH_PYTHON:-}
[ -z "$python" ] && { [ -x .venv/bin/python ] && python=.venv/bin/python || python=python3; }
graphsmith=${GRAPHSMITH:-.build/debug/graphsmith}
ops=()
while [ $# -gt 0 ]; do
    case "$1" in
        --count) count="$2"; shift 2 ;;
        --python) python="$2"; shift 2 ;;
        -*) echo "torch-roundtrip: error: unknown flag '$1'" >&2; exit 2 ;;
        *) ops+=("$1"); shift ;;
    esac
done
"$python" -c "import torch" 2>/dev/null || { echo "torch-roundtrip: error: '$python' cannot import torch (bash Scripts/setup.sh --backends torch)" >&2; exit 2; }
if [ ${#ops[@]} -eq 0 ]; then
    while IFS= read -r f; do ops+=("$(basename "$f" .op)"); done < <(grep -l '^torch ' Specs/*/*.op | sort)
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/graphsmith-torch-XXXXXX")
trap 'rm -rf "$work"' EXIT
dirs=()
failed=0
for op in "${ops[@]}"; do
    if ! "$graphsmith" gen --include "$op" --nodes 1 --count "$count" --with-data --out "$work/$op" >/dev/null 2>"$work/$op.err"; then
        echo "FAIL $op: gen: $(tail -1 "$work/$op.err")"; failed=1; continue
    fi
    for m in "$work/$op"/model-*.txt; do
        "$graphsmith" export "$m" --format torch >/dev/null 2>"$work/$op.err" || { echo "FAIL $op: export: $(tail -1 "$work/$op.err")"; failed=1; }
    done
    dirs+=("$work/$op")
done
status=0
"$python" Scripts/torch_roundtrip.py "${dirs[@]}" || status=$?
[ "$failed" -eq 0 ] || status=1
exit "$status"
