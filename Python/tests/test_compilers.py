"""The shipped adapters on their real compilers, a few tiny models each; a class skips when its packages are missing."""

import importlib.util
import os
import shutil
import sys
import tempfile
import unittest

import numpy as np
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workerclient as wc  # noqa: E402

COMPILE_TIMEOUT = 300


def missing(*modules):
    def found(module):
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:  # its parent package is missing
            return False

    return [m for m in modules if not found(m)]


class CompilerCase:
    """Mixed into one unittest.TestCase per backend."""

    adapter = None  # file in graphsmith_worker/adapters
    variant = None
    needs = ()  # Python packages
    unsupported = None  # (op, opset, [(name, dtype, shape)], output (dtype, shape)) the compiler says it cannot do

    @classmethod
    def setUpClass(cls):
        lacking = missing(*cls.needs)
        if lacking:
            raise unittest.SkipTest(f"Python package(s) {', '.join(lacking)} not installed")
        cls.dir = tempfile.mkdtemp(prefix=f"graphsmith-{cls.variant}-")
        cls.worker = wc.Worker(os.path.join(wc.ADAPTERS, cls.adapter), cls.variant, hello_timeout=COMPILE_TIMEOUT)
        if not cls.worker.hello.get("ok"):
            reason = cls.worker.hello.get("unavailable")
            cls.worker.dispose()
            raise unittest.SkipTest(f"{cls.variant} unavailable: {reason}")

    @classmethod
    def tearDownClass(cls):
        status = cls.worker.close()
        cls.worker.dispose()
        shutil.rmtree(cls.dir, ignore_errors=True)
        assert status == 0, f"{cls.variant} worker exited with {status}"

    def run_model(self, name, build, inputs):
        path = os.path.join(self.dir, f"{name}.onnx")
        build(path)
        out = os.path.join(self.dir, name)
        os.makedirs(out, exist_ok=True)
        return self.worker.run(path, inputs, out, timeout=COMPILE_TIMEOUT)

    def test_hello(self):
        hello = self.worker.hello
        self.assertEqual((hello["protocol"], hello["ok"], hello["backend"]), (1, True, self.variant))
        self.assertTrue(hello["version"])
        self.assertEqual(hello["capabilities"].get("rounding"), "own")

    def test_add_relu_f32(self):
        rng = np.random.default_rng(1)
        a, b = rng.standard_normal((2, 3)).astype(np.float32), rng.standard_normal((2, 3)).astype(np.float32)
        answer, outputs = self.run_model("add_relu_f32", wc.add_relu, {"a": a, "b": b})
        self.assertTrue(answer["ok"], answer)
        self.assertEqual(outputs[0].dtype, np.float32)
        np.testing.assert_array_equal(outputs[0], np.maximum(a + b, 0))  # one rounding: exact everywhere

    def test_conv_relu_matmul_add_f32(self):
        rng = np.random.default_rng(2)
        x, x2 = rng.standard_normal((1, 1, 4, 4)).astype(np.float32), rng.standard_normal((1, 2, 4, 5)).astype(np.float32)
        answer, outputs = self.run_model("chain", wc.conv_chain, {"x": x, "x2": x2})
        self.assertTrue(answer["ok"], answer)
        for got, want in zip(outputs, wc.conv_chain_reference(x, x2)):
            self.assertEqual(got.shape, want.shape)
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        answer, _ = self.run_model("chain", wc.conv_chain, {"x": x, "x2": x2})  # the same file again
        self.assertTrue(answer["cached"], answer)

    def test_add_matmul_i64(self):
        a = np.array([[5, -7, 2 ** 10], [0, -1, 1234]], np.int64)  # small: some compilers compute i64 as i32 or f32
        b = np.array([[-9, 3, 2 ** 10], [0, 2, -1235]], np.int64)
        c = np.array([[1, -2], [3, 4], [-5, 6]], np.int64)
        answer, outputs = self.run_model("add_matmul_i64", wc.add_matmul, {"a": a, "b": b, "c": c})
        self.assertTrue(answer["ok"], answer)
        self.assertEqual(outputs[0].dtype, np.int64)
        np.testing.assert_array_equal(outputs[0], (a + b) @ c)

    def test_unsupported_case_is_classified_unsupported(self):
        if self.unsupported is None:
            self.skipTest("no case this compiler clearly refuses")
        op, opset, ins, (dtype, shape), values = self.unsupported
        build = lambda p: wc.model([helper.make_node(op, [n for n, _, _ in ins], ["y"])], ins, [("y", dtype, shape)],
                                   opset=opset, path=p)
        answer, _ = self.run_model(f"unsupported_{op}", build, values)
        self.assertFalse(answer["ok"], answer)
        self.assertEqual((answer["stage"], answer["kind"]), ("compile", "unsupported"), answer)
        self.assertNotIn("\n", answer["error"])


