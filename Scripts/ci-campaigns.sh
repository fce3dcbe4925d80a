#!/usr/bin/env bash
# The campaigns that end the test command: a canary (each listed injected fault must be found) and a short
# campaign on the correct compiler that must find nothing. Uses the release build (as users and the nightly do).
# Both compare the in-repo compiler only (VM at every level, native at O3): onnxruntime, which the campaign adds by
# default when installed, is not the system under test here and has bugs of its own.
# Usage: Scripts/ci-campaigns.sh [SECONDS_PER_CAMPAIGN]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
limit=${1:-90}
bin=.build/release/graphsmith
backends=vm-O0,vm-O1,vm-O2,vm-O3,native-O3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --product graphsmith

status=0
for fault in broadcast-stride tile-remainder-dropped reduction-wrong-identity padding-off-by-one; do
    out="$work/canary-$fault"
    "$bin" fuzz --time "${limit}s" --stop-on-finding --jobs 2 --backends "$backends" --inject-fault "$fault" --out "$out" --quiet
    found=$(ls "$out/findings" | wc -l)
    if [ "$found" -ge 1 ]; then
        echo "canary $fault: found ($(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print('after %.1f s, %d tests' % (min(f['elapsed'] for f in s['findings']), s['state']['tests']))" "$out/summary.json"))"
    else
        echo "canary $fault: NOT FOUND within ${limit}s"; status=1
    fi
done

out="$work/clean"
if "$bin" fuzz --time "${limit}s" --jobs 2 --backends "$backends" --fail-on-findings --out "$out" --quiet; then
    echo "clean campaign: no findings ($(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); st=s['state']; print('%d tests in %.0f s: %s' % (st['tests'], st['elapsed'], st['verdicts']))" "$out/summary.json"))"
else
    echo "clean campaign: FINDINGS on the correct compiler:"; cat "$out/summary.md"; status=1
fi
exit $status
