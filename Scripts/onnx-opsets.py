#!/usr/bin/env python3
"""Prints the ONNX version history behind each spec's `same A..B` range, from the installed onnx package.

Usage: onnx-opsets.py [SPECS_DIR]

For every `onnx` line of Specs/*/*.op: the operator's versions (since_version of each definition) and, for each
version other than the line's own, what differs from the line's definition: attributes, inputs, outputs, or only
dtypes (restricted to graphsmith's dtypes: a difference only there keeps the meaning). Versions inside the line's
range are marked `in`. The last line compares the newest default-domain opset the package knows with
OpsetRange.newestOnnxOpset. Deciding a range still needs the operator's changelog (negative axes, broadcasting);
this script gives the facts to read it against. Exit code 1 when a range reaches past the package's newest opset
or the recorded newest opset differs from the package's.
"""
import collections
import glob
import os
import re
import sys

try:
    import onnx.defs as defs
except ImportError as e:
    print(f"error: the onnx Python package is required ({e})", file=sys.stderr)
    sys.exit(2)

DTYPES = {f"tensor({t})" for t in ("float16 bfloat16 float double int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool").split()}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def signature(schema):
    attrs = {k: (str(a.type), a.required, a.default_value.SerializeToString()) for k, a in schema.attributes.items()}
    ports = ([(i.name, str(i.option)) for i in schema.inputs], [(o.name, str(o.option)) for o in schema.outputs])
    types = {t.type_param_str: frozenset(set(t.allowed_type_strs) & DTYPES) for t in schema.type_constraints}
    return attrs, ports, types


def difference(a, b):
    (attrs_a, ports_a, types_a), (attrs_b, ports_b, types_b) = signature(a), signature(b)
    found = []
    if attrs_a != attrs_b:
        found.append("attributes " + (",".join(sorted(set(attrs_a) ^ set(attrs_b))) or "(types or defaults)"))
    if ports_a != ports_b:
        found.append("inputs/outputs")
    if types_a != types_b:
        found.append("dtypes")
    return " + ".join(found) or "same signature"


def main():
    specs = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Specs")
    history = collections.defaultdict(dict)
    for s in defs.get_all_schemas_with_history():
        if s.domain in ("", "ai.onnx"):
            history[s.name][s.since_version] = s
    newest = defs.onnx_opset_version()
    bad = False
    line = re.compile(r"^onnx (\w+) opset (\d+)(?: same (\d+)\.\.(\d*))?", re.M)
    for path in sorted(glob.glob(os.path.join(specs, "*", "*.op"))):
        for op, opset, low, high in line.findall(open(path).read()):
            opset = int(opset)
            low, high = int(low or opset), int(high or newest)
            if high > newest:
                bad = True
            base = history[op].get(opset)
            if base is None:
                print(f"{op} opset {opset}: no such definition in onnx {newest}")
                bad = True
                continue
            notes = []
            for v in sorted(history[op]):
                mark = "in" if low <= v <= high else "out"
                notes.append(f"{v} {mark}" + ("" if v == opset else f" ({difference(base, history[op][v])})"))
            print(f"{op} opset {opset} same {low}..{high}: " + "; ".join(notes))
    source = open(os.path.join(ROOT, "Sources", "SpecLang", "OpsetRange.swift")).read()
    recorded = int(re.search(r"newestOnnxOpset = (\d+)", source).group(1))
    print(f"newest opset: onnx package {newest}, recorded {recorded}")
    sys.exit(1 if bad or recorded != newest else 0)


if __name__ == "__main__":
    main()
