"""The torch side: the prelude every written module carries (TensorProto files without onnx), the pytorch adapter
driven over the host's pipes, and the listing's FORMAT. Tests that need torch skip without it; torch-compile runs
only with GRAPHSMITH_TORCH_COMPILE_TESTS=1 (Inductor compiles C++ for seconds per model)."""

import importlib.util
import os
import shutil
import sys
import tempfile
import unittest

import numpy as np
from onnx import numpy_helper, load_tensor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workerclient as wc  # noqa: E402
from test_compilers import missing  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(os.path.dirname(HERE), "graphsmith_worker")
PRELUDE = os.path.join(WORKER, "torch_prelude.py")
ADAPTER = os.path.join(WORKER, "adapters", "pytorch.py")
sys.path.insert(0, WORKER)
from listing import backend_rows  # noqa: E402


def module_text(forward, outputs, dtypes, inputs=("x",)):
    """A module in the form graphsmith writes, by hand: the prelude, then Model, INPUTS, OUTPUTS, OUTPUT_DTYPES."""
    with open(PRELUDE) as f:
        prelude = f.read()
    params = ", ".join(f"x{k}" for k in range(len(inputs)))
    return (prelude + "\n\nclass Model(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.register_buffer('w0', tensor(torch.float32, [3], 'AACAPwAAAEAAAEBA'))\n\n"
            f"    def forward(self, {params}):\n        return ({forward},)\n\n"
            f"INPUTS = {list(inputs)!r}\nOUTPUTS = {list(outputs)!r}\nOUTPUT_DTYPES = [{', '.join(dtypes)}]\n")


class ListingTests(unittest.TestCase):
    def test_the_adapter_reads_torch_modules(self):
        rows = backend_rows([ADAPTER])
        self.assertEqual([r["name"] for r in rows][:2], ["torch-eager", "torch-compile"])
        self.assertTrue(all(r["format"] == "torch" for r in rows))
        self.assertEqual({r["name"] for r in rows if not r["opt_in"]}, {"torch-eager", "torch-compile"})
        onnx_adapter = os.path.join(WORKER, "adapters", "onnxruntime.py")
        self.assertTrue(all(r["format"] == "onnx" for r in backend_rows([onnx_adapter])))


class PreludeTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if missing("torch"):
            raise unittest.SkipTest("Python package torch not installed")
        spec = importlib.util.spec_from_file_location("torch_prelude", PRELUDE)
        cls.p = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.p)

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="graphsmith-prelude-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_files_round_trip_and_match_onnx(self):
        import torch

        cases = [torch.arange(-3, 3, dtype=d).reshape(2, 3) for d in (torch.int8, torch.int16, torch.int32, torch.int64)]
        cases += [torch.tensor([[0.5, -1.25], [3.0, float("inf")]], dtype=d) for d in (torch.float16, torch.float32, torch.float64)]
        cases += [torch.tensor([1, 200, 7], dtype=torch.uint8), torch.tensor([True, False]), torch.tensor(2.5),
                  torch.zeros(0, 3), torch.tensor([70000, 5], dtype=torch.uint32)]
        for k, t in enumerate(cases):
            path = os.path.join(self.dir, f"t{k}.pb")
            self.p.write_pb(path, f"v{k}", t)
            name, back = self.p.read_pb(path)
            self.assertEqual(name, f"v{k}")
            self.assertEqual(back.dtype, t.dtype)
            self.assertTrue(torch.equal(back, t), (back, t))
            # onnx reads what the prelude writes as the same values
            ref = numpy_helper.to_array(load_tensor(path))
            self.assertEqual(list(ref.shape), list(t.shape))
            self.assertTrue(np.array_equal(ref.astype(np.float64), t.double().numpy()), (ref, t))

    def test_reads_what_onnx_writes_and_weights_decode(self):
        import torch

        a = np.array([[1.5, -2.0, 0.25]], dtype=np.float32)
        path = os.path.join(self.dir, "a.pb")
        with open(path, "wb") as f:
            f.write(numpy_helper.from_array(a, "a").SerializeToString())
        self.assertTrue(torch.equal(self.p.read_pb(path)[1], torch.tensor([[1.5, -2.0, 0.25]])))
        # 1.0, 2.0, 3.0 as float32 little-endian bytes, base64
        self.assertTrue(torch.equal(self.p.tensor(torch.float32, [3], "AACAPwAAAEAAAEBA"), torch.tensor([1.0, 2.0, 3.0])))

    def test_the_main_reads_inputs_and_writes_outputs(self):
        import subprocess

        import torch

        model = os.path.join(self.dir, "model.py")
        with open(model, "w") as f:
            f.write(module_text("x0 * self.w0", ["y"], ["torch.float32"]) + "\nif __name__ == '__main__':\n"
                    "    main(Model(), INPUTS, OUTPUTS)\n")
        self.p.write_pb(os.path.join(self.dir, "input_0.pb"), "x", torch.tensor([2.0, 2.0, 2.0]))
        run = subprocess.run([sys.executable, model, self.dir, self.dir], capture_output=True, text=True, timeout=300)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("y: torch.float32 [3]", run.stdout)
        self.assertTrue(torch.equal(self.p.read_pb(os.path.join(self.dir, "output_0.pb"))[1], torch.tensor([2.0, 4.0, 6.0])))


class AdapterTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if missing("torch"):
            raise unittest.SkipTest("Python package torch not installed")

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="graphsmith-torch-")
        self.workers = []

    def tearDown(self):
        for w in self.workers:
            w.dispose()
        shutil.rmtree(self.dir)

    def worker(self, variant, env=None):
        w = wc.Worker(ADAPTER, variant, hello_timeout=600, env=env)
        self.workers.append(w)
        self.assertTrue(w.hello["ok"], w.hello)
        return w

    def model(self, forward, dtypes, name="model.py"):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(module_text(forward, ["y"], dtypes))
        return path

    def test_eager_runs_the_module(self):
        w = self.worker("torch-eager")
        self.assertEqual(w.hello["capabilities"]["unsupported_dtypes"], ["u16", "u32", "u64"])
        x = np.array([1.0, -2.0, 3.0], dtype=np.float32)
        answer, outputs = w.run(self.model("torch.relu(x0) * self.w0", ["torch.float32"]), {"x": x}, self.dir)
        self.assertTrue(answer["ok"], answer)
        self.assertTrue(np.array_equal(outputs[0], np.array([1.0, 0.0, 9.0], dtype=np.float32)))

    def test_a_scalar_stays_a_scalar(self):
        # np.ascontiguousarray once made a 0-d input 1-d: every 0-d output came back as shape [1]
        w = self.worker("torch-eager")
        answer, outputs = w.run(self.model("x0.clone()", ["torch.float32"]), {"x": np.array(1.5, dtype=np.float32)}, self.dir)
        self.assertTrue(answer["ok"], answer)
        self.assertEqual(outputs[0].shape, ())

    def test_an_output_of_another_dtype_is_a_run_error(self):
        w = self.worker("torch-eager")
        x = np.array([1.0, 2.0, 3.0], dtype=np.float32)
        answer, _ = w.run(self.model("x0.double()", ["torch.float32"]), {"x": x}, self.dir)
        self.assertFalse(answer["ok"])
        self.assertEqual(answer["stage"], "run")
        self.assertIn("came back as DOUBLE, the model declares FLOAT", answer["error"])

    def test_a_missing_kernel_is_unsupported(self):
        w = self.worker("torch-eager")
        x = np.array([1, 2, 3], dtype=np.uint32)
        answer, _ = w.run(self.model("torch.add(x0, x0)", ["torch.uint32"]), {"x": x}, self.dir)
        self.assertFalse(answer["ok"])
        self.assertEqual(answer["kind"], "unsupported", answer)

    def test_repro_script_carries_the_module_and_judges_like_graphsmith(self):
        import subprocess

        import torch

        spec = importlib.util.spec_from_file_location("torch_prelude", PRELUDE)
        p = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(p)
        folder = os.path.join(self.dir, "finding")
        os.makedirs(os.path.join(folder, "inputs"))
        os.makedirs(os.path.join(folder, "outputs", "reference"))
        with open(os.path.join(folder, "model.py"), "w") as f:
            f.write(module_text("torch.relu(x0) * self.w0", ["y"], ["torch.float32"]))
        p.write_pb(os.path.join(folder, "inputs", "0.pb"), "x", torch.tensor([1.0, -2.0, 3.0]))
        reference = os.path.join(folder, "outputs", "reference", "0.pb")
        out = os.path.join(folder, "repro.py")

        def repro(expected):
            p.write_pb(reference, "y", torch.tensor(expected))
            host = os.path.join(WORKER, "host.py")
            made = subprocess.run([sys.executable, host, "--repro", ADAPTER, "torch-eager", out, "--finding", "f-1"],
                                  capture_output=True, text=True, timeout=600)
            self.assertIn('"ok":true', made.stdout.replace(" ", ""), made.stdout + made.stderr)
            return subprocess.run([sys.executable, out], capture_output=True, text=True, timeout=600)

        right = repro([1.0, 0.0, 9.0])
        self.assertEqual(right.returncode, 0, right.stdout + right.stderr)
        self.assertIn("output 0 'y': matches the reference", right.stdout)
        wrong = repro([1.0, 0.0, 9.5])
        self.assertEqual(wrong.returncode, 1, wrong.stdout + wrong.stderr)
        self.assertIn("1 of 3 elements differ", wrong.stdout)
        with open(out) as f:
            text = f.read()
        self.assertIn("torch.tensor([1.0, -2.0, 3.0], dtype=torch.float32)", text)  # a small input inline
        self.assertIn("def compiled(model):", text)
        self.assertNotIn("import onnx", text)

    def test_a_module_dynamo_cannot_trace_is_an_error_not_unsupported(self):
        # Dynamo's fake-tensor run fails where eager fails too (training batch_norm of one value per channel): the
        # message mentions a graph break, but the module is wrong, so it must not be filed apart as unsupported.
        w = self.worker("torch-compile-aot")
        x = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
        answer, _ = w.run(self.model("F.batch_norm(x0, None, None, None, None, True, 0.0, 1e-5)", ["torch.float32"]),
                          {"x": x}, self.dir, timeout=600)
        self.assertFalse(answer["ok"])
        self.assertEqual(answer["kind"], "error", answer)

    @unittest.skipUnless(os.environ.get("GRAPHSMITH_TORCH_COMPILE_TESTS") == "1", "set GRAPHSMITH_TORCH_COMPILE_TESTS=1")
    def test_compile_agrees_and_a_graph_break_is_unsupported(self):
        w = self.worker("torch-compile")
        self.assertEqual(w.hello["capabilities"]["min_test_s"], 90)
        x = np.array([1.0, -2.0, 3.0], dtype=np.float32)
        answer, outputs = w.run(self.model("torch.sigmoid(x0) + self.w0", ["torch.float32"]), {"x": x}, self.dir, timeout=600)
        self.assertTrue(answer["ok"], answer)
        self.assertTrue(np.allclose(outputs[0], 1 / (1 + np.exp(-x)) + np.array([1, 2, 3], dtype=np.float32), rtol=1e-6))
        # .item() is data-dependent control flow Dynamo cannot capture: a graph break, refused under fullgraph
        answer, _ = w.run(self.model("x0 * float(x0.sum().item())", ["torch.float32"], "break.py"), {"x": x}, self.dir,
                          timeout=600)
        self.assertFalse(answer["ok"])
        self.assertEqual(answer["kind"], "unsupported", answer)

    @unittest.skipUnless(os.environ.get("GRAPHSMITH_TORCH_COMPILE_TESTS") == "1", "set GRAPHSMITH_TORCH_COMPILE_TESTS=1")
    def test_generated_cxx_that_fails_to_compile_is_an_error_and_the_host_lives_on(self):
        # A C++ compiler that is g++ except on a kernel holding the marker constant 1234.5, so the failure is
        # Inductor's generated code failing to build, as a real code generation bug makes it fail.
        cxx = os.path.join(self.dir, "cxx")
        with open(cxx, "w") as f:
            f.write('#!/bin/sh\nfor a in "$@"; do case "$a" in *.cpp) if grep -q "1234[.]5" "$a"; then\n'
                    '  echo "$a: error: refused by the test" >&2; exit 1; fi ;; esac; done\nexec g++ "$@"\n')
        os.chmod(cxx, 0o700)
        env = dict(os.environ, CXX=cxx, TORCHINDUCTOR_CACHE_DIR=os.path.join(self.dir, "inductor-cache"))
        w = self.worker("torch-compile", env=env)
        x = np.array([1.0, -2.0, 3.0], dtype=np.float32)
        answer, _ = w.run(self.model("x0 * 1234.5", ["torch.float32"], "marked.py"), {"x": x}, self.dir, timeout=600)
        self.assertFalse(answer["ok"])
        self.assertEqual(answer["kind"], "error", answer)  # internal-error in a campaign, not unsupported
        self.assertIn("CppCompileError: C++ compile error: refused by the test", answer["error"])
        answer, outputs = w.run(self.model("x0 + 2.5", ["torch.float32"], "next.py"), {"x": x}, self.dir, timeout=600)
        self.assertTrue(answer["ok"], answer)
        self.assertTrue(np.array_equal(outputs[0], x + np.float32(2.5)))


if __name__ == "__main__":
    unittest.main()
