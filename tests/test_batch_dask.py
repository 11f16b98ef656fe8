"""``batch --engine dask``: a JSONL dataset in resumable partitions on a Dask cluster (here a
``LocalCluster`` of two workers), byte for byte what the local engine writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from typer.testing import CliRunner  # noqa: E402

from cdktf_fix.cli import app  # noqa: E402
from cdktf_fix.engine.options import Options  # noqa: E402
from cdktf_fix.io import dask_batch  # noqa: E402
from cdktf_fix.io.batch import TargetRequest, batch_jsonl  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _dataset(path: Path, count: int) -> Path:
    """Records of the bundled examples, as code and as markdown responses, with blank lines, a
    record without code, a broken record and a CRLF line among them."""
    codes = [p.read_text() for p in sorted((ROOT / "examples").glob("*.py"))]
    with open(path, "w", newline="") as out:
        for number in range(count):
            code = codes[number % len(codes)]
            value = f"Here:\n\n```python\n{code}```\n" if number % 3 == 0 else "no code" if number % 7 == 0 else code
            ending = "\r\n" if number % 11 == 0 else "\n"
            out.write(json.dumps({"id": number, "response": value}) + ending)
            if number % 40 == 0:
                out.write("\n")
            if number == 5:
                out.write("{not json\n")
    return path


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[Path, bytes, dict]:
    folder = tmp_path_factory.mktemp("dataset")
    src = _dataset(folder / "in.jsonl", 240)
    local = folder / "local.jsonl"
    report = batch_jsonl(src, local, "response", Options(), jobs=1)
    return src, local.read_bytes(), report.summary()


def test_the_dask_engine_writes_what_the_local_engine_writes(dataset, tmp_path, monkeypatch):
    src, expected, summary = dataset
    monkeypatch.setattr(dask_batch, "PART_RECORDS", 50)
    out = tmp_path / "out.jsonl"
    report = dask_batch.batch_jsonl_dask(src, out, "response", Options(), jobs=2)
    assert out.read_bytes() == expected
    assert {k: v for k, v in report.summary().items() if k not in ("seconds", "jobs")} == {k: v for k, v in summary.items() if k not in ("seconds", "jobs")}
    assert not dask_batch.stage_folder(out).exists()  # the partitions are gone once joined


def test_a_rerun_keeps_the_partitions_a_killed_run_finished(dataset, tmp_path, monkeypatch):
    """The stage of a run that stopped after two partitions: the rerun runs only the rest (the
    two kept reports are recognisable by their made-up timing)."""
    src, expected, _ = dataset
    monkeypatch.setattr(dask_batch, "PART_RECORDS", 50)
    out = tmp_path / "out.jsonl"
    stage = dask_batch.stage_folder(out)
    stage.mkdir()
    partitions, _ = dask_batch.plan_partitions(src, 1 << 30)
    identity = dask_batch._identity(src, "response", False, Options(), TargetRequest())
    (stage / "manifest.json").write_text(json.dumps(identity))
    for partition in partitions[:2]:
        dask_batch.run_partition((str(src), partition, "response", False, Options(), TargetRequest(), str(stage)))
        reports = json.loads((stage / f"part-{partition.number:06d}.json").read_text())
        (stage / f"part-{partition.number:06d}.json").write_text(json.dumps([r | {"seconds": 123.0} for r in reports]))
    (stage / "part-000003.jsonl.tmp").write_bytes(b"half a partition")  # what kill -9 leaves
    report = dask_batch.batch_jsonl_dask(src, out, "response", Options(), jobs=2)
    assert out.read_bytes() == expected
    kept = [s for s in report.samples if s.seconds == 123.0]
    assert kept and len(kept) == sum(1 for s in report.samples if int(s.name.split()[1]) < partitions[2].first_line)


def test_a_changed_input_starts_over(dataset, tmp_path, monkeypatch):
    src, expected, _ = dataset
    out = tmp_path / "out.jsonl"
    stage = dask_batch.stage_folder(out)
    stage.mkdir()
    (stage / "manifest.json").write_text(json.dumps({"source": "another file"}))
    (stage / "part-000000.jsonl").write_bytes(b"stale\n")
    (stage / "part-000000.json").write_text("[]")
    dask_batch.batch_jsonl_dask(src, out, "response", Options(), jobs=1)
    assert out.read_bytes() == expected


def test_the_command_line(dataset, tmp_path):
    src, expected, _ = dataset
    out = tmp_path / "cli.jsonl"
    result = runner.invoke(app, ["batch", str(src), "--out", str(out), "--field", "response", "--engine", "dask", "--jobs", "2"])
    assert result.exit_code == 2, result.output  # one record is not JSON: named, the batch goes on
    assert out.read_bytes() == expected
    folder = runner.invoke(app, ["batch", str(ROOT / "examples"), "--out", str(tmp_path / "f"), "--engine", "dask"])
    assert folder.exit_code == 2 and "JSONL" in folder.stderr
    alone = runner.invoke(app, ["batch", str(src), "--out", str(tmp_path / "x.jsonl"), "--field", "response", "--scheduler", "tcp://127.0.0.1:1"])
    assert alone.exit_code == 2 and "--engine dask" in alone.stderr


@pytest.mark.slow
def test_kill_9_then_the_same_command_finishes_without_losing_or_repeating_a_record(tmp_path):
    src = _dataset(tmp_path / "in.jsonl", 1200)
    expected_path = tmp_path / "local.jsonl"
    batch_jsonl(src, expected_path, "response", Options(), jobs=1)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "cdktf_fix.cli", "batch", str(src), "--out", str(out), "--field", "response", "--engine", "dask", "--jobs", "2"]
    env = dict(os.environ, CDKTF_FIX_DASK_PART_RECORDS="100")
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    stage = dask_batch.stage_folder(out)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(stage.glob("part-*.json"))) < 3 and run.poll() is None:
        time.sleep(0.2)
    assert run.poll() is None, "the run ended before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert not out.exists() and len(list(stage.glob("part-*.json"))) >= 3
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode in (1, 2), again.stderr[-2000:]
    assert out.read_bytes() == expected_path.read_bytes()


@pytest.mark.slow
def test_a_worker_killed_mid_partition_costs_that_partition_not_the_run(dataset, tmp_path, monkeypatch):
    """A running cluster (--scheduler) whose worker is killed with SIGKILL while partitions run:
    its partition runs again elsewhere and the output is still the local engine's."""
    import threading

    from distributed import Client, LocalCluster

    src, expected, _ = dataset
    monkeypatch.setattr(dask_batch, "PART_RECORDS", 20)
    out = tmp_path / "out.jsonl"
    stage = dask_batch.stage_folder(out)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
        result = {}
        run = threading.Thread(target=lambda: result.update(report=dask_batch.batch_jsonl_dask(src, out, "response", Options(), scheduler=cluster.scheduler_address)))
        run.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list(stage.glob("part-*.json"))) < 2 and run.is_alive():
            time.sleep(0.05)
        killed_while_running = run.is_alive() and len(list(stage.glob("part-*.json"))) < 12
        os.kill(pids[0], signal.SIGKILL)
        run.join(timeout=300)
    assert killed_while_running, "the run ended before a worker could be killed"
    assert not run.is_alive() and "report" in result
    assert out.read_bytes() == expected