def bf16_add():
    import ml_dtypes

    v = np.array([[1, 2], [3, 4]], ml_dtypes.bfloat16)
    return ("Add", 17, [("a", TensorProto.BFLOAT16, (2, 2)), ("b", TensorProto.BFLOAT16, (2, 2))],
            (TensorProto.BFLOAT16, (2, 2)), {"a": v, "b": v})


F32_3X3 = ("Det", 17, [("a", TensorProto.FLOAT, (3, 3))], (TensorProto.FLOAT, ()),
           {"a": np.eye(3, dtype=np.float32)})


class OnnxRuntimeTests(CompilerCase, unittest.TestCase):
    adapter, variant, needs = "onnxruntime.py", "onnxruntime", ("onnxruntime",)
    unsupported = property(lambda self: bf16_add())  # no bfloat16 Add kernel on CPU: NOT_IMPLEMENTED

    def test_bfloat16_passes_through_onnxruntime(self):
        import ml_dtypes

        every = np.arange(0, 65536, 7, dtype=np.uint16).view(ml_dtypes.bfloat16)
        build = lambda p: wc.model([helper.make_node("Identity", ["a"], ["y"])], [("a", TensorProto.BFLOAT16, every.shape)],
                                   [("y", TensorProto.BFLOAT16, every.shape)], path=p)
        answer, outputs = self.run_model("identity_bf16", build, {"a": every})
        self.assertTrue(answer["ok"], answer)
        np.testing.assert_array_equal(outputs[0].view(np.uint16), every.view(np.uint16))


    def test_thread_count_comes_from_the_environment(self):
        spec = importlib.util.spec_from_file_location("ort_adapter", os.path.join(wc.ADAPTERS, "onnxruntime.py"))
        adapter = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(adapter)
        model = helper.make_model(helper.make_graph([helper.make_node("Relu", ["a"], ["y"])], "g",
                                                    [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2])],
                                                    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])]),
                                  opset_imports=[helper.make_opsetid("", 17)])
        saved = os.environ.get("GRAPHSMITH_ORT_THREADS")
        try:
            for text, expected in [("2", 2), (None, 1), ("0", 1), ("two", 1)]:
                if text is None:
                    os.environ.pop("GRAPHSMITH_ORT_THREADS", None)
                else:
                    os.environ["GRAPHSMITH_ORT_THREADS"] = text
                sess = adapter.session(model.SerializeToString(), "all")
                self.assertEqual(sess.get_session_options().intra_op_num_threads, expected, text)
        finally:
            if saved is None:
                os.environ.pop("GRAPHSMITH_ORT_THREADS", None)
            else:
                os.environ["GRAPHSMITH_ORT_THREADS"] = saved


class OnnxRuntimeNoOptTests(CompilerCase, unittest.TestCase):
    adapter, variant, needs = "onnxruntime.py", "onnxruntime-noopt", ("onnxruntime",)
    unsupported = property(lambda self: bf16_add())


class OnnxSimTests(CompilerCase, unittest.TestCase):
    adapter, variant, needs = "onnxruntime_presimplify.py", "onnxruntime-onnxsim", ("onnxruntime", "onnxsim")
    unsupported = property(lambda self: bf16_add())


class OnnxSlimTests(CompilerCase, unittest.TestCase):
    adapter, variant, needs = "onnxruntime_presimplify.py", "onnxruntime-onnxslim", ("onnxruntime", "onnxslim")
    unsupported = property(lambda self: bf16_add())


