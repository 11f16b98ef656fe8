"""Benchmark how `cdktf-fix verify` names the files of a markdown response (no synth).

    python scripts/bench_verify_names.py

Times ``markdown_files`` + ``place_imported_modules`` on hostile responses: a heading, a bold
line and a line of punctuation of 100k and 1M characters, and 60k blocks that import each
other.  Each was quadratic once (a 100k-character heading took 57 s); all are linear now, so
10x the input should take about 10x the time.  tests/test_verify_inputs.py checks that the
1M cases finish at all; the times are measured here, not in tests.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cdktf_fix.verify import markdown_files, place_imported_modules  # noqa: E402

BLOCK = "```python\nx = 1\n```\n"


def cases(n: int) -> dict[str, str]:
    return {
        f"heading of {n:,} characters": "## " + "a" * n + "\n" + BLOCK,
        f"bold line of {n:,} characters": "**" + "a/" * (n // 2) + "\n" + BLOCK,
        f"punctuation line of {n:,} characters": "." * n + "\n" + BLOCK,
    }


def main() -> int:
    for n in (100_000, 1_000_000):
        for name, text in cases(n).items():
            started = time.perf_counter()
            markdown_files(text)
            print(f"{name:40} {time.perf_counter() - started:8.3f} s")
    for blocks in (6_000, 60_000):
        text = "".join(f"## m{i}.py\n```python\nimport pkg.m{(i + 1) % blocks}\n```\n" for i in range(blocks))
        started = time.perf_counter()
        place_imported_modules(markdown_files(text))
        print(f"{f'{blocks:,} blocks importing each other':40} {time.perf_counter() - started:8.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
