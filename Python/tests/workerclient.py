"""Drives host.py the way graphsmith does: a child process, requests on its stdin, answers on its stdout.

Also small helpers to build ONNX models and to pass tensors as TensorProto files.
"""

import json
import os
import select
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = os.path.join(ROOT, "graphsmith_worker", "host.py")
ADAPTERS = os.path.join(ROOT, "graphsmith_worker", "adapters")

try:
    import ml_dtypes
except ImportError:  # pragma: no cover
    ml_dtypes = None


class Timeout(Exception):
    pass


class Worker:
    """One host.py process. stderr goes to a temporary file (a pipe nobody drains would block it)."""

    def __init__(self, adapter, variant=None, hello_timeout=120, env=None):
        args = [sys.executable, HOST, "--adapter", adapter] + (["--variant", variant] if variant else [])
        self.stderr = tempfile.TemporaryFile(mode="a+b")  # O_APPEND: reading never moves where the child writes
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, env=env)
        self.buffer = b""
        self.next_id = 1
        self.hello = self.read(hello_timeout)

    def read(self, timeout):
        """The next answer line as a dict; EOFError at end of stream, Timeout after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout(f"no answer within {timeout} s")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise EOFError(f"worker closed its stdout; partial line {self.buffer[:200]!r}")
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def send(self, obj):
        self.proc.stdin.write((json.dumps(obj) + "\n").encode())
        self.proc.stdin.flush()

    def request(self, obj, timeout=120):
        if "id" not in obj:
            obj = dict(obj, id=self.next_id)
            self.next_id += 1
        self.send(obj)
        return self.read(timeout)

    def run(self, model_path, inputs, out, timeout=120):
        """Writes `inputs` (name -> array) as .pb files in `out`, runs the model; (answer, outputs or None)."""
        pairs = []
        for k, (name, array) in enumerate(inputs.items()):
            path = os.path.join(out, f"input_{k}.pb")
            write_tensor(array, name, path)
            pairs.append([name, path])
        answer = self.request({"model": model_path, "inputs": pairs, "out": out}, timeout)
        outputs = [read_tensor(p) for p in answer["outputs"]] if answer.get("ok") else None
        return answer, outputs

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def close(self, timeout=30):
        """Closes stdin (the worker then exits) and returns the exit status."""
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def dispose(self):
        """Kills the worker if it still runs and closes every pipe and file."""
        self.kill()
        for f in (self.proc.stdin, self.proc.stdout, self.stderr):
            try:
                f.close()
            except OSError:
                pass


# ---------------------------------------------------------------- tensors


def write_tensor(array, name, path):
    if ml_dtypes is not None and array.dtype == ml_dtypes.bfloat16:
        t = TensorProto(name=name, data_type=TensorProto.BFLOAT16, dims=array.shape)
        t.raw_data = np.asarray(array, order="C").view("<u2").tobytes()
    else:
        t = numpy_helper.from_array(np.asarray(array, order="C"), name)
    with open(path, "wb") as f:
        f.write(t.SerializeToString())


def read_tensor(path):
    t = TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    if t.data_type == TensorProto.BFLOAT16:
        return np.frombuffer(t.raw_data, "<u2").reshape(tuple(t.dims)).view(ml_dtypes.bfloat16)
    return numpy_helper.to_array(t)


# ---------------------------------------------------------------- models


def model(nodes, inputs, outputs, initializers=(), opset=17, path=None):
    """A checked model; inputs and outputs are (name, TensorProto type, shape)."""
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
        initializer=list(initializers))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = min(m.ir_version, 10)  # readable by every compiler here
    onnx.checker.check_model(m, full_check=True)
    if path:
        onnx.save(m, path)
    return m


def add_relu(path, dtype=TensorProto.FLOAT, shape=(2, 3), opset=17):
    """y = Relu(a + b)."""
    return model([helper.make_node("Add", ["a", "b"], ["s"]), helper.make_node("Relu", ["s"], ["y"])],
                 [("a", dtype, shape), ("b", dtype, shape)], [("y", dtype, shape)], opset=opset, path=path)


def add(path, dtype, shape=(2, 3), opset=17):
    """y = a + b."""
    return model([helper.make_node("Add", ["a", "b"], ["y"])],
                 [("a", dtype, shape), ("b", dtype, shape)], [("y", dtype, shape)], opset=opset, path=path)


def add_matmul(path, dtype=TensorProto.INT64):
    """y = (a + b) @ c ; a, b: 2x3, c: 3x2."""
    return model([helper.make_node("Add", ["a", "b"], ["s"]), helper.make_node("MatMul", ["s", "c"], ["y"])],
                 [("a", dtype, (2, 3)), ("b", dtype, (2, 3)), ("c", dtype, (3, 2))], [("y", dtype, (2, 2))], path=path)


CHAIN_W = (np.arange(18, dtype=np.float32).reshape(2, 1, 3, 3) / 10 - 0.8)
CHAIN_M = np.linspace(-1, 1, 20, dtype=np.float32).reshape(4, 5)


def conv_chain(path):
    """y = MatMul(Relu(Conv(x, W, pads=1)), M) + x2 ; x: 1x1x4x4, y: 1x2x4x5, and z = Relu(x2)."""
    return model(
        [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]), helper.make_node("Relu", ["c"], ["r"]),
         helper.make_node("MatMul", ["r", "m"], ["mm"]), helper.make_node("Add", ["mm", "x2"], ["y"]),
         helper.make_node("Relu", ["x2"], ["z"])],
        [("x", TensorProto.FLOAT, (1, 1, 4, 4)), ("x2", TensorProto.FLOAT, (1, 2, 4, 5))],
        [("y", TensorProto.FLOAT, (1, 2, 4, 5)), ("z", TensorProto.FLOAT, (1, 2, 4, 5))],
        [numpy_helper.from_array(CHAIN_W, "w"), numpy_helper.from_array(CHAIN_M, "m")], path=path)


def conv_chain_reference(x, x2):
    """float64 reference of conv_chain."""
    x, x2, w, m = (a.astype(np.float64) for a in (x, x2, CHAIN_W, CHAIN_M))
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    c = np.zeros((1, 2, 4, 4))
    for o in range(2):
        for i in range(4):
            for j in range(4):
                c[0, o, i, j] = np.sum(xp[0, 0, i:i + 3, j:j + 3] * w[o, 0])
    return [np.maximum(c, 0) @ m + x2, np.maximum(x2, 0)]
