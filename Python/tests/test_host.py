"""host.py driven as graphsmith drives it, with small adapters written by these tests (no compiler needed)."""

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workerclient as wc  # noqa: E402

PLUGINS = {
    # A correct evaluator of Add, Relu and Identity; its variants miscompute on purpose.
    "numpy_eval.py": '''
        """Add, Relu and Identity in numpy."""
        import sys

        import numpy as np
        import onnx

        VARIANTS = {
            "numpy": {},
            "numpy-bad-relu": {"bug": "relu"},  # Relu lets negative numbers through
            "numpy-wrong-dtype": {"bug": "dtype"},  # every output comes back as float64
        }
        UNSUPPORTED = ["no kernel for"]
        KERNELS = {"Add": lambda a, b: a + b, "Relu": lambda a: np.maximum(a, a.dtype.type(0)), "Identity": lambda a: a}


        def version():
            return "numpy " + np.__version__


        def capabilities(options):
            return {"rounding": "own", "computes_as": {"f16": "f32"}, "notes": ["a test adapter"]}


        def prepare(model_path, options):
            print("numpy_eval: prepare", model_path, file=sys.stderr)
            graph = onnx.load(model_path).graph
            for node in graph.node:
                if node.op_type == "Sub":
                    raise AssertionError("internal error in the evaluator\\n\\n  File \\"eval.py\\", line 7\\nmore")
                if node.op_type not in KERNELS and node.op_type != "Abs":
                    raise NotImplementedError(f"no kernel for {node.op_type}\\nsecond line")
            kernels = dict(KERNELS, Relu=np.abs) if options.get("bug") == "relu" else KERNELS

            def run(inputs):
                env = dict(inputs)
                for node in graph.node:
                    if node.op_type == "Abs":
                        raise FloatingPointError("kernel Abs failed at run time")
                    env[node.output[0]] = kernels[node.op_type](*[env[i] for i in node.input])
                outputs = [env[o.name] for o in graph.output]
                return [o.astype(np.float64) for o in outputs] if options.get("bug") == "dtype" else outputs

            return run
    ''',
    # Writes to fd 1 every way it can, and prints something that looks like an answer.
    "noisy.py": '''
        import ctypes
        import os
        import subprocess
        import sys

        NAME = "noisy"
        UNSUPPORTED = []
        libc = ctypes.CDLL(None)


        def shout(where):
            print(f"noisy: print() in {where}")
            print('{"id": 1, "ok": false, "stage": "run", "kind": "error", "error": "a fake answer"}')
            sys.__stdout__.write(f"noisy: sys.__stdout__ in {where}\\n")
            sys.__stdout__.flush()
            os.write(1, f"noisy: os.write(1) in {where}\\n".encode())
            libc.printf(f"noisy: printf in {where}\\n".encode())
            libc.fflush(None)
            subprocess.run(["echo", f"noisy: a child process in {where}"], check=True)


        shout("import")


        def version():
            shout("version")
            return "1"


        def prepare(model_path, options):
            shout("prepare")

            def run(inputs):
                shout("run")
                return [inputs["a"] + inputs["b"]]

            return run
    ''',
    "aborts.py": '''
        import os

        NAME = "aborts"
        UNSUPPORTED = []


        def version():
            return "1"


        def prepare(model_path, options):
            os.abort()
    ''',
    "sleeps.py": '''
        import time

        NAME = "sleeps"
        UNSUPPORTED = []


        def version():
            return "1"


        def prepare(model_path, options):
            time.sleep(3600)
    ''',
    "missing_package.py": '''
        NAME = "ghost"
        import graphsmith_no_such_compiler  # noqa: F401
    ''',
    "missing_package_odd_name.py": '''
        NAME = "ghost $(touch pwned) it's"
        import graphsmith_no_such_compiler  # noqa: F401
    ''',
    "raises_at_import.py": '''
        NAME = "angry"
        raise RuntimeError("the compiler's license check failed\\nsecond line")
    ''',
    "version_needs_package.py": '''
        NAME = "lazy"
        UNSUPPORTED = []


        def version():
            import graphsmith_no_such_runtime  # noqa: F401
    ''',
    "no_name.py": '''
        def version():
            return "1"
    ''',
    "bad_capabilities.py": '''
        NAME = "boastful"


        def version():
            return "1"


        def capabilities(options):
            return {"rounding": "own", "speed": "fast"}
    ''',
}


