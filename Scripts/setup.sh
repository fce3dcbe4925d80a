#!/usr/bin/env bash
# Installs what graphsmith needs on a Debian or Ubuntu machine that has only the Swift toolchain:
#   - Debian packages: protobuf-c (library, headers, protoc-c) for the ONNX target, pkg-config,
#     python3 and pip;
#   - Python packages: onnx, onnxruntime and numpy, for ONNX conformance data and cross-checks.
# Anything already installed is skipped, so a rerun takes a second. Never prompts; needs no stdin.
# Uses sudo when not run as root.
#
# With --backends LIST (comma-separated: onnxsim, onnxslim, openvino, tvm, iree, torch, or all), it also makes a
# virtualenv at .venv in the repository (or $GRAPHSMITH_VENV) holding onnx, onnxruntime, numpy and those outside
# compilers; graphsmith's worker host then runs with that interpreter by default (GRAPHSMITH_PYTHON overrides it).
# torch is a CPU build: a local CPU wheel pip's find-links offer (torch-*+cpu-*.whl), else PyTorch's CPU index,
# never PyPI's default torch (about 3 GB of CUDA wheels).
set -euo pipefail

backends=""
while [ $# -gt 0 ]; do
    case "$1" in
        --backends) backends="${2:-}"; shift 2 || { echo "setup: error: --backends needs a list, e.g. openvino,tvm,iree" >&2; exit 2; } ;;
        --backends=*) backends="${1#--backends=}"; shift ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "setup: error: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_ROOT_USER_ACTION=ignore

# tcc: TinyCC screens campaigns' native code in milliseconds (NativeBuild.screening)
apt_packages=(libprotobuf-c-dev protobuf-c-compiler pkg-config python3 python3-pip tcc)
# pip package name and the module it provides
pip_packages=(onnx onnxruntime numpy)
pip_modules=(onnx onnxruntime numpy)

say() { echo "setup: $*"; }

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo_cmd=(sudo -n)
    else
        echo "setup: error: not root and sudo is not installed; run as root" >&2
        exit 1
    fi
fi

# --- Debian packages -------------------------------------------------------
missing=()
for p in "${apt_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    say "Debian packages present: ${apt_packages[*]}"
else
    say "installing Debian packages: ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -q </dev/null
    "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# --- Python packages -------------------------------------------------------
need=()
for k in "${!pip_packages[@]}"; do
    if ! python3 -c "import ${pip_modules[$k]}" >/dev/null 2>&1; then
        need+=("${pip_packages[$k]}")
    fi
done
if [ ${#need[@]} -eq 0 ]; then
    say "Python packages present: ${pip_packages[*]}"
else
    say "installing Python packages: ${need[*]}"
    log=$(mktemp)
    if ! python3 -m pip install --quiet "${need[@]}" </dev/null >"$log" 2>&1; then
        if grep -q "externally-managed-environment" "$log"; then
            say "system Python is externally managed; retrying with --break-system-packages"
            python3 -m pip install --quiet --break-system-packages "${need[@]}" </dev/null
        else
            cat "$log" >&2
            rm -f "$log"
            echo "setup: error: pip install ${need[*]} failed" >&2
            exit 1
        fi
    fi
    rm -f "$log"
    for k in "${!pip_packages[@]}"; do
        python3 -c "import ${pip_modules[$k]}" || { echo "setup: error: ${pip_packages[$k]} installed but cannot be imported" >&2; exit 1; }
    done
fi
# --- Outside compilers, in a virtualenv --------------------------------------
# pip arguments for a CPU build of torch: the newest torch-*+cpu wheel in a find-links folder pip is configured
# with, else PyTorch's CPU-only index.
torch_cpu() {
    local links dir wheel best=""
    links="${PIP_FIND_LINKS:-} $(python3 -m pip config list 2>/dev/null | sed -n "s/^[a-z:.]*find-links='\(.*\)'$/\1/p")"
    for dir in $links; do
        [ -d "$dir" ] || continue
        for wheel in "$dir"/torch-*+cpu-*.whl; do
            [ -e "$wheel" ] && best=$wheel
        done
    done
    if [ -n "$best" ]; then
        local version=${best##*/torch-}
        echo "torch==${version%%-*}"
    else
        echo "torch --index-url https://download.pytorch.org/whl/cpu"
    fi
}

if [ -n "$backends" ]; then
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    venv=${GRAPHSMITH_VENV:-$root/.venv}
    extra=()
    IFS=',' read -r -a wanted <<<"$backends"
    [ "${wanted[*]}" = "all" ] && wanted=(onnxsim onnxslim openvino tvm iree torch)
    torch_args=()
    for b in "${wanted[@]}"; do
        case "$b" in
            onnxruntime|onnxruntime-noopt) ;;  # installed above
            onnxsim|onnxslim|openvino) extra+=("$b") ;;
            onnxruntime-onnxsim|onnxruntime-onnxslim) extra+=("${b#onnxruntime-}") ;;  # backend names work too
            tvm) extra+=(apache-tvm) ;;
            iree|iree-f64) extra+=(iree-base-compiler iree-base-runtime) ;;
            torch|torch-*) read -r -a torch_args <<<"$(torch_cpu)" ;;
            *) echo "setup: error: unknown backend '$b' in --backends (known: onnxsim, onnxslim, openvino, tvm, iree, torch, all)" >&2; exit 2 ;;
        esac
    done
    if [ ! -x "$venv/bin/python" ]; then
        say "making the virtualenv $venv"
        if ! python3 -m venv "$venv" </dev/null; then
            "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends python3-venv </dev/null
            python3 -m venv "$venv" </dev/null
        fi
    fi
    say "installing into $venv: onnx onnxruntime numpy ${extra[*]}"
    "$venv/bin/python" -m pip install --quiet onnx onnxruntime numpy "${extra[@]}" </dev/null
    if [ ${#torch_args[@]} -gt 0 ] && ! "$venv/bin/python" -c "import torch" >/dev/null 2>&1; then
        say "installing into $venv: ${torch_args[*]}"
        "$venv/bin/python" -m pip install --quiet "${torch_args[@]}" </dev/null
    fi
    if [ "$venv" = "$root/.venv" ]; then
        say "graphsmith's worker host will use $venv/bin/python (set GRAPHSMITH_PYTHON to choose another)"
    else
        say "to use it, set GRAPHSMITH_PYTHON=$venv/bin/python (the worker host looks only in $root/.venv by itself)"
    fi
fi
say "done"
