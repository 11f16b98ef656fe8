"""`cdktf-fix batch` on the command line: outputs checked before any work, the report written
atomically, an interrupted batch's exit code, a clamped --jobs (issue 13, items 7 and 12)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.cli import app

BAD = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b', versioning_configuration=c)\n"


def _batch(*args) -> object:
    return CliRunner().invoke(app, ["batch", *map(str, args)])


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps({"r": BAD}) + "\n")
    return path


def test_a_report_over_the_source_is_refused_before_any_work(dataset: Path, tmp_path: Path):
    before = dataset.read_bytes()
    result = _batch(dataset, "--field", "r", "--out", tmp_path / "o.jsonl", "--report", dataset, "--jobs", 1)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: --report must differ from the source: batch never writes over its input ({dataset} is {dataset})"]
    assert dataset.read_bytes() == before and not (tmp_path / "o.jsonl").exists()


def test_a_report_inside_the_source_folder_is_refused_before_any_work(tmp_path: Path):
    src = tmp_path / "src"
    (src / "s").mkdir(parents=True)
    (src / "s" / "main.py").write_text(BAD)
    result = _batch(src, "--out", tmp_path / "out", "--report", src / "report.json", "--jobs", 1)
    assert result.exit_code == 2 and "is inside the source folder" in result.output
    assert not (src / "report.json").exists() and not (tmp_path / "out").exists()


def test_a_report_in_a_missing_folder_is_refused_before_any_work(dataset: Path, tmp_path: Path):
    result = _batch(dataset, "--field", "r", "--out", tmp_path / "o.jsonl", "--report", tmp_path / "missing" / "r.json", "--jobs", 1)
    assert result.exit_code == 2 and "does not exist" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.jsonl").exists()  # refused before the run, not after it


def test_an_absurd_job_count_is_no_traceback(dataset: Path, tmp_path: Path):
    result = _batch(dataset, "--field", "r", "--out", tmp_path / "o.jsonl", "--jobs", "99999999999999999999")
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_clamped_job_count_is_said(dataset: Path, tmp_path: Path):
    result = _batch(dataset, "--field", "r", "--out", tmp_path / "o.jsonl", "--jobs", "99999999999999999999")
    assert "is more than 4 per core" in result.output


def test_an_interrupted_batch_exits_128_plus_the_signal(tmp_path: Path):
    src = tmp_path / "src"
    for i in range(400):
        (src / f"s{i:03}").mkdir(parents=True)
        (src / f"s{i:03}" / "main.py").write_text(BAD)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "cdktf_fix.cli", "batch", str(src), "--out", str(out), "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (out.exists() and any(os.listdir(p) for p in out.glob(".cdktf-fix-*.tmp"))):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
    assert stderr.strip().splitlines()[-1].endswith("interrupted by SIGTERM: nothing was written")
