#!/usr/bin/env bash
# The main job: installs dependencies, builds graphsmith in release mode and runs a two-minute fuzzing campaign
# (the reference interpreter against the in-repo compiler at every level, VM and native, and against onnxruntime
# with and without its graph optimizations when it is installed) into campaigns/main.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n==== %s ====\n' "$*"; }

section "setup (Scripts/setup.sh)"
bash Scripts/setup.sh

section "build (swift build -c release)"
swift build -c release --product graphsmith

section "campaign (graphsmith fuzz --time 2m --out campaigns/main)"
rm -rf campaigns/main
.build/release/graphsmith fuzz --time 2m --out campaigns/main
cat campaigns/main/summary.md
