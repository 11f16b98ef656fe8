"""Batch worker processes that die, and a batch that is killed (issue 13, items 3 and 5).

Each test runs ``cdktf-fix batch`` in a subprocess.  Crashes are injected without a hook in the
production code: a ``sitecustomize.py`` on ``PYTHONPATH`` (imported by every Python process of
the run: the batch, the forkserver and so its workers) wraps ``repair_text`` so that a sample
holding a marker kills its process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BAD = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b', versioning_configuration=c)\n"
GOOD = BAD.replace("S3BucketVersioning", "S3BucketVersioningA")
SEGV = "# CRASH_WITH_SIGSEGV\n" + BAD
EXIT = "# CRASH_WITH_EXIT_139\n" + BAD

SITECUSTOMIZE = '''
import os, signal
import cdktf_fix.io.batch as batch
import cdktf_fix.io.sources as sources

_repair_text = sources.repair_text


def repair_text(engine, text, markdown):
    if "CRASH_WITH_SIGSEGV" in text:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "CRASH_WITH_EXIT_139" in text:
        os._exit(139)
    return _repair_text(engine, text, markdown)


batch.repair_text = sources.repair_text = repair_text  # JSONL records, and the files of a folder
'''


def _batch(*args: str) -> list[str]:
    return [sys.executable, "-m", "cdktf_fix.cli", "batch", *args]


def _crashing_env(tmp_path: Path) -> dict:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}


def _no_temporary_files(*folders: Path) -> None:
    left = [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.name.endswith(".tmp") or ".cdktf-fix" in p.name]
    assert not left, f"temporary files left: {left}"


# --- a worker that dies ----------------------------------------------------------------------

def test_a_dying_worker_makes_its_sample_bad_and_the_batch_goes_on(tmp_path: Path):
    src = tmp_path / "src"
    for i in range(8):
        (src / f"s{i}").mkdir(parents=True)
        (src / f"s{i}" / "main.py").write_text(BAD)
    (src / "s3" / "crash.py").write_text(SEGV)  # kills the worker in the middle of a sample
    (src / "exit.py").write_text(EXIT)  # a one-file sample whose worker exits
    out, report = tmp_path / "out", tmp_path / "report.json"
    started = time.monotonic()
    result = subprocess.run(_batch(str(src), "--out", str(out), "--jobs", "2", "--report", str(report)),
                            env=_crashing_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "BrokenProcessPool" not in result.stderr
    samples = {s["name"]: s for s in json.loads(report.read_text())["samples"]}
    assert samples["s3"]["errors"] == ["s3/crash.py: the worker died (signal 11); copied as it is"]
    assert samples["s3"]["fixes"] == {"class-name": 1}  # the rest of the sample was repaired by a new worker
    assert samples["exit.py"]["errors"] == ["exit.py: the worker died (exit code 139); copied as it is"]
    assert (out / "s3" / "crash.py").read_text() == SEGV and (out / "exit.py").read_text() == EXIT
    for i in range(8):
        assert (out / f"s{i}" / "main.py").read_text() == GOOD
        if i != 3:
            assert samples[f"s{i}"]["errors"] == [] and samples[f"s{i}"]["fixes"] == {"class-name": 1}
    _no_temporary_files(out)
    assert time.monotonic() - started < 60


def test_a_dying_worker_makes_its_record_bad_and_the_dataset_is_whole(tmp_path: Path):
    src = tmp_path / "data.jsonl"
    texts = [SEGV if i == 4 else EXIT if i == 9 else BAD for i in range(14)]
    src.write_text("".join(json.dumps({"i": i, "r": t}) + "\n" for i, t in enumerate(texts)))
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    result = subprocess.run(_batch(str(src), "--field", "r", "--out", str(out), "--jobs", "2", "--report", str(report)),
                            env=_crashing_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    records = out.read_text().splitlines()
    assert len(records) == 14
    for i, line in enumerate(records):
        expected = texts[i] if i in (4, 9) else GOOD
        assert json.loads(line) == {"i": i, "r": expected}
    errors = [s["errors"] for s in json.loads(report.read_text())["samples"]]
    assert errors[4] == ["the worker died (signal 11)"] and errors[9] == ["the worker died (exit code 139)"]
    assert sum(map(bool, errors)) == 2


def test_jsonl_in_process_leaves_no_temporary_file_when_the_process_dies(tmp_path: Path):
    """--jobs 1 repairs in the batch's own process: a crash ends it, but leaves nothing behind."""
    src = tmp_path / "data.jsonl"
    src.write_text("".join(json.dumps({"r": SEGV if i == 30 else BAD}) + "\n" for i in range(40)))
    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run(_batch(str(src), "--field", "r", "--out", str(out / "o.jsonl"), "--jobs", "1"),
                            env=_crashing_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == -signal.SIGSEGV
    assert os.listdir(out) == []


# --- a batch that is killed ------------------------------------------------------------------

def _processes() -> dict[int, tuple[int, str]]:
    """pid: (parent pid, state) of every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            table[int(entry)] = (int(fields[1]), fields[0])
    return table


def _descendants(pid: int) -> set[int]:
    table = _processes()
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _) in table.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _running(pids: set[int]) -> set[int]:
    table = _processes()
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}


def _wait_gone(pids: set[int], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while _running(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _running(pids)
    assert not left, f"still running {seconds} s after the batch ended: " + "; ".join(
        Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:200] for p in left)


def _many_samples(root: Path, count: int = 400) -> Path:
    src = root / "src"
    for i in range(count):
        (src / f"s{i:03}").mkdir(parents=True)
        (src / f"s{i:03}" / "main.py").write_text(BAD + f"x = {i}\n")
    return src


PADDING = "".join(f"x_{j} = [{j}, {{'a': {j}}}]\n" for j in range(20))  # a few ms of repair a record


def _many_records(root: Path, count: int = 1000) -> Path:
    src = root / "data.jsonl"
    src.write_text("".join(json.dumps({"i": i, "r": BAD + PADDING + f"x = {i}\n"}) + "\n" for i in range(count)))
    return src


def _start_mid_run(command: list[str], ready) -> tuple[subprocess.Popen, set[int]]:
    """Start ``command``; once ``ready()`` says the run is under way, the processes it started."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not ready(process):
        assert process.poll() is None, "the batch ended before it could be interrupted: " + process.communicate()[1]
        assert time.monotonic() < deadline, "the batch never got under way"
        time.sleep(0.05)
    assert process.poll() is None, "the batch ended before it could be interrupted"
    return process, _descendants(process.pid)


def _staged(out: Path, at_least: int):
    def ready(process) -> bool:
        stages = list(out.glob(".cdktf-fix-*.tmp")) if out.exists() else []
        return bool(stages) and len(os.listdir(stages[0])) >= at_least and len(_descendants(process.pid)) >= 3
    return ready


def _workers_busy(seconds: float):
    since = []

    def ready(process) -> bool:
        if len(_descendants(process.pid)) < 3:  # the forkserver and two workers (and the resource tracker)
            return False
        since.append(time.monotonic())
        return since[-1] - since[0] >= seconds
    return ready


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_folder_batch_stopped_by_a_signal_leaves_no_process_and_no_file(tmp_path: Path, stop):
    src, out = _many_samples(tmp_path), tmp_path / "out"
    process, children = _start_mid_run(_batch(str(src), "--out", str(out), "--jobs", "2"), _staged(out, 10))
    assert children
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode != 0 and "Traceback" not in stderr, stderr
    assert "interrupted" in stderr.lower() or "interrupted" in _.lower()
    _wait_gone(children)
    assert not out.exists()  # the batch created it; it is gone with the staging folder
    _no_temporary_files(tmp_path)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_jsonl_batch_stopped_by_sigterm_leaves_no_process_and_no_file(tmp_path: Path, jobs: str):
    src, folder = _many_records(tmp_path), tmp_path / "out"
    folder.mkdir()
    ready = _workers_busy(1.0) if jobs == "2" else (lambda process, start=time.monotonic(): time.monotonic() - start > 2)
    process, children = _start_mid_run(_batch(str(src), "--field", "r", "--out", str(folder / "o.jsonl"), "--jobs", jobs), ready)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode != 0 and "Traceback" not in stderr, stderr
    _wait_gone(children)
    assert os.listdir(folder) == []


def test_a_folder_batch_killed_with_sigkill_leaves_workers_that_exit_and_a_stage_the_rerun_removes(tmp_path: Path):
    src, out = _many_samples(tmp_path), tmp_path / "out"
    command = _batch(str(src), "--out", str(out), "--jobs", "2")
    process, children = _start_mid_run(command, _staged(out, 10))
    process.kill()
    process.communicate(timeout=30)
    _wait_gone(children)  # the workers saw their batch die, and then the forkserver had no client left
    assert [p.name for p in out.iterdir()][0].startswith(".cdktf-fix-")  # only the staging folder
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert len(list(out.iterdir())) == 400 and (out / "s399" / "main.py").read_text() == GOOD + "x = 399\n"
    _no_temporary_files(tmp_path)


def test_a_jsonl_batch_killed_with_sigkill_leaves_nothing(tmp_path: Path):
    src, folder = _many_records(tmp_path), tmp_path / "out"
    folder.mkdir()
    command = _batch(str(src), "--field", "r", "--out", str(folder / "o.jsonl"), "--jobs", "2")
    process, children = _start_mid_run(command, _workers_busy(1.0))
    process.kill()
    process.communicate(timeout=30)
    _wait_gone(children)
    assert os.listdir(folder) == []  # the output was an unnamed file: nothing to clean up
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert os.listdir(folder) == ["o.jsonl"] and len((folder / "o.jsonl").read_text().splitlines()) == 1000


def test_a_temporary_file_of_a_killed_batch_is_removed_by_the_next_run(tmp_path: Path):
    """Where the file system has no unnamed files the output is a named temporary file: one whose
    process is gone is removed by the next batch into the same output, a live one is kept."""
    from cdktf_fix.engine.options import Options
    from cdktf_fix.datasets.jsonl_batch import batch_jsonl

    src = tmp_path / "data.jsonl"
    src.write_text(json.dumps({"r": BAD}) + "\n")
    folder = tmp_path / "out"
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stale = folder / f".o.jsonl.cdktf-fix-{dead}-0123abcd.tmp"
    live = folder / f".o.jsonl.cdktf-fix-{os.getppid()}-0123abcd.tmp"
    other = folder / f".other.jsonl.cdktf-fix-{dead}-0123abcd.tmp"
    for path in (stale, live, other):
        path.write_text("partial")
    batch_jsonl(src, folder / "o.jsonl", "r", Options())
    assert sorted(os.listdir(folder)) == sorted(["o.jsonl", live.name, other.name])
