#!/usr/bin/env bash
# Measures how fast a campaign finds each injected compiler fault: for every fault of `graphsmith faults list`,
# a campaign with only that fault runs until its first finding or the time limit, and one line is printed:
# the fault, seconds to the first finding, and, after the campaign ran on for EXTRA seconds more, its unique
# findings, their hits and the tests run (one fault should be one finding or a few, with many hits).
# Usage: Scripts/fault-detection.sh [GRAPHSMITH] [SECONDS] [JOBS] [BACKENDS] [EXTRA]
# A code-generation fault gets native-O3 added to BACKENDS when they have no native backend.
# GRAPHSMITH_FAULTS="F1 F2" limits the faults; GRAPHSMITH_SEED=N gives every campaign seed N (default 0), so runs
# over several seeds show how reliably a fault is found rather than how fast one seed's sequence reaches it.
set -euo pipefail
bin=${1:-.build/release/graphsmith}
limit=${2:-300}
jobs=${3:-2}
backends=${4:-vm-O0,vm-O1,vm-O2,vm-O3}
extra=${5:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-30s %10s %9s %7s %7s\n' fault first_s findings hits tests
found=0; total=0
for fault in ${GRAPHSMITH_FAULTS:-$("$bin" faults list | awk '$2 != "[test" {print $1}')}; do
    total=$((total + 1))
    out="$work/$fault"
    # A code-generation fault lives in native code only: without a native backend no campaign could find it.
    run_backends=$backends
    if "$bin" faults list | grep -q "^$fault  \[code generation\]" && [[ ",$backends," != *",native-"* ]]; then
        run_backends="$backends,native-O3"
    fi
    # Stop EXTRA seconds after the first finding: poll the findings folder while the campaign runs.
    "$bin" fuzz --time "${limit}s" --jobs "$jobs" --backends "$run_backends" --inject-fault "$fault" --seed "${GRAPHSMITH_SEED:-0}" \
        --out "$out" --quiet &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        if [ -n "$(ls "$out/findings" 2>/dev/null)" ]; then sleep "$extra"; kill -INT "$pid" 2>/dev/null || true; break; fi
        sleep 0.5
    done
    wait "$pid" || true
    python3 - "$out" "$fault" <<'PY'
import json, sys
out, fault = sys.argv[1], sys.argv[2]
s = json.load(open(out + "/summary.json"))
f = s["findings"]
first = min((x["elapsed"] for x in f), default=None)
print("%-30s %10s %9d %7d %7d" % (fault, "%.1f" % first if first is not None else "-", len(f), sum(x["hits"] for x in f),
                                  s["state"]["tests"]))
PY
    if [ -n "$(ls "$out/findings" 2>/dev/null)" ]; then found=$((found + 1)); fi
done
echo "found $found of $total faults within ${limit}s each"
