"""The acceptance numbers on the dev corpus (skipped when ../shared/corpus is absent)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus at ../shared/corpus/dev")


def _numbers(output: str) -> dict[str, int]:
    numbers = {}
    for line in output.splitlines():
        head = line[:44].strip()
        if head and len(line) > 44 and line[44:].strip().split()[0].lstrip("-").isdigit():
            numbers[head] = int(line[44:].strip().split()[0])
    return numbers


@pytest.fixture(scope="module")
def measured() -> tuple[subprocess.CompletedProcess, dict[str, int]]:
    """One run of scripts/measure_corpus.py, shared by the tests of this module."""
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "measure_corpus.py"), str(CORPUS)], capture_output=True, text=True)
    return run, _numbers(run.stdout)


def test_import_repairs_on_the_dev_corpus(measured):
    run, numbers = measured
    assert run.returncode == 0, run.stdout + run.stderr
    before = numbers["unresolvable imports before"]
    assert before > 50, run.stdout
    assert numbers["fixed"] >= 0.85 * before, run.stdout
    assert numbers["left and reported with suggestions"] == numbers["left"], run.stdout
    assert numbers["regressions"] == 0, run.stdout


def test_argument_repairs_on_the_dev_corpus(measured):
    run, numbers = measured
    assert "argument problems before" in numbers, run.stdout + run.stderr
    before = numbers["argument problems before"]
    assert before > 100, run.stdout
    assert numbers["argument problems fixed"] >= 0.85 * before, run.stdout
    assert numbers["argument problems left and reported"] == numbers["argument problems left"], run.stdout
    assert numbers["regressions"] == 0, run.stdout

