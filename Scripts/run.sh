#!/usr/bin/env bash
# The main job: installs dependencies, builds graphsmith in release mode and runs it.
# Until the fuzzing campaign exists this runs the built-in demo model on the reference interpreter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n==== %s ====\n' "$*"; }

section "setup (Scripts/setup.sh)"
bash Scripts/setup.sh

section "build (swift build -c release)"
swift build -c release --product graphsmith

section "run (graphsmith run --demo)"
.build/release/graphsmith run --demo
