"""Scripts/onnx-dtype-opsets.py: the committed dtype table matches the onnx package's schemas.

Skipped without onnx, or with an onnx whose newest opset is not graphsmith's (its schemas would differ).
"""
import importlib.util
import os
import subprocess
import sys
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SCRIPT = os.path.join(ROOT, "Scripts", "onnx-dtype-opsets.py")


def load_script():
    spec = importlib.util.spec_from_file_location("onnx_dtype_opsets", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@unittest.skipUnless(importlib.util.find_spec("onnx") is not None, "onnx is not installed")
class DTypeOpsetTests(unittest.TestCase):
    def setUp(self):
        self.script = load_script()
        import onnx.defs
        if onnx.defs.onnx_opset_version() != self.script.newest_recorded():
            self.skipTest("the onnx package's newest opset is not graphsmith's")

    def test_committed_table_is_current(self):
        run = subprocess.run([sys.executable, SCRIPT, "--check"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)

    def test_a_dtype_counts_from_the_version_that_first_allows_it(self):
        # Equal-7 takes bool, int32 and int64; Equal-11 adds the floats; Equal-13 adds bfloat16.
        import onnx.defs
        versions = {s.since_version: s for s in onnx.defs.get_all_schemas_with_history() if s.name == "Equal" and s.domain == ""}
        table = self.script.since(versions)
        self.assertEqual(table["i32"], 1)
        self.assertEqual(table["f32"], 11)
        self.assertEqual(table["bf16"], 13)

    def test_a_dtype_dropped_by_a_later_version_counts_from_after_the_drop(self):
        class Schema:
            def __init__(self, types):
                self.type_constraints = [type("C", (), {"type_param_str": "T", "allowed_type_strs": types})()]
                self.inputs = [type("F", (), {"type_str": "T"})()]
                self.outputs = []
        versions = {1: Schema(["tensor(int8)"]), 5: Schema(["tensor(float)"]), 9: Schema(["tensor(int8)", "tensor(float)"])}
        table = self.script.since(versions)
        self.assertEqual(table["i8"], 9)
        self.assertEqual(table["f32"], 5)
        self.assertNotIn("f64", table)


if __name__ == "__main__":
    unittest.main()
