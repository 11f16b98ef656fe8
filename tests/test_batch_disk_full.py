"""A full disk during a batch (issue 13, item 13): no traceback, no half-written or 0-byte file,
no fix counted for a file that was not written, exit code 2."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.cli import app
from cdktf_fix.engine.options import Options
from cdktf_fix.io.batch import BatchError, batch_folder
from cdktf_fix.datasets.jsonl_batch import batch_jsonl

BAD = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b', versioning_configuration=c)\n"
GOOD = BAD.replace("S3BucketVersioning", "S3BucketVersioningA")
PADDING = "".join(f"# padding line {i:04}\n" for i in range(300))  # ~6 KB a file


def _samples(root: Path, count: int) -> Path:
    src = root / "src"
    for i in range(count):
        (src / f"s{i:02}").mkdir(parents=True)
        (src / f"s{i:02}" / "main.py").write_text(BAD + PADDING)
        (src / f"s{i:02}" / "notes.txt").write_text(PADDING)
    return src


def _dataset(root: Path, count: int) -> Path:
    path = root / "data.jsonl"
    path.write_text("".join(json.dumps({"i": i, "r": BAD + PADDING}) + "\n" for i in range(count)))
    return path


def _failing_writes(monkeypatch, under: Path, after: int) -> None:
    """os.write raises ENOSPC for files under ``under`` once ``after`` bytes were written there
    (the write that crosses the limit writes part of its bytes first, as a real disk does)."""
    real_write = os.write
    written = [0]

    def write(fd, data):
        target = os.readlink(f"/proc/self/fd/{fd}")
        if not target.startswith(str(under)):
            return real_write(fd, data)
        room = after - written[0]
        if room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        count = real_write(fd, bytes(data[:room]))
        written[0] += count
        return count

    monkeypatch.setattr(os, "write", write)


def _check_folder_output(out: Path, report) -> None:
    """Every file in the output is whole; the samples that lost a file are bad and name it."""
    files = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in out.rglob("*") if ".tmp" in p.name or p.name.startswith(".cdktf-fix")]
    for path in files:
        assert path.read_text() in (GOOD + PADDING, PADDING), f"{path} is half-written"
    by_name = {s.name: s for s in report.samples}
    for name, sample in by_name.items():
        main = out / name / "main.py"
        if main.exists():
            assert sample.fixes == {"class-name": 1}
        else:
            assert sample.fixes == {} and f"{name}/main.py: not written: no space left on device" in sample.errors
        if not (out / name / "notes.txt").exists():
            assert f"{name}/notes.txt: not written: no space left on device" in sample.errors
    assert any(s.bad for s in report.samples) and any(not s.bad for s in report.samples)


def test_folder_batch_on_a_full_disk_writes_no_partial_file_and_counts_no_unwritten_fix(tmp_path: Path, monkeypatch):
    src = _samples(tmp_path, 8)
    out = tmp_path / "out"
    _failing_writes(monkeypatch, out, after=4 * len(BAD + PADDING) + 1000)
    report = batch_folder(src, out, Options(), jobs=1)
    _check_folder_output(out, report)
    assert report.summary()["fixes"]["class-name"] == sum(1 for s in report.samples if (out / s.name / "main.py").exists())


def test_jsonl_batch_on_a_full_disk_stops_without_output_or_temporary_file(tmp_path: Path, monkeypatch):
    src = _dataset(tmp_path, 50)
    out = tmp_path / "out" / "repaired.jsonl"
    out.parent.mkdir()
    out.write_text("previous\n")
    _failing_writes(monkeypatch, out.parent, after=10_000)
    with pytest.raises(BatchError, match=r"^--out .*repaired.jsonl: not written: no space left on device; the batch stopped and nothing was written$"):
        batch_jsonl(src, out, "r", Options(), jobs=1)
    assert os.listdir(out.parent) == ["repaired.jsonl"] and out.read_text() == "previous\n"


def test_cli_jsonl_on_a_full_disk_is_one_line_and_exit_2(tmp_path: Path, monkeypatch):
    src = _dataset(tmp_path, 50)
    out = tmp_path / "out"
    out.mkdir()
    _failing_writes(monkeypatch, out, after=10_000)
    result = CliRunner().invoke(app, ["batch", str(src), "--field", "r", "--out", str(out / "o.jsonl"), "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert "no space left on device" in result.output and "Traceback" not in result.output
    assert os.listdir(out) == []


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A real 64 KB tmpfs, where this machine lets the test mount one."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.system(f"mount -t tmpfs -o size=64k tmpfs {mount} 2>/dev/null") != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_folder_batch_on_a_real_full_tmpfs(tmp_path: Path, tiny_disk: Path):
    src = _samples(tmp_path, 12)
    out = tiny_disk / "out"
    result = subprocess.run([sys.executable, "-m", "cdktf_fix.cli", "batch", str(src), "--out", str(out), "--jobs", "2", "--report", str(tmp_path / "report.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads((tmp_path / "report.json").read_text())
    samples = data["samples"]
    assert any("no space left on device" in e for s in samples for e in s["errors"])

    class Report:  # the shape _check_folder_output reads
        pass

    report = Report()
    report.samples = []
    for s in samples:
        from collections import Counter

        from cdktf_fix.io.batch import SampleReport

        report.samples.append(SampleReport(s["name"], fixes=Counter(s["fixes"]), errors=s["errors"]))
    _check_folder_output(out, report)


def test_jsonl_batch_on_a_real_full_tmpfs(tmp_path: Path, tiny_disk: Path):
    src = _dataset(tmp_path, 40)  # ~250 KB: does not fit
    result = subprocess.run([sys.executable, "-m", "cdktf_fix.cli", "batch", str(src), "--field", "r", "--out", str(tiny_disk / "o.jsonl"), "--jobs", "2"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "no space left on device" in result.stdout + result.stderr
    assert os.listdir(tiny_disk) == []
