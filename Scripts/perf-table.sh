#!/usr/bin/env bash
# Runs the benchmarks behind the README's performance table with --json and rewrites the table from them
# (Scripts/perf_table.py; only the part between the README's perf-table markers changes).
# Usage: Scripts/perf-table.sh [GRAPHSMITH] [FUZZ_SECONDS]
# Takes about 5 minutes with the default 60-second campaigns; run it on an idle machine, from the repository root.
# The JSON files go to a temporary folder, removed at exit unless GRAPHSMITH_KEEP is set (then its path is printed).
set -euo pipefail
bin=${1:-.build/release/graphsmith}
seconds=${2:-60}
[ -x "$bin" ] || { echo "perf-table: error: no graphsmith executable at '$bin' (swift build -c release --product graphsmith)" >&2; exit 2; }
[ -f README.md ] || { echo "perf-table: error: run from the repository root (no README.md here)" >&2; exit 2; }
work=$(mktemp -d)
if [ -z "${GRAPHSMITH_KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "perf-table: JSON kept in '$work'"; fi
echo "perf-table: bench gen" >&2
"$bin" bench gen --models 200 --sizes 10,100 --json > "$work/gen.json"
echo "perf-table: bench compiler" >&2
"$bin" bench compiler --repeats 5 --json > "$work/compiler.json"
# Seeds these campaigns never ran before: a new one each time the table is made.
seed=$(date +%s)
echo "perf-table: bench fuzz, in-repo VM levels (seed $seed)" >&2
"$bin" bench fuzz --time "$seconds" --jobs 2 --seed "$seed" --json > "$work/fuzz-vm.json"
echo "perf-table: bench fuzz, with native-O3 (seed $((seed + 1)))" >&2
"$bin" bench fuzz --time "$seconds" --jobs 2 --seed "$((seed + 1))" --backends vm-O0,vm-O1,vm-O2,vm-O3,native-O3 --json > "$work/fuzz-native.json"
python3 "$(dirname "$0")/perf_table.py" "$work" README.md
echo "perf-table: README.md updated" >&2
