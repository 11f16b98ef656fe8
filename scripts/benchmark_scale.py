"""Records per second of `batch` on a JSONL dataset: the local engine with 1 and 2 jobs, Dask
(a LocalCluster) with 1 and 2 workers, on the same data, and the ratios between them.

The data is the dev corpus's model responses (../shared/corpus/dev/*/lib/MODEL_RESPONSE*.md),
replicated to --records records (default 10,000; the bundled examples when the corpus is
absent), written to a temporary folder.  Each run goes through the command line, as a user runs
it; every output is checked to be byte-identical to the first.

    python scripts/benchmark_scale.py [--records 10000] [--corpus ../shared/corpus/dev]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts(corpus_dir: Path) -> list[str]:
    corpus = sorted(corpus_dir.glob("*/lib/MODEL_RESPONSE*.md"))
    found = [p.read_text(encoding="utf-8", errors="replace") for p in corpus]
    return found or [p.read_text() for p in sorted((ROOT / "examples").glob("*.py"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev", help="the folder of corpus samples")
    args = parser.parse_args()
    sources = texts(args.corpus)
    runs = [("local", 1), ("local", 2), ("dask", 1), ("dask", 2)]
    with tempfile.TemporaryDirectory(prefix="cdktf-fix-scale-") as folder:
        data = Path(folder) / "data.jsonl"
        with open(data, "w", encoding="utf-8") as out:
            for number in range(args.records):
                out.write(json.dumps({"id": number, "response": sources[number % len(sources)]}) + "\n")
        print(f"{args.records} records ({data.stat().st_size / 1e6:.1f} MB) from {len(sources)} texts; {os.cpu_count()} cores")
        results = []
        first = None
        print(f"{'engine':8} {'jobs':>4} {'seconds':>8} {'records/s':>10} {'vs local 1':>10}  output", flush=True)
        for engine, jobs in runs:
            out = Path(folder) / f"{engine}-{jobs}.jsonl"
            command = [sys.executable, "-m", "cdktf_fix.cli", "batch", str(data), "--out", str(out), "--field", "response", "--jobs", str(jobs), "--engine", engine]
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            if done.returncode not in (0, 1, 2) or not out.exists():
                sys.exit(f"{engine} --jobs {jobs} failed ({done.returncode}): {done.stderr[-2000:]}")
            same = first is None or filecmp.cmp(first, out, shallow=False)
            first = first or out
            rate = args.records / seconds
            results.append(rate)
            print(f"{engine:8} {jobs:>4} {seconds:>8.1f} {rate:>10.1f} {rate / results[0]:>9.2f}x  {'identical' if same else 'DIFFERS'}", flush=True)


if __name__ == "__main__":
    main()
