#!/usr/bin/env bash
# Rebuilds Corpus/fault-NAME for every injected compiler fault: a campaign (seed 1) until its first finding, the
# finding reduced, the reduced folder copied into Corpus/ with a README line of what it caught. The test suite
# replays Corpus/ (`graphsmith replay Corpus --expect auto`): each of these cases must still be detected with its fault.
# Usage: Scripts/make-corpus.sh [GRAPHSMITH] [SECONDS_PER_CAMPAIGN] [FAULT...]  (default: every fault)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${1:-.build/release/graphsmith}
limit=${2:-300}
shift 2 2>/dev/null || shift $#
only=" $* "
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for fault in $("$bin" faults list | awk '$2 != "[test" {print $1}'); do
    if [ "$only" != "  " ] && [[ "$only" != *" $fault "* ]]; then continue; fi
    case "$fault" in half-rounding-truncates) backends=native-O0,native-O3 ;; *) backends=vm-O0,vm-O1,vm-O2,vm-O3 ;; esac
    out="$work/$fault"
    "$bin" fuzz --seed 1 --time "${limit}s" --stop-on-finding --jobs 2 --backends "$backends" --inject-fault "$fault" --out "$out" --quiet || true
    first=$(ls "$out/findings" 2>/dev/null | head -1)
    if [ -z "$first" ]; then echo "$fault: no finding within ${limit}s, no corpus case"; continue; fi
    case_dir="Corpus/fault-$fault"
    rm -rf "$case_dir"
    "$bin" reduce "$out/findings/$first" --out "$work/reduced-$fault" --time 2m > /dev/null 2>&1
    cp -r "$work/reduced-$fault" "$case_dir"
    python3 - "$case_dir" "$fault" <<'PY'
import json, shlex, sys
case, fault = sys.argv[1], sys.argv[2]
f = json.load(open(case + "/finding.json"))
r = json.load(open(case + "/reduction.json"))
f["repro"] = replay = shlex.join(["graphsmith", "replay", case])
json.dump(f, open(case + "/finding.json", "w"), indent=2, sort_keys=True)
for name in ("reduction.md", "report.md"):
    text = open(case + "/" + name).read()
    text = "\n".join("Reproduce: `%s`" % replay if l.startswith("Reproduce: ") else
                      ("    " + replay if l.startswith("    graphsmith replay ") else l) for l in text.split("\n"))
    open(case + "/" + name, "w").write(text)
passes = ", ".join(r["neededPasses"]) or "no pass (lowering or code generation)"
open(case + "/README.md", "w").write(
    "Caught the injected fault `%s`: %s at %s on %s; first diverging operator %s; needs %s. "
    "Reduced from %d to %d operators.\n" % (fault, f["verdict"], f["stage"], ", ".join(f["backends"]),
    r.get("firstDivergingOperator") or "-", passes, r["before"]["operators"], r["after"]["operators"]))
PY
    echo "$fault: $(cat "$case_dir/README.md")"
done
