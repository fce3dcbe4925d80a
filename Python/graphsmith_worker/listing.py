"""The backends adapter files define, read without importing them (a compiler may be slow to import or missing):
`host.py --list FILE...` sends them as one JSON line."""

import ast
import os


def declared(path, name):
    """The literal value a top-level `name = ...` of the adapter file assigns, read without running the file; None
    when the file has no such line or cannot be read."""
    try:
        with open(path) as f:
            tree = ast.parse(f.read())
        for n in tree.body:
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets):
                return ast.literal_eval(n.value)
    except (OSError, SyntaxError, ValueError):
        pass
    return None


def declared_names(path):
    """NAME or the VARIANTS keys of an adapter file, read without running it."""
    name, variants = declared(path, "NAME"), declared(path, "VARIANTS")
    if name is not None:
        return [name]
    if variants is not None:
        try:
            return list(variants)
        except TypeError:
            pass
    return [os.path.splitext(os.path.basename(path))[0]]


def declared_variants(path):
    """The adapter file's VARIANTS (name -> options), read without running it; {} when it has none."""
    value = declared(path, "VARIANTS")
    return value if isinstance(value, dict) else {}


def declared_format(path):
    """The adapter file's FORMAT, the model files it takes: "onnx" (also when it declares none) or "torch"."""
    value = declared(path, "FORMAT")
    return value if value in ("onnx", "torch") else "onnx"


def backend_rows(paths):
    """The backends adapter files define, read without importing them (a compiler may be slow to import or missing):
    one JSON line, [{"name", "file", "variant", "opt_in", "format"}], variant null for a file with NAME; opt_in true
    for a variant whose options say "opt_in": True (left out of the default campaign, e.g. a second configuration);
    format the file's FORMAT, the model files it takes ("onnx", the default, or "torch")."""
    rows = []
    for path in paths:
        variants = declared_variants(path)
        for name in declared_names(path):
            opt_in = bool(variants.get(name, {}).get("opt_in")) if variants else False
            rows.append({"name": name, "file": os.path.abspath(path), "variant": name if variants else None,
                         "opt_in": opt_in, "format": declared_format(path)})
    return rows
