"""The backends adapter files define, read without importing them (a compiler may be slow to import or missing):
`host.py --list FILE...` sends them as one JSON line."""

import ast
import os


def declared_names(path):
    """NAME or the VARIANTS keys of an adapter file, read without running it."""
    try:
        with open(path) as f:
            tree = ast.parse(f.read())
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if node.targets[0].id == "NAME":
                    return [ast.literal_eval(node.value)]
                if node.targets[0].id == "VARIANTS":
                    return list(ast.literal_eval(node.value))
    except (OSError, SyntaxError, ValueError):
        pass
    return [os.path.splitext(os.path.basename(path))[0]]


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


def declared_variants(path):
    """The adapter file's VARIANTS (name -> options), read without running it; {} when it has none."""
    try:
        with open(path) as f:
            tree = ast.parse(f.read())
        for n in tree.body:
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "VARIANTS" for t in n.targets):
                value = ast.literal_eval(n.value)
                return value if isinstance(value, dict) else {}
    except (OSError, SyntaxError, ValueError):
        pass
    return {}


def declared_format(path):
    """The adapter file's FORMAT ("onnx" when it declares none), read without running it."""
    try:
        with open(path) as f:
            tree = ast.parse(f.read())
        for n in tree.body:
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "FORMAT" for t in n.targets):
                value = ast.literal_eval(n.value)
                return value if value in ("onnx", "torch") else "onnx"
    except (OSError, SyntaxError, ValueError):
        pass
    return "onnx"
