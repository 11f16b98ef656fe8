"""``batch --engine dask``: JSONL files, folders of JSONL shards and Parquet datasets in
resumable partitions on a Dask cluster (here a ``LocalCluster`` of two workers), byte for byte
what the local engine writes."""

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
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from typer.testing import CliRunner  # noqa: E402

from cdktf_fix.cli import app  # noqa: E402
from cdktf_fix.datasets import dask_engine  # noqa: E402
from cdktf_fix.datasets.jsonl_batch import batch_jsonl  # noqa: E402
from cdktf_fix.datasets.parquet import batch_parquet  # noqa: E402
from cdktf_fix.engine.options import Options  # noqa: E402
from cdktf_fix.io.batch import TargetRequest  # noqa: E402
from cdktf_fix.io.errors import BatchError  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
CODES = [p.read_text() for p in sorted((ROOT / "examples").glob("*.py"))]


def _value(number: int) -> str:
    code = CODES[number % len(CODES)]
    return f"Here:\n\n```python\n{code}```\n" if number % 3 == 0 else "no code" if number % 7 == 0 else code


def _dataset(path: Path, count: int, first: int = 0) -> Path:
    """Records of the bundled examples, as code and as markdown responses, with blank lines, a
    record without code, a broken record and a CRLF line among them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as out:
        for number in range(first, first + count):
            ending = "\r\n" if number % 11 == 0 else "\n"
            out.write(json.dumps({"id": number, "response": _value(number)}) + ending)
            if number % 40 == 0:
                out.write("\n")
            if number == 5:
                out.write("{not json\n")
    return path


def _same_summary(report, summary) -> bool:
    return {k: v for k, v in report.summary().items() if k not in ("seconds", "jobs")} == {k: v for k, v in summary.items() if k not in ("seconds", "jobs")}


def _names(report) -> list[str]:
    return [s.name for s in report.samples]


def _parquet(path: Path, count: int, first: int = 0, row_group_size: int = 25) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    values = [None if n % 13 == 4 else _value(n) for n in range(first, first + count)]
    table = pa.table({"id": list(range(first, first + count)), "response": values, "score": [n / 3 for n in range(count)]},
                     schema=pa.schema([("id", pa.int64()), ("response", pa.string()), ("score", pa.float64())], metadata={b"origin": b"test"}))
    pq.write_table(table, path, row_group_size=row_group_size, compression="zstd")
    return path


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[Path, bytes, dict, list]:
    folder = tmp_path_factory.mktemp("dataset")
    src = _dataset(folder / "in.jsonl", 240)
    local = folder / "local.jsonl"
    report = batch_jsonl(src, local, "response", Options(), jobs=1)
    return src, local.read_bytes(), report.summary(), _names(report)


def test_the_dask_engine_writes_what_the_local_engine_writes(dataset, tmp_path):
    src, expected, summary, names = dataset
    out = tmp_path / "out.jsonl"
    seen = []
    report = dask_engine.batch_dask(src, out, "response", Options(), jobs=2, on_partitions=lambda done, total: seen.append((done, total)))
    assert out.read_bytes() == expected
    assert _same_summary(report, summary) and _names(report) == names
    assert not dask_engine.stage_folder(out).exists()  # the partitions are gone once joined
    total = seen[0][1]
    assert total >= 12 and seen[0] == (0, total) and seen[-1] == (total, total)  # 240 lines: partitions of 20


def test_a_folder_of_jsonl_shards_on_both_engines(tmp_path):
    """Shards in sub-folders, an empty shard, a hidden file and a _SUCCESS marker (left out):
    the output folder has the same shards, each what the local engine writes."""
    src = tmp_path / "shards"
    _dataset(src / "part-0.jsonl", 70)
    _dataset(src / "day=2" / "part-1.ndjson", 90, first=70)
    (src / "day=2" / "part-2.jsonl").write_bytes(b"")
    (src / "_SUCCESS").write_bytes(b"")
    (src / ".part-0.jsonl.crc").write_bytes(b"crc")
    local = batch_jsonl(src, tmp_path / "local", "response", Options(), jobs=2)
    report = dask_engine.batch_dask(src, tmp_path / "dask", "response", Options(), jobs=2)
    written = sorted(p.relative_to(tmp_path / "local").as_posix() for p in (tmp_path / "local").rglob("*") if p.is_file())
    assert written == ["day=2/part-1.ndjson", "day=2/part-2.jsonl", "part-0.jsonl"]
    for name in written:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    assert (tmp_path / "local" / "part-0.jsonl").read_bytes() == batch_one(src / "part-0.jsonl", tmp_path / "one.jsonl")
    assert _same_summary(report, local.summary()) and _names(report) == _names(local)
    assert _names(local)[0] == "day=2/part-1.ndjson line 1" and [s.name for s in local.samples if s.bad] == ["part-0.jsonl line 8"]  # not JSON
    assert sum(s.bad for s in local.samples) == 1


def batch_one(src: Path, out: Path) -> bytes:
    batch_jsonl(src, out, "response", Options(), jobs=1)
    return out.read_bytes()


def test_parquet_files_and_dataset_folders_on_dask(tmp_path):
    """A Parquet file and a hive-partitioned dataset folder: the local engine's bytes, reports
    and names, with and without --add-counts; a partition may be part of a row group."""
    one = _parquet(tmp_path / "one.parquet", 130)
    folder = tmp_path / "dataset"
    _parquet(folder / "year=2024" / "a.parquet", 60, row_group_size=60)
    _parquet(folder / "year=2025" / "b.parquet", 45, first=60, row_group_size=10)
    (folder / "_SUCCESS").write_bytes(b"")
    for src, name in ((one, "out.parquet"), (folder, "out")):
        for add_counts in (False, True):
            local_out, dask_out = tmp_path / "local" / f"{add_counts}" / name, tmp_path / "dask" / f"{add_counts}" / name
            local = batch_parquet(src, local_out, "response", Options(), jobs=1, add_counts=add_counts)
            report = dask_engine.batch_dask(src, dask_out, "response", Options(), jobs=2, add_counts=add_counts)
            files = [p.relative_to(local_out) for p in local_out.rglob("*.parquet")] if src.is_dir() else [Path()]
            assert files and all((dask_out / f).read_bytes() == (local_out / f).read_bytes() for f in files)
            assert _same_summary(report, local.summary()) and _names(report) == _names(local)
            assert sum(s.bad for s in report.samples) == (10 if src == one else 8)  # the nulls
    partitions = dask_engine.plan_partitions(one, "response", False).partitions  # 130 rows: partitions of 20 within groups of 25
    assert [(p.group, p.offset, p.rows, p.first) for p in partitions[:3]] == [(0, 0, 20, 1), (0, 20, 5, 21), (1, 0, 20, 26)]


def test_a_rerun_keeps_the_partitions_a_killed_run_finished(dataset, tmp_path):
    """The stage of a run that stopped after two partitions: the rerun runs only the rest (the
    two kept reports are recognisable by their made-up timing)."""
    src, expected, _, _ = dataset
    out = tmp_path / "out.jsonl"
    stage = dask_engine.stage_folder(out)
    stage.mkdir()
    plan = dask_engine.plan_partitions(src, "response", False)
    identity = dask_engine._identity(src, "response", False, Options(), TargetRequest(), plan)
    (stage / "manifest.json").write_text(json.dumps(identity))
    for partition in plan.partitions[:2]:
        dask_engine.run_partition((partition, "response", False, Options(), TargetRequest(), str(stage)))
        reports = json.loads((stage / f"part-{partition.number:06d}.json").read_text())
        (stage / f"part-{partition.number:06d}.json").write_text(json.dumps([r | {"seconds": 123.0} for r in reports]))
    (stage / "part-000003.out.tmp").write_bytes(b"half a partition")  # what kill -9 leaves
    report = dask_engine.batch_dask(src, out, "response", Options(), jobs=2)
    assert out.read_bytes() == expected
    kept = [s for s in report.samples if s.seconds == 123.0]
    assert kept and len(kept) == sum(1 for s in report.samples if int(s.name.split()[1]) < plan.partitions[2].first)


def test_a_nested_parquet_field_on_dask(tmp_path):
    """``--field messages.1.content``: the local engine's bytes and reports."""
    message = pa.struct([("role", pa.string()), ("content", pa.string())])
    chats = [None if n % 9 == 4 else [{"role": "user", "content": "q"}] + ([{"role": "assistant", "content": _value(n)}] if n % 5 else []) for n in range(45)]
    src = tmp_path / "chat.parquet"
    pq.write_table(pa.table({"messages": pa.array(chats, type=pa.list_(message))}), src, row_group_size=20)
    local = batch_parquet(src, tmp_path / "local.parquet", "messages.1.content", Options(), add_counts=True)
    report = dask_engine.batch_dask(src, tmp_path / "dask.parquet", "messages.1.content", Options(), jobs=2, add_counts=True)
    assert (tmp_path / "dask.parquet").read_bytes() == (tmp_path / "local.parquet").read_bytes()
    assert _same_summary(report, local.summary()) and _names(report) == _names(local)
    assert local.summary()["changed"] > 10 and local.summary()["bad"] == 5 + 8  # no list (5), no second message (9, one of them no list)


