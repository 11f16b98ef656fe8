#!/usr/bin/env python3
"""Speed of cdktf-fix against the baselines it should approach, in one run, as one table.

    python scripts/benchmark.py [--quick] [--jobs-files N] [--no-pyright] [--json PATH] [-v]

Inputs: the bundled ``examples/*.py`` and, when present, the Python blocks that ``ast.parse``
of ``../shared/corpus/dev/*/lib/MODEL_RESPONSE*.md`` (``--quick``: every 6th response).  The
corpus is only read; generated files go to a temporary folder removed at the end.  "Clean"
inputs are the repaired blocks (a second repair finds nothing to fix).  Timings are medians of
up to ``--reps`` runs, with no new run once a measurement has spent ``--budget`` seconds (a
60 s pass runs once); all on one core but ``batch --jobs 2`` and pyright.  Rows: 1 check on
clean code vs ``ast.parse``; 2 files that cannot hold provider code vs reading them; 3 repair
vs libcst parse + codegen; 4 schema index; 5 start-up; 6 ``batch --jobs 2`` vs 1; 7 pyright vs
``cdktf-fix check`` (``scripts/pyright_compare.py``; ``-v`` lists the errors check misses).
"""

from __future__ import annotations

import argparse
import ast
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import libcst  # noqa: E402

from cdktf_fix import Engine, Options, load_index  # noqa: E402
from cdktf_fix.io.markdown import python_blocks  # noqa: E402
from cdktf_fix.io.sources import iter_source_files, process  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
CLI = Path(sys.executable).with_name("cdktf-fix")  # the real entry point, not a pyenv shim
MIN_LINES = 5_000  # without the corpus, the examples are repeated up to this many lines


def response_files(corpus: Path, quick: bool) -> list[Path]:
    files = sorted(corpus.glob("*/lib/MODEL_RESPONSE*.md")) if corpus.is_dir() else []
    return files[::6] if quick else files


