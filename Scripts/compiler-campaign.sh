#!/usr/bin/env bash
# A campaign against one outside compiler, as a compiler team would run it: probe what the compiler
# supports (once; the table is kept in OUT), fuzz it, reduce every finding of a failing triage class,
# and write the report. Prints tests/s, the share of tests the compiler accepted and the findings
# by triage class at the end.
#
# Usage: bash Scripts/compiler-campaign.sh BACKEND [OUT] [TIME] [JOBS] [REDUCE_TIME] [SEED]
#   BACKEND      a name from 'graphsmith backends list' (openvino, tvm, iree, onnxruntime, ...)
#   OUT          a new or earlier output folder of this script (default campaigns/BACKEND)
#   TIME         campaign time (default 20m); JOBS worker processes (default 2)
#   REDUCE_TIME  time limit per reduction (default 3m); SEED the campaign seed (default 1)
# GRAPHSMITH names the binary (default .build/release/graphsmith); GRAPHSMITH_PYTHON the interpreter;
# FUZZ_FLAGS adds flags to 'graphsmith fuzz' (e.g. "--test-timeout 60" for a compiler that takes
# seconds per model on a loaded machine).
set -euo pipefail
backend=${1:?usage: bash Scripts/compiler-campaign.sh BACKEND [OUT] [TIME] [JOBS] [REDUCE_TIME] [SEED]}
out=${2:-campaigns/$backend}
time=${3:-20m}
jobs=${4:-2}
reduce_time=${5:-3m}
seed=${6:-1}
bin=${GRAPHSMITH:-.build/release/graphsmith}

[ -x "$bin" ] || { echo "compiler-campaign: error: no graphsmith binary at '$bin' (swift build -c release first)" >&2; exit 2; }
if [ -e "$out/campaign" ]; then
    echo "compiler-campaign: error: '$out/campaign' exists; give a new OUT folder" >&2
    exit 2
fi
mkdir -p "$out"

kernels="$out/kernels.json"
if [ ! -f "$kernels" ]; then
    echo "== probing $backend (graphsmith kernels)"
    "$bin" kernels --backend "$backend" --jobs "$jobs" --samples 1 --out "$kernels"
fi

echo "== fuzzing $backend for $time with $jobs jobs"
"$bin" fuzz --backends "$backend" --kernels "$kernels" --time "$time" --jobs "$jobs" --seed "$seed" \
    --out "$out/campaign" --quiet ${FUZZ_FLAGS:-}

echo "== reducing the findings of failing classes"
for f in "$out"/campaign/findings/f-*; do
    [ -f "$f/finding.json" ] || continue
    failing=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r.get("triage","failing") in ("wrong-result","crash","hang","internal-error","failing"))' "$f/finding.json")
    [ "$failing" = "True" ] || continue
    id=$(basename "$f")
    if "$bin" reduce "$f" --time "$reduce_time" --json > "$out/$id.reduction.json" 2> "$out/$id.reduction.log"; then
        echo "$id reduced"
    else
        echo "$id: reduction failed (see '$out/$id.reduction.log')"
    fi
done

"$bin" report "$out/campaign" --out "$out/report" > /dev/null || true
python3 - "$out/campaign" "$backend" <<'PY'
import glob, json, os, sys
campaign, backend = sys.argv[1], sys.argv[2]
summary = json.load(open(os.path.join(campaign, "summary.json")))
state = summary.get("state", {})
tests, elapsed = state.get("tests", 0), state.get("elapsed", 0) or 1
print("tests: %d in %.0f s (%.2f tests/s); verdicts %s" % (tests, elapsed, tests / elapsed, state.get("verdicts", {})))
tally = (summary.get("triage") or {}).get("backends", {}).get(backend)
if tally:
    unsupported = tally.get("classes", {}).get("unsupported", 0)
    print("%s: accepted %d of %d tests (%.1f%%); outcomes by class %s" % (
        backend, tally["tests"] - unsupported, tally["tests"], 100.0 * (tally["tests"] - unsupported) / max(tally["tests"], 1),
        tally.get("classes", {})))
by_class = {}
for path in glob.glob(os.path.join(campaign, "findings", "f-*", "finding.json")):
    r = json.load(open(path))
    by_class.setdefault(r.get("triage", r.get("verdict")), []).append(r["id"])
for k, ids in sorted(by_class.items()):
    print("findings %-15s %d  %s" % (k, len(ids), " ".join(sorted(ids))))
reduced = glob.glob(os.path.join(campaign, "reduced", "f-*"))
print("reduced: %d folders in %s" % (len(reduced), os.path.join(campaign, "reduced")))
PY