def setUpModule():
    global PLUGIN_DIR
    PLUGIN_DIR = tempfile.mkdtemp(prefix="graphsmith-plugins-")
    for name, source in PLUGINS.items():
        with open(os.path.join(PLUGIN_DIR, name), "w") as f:
            f.write(textwrap.dedent(source).lstrip())


def tearDownModule():
    shutil.rmtree(PLUGIN_DIR, ignore_errors=True)


def plugin(name):
    return os.path.join(PLUGIN_DIR, name)


def unary(path, op, dtype=TensorProto.FLOAT, shape=(2, 3)):
    return wc.model([helper.make_node(op, ["a"], ["y"])], [("a", dtype, shape)], [("y", dtype, shape)], path=path)


class Case(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="graphsmith-host-test-")
        self.workers = []

    def tearDown(self):
        for w in self.workers:
            w.dispose()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, adapter, variant=None):
        w = wc.Worker(plugin(adapter), variant, hello_timeout=60)
        self.workers.append(w)
        return w

    def path(self, name):
        return os.path.join(self.dir, name)

    def floats(self, *shape, seed=0):
        return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


class HelloTests(Case):
    def test_hello_names_backend_version_capabilities_and_variants(self):
        w = self.start("numpy_eval.py")
        self.assertEqual(w.hello["protocol"], 1)
        self.assertTrue(w.hello["ok"])
        self.assertEqual(w.hello["backend"], "numpy")
        self.assertTrue(w.hello["version"].startswith("numpy "))
        self.assertEqual(w.hello["capabilities"]["computes_as"], {"f16": "f32"})
        self.assertEqual(w.hello["variants"], ["numpy", "numpy-bad-relu", "numpy-wrong-dtype"])
        self.assertEqual(w.close(), 0)

    def test_variant_is_chosen_by_name(self):
        w = self.start("numpy_eval.py", "numpy-bad-relu")
        self.assertEqual(w.hello["backend"], "numpy-bad-relu")

    def test_missing_package_is_unavailable_with_the_setup_command(self):
        w = self.start("missing_package.py")
        self.assertEqual(w.hello["protocol"], 1)
        self.assertFalse(w.hello["ok"])
        reason = w.hello["unavailable"]
        self.assertIn("graphsmith_no_such_compiler", reason)
        self.assertIn("bash Scripts/setup.sh --backends ghost", reason)
        self.assertNotIn("\n", reason)
        self.assertEqual(w.proc.wait(30), 3)

    def test_the_setup_command_keeps_an_odd_backend_name_one_argument(self):
        w = self.start("missing_package_odd_name.py")
        reason = w.hello["unavailable"]
        command = reason[reason.index("run: ") + len("run: "):]
        self.assertEqual(shlex.split(command), ["bash", "Scripts/setup.sh", "--backends", "ghost $(touch pwned) it's"])
        self.assertEqual(w.proc.wait(30), 3)

    def test_an_adapter_that_raises_on_import_is_unavailable(self):
        w = self.start("raises_at_import.py")
        self.assertFalse(w.hello["ok"])
        self.assertIn("RuntimeError: the compiler's license check failed", w.hello["unavailable"])
        self.assertEqual(w.proc.wait(30), 3)

    def test_an_import_error_in_version_is_unavailable(self):
        w = self.start("version_needs_package.py")
        self.assertFalse(w.hello["ok"])
        self.assertIn("graphsmith_no_such_runtime", w.hello["unavailable"])
        self.assertEqual(w.proc.wait(30), 3)

    def test_adapter_mistakes_exit_2(self):
        for adapter, variant, words in [
            ("numpy_eval.py", "numpy-fast", "no variant 'numpy-fast'"),
            ("no_name.py", None, "neither NAME nor VARIANTS"),
            ("bad_capabilities.py", None, "unknown capability keys ['speed']"),
            ("no_such_file.py", None, "no adapter file"),
        ]:
            with self.subTest(adapter=adapter):
                w = self.start(adapter, variant)
                self.assertFalse(w.hello["ok"])
                self.assertIn(words, w.hello["unavailable"])
                self.assertEqual(w.proc.wait(30), 2)