def collect_blocks(corpus: Path = DEFAULT_CORPUS, quick: bool = False) -> list[tuple[str, str]]:
    """(file name, code) of every example and every corpus block that parses."""
    blocks = [(f"examples_{p.name}", p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.py"))]
    for md in response_files(corpus, quick):
        for i, block in enumerate(python_blocks(md.read_text(encoding="utf-8"))):
            try:
                ast.parse(block.code)
            except SyntaxError:
                continue
            blocks.append((f"{md.parent.parent.name}_{md.stem}_{i}.py", block.code))
    return blocks


def write_files(folder: Path, blocks: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, code in blocks:
        (folder / name).write_text(code, encoding="utf-8")
    return folder


def lines_of(sources) -> int:
    return sum(len(s.splitlines()) for s in sources)


def timed(fn, reps: int, budget: float):
    """(median seconds, runs, last result) of ``fn()``: 1 to ``reps`` runs within ``budget`` s."""
    times, result = [], None
    while len(times) < reps and (not times or sum(times) + times[-1] <= budget):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(times), result


def run_measured(cmd: list, cwd=None, env=None, out=None, timeout: float = 1800):
    """(wall seconds, exit code, peak RSS in MB of the command and its waited-for children)."""
    with open(out or os.devnull, "wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=sink, stderr=subprocess.DEVNULL)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, proc.returncode, usage.ru_maxrss / 1024


def parse_and_print(sources: list[str]) -> int:
    return sum(len(libcst.parse_module(s).code) for s in sources)


def plain_python(i: int) -> str:
    """A ~55-line module with no provider code (and no 'cdktf' in it)."""
    methods = "".join(f"    def step_{j}(self, n: int = {j}) -> int:\n        \"\"\"Step {j}.\"\"\"\n        total = sum(x * {j} for x in range(n))\n"
                      f"        return total + self.offset\n\n" for j in range(10))
    return f'"""Helpers {i}."""\nimport json\n\n\nclass Helper{i}:\n    offset = {i}\n\n{methods}\ndef main():\n    print(json.dumps(Helper{i}().step_3(5)))\n'


def machine_line() -> str:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    changed = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.count("\n")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return (f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, libcst {metadata.version('libcst')}, "
            f"cdktf-cdktf-provider-aws {metadata.version('cdktf-cdktf-provider-aws')}; code: {head} + {changed} modified files")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="every 6th corpus response only")
    parser.add_argument("--jobs-files", type=int, help="samples in the batch folder (default: every response, or 40 copies of the examples)")
    parser.add_argument("--no-pyright", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds after which a measurement is not repeated")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the pyright errors check misses")
    args = parser.parse_args(argv)
    started, rows, notes, pyright_result, load_before = time.perf_counter(), [], [], None, os.getloadavg()[0]

    def row(name, ours, baseline, ratio, target, met, unit="", **extra):
        rows.append({"measurement": name, "ours": ours, "baseline": baseline, "ratio": ratio, "target": target, "met": met, "unit": unit, **extra})

    def t(fn, reps=args.reps):
        return timed(fn, reps, args.budget)

    blocks = collect_blocks(args.corpus, args.quick)
    corpus_used = len(blocks) > 2
    if not corpus_used:
        notes.append(f"no corpus at {args.corpus}: examples only, repeated to {MIN_LINES} lines")
        blocks = blocks * -(-MIN_LINES // lines_of(c for _, c in blocks))
    dirty = [code for _, code in blocks]
    engine = Engine(load_index(), Options())
    engine.repair(dirty[0])  # warm-up: lazy imports, first schema look-ups
    engines = {frozenset(): engine}

    def engine_for(path, packages, imported=frozenset()):
        return engines.setdefault(packages, Engine(engine.schema, replace(Options(), generated_bindings=packages)))

    def check_files(folder: Path, expected: int):
        """What ``cdktf-fix check FOLDER`` does after its configuration: find the files, repair them."""
        report = process(engine_for, iter_source_files([folder]), write=False, roots=[folder])
        if len(report.files) != expected or report.errors:
            raise SystemExit(f"benchmark: the file layer read {len(report.files)} of {expected} files, {len(report.errors)} errors")
        return report

    tmp = Path(tempfile.mkdtemp(prefix="cdktf-fix-bench-"))
    try:
        d_ours, d_n, results = t(lambda: [engine.repair(s) for s in dirty])  # row 3, run first: it makes the clean set
        clean = [r.new_source for r in results]
        d_base, d_bn, _ = t(lambda: [libcst.parse_module(s).code for s in dirty])

        # 1. check on clean code vs ast.parse, in memory and through the file layer (a quarter of the files)
        c_ours, c_n, again = t(lambda: [engine.repair(s) for s in clean])
        if leftover := sum(r.changed or any(f.applied for f in r.fixes) for r in again):
            notes.append(f"{leftover} repaired blocks get fixes again on a second repair (not idempotent)")
        # "needs no fix": the repaired blocks that also have nothing to report (row 1); with the
        # blocks that keep findings (which libcst must visit to word them) as row 1c
        quiet = [s for s, r in zip(clean, again) if not r.fixes and not r.findings]
        for label, group in (("1 check clean (no fix, no finding)", quiet), ("1c check repaired (findings left)", clean)):
            ours, ours_n, _ = t(lambda: [engine.repair(s) for s in group])
            base, base_n, _ = t(lambda: [ast.parse(s) for s in group])
            n = lines_of(group)
            row(f"{label}: Engine.repair vs ast.parse, {len(group)} blocks {n} lines (n={ours_n}/{base_n})",
                n / ours, n / base, base / ours, ">= 0.5", base / ours >= 0.5, "lines/s")
        subset = quiet[::4] if len(quiet) > 40 else quiet
        clean_dir = write_files(tmp / "clean", [(f"c{i}.py", s) for i, s in enumerate(subset)])
        p_ours, p_n, _ = t(lambda: check_files(clean_dir, len(subset)))
        p_base, p_bn, _ = t(lambda: [ast.parse(p.read_text(encoding="utf-8")) for p in sorted(clean_dir.rglob("*.py"))])
        n = lines_of(subset)
        row(f"1b check clean: sources.process vs read+ast.parse, {len(subset)} files {n} lines (n={p_n}/{p_bn})",
            n / p_ours, n / p_base, p_base / p_ours, ">= 0.5", p_base / p_ours >= 0.5, "lines/s")

        # 2. files that cannot hold provider code
        plain_dir = write_files(tmp / "plain" / "pkg", [(f"m{i}.py", plain_python(i)) for i in range(300)])
        n_ours, n_n, _ = t(lambda: check_files(plain_dir, 300), reps=9)
        n_base, n_bn, texts = t(lambda: [p.read_text(encoding="utf-8") for p in sorted(plain_dir.rglob("*.py"))], reps=9)
        e_ours = t(lambda: [engine.repair(s) for s in texts], reps=9)[0]
        row(f"2 300 plain .py files: sources.process vs rglob+read_text (n={n_n}/{n_bn}; Engine.repair alone {e_ours * 1e3:.1f} ms)",
            n_ours * 1e3, n_base * 1e3, n_ours / n_base, "<= ~1", n_ours / n_base <= 1.1, "ms")

        # 3. repair of code needing fixes vs libcst parse + codegen
        fixes = sum(len(r.fixes) for r in results)
        row(f"3 repair dirty: Engine.repair vs libcst parse+code, {len(dirty)} blocks {lines_of(dirty)} lines, {fixes} fixes (n={d_n}/{d_bn})",
            d_ours, d_base, d_ours / d_base, "<= 2", d_ours / d_base <= 2, "s")

        # 4. schema index, in fresh processes, with a temporary cache folder (the real cache is not touched)
        env = {**os.environ, "CDKTF_FIX_CACHE_DIR": str(tmp / "schema-cache")}

        def in_process(call):
            code = ("import time; t0 = time.perf_counter(); from cdktf_fix.schema import store, load_index; "
                    "from cdktf_fix.schema.packages import installed_from, running_sites; t1 = time.perf_counter(); "
                    f"{call}; print(t1 - t0, time.perf_counter() - t1)")
            out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
            return [float(x) for x in out.stdout.split()]

        build = in_process("store.build_part_of(installed_from(running_sites())['cdktf-cdktf-provider-aws'])")[1]
        shutil.rmtree(env["CDKTF_FIX_CACHE_DIR"])
        cold = in_process("load_index()")[1]  # from the shipped snapshots, then cached
        loads = [in_process("load_index()") for _ in range(5)]
        load = statistics.median(x[1] for x in loads)
        row(f"4 schema load_index(), cached, fresh process (median of 5; import {statistics.median(x[0] for x in loads):.3f} s)",
            load, None, None, "< 0.2 s", load < 0.2, "s")
        row(f"4b schema part built from the installed provider (once; cold load from snapshots {cold:.2f} s)", build, None, None, "report", None, "s")

        # 5. start-up
        example = ROOT / "examples" / "s3_data_bucket.py"
        bare = statistics.median(run_measured([sys.executable, "-c", "pass"])[0] for _ in range(5))
        for label, cmd in (("--version", ["--version"]), (f"check examples/{example.name}", ["check", str(example)])):
            wall = statistics.median(run_measured([str(CLI), *cmd])[0] for _ in range(5))
            row(f"5 start-up: cdktf-fix {label} vs python -c pass (median of 5)", wall, bare, wall / bare, "< 0.5 s", wall < 0.5, "s")

        # 6. batch, 2 workers vs 1
        samples = tmp / "samples"
        samples.mkdir()
        sources = [(f"{p.parent.parent.name}_{p.name}", p) for p in response_files(args.corpus, args.quick)]
        sources = sources or [(p.name, p) for p in sorted((ROOT / "examples").glob("*.py"))]
        count = args.jobs_files or (len(sources) if corpus_used else 40)
        for i in range(count):
            shutil.copyfile(sources[i % len(sources)][1], samples / f"{i // len(sources)}_{sources[i % len(sources)][0]}")
        walls = {}
        for jobs in (1, 2):
            def one(jobs=jobs):
                shutil.rmtree(tmp / "out", ignore_errors=True)
                cmd = ["batch", str(samples), "--out", str(tmp / "out"), "--jobs", str(jobs), "--report", str(tmp / "report.json")]
                return run_measured([str(CLI), *cmd])

            walls[jobs], runs, (_, code, _) = t(one)
            if code not in (0, 1):
                bad = json.loads((tmp / "report.json").read_text())["summary"]["bad"] if code == 2 else "?"
                notes.append(f"batch --jobs {jobs} exited {code}: {bad} bad samples (e.g. a block that does not parse)")
        row(f"6 batch {count} samples: --jobs 2 vs --jobs 1 (throughput)", count / walls[2], count / walls[1],
            walls[1] / walls[2], ">= 1.7", walls[1] / walls[2] >= 1.7, "samples/s")
        halves = [dirty[0::4], dirty[2::4]]  # what 2 cores give here: the same work in 2 processes vs 1
        with multiprocessing.get_context("forkserver").Pool(2) as pool:
            pool.map(len, [[1], [2]])  # both workers up
            one_core = t(lambda: [parse_and_print(h) for h in halves], reps=3)[0]
            two_cores = t(lambda: pool.map(parse_and_print, halves), reps=3)[0]
        row("6b what 2 cores give here: libcst parse+code of half the blocks, 2 processes vs 1 (n=3)", two_cores, one_core,
            one_core / two_cores, "-", None, "s")

        # 7. pyright
        if args.no_pyright:
            row("7 pyright vs cdktf-fix check", None, None, None, ">= 20", None, status="not measured: --no-pyright")
        else:
            from pyright_compare import compare, report_rows

            pyright_result = compare(write_files(tmp / "pyright", blocks if corpus_used else blocks[:2]))
            rows.extend(report_rows(pyright_result))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    total = time.perf_counter() - started
    machine = (f"{machine_line()}; inputs: {len(blocks)} blocks, {lines_of(dirty)} lines{' (--quick)' if args.quick else ''}; total {total:.0f} s; "
               f"load average at start {load_before:.2f} (well above 0, something else was using the cores)")
    print_table(rows)
    print("\n".join([machine] + [f"note: {note}" for note in notes]))
    if args.verbose and pyright_result:
        from pyright_compare import missed_text

        print(missed_text(pyright_result))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "machine": machine, "notes": notes, "pyright": pyright_result}, indent=2) + "\n")
    return 0


def print_table(rows: list[dict]) -> None:
    def fmt(value, unit=""):
        if value is None or isinstance(value, str):
            return value or "-"
        return f"{value:,.0f} {unit}" if unit.endswith("/s") and value >= 100 else f"{value:.3g} {unit}".strip()

    header = ("measurement", "ours", "baseline", "ratio", "target", "met?")
    table = [header] + [(r["measurement"], r.get("status") or fmt(r["ours"], r["unit"]), fmt(r["baseline"], r["unit"]),
                         fmt(r["ratio"], "" if isinstance(r["ratio"], str) else "x"), r["target"],
                         {True: "yes", False: "NO", None: "-"}[r["met"]]) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for i, line in enumerate(table):
        print(" | ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())
        if i == 0:
            print("-+-".join("-" * w for w in widths))


if __name__ == "__main__":
    sys.exit(main())