def test_a_large_row_group_is_cut_into_at_most_sixteen_partitions(tmp_path):
    """Each partition of a row group decodes the group's column up to its rows, so a large
    group gets larger partitions; the output is still the local engine's."""
    src = tmp_path / "big.parquet"
    values = [f"x = {n}\n" if n % 50 else CODES[0] for n in range(1000)]
    pq.write_table(pa.table({"response": values}), src, row_group_size=1000)
    plan = dask_engine.plan_partitions(src, "response", False, size=20)
    assert len(plan.partitions) == 16 and {p.rows for p in plan.partitions} == {63, 55}
    local = batch_parquet(src, tmp_path / "local.parquet", "response", Options())
    report = dask_engine.batch_dask(src, tmp_path / "dask.parquet", "response", Options(), jobs=2)
    assert (tmp_path / "dask.parquet").read_bytes() == (tmp_path / "local.parquet").read_bytes()
    assert _names(report) == _names(local) and report.summary()["changed"] == 20


def test_a_parquet_rerun_keeps_finished_partitions_of_a_dataset_folder(tmp_path):
    folder = tmp_path / "dataset"
    _parquet(folder / "a.parquet", 50)
    _parquet(folder / "b.parquet", 40, first=50, row_group_size=15)
    local = batch_parquet(folder, tmp_path / "local", "response", Options(), add_counts=True)
    out = tmp_path / "out"
    stage = dask_engine.stage_folder(out)
    stage.mkdir()
    plan = dask_engine.plan_partitions(folder, "response", True)
    (stage / "manifest.json").write_text(json.dumps(dask_engine._identity(folder, "response", True, Options(), TargetRequest(), plan)))
    kept = [plan.partitions[0], plan.partitions[-1]]  # the first of a.parquet, the last of b.parquet
    for partition in kept:
        dask_engine.run_partition((partition, "response", True, Options(), TargetRequest(), str(stage)))
    runs = []
    report = dask_engine.batch_dask(folder, out, "response", Options(), jobs=2, add_counts=True, on_partitions=lambda done, total: runs.append(done))
    assert runs[:3] == [0, 1, 2] and runs[-1] == len(plan.partitions)  # the two kept ones count as done at once
    for name in ("a.parquet", "b.parquet"):
        assert (out / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    assert _same_summary(report, local.summary()) and _names(report) == _names(local)


def test_a_changed_input_starts_over(dataset, tmp_path):
    src, expected, _, _ = dataset
    out = tmp_path / "out.jsonl"
    stage = dask_engine.stage_folder(out)
    stage.mkdir()
    (stage / "manifest.json").write_text(json.dumps({"source": "another file"}))
    (stage / "part-000000.out").write_bytes(b"stale\n")
    (stage / "part-000000.json").write_text("[]")
    dask_engine.batch_dask(src, out, "response", Options(), jobs=1)
    assert out.read_bytes() == expected


IN_DASK_WORKERS = """
import os
from cdktf_fix.datasets import dask_engine

real = dask_engine.LinePartition.repair

def repair(self, field, add_counts, pool):
    if self.number == 1 and pool.jobs == 1:  # in a Dask worker
        {action}
    return real(self, field, add_counts, pool)

dask_engine.LinePartition.repair = repair
"""


def _in_dask_workers(tmp_path: Path, monkeypatch, action: str) -> None:
    """``action`` when a Dask worker runs partition 1 (a sitecustomize: every new process runs it)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(IN_DASK_WORKERS.replace("{action}", action))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])))


def test_a_partition_that_kills_every_worker_runs_here(dataset, tmp_path, monkeypatch):
    """Partition 1 kills its Dask worker on every try: this machine runs it with the local
    engine's pool, and the output is still the local engine's."""
    src, expected, summary, _ = dataset
    deaths = tmp_path / "deaths"
    _in_dask_workers(tmp_path, monkeypatch, f"open({str(deaths)!r}, 'a').write('x'); os._exit(9)")
    monkeypatch.setattr(dask_engine, "RETRIES", 0)
    report = dask_engine.batch_dask(src, tmp_path / "out.jsonl", "response", Options(), jobs=2)
    assert (tmp_path / "out.jsonl").read_bytes() == expected and _same_summary(report, summary)
    assert len(deaths.read_text()) >= 2  # Dask gave it to workers until it called it a KilledWorker


def test_a_partition_that_fails_on_the_cluster_runs_here_with_a_note(dataset, tmp_path, monkeypatch):
    """Not a record's error (those are caught in the partition) but the cluster's, on every try
    (a full disk on the worker's side): this machine runs the partition, and the summary says so."""
    src, expected, _, _ = dataset
    _in_dask_workers(tmp_path, monkeypatch, "raise OSError(28, 'No space left on device')")
    report = dask_engine.batch_dask(src, tmp_path / "out.jsonl", "response", Options(), jobs=2)
    assert (tmp_path / "out.jsonl").read_bytes() == expected
    assert report.notes[0].startswith("partition 1 (") and report.notes[0].endswith(
        "in.jsonl) failed on the cluster (OSError: [Errno 28] No space left on device) and ran on this machine")


def test_workers_without_cdktf_fix_stop_the_run_in_one_line_and_keep_what_finished(dataset, tmp_path, monkeypatch):
    src, expected, _, _ = dataset
    before = os.environ.get("PYTHONPATH")
    _in_dask_workers(tmp_path, monkeypatch, "raise ModuleNotFoundError(\"No module named 'cdktf_fix'\")")
    out = tmp_path / "out.jsonl"
    with pytest.raises(BatchError, match=r"^the Dask workers cannot run cdktf-fix \(ModuleNotFoundError: No module named 'cdktf_fix'\): pip install"):
        dask_engine.batch_dask(src, out, "response", Options(), jobs=2)
    assert not out.exists() and (dask_engine.stage_folder(out) / "part-000000.json").exists()
    monkeypatch.setenv("PYTHONPATH", before) if before else monkeypatch.delenv("PYTHONPATH")  # the workers are well again
    dask_engine.batch_dask(src, out, "response", Options(), jobs=2)
    assert out.read_bytes() == expected


def test_the_command_line(dataset, tmp_path):
    src, expected, _, _ = dataset
    out = tmp_path / "cli.jsonl"
    result = runner.invoke(app, ["batch", str(src), "--out", str(out), "--field", "response", "--engine", "dask", "--jobs", "2"])
    assert result.exit_code == 2, result.output  # one record is not JSON: named, the batch goes on
    assert out.read_bytes() == expected
    assert "bad line 8: not JSON" in result.stdout
    folder = runner.invoke(app, ["batch", str(ROOT / "examples"), "--out", str(tmp_path / "f"), "--engine", "dask"])
    assert folder.exit_code == 2 and "a folder of samples runs on the local engine" in folder.stderr
    alone = runner.invoke(app, ["batch", str(src), "--out", str(tmp_path / "x.jsonl"), "--field", "response", "--scheduler", "tcp://127.0.0.1:1"])
    assert alone.exit_code == 2 and "--engine dask" in alone.stderr
    parquet = _parquet(tmp_path / "p.parquet", 30)
    (tmp_path / "folder").mkdir()
    into_folder = runner.invoke(app, ["batch", str(parquet), "--out", str(tmp_path / "folder"), "--field", "response", "--engine", "dask"])
    assert into_folder.exit_code == 2 and "a file input (JSONL or Parquet) needs an output file" in into_folder.stderr


def test_a_running_cluster_gets_the_target_schema_from_the_batch(dataset, tmp_path, monkeypatch):
    """--target of a provider version this machine has in its cache only (made up: 21.22.99),
    and a cluster whose workers have an empty cache and may not fetch: the batch sends the
    target's parts to the workers, whose output is the local engine's with that target."""
    from dataclasses import replace

    from distributed import LocalCluster

    from cdktf_fix.schema import store, target

    src, _, _, _ = dataset
    here, there = tmp_path / "cache-here", tmp_path / "cache-there"
    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(here))
    store.seed_cache([replace(store.load_part("cdktf-cdktf-provider-aws", "21.22.1"), version="21.22.99")])
    target.clear_caches()
    request = TargetRequest(("cdktf-cdktf-provider-aws==21.22.99",), offline=True)
    local = batch_jsonl(src, tmp_path / "local.jsonl", "response", Options(), jobs=1, target_request=request)
    assert any("cdktf-cdktf-provider-aws 21.22.99" in label for label in local.samples[0].targets)
    out = tmp_path / "out.jsonl"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      env={"CDKTF_FIX_CACHE_DIR": str(there), "CDKTF_FIX_OFFLINE": "1"}) as cluster:
        report = dask_engine.batch_dask(src, out, "response", Options(), scheduler=cluster.scheduler_address, target_request=request)
    assert out.read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert _same_summary(report, local.summary()) and report.notes == local.notes
    assert any("21.22.99" in p.name for p in (there / "parts").iterdir())


@pytest.mark.slow
def test_kill_9_then_the_same_command_finishes_without_losing_or_repeating_a_record(tmp_path):
    src = _dataset(tmp_path / "in.jsonl", 1200)
    expected_path = tmp_path / "local.jsonl"
    batch_jsonl(src, expected_path, "response", Options(), jobs=1)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "cdktf_fix.cli", "batch", str(src), "--out", str(out), "--field", "response", "--engine", "dask", "--jobs", "2"]
    env = dict(os.environ, CDKTF_FIX_DASK_PART_RECORDS="100")
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    stage = dask_engine.stage_folder(out)
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

    src, expected, _, _ = dataset
    out = tmp_path / "out.jsonl"
    stage = dask_engine.stage_folder(out)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
        result = {}
        run = threading.Thread(target=lambda: result.update(report=dask_engine.batch_dask(src, out, "response", Options(), scheduler=cluster.scheduler_address)))
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
