#!/usr/bin/env bash
# For every injected compiler fault: a campaign until its first finding, then `graphsmith reduce` on each finding.
# Prints one line per reduced finding (fault, operators before -> after, seconds) and the distribution at the end.
# Usage: Scripts/fault-reduction.sh [GRAPHSMITH] [SECONDS_PER_CAMPAIGN] [BACKENDS]
set -euo pipefail
bin=${1:-.build/release/graphsmith}
limit=${2:-300}
backends=${3:-vm-O0,vm-O1,vm-O2,vm-O3,native-O0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for fault in $("$bin" faults list | awk '$2 != "[test" {print $1}'); do
    out="$work/$fault"
    "$bin" fuzz --time "${limit}s" --stop-on-finding --jobs 2 --backends "$backends" --inject-fault "$fault" --out "$out" --quiet || true
    for f in "$out"/findings/*; do
        [ -d "$f" ] || continue
        "$bin" reduce "$f" --json --time 2m > "$f.reduction.json" 2>/dev/null || echo "{}" > "$f.reduction.json"
        python3 - "$fault" "$f.reduction.json" <<'PY'
import json, sys
fault, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))
if not r:
    print("%-30s reduce failed" % fault)
else:
    print("%-30s %3d -> %d operators  %6.1f s  first diverging: %s  passes: %s" % (
        fault, r["before"]["operators"], r["after"]["operators"], r["seconds"], r.get("firstDivergingOperator"),
        ",".join(r["neededPasses"]) or "-"))
PY
    done
done | tee "$work/lines.txt"
python3 - "$work/lines.txt" <<'PY'
import re, statistics, sys
ops, secs = [], []
for line in open(sys.argv[1]):
    m = re.search(r"-> (\d+) operators\s+([\d.]+) s", line)
    if m: ops.append(int(m.group(1))); secs.append(float(m.group(2)))
if ops:
    dist = {k: ops.count(k) for k in sorted(set(ops))}
    print("reduced findings: %d; operators after: %s; at most 3: %d of %d; median time %.1f s, max %.1f s" % (
        len(ops), dist, sum(1 for o in ops if o <= 3), len(ops), statistics.median(secs), max(secs)))
PY
