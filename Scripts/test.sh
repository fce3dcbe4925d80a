#!/usr/bin/env bash
# The test command: installs dependencies, builds, runs the whole XCTest suite, checks every spec, runs
# `graphsmith specs test` on every operator and compares every torch mapping with the reference (when torch can be
# installed), then the campaigns (a canary with injected faults that must be found, and a campaign on the correct
# compiler that must find nothing). Exits non-zero when any step fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n==== %s ====\n' "$*"; }
start=$SECONDS
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The closing line: XCTest cases counted from swift test's log, plus the graphsmith steps.
summary() {
    local passed failed skipped
    passed=$(grep -cE "^Test Case '.*' passed \(" "$log" || true)
    failed=$(grep -cE "^Test Case '.*' failed \(" "$log" || true)
    skipped=$(grep -cE "^Test Case '.*' skipped \(" "$log" || true)
    section "summary"
    echo "$1 after $((SECONDS - start)) s"
    echo "tests: $((passed + steps_passed + py_passed)) passed, $((failed + steps_failed + py_failed)) failed, $((skipped + py_skipped)) skipped"
}
steps_passed=0
steps_failed=0
py_passed=0
py_failed=0
py_skipped=0

section "setup (Scripts/setup.sh)"
bash Scripts/setup.sh

section "build (swift build)"
swift build

section "unit tests (swift test)"
if ! swift test 2>&1 | tee "$log"; then
    summary "FAILED: swift test"
    exit 1
fi

section "worker host tests (python3 -m unittest discover -s Python/tests)"
pylog=$(mktemp)
trap 'rm -f "$log" "$pylog" "$log.torch"' EXIT
py_status=0
python3 -m unittest discover -s Python/tests 2>&1 | tee "$pylog" || py_status=$?
py_ran=$(grep -oE "^Ran [0-9]+ test" "$pylog" | grep -oE "[0-9]+" || echo 0)
py_skipped=$(grep -oE "skipped=[0-9]+" "$pylog" | grep -oE "[0-9]+" || echo 0)
py_failed=$(( $(grep -oE "failures=[0-9]+" "$pylog" | grep -oE "[0-9]+" || echo 0) + $(grep -oE "errors=[0-9]+" "$pylog" | grep -oE "[0-9]+" || echo 0) ))
py_passed=$((py_ran - py_failed - py_skipped))
if [ "$py_status" -ne 0 ]; then summary "FAILED: worker host tests"; exit 1; fi

section "spec check (graphsmith specs check)"
if .build/debug/graphsmith specs check; then steps_passed=$((steps_passed + 1)); else
    steps_failed=$((steps_failed + 1)); summary "FAILED: graphsmith specs check"; exit 1
fi

section "spec tests (graphsmith specs test --all --count 20)"
if .build/debug/graphsmith specs test --all --count 20; then steps_passed=$((steps_passed + 1)); else
    steps_failed=$((steps_failed + 1)); summary "FAILED: graphsmith specs test"; exit 1
fi

section "torch mappings (specs test --all --count 4 --backends-only --backend torch-eager)"
# torch goes into a virtualenv of its own (.venv-torch), so the other steps' default backends stay as they were.
# Installing it needs a CPU wheel pip can reach (a local find-links folder or PyTorch's CPU index); without one
# the step is skipped and says so.
torch_venv="$PWD/.venv-torch"
if GRAPHSMITH_VENV="$torch_venv" bash Scripts/setup.sh --backends torch >"$log.torch" 2>&1; then
    if GRAPHSMITH_PYTHON="$torch_venv/bin/python" .build/debug/graphsmith specs test --all --count 4 --backends-only --backend torch-eager; then
        steps_passed=$((steps_passed + 1))
    else
        steps_failed=$((steps_failed + 1)); summary "FAILED: torch mappings"; exit 1
    fi
else
    echo "SKIPPED: torch could not be installed into $torch_venv:"
    tail -5 "$log.torch"
    py_skipped=$((py_skipped + 1))
fi
rm -f "$log.torch"

section "campaigns (Scripts/ci-campaigns.sh: canary faults must be found, the correct compiler must not be)"
if bash Scripts/ci-campaigns.sh; then steps_passed=$((steps_passed + 1)); else
    steps_failed=$((steps_failed + 1)); summary "FAILED: campaigns"; exit 1
fi

summary "all steps passed"