class ListTests(Case):
    def test_list_names_every_variant_and_which_are_opt_in(self):
        source = 'VARIANTS = {"c": {}, "c-slow": {"flags": ["-x"], "opt_in": True}}\nUNSUPPORTED = []\n'
        with open(self.path("two.py"), "w") as f:
            f.write(source)
        with open(self.path("one.py"), "w") as f:
            f.write('NAME = "mine"\n')
        out = subprocess.run([sys.executable, wc.HOST, "--list", self.path("two.py"), self.path("one.py")],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        rows = {r["name"]: r for r in json.loads(out.stdout)}
        self.assertEqual(sorted(rows), ["c", "c-slow", "mine"])
        self.assertEqual([rows[n]["opt_in"] for n in ["c", "c-slow", "mine"]], [False, True, False])
        self.assertEqual(rows["c-slow"]["variant"], "c-slow")
        self.assertIsNone(rows["mine"]["variant"])


class RequestTests(Case):
    def test_add_relu_answers_outputs_and_timings(self):
        w = self.start("numpy_eval.py")
        model = self.path("model.onnx")
        wc.add_relu(model)
        a, b = self.floats(2, 3), self.floats(2, 3, seed=1)
        answer, outputs = w.run(model, {"a": a, "b": b}, self.dir)
        self.assertTrue(answer["ok"], answer)
        self.assertEqual(answer["id"], 1)
        self.assertEqual(answer["outputs"], [self.path("output_0.pb")])
        self.assertIsInstance(answer["compile_s"], float)
        self.assertIsInstance(answer["run_s"], float)
        self.assertFalse(answer["cached"])
        np.testing.assert_array_equal(outputs[0], np.maximum(a + b, 0))
        t = onnx.load_tensor(answer["outputs"][0])
        self.assertEqual((t.name, t.data_type), ("y", TensorProto.FLOAT))
        self.assertEqual([f for f in os.listdir(self.dir) if ".tmp" in f], [])

    def test_outputs_come_in_the_models_output_order(self):
        w = self.start("numpy_eval.py")
        model = self.path("model.onnx")
        wc.model([helper.make_node("Relu", ["a"], ["r"]), helper.make_node("Add", ["a", "a"], ["s"])],
                 [("a", TensorProto.FLOAT, (3,))], [("s", TensorProto.FLOAT, (3,)), ("r", TensorProto.FLOAT, (3,))],
                 path=model)
        a = np.array([-1, 0, 2], np.float32)
        answer, outputs = w.run(model, {"a": a}, self.dir)
        self.assertEqual(answer["outputs"], [self.path("output_0.pb"), self.path("output_1.pb")])
        np.testing.assert_array_equal(outputs[0], a + a)
        np.testing.assert_array_equal(outputs[1], np.maximum(a, 0))
        self.assertEqual([onnx.load_tensor(p).name for p in answer["outputs"]], ["s", "r"])

    def test_scalars_stay_scalars(self):
        w = self.start("numpy_eval.py")
        model = self.path("model.onnx")
        wc.add(model, TensorProto.FLOAT, shape=())
        answer, outputs = w.run(model, {"a": np.array(1.5, np.float32), "b": np.array(2, np.float32)}, self.dir)
        self.assertTrue(answer["ok"], answer)
        self.assertEqual(outputs[0].shape, ())
        self.assertEqual(outputs[0], np.float32(3.5))

    def test_the_prepared_model_is_reused_only_for_the_same_path_and_contents(self):
        w = self.start("numpy_eval.py")
        model, twin = self.path("model.onnx"), self.path("twin.onnx")
        wc.add_relu(model)
        shutil.copy(model, twin)
        inputs = {"a": self.floats(2, 3), "b": self.floats(2, 3, seed=1)}
        cached = [w.run(model, inputs, self.dir)[0]["cached"], w.run(model, inputs, self.dir)[0]["cached"]]
        self.assertEqual(w.run(model, inputs, self.dir)[0]["compile_s"], 0.0)
        cached.append(w.run(twin, inputs, self.dir)[0]["cached"])  # same contents, another path
        wc.add_relu(model, opset=18)  # same path, other contents
        cached.append(w.run(model, inputs, self.dir)[0]["cached"])
        cached.append(w.run(model, inputs, self.dir)[0]["cached"])
        self.assertEqual(cached, [False, True, False, False, True])
        self.assertEqual(w.close(), 0)
        self.assertEqual(w.stderr_text().count("numpy_eval: prepare"), 3)

    def test_unsupported_only_when_the_adapter_says_so(self):
        w = self.start("numpy_eval.py")
        cases = [("Neg", "compile", "unsupported", "NotImplementedError: no kernel for Neg"),
                 ("Sub", "compile", "error", "AssertionError: internal error in the evaluator"),
                 ("Abs", "run", "error", "FloatingPointError: kernel Abs failed at run time")]
        for op, stage, kind, error in cases:
            with self.subTest(op=op):
                model = self.path(f"{op}.onnx")
                if op == "Sub":
                    wc.model([helper.make_node("Sub", ["a", "a"], ["y"])], [("a", TensorProto.FLOAT, (2, 3))],
                             [("y", TensorProto.FLOAT, (2, 3))], path=model)
                else:
                    unary(model, op)
                answer, _ = w.run(model, {"a": self.floats(2, 3)}, self.dir)
                self.assertEqual((answer["ok"], answer["stage"], answer["kind"], answer["error"]),
                                 (False, stage, kind, error))
        model = self.path("model.onnx")
        wc.add_relu(model)
        self.assertTrue(w.run(model, {"a": self.floats(2, 3), "b": self.floats(2, 3)}, self.dir)[0]["ok"])

    def test_a_miscomputing_compiler_answers_normally_with_its_wrong_values(self):
        w = self.start("numpy_eval.py", "numpy-bad-relu")
        model = self.path("model.onnx")
        a, b = np.array([[-3, 1, 2]], np.float32), np.array([[1, 1, 1]], np.float32)
        wc.add_relu(model, shape=(1, 3))
        answer, outputs = w.run(model, {"a": a, "b": b}, self.dir)
        self.assertTrue(answer["ok"], answer)
        np.testing.assert_array_equal(outputs[0], [[2, 2, 3]])  # Relu(-2) should be 0

    def test_an_output_of_the_wrong_type_is_a_run_error(self):
        w = self.start("numpy_eval.py", "numpy-wrong-dtype")
        model = self.path("model.onnx")
        wc.add_relu(model)
        answer, _ = w.run(model, {"a": self.floats(2, 3), "b": self.floats(2, 3)}, self.dir)
        self.assertEqual((answer["stage"], answer["kind"]), ("run", "error"))
        self.assertIn("output 0 'y' came back as DOUBLE, the model declares FLOAT", answer["error"])

    def test_bfloat16_crosses_bit_exactly(self):
        import ml_dtypes

        w = self.start("numpy_eval.py")
        model = self.path("identity.onnx")
        every = np.arange(65536, dtype=np.uint16)  # every bfloat16: zeros, subnormals, infinities, NaN payloads
        unary(model, "Identity", TensorProto.BFLOAT16, shape=(65536,))
        answer, outputs = w.run(model, {"a": every.view(ml_dtypes.bfloat16)}, self.dir)
        self.assertTrue(answer["ok"], answer)
        self.assertEqual(outputs[0].dtype, ml_dtypes.bfloat16)
        np.testing.assert_array_equal(outputs[0].view(np.uint16), every)
        self.assertEqual(onnx.load_tensor(answer["outputs"][0]).data_type, TensorProto.BFLOAT16)

        model = self.path("add.onnx")
        wc.add(model, TensorProto.BFLOAT16, shape=(4,))
        a = np.array([1, 256, -0.0, 3.0e38], ml_dtypes.bfloat16)
        b = np.array([2 ** -8, 1, 0.0, 3.0e38], ml_dtypes.bfloat16)
        answer, outputs = w.run(model, {"a": a, "b": b}, self.dir)
        with np.errstate(over="ignore"):  # 3e38 + 3e38 is inf on purpose
            np.testing.assert_array_equal(outputs[0].view(np.uint16), (a + b).view(np.uint16))

    def test_bfloat16_inputs_stored_as_int32_data_are_read(self):
        import ml_dtypes

        w = self.start("numpy_eval.py")
        model = self.path("identity.onnx")
        unary(model, "Identity", TensorProto.BFLOAT16, shape=(3,))
        t = helper.make_tensor("a", TensorProto.BFLOAT16, [3], [1.5, -2.0, 0.25])
        self.assertFalse(t.HasField("raw_data"))
        onnx.save_tensor(t, self.path("input_0.pb"))
        answer = w.request({"model": model, "inputs": [["a", self.path("input_0.pb")]], "out": self.dir})
        out = wc.read_tensor(answer["outputs"][0])
        np.testing.assert_array_equal(out, np.array([1.5, -2.0, 0.25], ml_dtypes.bfloat16))

    def test_bad_requests_are_answered_and_the_worker_goes_on(self):
        w = self.start("numpy_eval.py")
        w.proc.stdin.write(b"this is not json\n\n")
        w.proc.stdin.flush()
        answer = w.read(30)
        self.assertEqual((answer["id"], answer["ok"], answer["stage"], answer["kind"]), (None, False, "request", "error"))
        model = self.path("model.onnx")
        wc.add_relu(model)
        answer = w.request({"id": 7, "model": model, "inputs": [["a", self.path("missing.pb")]], "out": self.dir})
        self.assertEqual((answer["id"], answer["stage"]), (7, "request"))
        self.assertIn("missing.pb", answer["error"])
        answer = w.request({"id": 8, "model": model, "inputs": []})
        self.assertEqual((answer["id"], answer["stage"], answer["error"]), (8, "request", "KeyError: 'out'"))
        answer = w.request({"id": 9, "model": self.path("nothing.onnx"), "inputs": [], "out": self.dir})
        self.assertEqual(answer["stage"], "request")
        inputs = {"a": self.floats(2, 3), "b": self.floats(2, 3)}
        answer, _ = w.run(model, inputs, self.dir)
        os.rename(answer["outputs"][0], self.path("input_0.pb"))  # keep a valid input file, drop the folder
        pairs = [["a", self.path("input_0.pb")], ["b", self.path("input_0.pb")]]
        answer = w.request({"id": 10, "model": model, "inputs": pairs, "out": self.path("no/such/folder")})
        self.assertEqual((answer["id"], answer["stage"], answer["kind"]), (10, "request", "error"))
        self.assertIn("FileNotFoundError", answer["error"])
        answer, _ = w.run(model, {"a": self.floats(2, 3), "b": self.floats(2, 3)}, self.dir)
        self.assertTrue(answer["ok"], answer)


class IsolationTests(Case):
    def test_a_compiler_writing_to_stdout_cannot_corrupt_the_protocol(self):
        w = self.start("noisy.py")
        self.assertTrue(w.hello["ok"], w.hello)
        model = self.path("model.onnx")
        wc.add(model, TensorProto.FLOAT)
        a, b = self.floats(2, 3), self.floats(2, 3, seed=1)
        for _ in range(2):
            answer, outputs = w.run(model, {"a": a, "b": b}, self.dir)
            self.assertTrue(answer["ok"], answer)
            np.testing.assert_array_equal(outputs[0], a + b)
        self.assertEqual(w.close(), 0)
        err = w.stderr_text()
        for where in ["import", "version", "prepare", "run"]:
            for how in ["print()", "sys.__stdout__", "os.write(1)", "printf", "a child process"]:
                self.assertIn(f"noisy: {how} in {where}", err)

    def test_a_compiler_that_aborts_ends_the_protocol_with_eof(self):
        w = self.start("aborts.py")
        model = self.path("model.onnx")
        wc.add(model, TensorProto.FLOAT)
        with self.assertRaises(EOFError):
            w.run(model, {"a": self.floats(2, 3), "b": self.floats(2, 3)}, self.dir, timeout=60)
        self.assertEqual(w.proc.wait(30), -signal.SIGABRT)

    def test_a_compiler_that_hangs_is_killed_after_the_readers_timeout(self):
        w = self.start("sleeps.py")
        model = self.path("model.onnx")
        wc.add(model, TensorProto.FLOAT)
        with self.assertRaises(wc.Timeout):
            w.run(model, {"a": self.floats(2, 3), "b": self.floats(2, 3)}, self.dir, timeout=1.5)
        w.kill()
        self.assertEqual(w.proc.returncode, -signal.SIGKILL)


class DebugTests(Case):
    def test_crash(self):
        w = self.start("numpy_eval.py")
        with self.assertRaises(EOFError):
            w.request({"debug": "crash"}, timeout=30)
        self.assertEqual(w.proc.wait(30), -signal.SIGSEGV)
        self.assertIn("Segmentation fault", w.stderr_text())  # faulthandler's traceback

    def test_abort(self):
        w = self.start("numpy_eval.py")
        with self.assertRaises(EOFError):
            w.request({"debug": "abort"}, timeout=30)
        self.assertEqual(w.proc.wait(30), -signal.SIGABRT)

    def test_hang(self):
        w = self.start("numpy_eval.py")
        with self.assertRaises(wc.Timeout):
            w.request({"debug": "hang"}, timeout=1.5)

    def test_noise_then_normal_work(self):
        w = self.start("numpy_eval.py")
        self.assertEqual(w.request({"id": 41, "debug": "noise"}, timeout=60), {"id": 41, "ok": True, "debug": "noise"})
        model = self.path("model.onnx")
        wc.add_relu(model)
        answer, _ = w.run(model, {"a": self.floats(2, 3), "b": self.floats(2, 3)}, self.dir)
        self.assertTrue(answer["ok"], answer)
        self.assertEqual(w.close(), 0)
        err = w.stderr_text()
        for text in ["noise 1999: print()", "noise 1999: sys.stderr", "noise 1999: C write(1, ...)", "noise: C printf"]:
            self.assertIn(text, err)

    def test_unknown_debug_request(self):
        w = self.start("numpy_eval.py")
        answer = w.request({"id": 3, "debug": "dance"})
        self.assertEqual((answer["id"], answer["ok"], answer["stage"]), (3, False, "request"))


class ReadmeExampleTests(Case):
    def test_the_example_adapter_in_the_readme_works(self):
        with open(os.path.join(wc.ROOT, "README.md")) as f:
            text = f.read()
        source = text.split("<!-- example-adapter -->\n```python\n", 1)[1].split("```", 1)[0]
        with open(plugin("onnx_reference.py"), "w") as f:
            f.write(source)
        w = self.start("onnx_reference.py")
        self.assertEqual((w.hello["ok"], w.hello["backend"]), (True, "onnx-reference"), w.hello)
        model = self.path("model.onnx")
        wc.add_relu(model)
        a, b = self.floats(2, 3), self.floats(2, 3, seed=1)
        answer, outputs = w.run(model, {"a": a, "b": b}, self.dir)
        self.assertTrue(answer["ok"], answer)
        np.testing.assert_array_equal(outputs[0], np.maximum(a + b, 0))
        custom = helper.make_model(
            helper.make_graph([helper.make_node("Foo", ["a"], ["y"], domain="com.example")], "g",
                              [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])]),
            opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.example", 1)])
        onnx.save(custom, self.path("custom.onnx"))
        answer, _ = w.run(self.path("custom.onnx"), {"a": np.zeros(2, np.float32)}, self.dir)
        self.assertEqual((answer["stage"], answer["kind"]), ("compile", "unsupported"), answer)


