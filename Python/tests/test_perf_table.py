"""Tests of Scripts/perf_table.py: the README's performance table from benchmark JSON."""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Scripts", "perf_table.py")


def load_script():
    spec = importlib.util.spec_from_file_location("perf_table", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = [{"nodes": 10, "cpuMedianMs": 2.0, "cpuP99Ms": 30.0, "validityRate": 1.0},
       {"nodes": 100, "cpuMedianMs": 120.0, "cpuP99Ms": 6000.0, "validityRate": 0.995}]
COMPILER = {
    "machine": {"threads": 1, "gflops": 39.1, "copyGBPerSecond": 40.0},
    "models": [
        {"model": "mlp", "runMs": {"reference": 130.0, "native-O3 kernels": 0.3, "onnxruntime in-process": 0.15},
         "throughput": {"native-O3 kernels": {"gflops": 1.5, "gbPerSecond": 0.5},
                        "onnxruntime in-process": {"gflops": 3.0, "gbPerSecond": 1.0}}},
        {"model": "reductions", "runMs": {"reference": 70.0}, "throughput": {}},
    ],
}
FUZZ_VM = {"backends": ["vm-O0", "vm-O3"], "jobs": 2, "testsPerSecond": 52.5, "tests": 3150, "seconds": 60.0, "findings": 0}
FUZZ_NATIVE = dict(FUZZ_VM, backends=["vm-O0", "native-O3"], testsPerSecond=7.9, tests=474)
README = "# title\n\nbefore\n<!-- perf-table:start -->\nold table\n<!-- perf-table:end -->\nafter\n"


class PerfTableTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()
        for name, data in [("gen.json", GEN), ("compiler.json", COMPILER), ("fuzz-vm.json", FUZZ_VM),
                           ("fuzz-native.json", FUZZ_NATIVE)]:
            with open(os.path.join(self.folder, name), "w") as f:
                json.dump(data, f)
        self.readme = os.path.join(self.folder, "README.md")
        with open(self.readme, "w") as f:
            f.write(README)

    def run_script(self):
        return subprocess.run([sys.executable, SCRIPT, self.folder, self.readme], capture_output=True, text=True)

    def test_the_table_replaces_only_the_marked_block(self):
        self.assertEqual(self.run_script().returncode, 0)
        with open(self.readme) as f:
            text = f.read()
        self.assertTrue(text.startswith("# title\n\nbefore\n<!-- perf-table:start -->\n| measure |"), text)
        self.assertTrue(text.endswith("|\n<!-- perf-table:end -->\nafter\n"), text)
        self.assertNotIn("old table", text)

    def test_figures_and_ratios(self):
        table = load_script().render(self.folder)
        self.assertIn("| generation, 10 operators (thread CPU) | median 2.00 ms, p99 30.0 ms (15x), 100% valid | median <= 0.5 ms", table)
        self.assertIn("| reference, mlp | 130 ms (4.0x faster than 520 ms) | <= 52 ms |", table)
        self.assertIn("0.30 / 0.15 ms = 2.00x", table)
        self.assertIn("| <= 1.5x |", table)
        self.assertIn("7.9 tests/s (474 tests in 60 s, 0 findings) | >= 50 tests/s |", table)
        self.assertNotIn("native-O3 kernels / onnxruntime in-process, reductions", table, "no onnxruntime figure, no row")

    def test_a_readme_without_markers_is_a_one_line_error(self):
        with open(self.readme, "w") as f:
            f.write("# no markers\n")
        r = self.run_script()
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("perf-table:start", r.stderr)
        with open(self.readme) as f:
            self.assertEqual(f.read(), "# no markers\n", "left as it was")

    def test_a_missing_benchmark_file_names_it(self):
        os.remove(os.path.join(self.folder, "compiler.json"))
        r = self.run_script()
        self.assertEqual(r.returncode, 2)
        self.assertIn("compiler.json", r.stderr)


if __name__ == "__main__":
    unittest.main()