class OpenVINOTests(CompilerCase, unittest.TestCase):
    adapter, variant, needs = "openvino.py", "openvino", ("openvino",)
    unsupported = F32_3X3  # "No conversion rule found for operations: Det-17"

    def test_declares_its_precision_policy(self):
        self.assertEqual(self.worker.hello["capabilities"]["computes_as"]["f64"], "f32")

    def test_bfloat16_crosses(self):
        import ml_dtypes

        a = np.array([1, 256, -0.5, 3], ml_dtypes.bfloat16)
        answer, outputs = self.run_model("add_bf16", lambda p: wc.add(p, TensorProto.BFLOAT16, shape=(4,)), {"a": a, "b": a})
        self.assertTrue(answer["ok"], answer)
        self.assertEqual(outputs[0].dtype, ml_dtypes.bfloat16)
        np.testing.assert_array_equal(outputs[0].view(np.uint16), (a + a).view(np.uint16))


class TVMTests(CompilerCase, unittest.TestCase):
    adapter, variant, needs = "tvm.py", "tvm", ("tvm",)
    unsupported = F32_3X3  # "The following operators are not supported for frontend ONNX: Det"

    def test_declares_the_newest_converter_opset(self):
        self.assertGreaterEqual(self.worker.hello["capabilities"]["max_opset"], 13)

    def test_the_frontends_stdout_goes_to_stderr(self):
        # A 4-d convolution: the converter raises NotImplementedError after print()ing to stdout.
        x = np.ones((1, 1, 2, 2, 2, 2), np.float32)
        w = np.ones((1, 1, 1, 1, 1, 1), np.float32)
        build = lambda p: wc.model([helper.make_node("Conv", ["x", "w"], ["y"])],
                                   [("x", TensorProto.FLOAT, x.shape), ("w", TensorProto.FLOAT, w.shape)],
                                   [("y", TensorProto.FLOAT, x.shape)], path=p)
        answer, _ = self.run_model("conv4d", build, {"x": x, "w": w})
        self.assertEqual((answer["stage"], answer["kind"]), ("compile", "unsupported"), answer)
        self.assertIn("Error converting operator Conv", self.worker.stderr_text())

    def test_f64_is_exact(self):
        a = np.array([1 + 2.0 ** -40, 2.0 ** 60], np.float64)
        answer, outputs = self.run_model("add_f64", lambda p: wc.add(p, TensorProto.DOUBLE, shape=(2,)), {"a": a, "b": a})
        self.assertTrue(answer["ok"], answer)
        np.testing.assert_array_equal(outputs[0], a + a)


IREE_DFT = ("DFT", 17, [("a", TensorProto.FLOAT, (1, 8, 1))], (TensorProto.FLOAT, (1, 8, 2)),
            {"a": np.arange(8, dtype=np.float32).reshape(1, 8, 1)})  # no torch-mlir lowering of onnx.DFT


class IREETests(CompilerCase, unittest.TestCase):
    adapter, variant, needs = "iree.py", "iree", ("iree.compiler", "iree.runtime")
    unsupported = IREE_DFT

    def test_declares_f64_unsupported_and_signless_integers(self):
        caps = self.worker.hello["capabilities"]
        self.assertEqual((caps["unsupported_dtypes"], caps["signless_integers"]), (["f64"], True))

    def test_unsigned_outputs_keep_their_type(self):
        a = np.array([200, 100, 3], np.uint8)
        b = np.array([100, 100, 4], np.uint8)
        answer, outputs = self.run_model("add_u8", lambda p: wc.add(p, TensorProto.UINT8, shape=(3,)), {"a": a, "b": b})
        self.assertTrue(answer["ok"], answer)
        self.assertEqual(outputs[0].dtype, np.uint8)
        np.testing.assert_array_equal(outputs[0], a + b)  # wraps: 300 -> 44


class IREEF64Tests(CompilerCase, unittest.TestCase):
    adapter, variant, needs = "iree.py", "iree-f64", ("iree.compiler", "iree.runtime")
    unsupported = IREE_DFT

    def test_f64_is_computed_as_f64(self):
        self.assertNotIn("unsupported_dtypes", self.worker.hello["capabilities"])
        a = np.array([1 + 2.0 ** -40, 2.0 ** 60], np.float64)
        answer, outputs = self.run_model("add_f64", lambda p: wc.add(p, TensorProto.DOUBLE, shape=(2,)), {"a": a, "b": a})
        self.assertTrue(answer["ok"], answer)
        np.testing.assert_array_equal(outputs[0], a + a)


if __name__ == "__main__":
    unittest.main()