class ProtocolTextTests(unittest.TestCase):
    """The one-line error text, on exceptions as compilers raise them."""

    @classmethod
    def setUpClass(cls):
        sys.path.insert(0, os.path.dirname(wc.HOST))
        import host  # importing does not touch fds 0 and 1: main() does

        cls.host = host

    def test_describe_skips_locations_and_headings(self):
        e = RuntimeError("Exception from src/inference/src/cpp/core.cpp:132:\n"
                         "Check 'false' failed at src/frontends/common/src/report.cpp:151:\n"
                         "FrontEnd API failed with OpConversionFailure:\n"
                         "Model wasn't fully converted. Failed operations detailed log:\n"
                         "-- Foo-17 with a message:\n"
                         "'stop' input is not a scalar\n\nSummary:\n-- No conversion rule found for operations: Det-17\n")
        self.assertEqual(self.host.describe(e),
                         "RuntimeError: FrontEnd API failed with OpConversionFailure: 'stop' input is not a scalar")
        self.assertEqual(self.host.describe(e, ["no conversion rule"]),
                         "RuntimeError: No conversion rule found for operations: Det-17")
        self.assertEqual(self.host.classify(e, ["NO CONVERSION RULE"]), "unsupported")
        self.assertEqual(self.host.classify(e, ["not implemented"]), "error")
        # A phrase matches across the compiler's line breaks.
        wrapped = RuntimeError("Check failed at pad.cpp:40:\nFrontEnd API failed with OpConversionFailure:\nUnsupported padding mode: [wrap]")
        self.assertEqual(self.host.classify(wrapped, ["OpConversionFailure: Unsupported"]), "unsupported")

    def test_describe_adds_a_compilers_error_without_its_location(self):
        e = RuntimeError("C++ compile error\n\nCommand:\ng++ /tmp/ab/cxyz.cpp -shared -o /tmp/ab/cxyz.so\n\nOutput:\n"
                         "/tmp/ab/cxyz.cpp: In function 'void kernel(const int8_t*)':\n"
                         "/tmp/ab/cxyz.cpp:12:5: error: no matching function for call to 'clamp(int, int)'\n")
        self.assertEqual(self.host.describe(e),
                         "RuntimeError: C++ compile error: no matching function for call to 'clamp(int, int)'")

    def test_describe_is_one_bounded_line(self):
        text = self.host.describe(ValueError("Traceback (most recent call last):\n  File \"x.py\", line 3, in f\n"
                                             + "x" * 3000 + "\nmore"))
        self.assertTrue(text.startswith("ValueError: xxx"))
        self.assertLessEqual(len(text), 1000)
        self.assertEqual(self.host.describe(KeyError("k")), "KeyError: 'k'")
        self.assertEqual(self.host.describe(RuntimeError()), "RuntimeError")


if __name__ == "__main__":
    unittest.main()
