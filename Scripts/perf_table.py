"""Renders the README's performance table from `graphsmith bench ... --json` files and puts it between the README's
markers (`<!-- perf-table:start -->` and `<!-- perf-table:end -->`), leaving everything else as it was.

    python3 Scripts/perf_table.py DIR README.md

DIR holds gen.json (`bench gen --sizes 10,100`), compiler.json (`bench compiler`), fuzz-vm.json and fuzz-native.json
(`bench fuzz` without and with native-O3). Scripts/perf-table.sh runs the benchmarks and then this.
"""

import json
import os
import sys

START, END = "<!-- perf-table:start -->", "<!-- perf-table:end -->"

# The reference interpreter's run time on the bench compiler models when issue 18 was opened (commit 1da67e8, ms):
# its target is ten times faster.
REFERENCE_BEFORE = {"cnn-block": 1875, "mlp": 520, "elementwise-chain": 303, "reductions": 334}
# The models onnxruntime is to be matched on (within 1.5x) and the one it is to be beaten on.
NEAR_ORT = {"cnn-block", "mlp"}
BEAT_ORT = {"elementwise-chain"}


class TableError(Exception):
    """A missing or malformed input: one line, exit status 2."""


def load(folder, name):
    path = os.path.join(folder, name)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise TableError(f"{path}: {e}") from None


def gen_rows(gen):
    rows = []
    for r in gen:
        n, median, p99 = r["nodes"], r["cpuMedianMs"], r["cpuP99Ms"]
        target = {10: 0.5, 100: 10.0}.get(n)
        goal = f"median <= {target:g} ms, p99 <= 5x median, 100% valid" if target else "-"
        rows.append((f"generation, {n} operators (thread CPU)",
                     f"median {median:.2f} ms, p99 {p99:.1f} ms ({p99 / median:.0f}x), {100 * r['validityRate']:.0f}% valid", goal))
    return rows


def compiler_rows(compiler):
    rows, peak = [], compiler["machine"]
    for m in compiler["models"]:
        name, runs = m["model"], m["runMs"]
        before = REFERENCE_BEFORE.get(name)
        ref = runs["reference"]
        speedup = f" ({before / ref:.1f}x faster than {before} ms)" if before else ""
        rows.append((f"reference, {name}", f"{ref:.0f} ms{speedup}", f"<= {before / 10:.0f} ms" if before else "-"))
        native, ort = runs.get("native-O3 kernels"), runs.get("onnxruntime in-process")
        if native is None or ort is None:
            continue
        t = m["throughput"]
        rates = "; ".join(f"{k} {t[k]['gflops']:.2f} GFLOP/s, {t[k]['gbPerSecond']:.2f} GB/s" for k in sorted(t))
        goal = "<= 1.5x" if name in NEAR_ORT else "< 1x" if name in BEAT_ORT else "-"
        rows.append((f"native-O3 kernels / onnxruntime in-process, {name}",
                     f"{native:.2f} / {ort:.2f} ms = {native / ort:.2f}x ({rates})", goal))
    flops = f"{peak['gflops']:.1f} GFLOP/s" if peak.get("gflops") else "unknown GFLOP/s"
    rows.append((f"machine peak, {peak['threads']} thread(s)", f"{flops}, copy {peak['copyGBPerSecond']:.1f} GB/s", "-"))
    return rows


def fuzz_row(fuzz, goal):
    backends = ",".join(fuzz["backends"])
    return (f"campaign, {backends}, {fuzz['jobs']} jobs",
            f"{fuzz['testsPerSecond']:.1f} tests/s ({fuzz['tests']} tests in {fuzz['seconds']:.0f} s, {fuzz['findings']} findings)", goal)


def render(folder):
    rows = gen_rows(load(folder, "gen.json")) + compiler_rows(load(folder, "compiler.json"))
    rows.append(fuzz_row(load(folder, "fuzz-vm.json"), "-"))
    rows.append(fuzz_row(load(folder, "fuzz-native.json"), ">= 50 tests/s"))
    lines = ["| measure | measured | target |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def replace(text, table):
    """`text` with the part between the markers replaced by `table`."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise TableError(f"the README has no '{START}' ... '{END}' block")
    return text[:start + len(START)] + "\n" + table + "\n" + text[end:]


def main(argv):
    if len(argv) != 3:
        print("usage: perf_table.py DIR README.md", file=sys.stderr)
        return 2
    folder, readme = argv[1], argv[2]
    try:
        table = render(folder)
        try:
            with open(readme, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise TableError(f"{readme}: {e}") from None
        updated = replace(text, table)
    except TableError as e:
        print(f"perf_table: error: {e}", file=sys.stderr)
        return 2
    except (KeyError, TypeError) as e:
        print(f"perf_table: error: a benchmark file in {folder} lacks a field or has the wrong shape ({e!r})", file=sys.stderr)
        return 2
    temporary = readme + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(updated)
    os.replace(temporary, readme)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
