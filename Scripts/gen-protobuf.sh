#!/usr/bin/env bash
# Regenerates the C code for the ONNX subset (Sources/CProtobufONNX) from Scripts/onnx-subset.proto with protoc-c.
# The generated files are committed; run this only after changing the .proto.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc-c >/dev/null || { echo "error: protoc-c not found: apt-get install protobuf-c-compiler" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp Scripts/onnx-subset.proto "$tmp/onnx_subset.proto"
(cd "$tmp" && protoc-c --c_out=. onnx_subset.proto)
mv "$tmp/onnx_subset.pb-c.h" Sources/CProtobufONNX/include/onnx_subset.pb-c.h
sed 's|#include "onnx_subset.pb-c.h"|#include "include/onnx_subset.pb-c.h"|' "$tmp/onnx_subset.pb-c.c" > Sources/CProtobufONNX/onnx_subset.pb-c.c
echo "regenerated Sources/CProtobufONNX from Scripts/onnx-subset.proto"
