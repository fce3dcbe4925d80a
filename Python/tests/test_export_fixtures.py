"""Tests of Scripts/export-fixtures.py and Scripts/fixture_models.py.

The layout and tolerance tests need numpy and onnx; the export tests also need torch and onnxruntime
and are skipped without them (the suite never requires torch; Scripts/export-fixtures.sh installs it).
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Scripts")


def load_script():
    spec = importlib.util.spec_from_file_location("export_fixtures", os.path.join(SCRIPTS, "export-fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def has(*names):
    return all(importlib.util.find_spec(n) is not None for n in names)


@unittest.skipUnless(has("numpy"), "numpy is not installed")
class ToleranceTests(unittest.TestCase):
    def test_tolerance_is_relative_plus_absolute(self):
        ef = load_script()
        # At 1000 the bound is 1e-5 + 1e-3·1000 = 1.00001; at 0 it is 1e-5 alone.
        self.assertTrue(ef.within_tolerance([1000.0 + 1.0], [1000.0]))
        self.assertFalse(ef.within_tolerance([1000.0 + 1.1], [1000.0]))
        self.assertTrue(ef.within_tolerance([0.9e-5], [0.0]))
        self.assertFalse(ef.within_tolerance([2e-5], [0.0]))

    def test_shape_mismatch_is_not_within_tolerance(self):
        ef = load_script()
        self.assertFalse(ef.within_tolerance([[1.0, 2.0]], [1.0, 2.0]))


@unittest.skipUnless(has("numpy", "onnx"), "numpy and onnx are not installed")
class LayoutTests(unittest.TestCase):
    def test_write_case_uses_the_onnx_test_data_layout(self):
        import numpy as np
        import onnx
        from onnx import helper, numpy_helper, TensorProto
        ef = load_script()
        graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g",
                                  [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
        model = helper.make_model(graph)
        x, y = np.array([-1.0, 2.0], np.float32), np.array([0.0, 2.0], np.float32)
        with tempfile.TemporaryDirectory() as d:
            folder = os.path.join(d, "test_relu")
            ef.write_case(folder, model.SerializeToString(), ["x"], [x], ["y"], [y])
            self.assertEqual(sorted(os.listdir(folder)), ["model.onnx", "test_data_set_0"])
            data = os.path.join(folder, "test_data_set_0")
            self.assertEqual(sorted(os.listdir(data)), ["input_0.pb", "output_0.pb"])
            t = onnx.load_tensor(os.path.join(data, "input_0.pb"))
            self.assertEqual(t.name, "x")
            np.testing.assert_array_equal(numpy_helper.to_array(t), x)
            np.testing.assert_array_equal(numpy_helper.to_array(onnx.load_tensor(os.path.join(data, "output_0.pb"))), y)
            self.assertEqual(onnx.load(os.path.join(folder, "model.onnx")).graph.node[0].op_type, "Relu")

    def test_graph_inputs_leave_out_initializers(self):
        from onnx import helper, numpy_helper, TensorProto
        import numpy as np
        ef = load_script()
        w = numpy_helper.from_array(np.ones(2, np.float32), "w")
        graph = helper.make_graph([helper.make_node("Add", ["x", "w"], ["y"])], "g",
                                  [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2]),
                                   helper.make_tensor_value_info("w", TensorProto.FLOAT, [2])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])], [w])
        self.assertEqual(ef.graph_inputs(helper.make_model(graph)), ["x"])


@unittest.skipUnless(has("numpy", "onnx", "onnxruntime", "torch"), "torch, onnx and onnxruntime are not installed")
class ExportTests(unittest.TestCase):
    def test_exports_both_exporters_with_onnxruntime_outputs(self):
        import numpy as np
        import onnx
        from onnx import numpy_helper
        with tempfile.TemporaryDirectory() as d:
            run = subprocess.run([sys.executable, os.path.join(SCRIPTS, "export-fixtures.py"), "--only", "mlp", d],
                                 capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(sorted(n for n in os.listdir(d) if n.startswith("test_")), ["test_mlp", "test_mlp_ts"])
            manifest = json.load(open(os.path.join(d, "manifest.json")))
            self.assertEqual({c["exporter"] for c in manifest["cases"]}, {"dynamo", "torchscript"})
            # The stored output is softmax over 4 classes: rows sum to 1, checked without onnxruntime.
            out = numpy_helper.to_array(onnx.load_tensor(os.path.join(d, "test_mlp", "test_data_set_0", "output_0.pb")))
            self.assertEqual(out.shape, (2, 4))
            np.testing.assert_allclose(out.sum(-1), [1.0, 1.0], rtol=1e-5)
            shape = [x.dim_value for x in onnx.load(os.path.join(d, "test_mlp", "model.onnx")).graph.input[0].type.tensor_type.shape.dim]
            self.assertEqual(shape, [2, 8], "input shapes are fixed")

    def test_unknown_catalog_name_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as d:
            run = subprocess.run([sys.executable, os.path.join(SCRIPTS, "export-fixtures.py"), "--only", "nope", d],
                                 capture_output=True, text=True)
            self.assertEqual(run.returncode, 2)
            self.assertIn("unknown catalog name 'nope'", run.stderr)

    def test_every_catalog_entry_builds_and_runs_in_eval_mode(self):
        import torch
        sys.path.insert(0, SCRIPTS)
        import fixture_models
        for name in fixture_models.CATALOG:
            with self.subTest(name=name):
                module, inputs = fixture_models.build(name, 1, 0)
                self.assertFalse(module.training)
                with torch.no_grad():
                    module(*inputs)


if __name__ == "__main__":
    unittest.main()
