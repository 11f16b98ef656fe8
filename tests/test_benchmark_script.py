"""scripts/benchmark.py keeps running against the code it measures.

No timing is asserted (speed is read from the script's own ratios); this only checks that
every measurement is taken, so an API change that the script misses shows here, not as an
absurd number in the next README table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_benchmark_takes_every_measurement(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, "scripts/benchmark.py", "--quick", "--reps", "1", "--budget", "1", "--jobs-files", "8", "--no-pyright", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    rows = json.loads(out.read_text())["rows"]
    measured = [r for r in rows if not r["measurement"].startswith("7 ")]
    assert len(measured) >= 11, [r["measurement"] for r in rows]
    for r in measured:
        assert isinstance(r["ours"], (int, float)) and r["ours"] > 0, r
