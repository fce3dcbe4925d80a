"""repro.py assembly: a script for a tiny Add model on onnxruntime passes on the true reference and fails (exit 1)
once the stored reference is wrong; skips when onnxruntime is missing."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workerclient as wc  # noqa: E402
from test_compilers import missing  # noqa: E402


def write_tensor(array, name, path):
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(array, name).SerializeToString())


class ReproScriptTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if missing("onnxruntime"):
            raise unittest.SkipTest("Python package onnxruntime not installed")

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="graphsmith-repro-")
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
        y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])
        z = helper.make_tensor_value_info("z", TensorProto.FLOAT, [2, 3])
        graph = helper.make_graph([helper.make_node("Add", ["x", "y"], ["z"])], "add", [x, y], [z])
        save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), self.path("model.onnx"))
        os.makedirs(self.path("inputs"))
        os.makedirs(self.path("outputs", "reference"))
        self.x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
        self.y = np.full((2, 3), 0.25, np.float32)
        write_tensor(self.x, "x", self.path("inputs", "0.pb"))
        write_tensor(self.y, "y", self.path("inputs", "1.pb"))
        self.reference(self.x + self.y)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def reference(self, z):
        write_tensor(z, "z", self.path("outputs", "reference", "0.pb"))

    def make_script(self, variant="onnxruntime"):
        adapter = os.path.join(wc.ADAPTERS, "onnxruntime.py")
        done = subprocess.run([sys.executable, wc.HOST, "--repro", adapter, variant, self.path("repro.py"),
                               "--finding", "f-000000000000"], capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        answer = json.loads(done.stdout.strip().splitlines()[-1])
        self.assertTrue(answer["ok"], answer)
        return answer

    def run_script(self):
        # From another folder: the script finds its files next to itself.
        return subprocess.run([sys.executable, self.path("repro.py")], capture_output=True, text=True, timeout=120,
                              cwd=tempfile.gettempdir())

    def test_answer_names_backend_and_versions(self):
        answer = self.make_script("onnxruntime-noopt")
        self.assertEqual(answer["backend"], "onnxruntime-noopt")
        self.assertEqual(set(answer["versions"]), {"backend", "python", "onnx", "numpy"})
        with open(self.path("repro.py")) as f:
            text = f.read()
        self.assertIn("f-000000000000", text)
        self.assertIn("ORT_DISABLE_ALL", text)
        self.assertNotIn("graphsmith_worker", text)

    def test_exit_0_when_outputs_match_the_reference(self):
        self.make_script()
        done = self.run_script()
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("matches the reference", done.stdout)

    def test_exit_1_when_the_reference_differs(self):
        self.make_script()
        wrong = self.x + self.y
        wrong[1, 2] += 0.5
        self.reference(wrong)
        done = self.run_script()
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("1 of 6 elements differ", done.stdout)
        self.assertIn("[5]", done.stdout)

    def test_difference_inside_the_f32_tolerance_still_matches(self):
        self.make_script()
        self.reference((self.x + self.y) * np.float32(1 + 2e-5))
        self.assertEqual(self.run_script().returncode, 0)

    def test_exit_1_with_the_exception_when_the_compiler_fails(self):
        self.make_script()
        os.remove(self.path("inputs", "1.pb"))  # onnxruntime refuses a run without input y
        done = self.run_script()
        self.assertEqual(done.returncode, 1)
        self.assertIn("onnxruntime failed:", done.stdout)

    def test_adapter_without_repro_source_answers_an_error(self):
        plugin = self.path("plain.py")
        with open(plugin, "w") as f:
            f.write("NAME = 'plain'\n\ndef version():\n    return '1'\n\ndef prepare(model_path, options):\n"
                    "    return lambda inputs: []\n")
        done = subprocess.run([sys.executable, wc.HOST, "--repro", plugin, "-", self.path("repro.py")],
                              capture_output=True, text=True, timeout=60)
        answer = json.loads(done.stdout.strip().splitlines()[-1])
        self.assertFalse(answer["ok"])
        self.assertIn("repro_source", answer["error"])
        self.assertFalse(os.path.exists(self.path("repro.py")))


class OpenVINOReproTests(unittest.TestCase):
    """OpenVINO's repro.py feeds and reads bfloat16 as the adapter does (numpy has no bfloat16; OpenVINO takes its
    16-bit words with an explicit type)."""

    @classmethod
    def setUpClass(cls):
        if missing("openvino"):
            raise unittest.SkipTest("Python package openvino not installed")

    def test_a_bfloat16_model_matches_its_reference(self):
        import ml_dtypes

        folder = tempfile.mkdtemp(prefix="graphsmith-repro-")
        self.addCleanup(shutil.rmtree, folder, True)
        os.makedirs(os.path.join(folder, "inputs"))
        os.makedirs(os.path.join(folder, "outputs", "reference"))
        wc.add(os.path.join(folder, "model.onnx"), TensorProto.BFLOAT16, shape=(4,))
        a = np.array([1, 256, -0.5, 3], ml_dtypes.bfloat16)
        write_tensor(a, "a", os.path.join(folder, "inputs", "0.pb"))
        write_tensor(a, "b", os.path.join(folder, "inputs", "1.pb"))
        write_tensor(a + a, "y", os.path.join(folder, "outputs", "reference", "0.pb"))
        script = os.path.join(folder, "repro.py")
        made = subprocess.run([sys.executable, wc.HOST, "--repro", os.path.join(wc.ADAPTERS, "openvino.py"), "openvino",
                               script, "--finding", "f-000000000000"], capture_output=True, text=True, timeout=120)
        self.assertEqual(made.returncode, 0, made.stderr)
        done = subprocess.run([sys.executable, script], capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("matches the reference", done.stdout)


if __name__ == "__main__":
    unittest.main()
