"""``batch --engine dask``: a JSONL dataset repaired in partitions on a Dask cluster, resumably.

The dataset is cut at line boundaries into partitions of up to ``PART_RECORDS`` lines (at least
``MIN_PARTITIONS`` of them for a small dataset; byte ranges of the file, found in counting
passes, nothing held in memory).  Each partition is one Dask task that runs
the local engine's own per-line function (``batch.repair_record``) on its lines and writes its
output bytes and its sample reports into a stage folder beside ``--out``
(``.<out>.cdktf-fix-parts/``), each file atomically; the stage's ``manifest.json`` names the
input (path, size, modification time), the field and the options.  When every partition is
there, the parts are joined in order into ``--out`` (atomically) and the stage is removed: the
output is byte for byte what the local engine writes.

Resuming: the same command after a crash or ``kill -9`` finds the stage, keeps every partition
whose two files are there when the manifest matches the input and options (else it starts
over), and runs only the missing ones.  A worker lost mid-partition costs that partition's
retry (Dask reruns it; ``RETRIES``), never the run.

Without ``--scheduler`` the cluster is a ``LocalCluster`` of ``--jobs`` single-threaded worker
processes on this machine; with it, any running Dask scheduler.  The workers read the dataset
and write the stage themselves: both must be on a filesystem every worker sees.  Workers need
``pip install 'cdktf-fix[scale]'`` only: the schema travels as the package's snapshot.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from cdktf_fix.engine.options import Options
from cdktf_fix.io.atomic import AtomicFile
from cdktf_fix.io.errors import BatchError

PART_RECORDS = 2000  # lines per partition (CDKTF_FIX_DASK_PART_RECORDS overrides): a few seconds of work, small enough to retry
MIN_PARTITIONS = 32  # a small dataset is cut finer, so every worker gets work
MIN_PART = 20
RETRIES = 2
_STAGE_SUFFIX = ".cdktf-fix-parts"


@dataclass(frozen=True)
class Partition:
    number: int
    start: int  # byte offset of its first line
    end: int  # byte offset just past its last line
    first_line: int  # the line number of its first line (1-based)


def plan_partitions(src: Path, limit: int, size: int | None = None) -> tuple[list[Partition], int]:
    """The partitions of ``src`` (``size`` lines each), and how many records (non-blank lines)
    it holds.  By default a partition is ``PART_RECORDS`` lines, fewer for a small dataset so it
    still makes ``MIN_PARTITIONS`` tasks for the workers to share (never under ``MIN_PART``)."""
    from cdktf_fix.io.jsonl import lines

    size = size or int(os.environ.get("CDKTF_FIX_DASK_PART_RECORDS", "0"))
    if not size:
        with open(src, "rb") as handle:
            count = sum(1 for _ in lines(handle, limit))
        size = min(PART_RECORDS, max(MIN_PART, -(-count // MIN_PARTITIONS)))
    partitions: list[Partition] = []
    records = 0
    start, first, count, end, number = 0, 1, 0, 0, 0
    with open(src, "rb") as handle:
        for number, (begin, line, end) in enumerate(lines(handle, limit), 1):
            if count == 0:
                start, first = begin, number
            count += 1
            records += line is None or bool(line.strip())
            if count == size:
                partitions.append(Partition(len(partitions), start, end, first))
                count = 0
    if count:
        partitions.append(Partition(len(partitions), start, end, first))
    return partitions, records


def stage_folder(out: Path) -> Path:
    return out.parent / f".{out.name}{_STAGE_SUFFIX}"


def _identity(src: Path, field_path: str, add_counts: bool, options: Options, target) -> dict:
    info = os.stat(src)
    return {
        "source": str(src.resolve()), "size": info.st_size, "mtime_ns": info.st_mtime_ns,
        "field": field_path, "add_counts": add_counts, "options": repr(options),
        "target": [list(target.explicit), target.offline], "part_records": [PART_RECORDS, MIN_PARTITIONS, MIN_PART],
        "reports": "SampleReport.to_dict",  # the reports' format: a stage written in another starts over
    }


def _write_atomically(path: Path, data: bytes) -> None:
    output = AtomicFile(path)
    try:
        output.write(data)
        output.commit()
    except BaseException:
        output.discard()
        raise


_READY: tuple | None = None  # the (options, target) this worker process is set up for


def run_partition(task: tuple) -> list[dict]:
    """One partition, in a Dask worker: its lines repaired by the local engine's function, its
    output and reports written to the stage; returns the reports (as dicts)."""
    global _READY
    from cdktf_fix.io import batch
    from cdktf_fix.io.jsonl import lines

    src, partition, field_path, add_counts, options, target, stage = task
    if _READY != (repr(options), target):
        batch._init_worker(options, target)
        _READY = (repr(options), target)
    part = Path(stage) / f"part-{partition.number:06d}"
    chunks: list[bytes] = []
    reports: list[dict] = []
    with open(src, "rb") as handle:
        handle.seek(partition.start)
        offset = partition.start
        for index, (begin, line, end) in enumerate(lines(handle, batch._max_record())):
            if offset + begin >= partition.end:
                break
            number = partition.first_line + index
            out, sample = batch.repair_record((number, line if line is not None else (offset + begin, offset + end), field_path, add_counts))
            if isinstance(out, tuple):  # too long to read: copied as it is (pread keeps the handle's offset)
                out = os.pread(handle.fileno(), out[1] - out[0], out[0])
            chunks.append(out)
            if sample is not None:
                reports.append(sample.to_dict())
    _write_atomically(part.with_suffix(".jsonl"), b"".join(chunks))
    _write_atomically(part.with_suffix(".json"), json.dumps(reports).encode("utf-8"))  # written last: the partition is done
    return reports


def _sample(data: dict):
    from cdktf_fix.io.batch import SampleReport

    return SampleReport.from_dict(data)


def _done(stage: Path, partition: Partition) -> list[dict] | None:
    """A finished partition's reports, None when it has to run."""
    part = stage / f"part-{partition.number:06d}"
    try:
        if part.with_suffix(".jsonl").is_file():
            return json.loads(part.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    return None


def _client(scheduler: str | None, jobs: int):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise BatchError("--engine dask needs Dask: pip install 'cdktf-fix[scale]'") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as error:
            raise BatchError(f"--scheduler {scheduler}: cannot connect ({error})") from None
    cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def batch_jsonl_dask(src: Path, out: Path, field_path: str, options: Options, jobs: int = 1, add_counts: bool = False,
                     scheduler: str | None = None, on_sample=None, on_start=None, target_request=None):
    """``batch_jsonl`` on Dask, in resumable partitions (see the module docstring)."""
    from cdktf_fix.io.batch import BatchReport, TargetRequest, _gather_notes, _max_record
    from cdktf_fix.io.outputs import check_outputs, real_path

    target_request = target_request or TargetRequest()
    check_outputs(src, out, None)
    if not field_path or any(not part for part in field_path.split(".")):
        raise BatchError(f"--field {field_path!r}: name a field, dotted for nested fields (messages.1.content)")
    if src.is_dir():
        raise BatchError(f"{src} is a folder, not a JSONL dataset")
    destination = real_path(out)
    stage = stage_folder(destination)
    try:
        partitions, total = plan_partitions(src, _max_record())
        identity = _identity(src, field_path, add_counts, options, target_request)
        manifest = stage / "manifest.json"
        known = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else None
        if known != identity:
            shutil.rmtree(stage, ignore_errors=True)
            stage.mkdir(parents=True)
            _write_atomically(manifest, json.dumps(identity).encode("utf-8"))
    except (OSError, ValueError) as error:
        raise BatchError(f"{src}: {getattr(error, 'strerror', None) or error}") from None
    if on_start:
        on_start(total)
    start = time.perf_counter()
    results: dict[int, list[dict]] = {}
    missing = []
    for partition in partitions:
        found = _done(stage, partition)
        if found is None:
            missing.append(partition)
        else:
            results[partition.number] = found
            for data in found if on_sample else ():
                on_sample(_sample(data))
    if missing:
        from distributed import as_completed

        client, cluster = _client(scheduler, jobs)
        try:
            tasks = [(str(src), p, field_path, add_counts, options, target_request, str(stage)) for p in missing]
            futures = client.map(run_partition, tasks, retries=RETRIES, pure=False)
            by_key = {f.key: p for f, p in zip(futures, missing)}
            for future in as_completed(futures):
                reports = future.result()
                results[by_key[future.key].number] = reports
                for data in reports if on_sample else ():
                    on_sample(_sample(data))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    output = AtomicFile(destination)
    try:
        for partition in partitions:
            with open(stage / f"part-{partition.number:06d}.jsonl", "rb") as part:
                while chunk := part.read(1 << 20):
                    output.write(chunk)
        output.commit()
    except OSError as error:
        output.discard()
        raise BatchError(f"--out {out}: not written: {error.strerror or error}; the partitions stay in {stage} for a rerun") from None
    except BaseException:
        output.discard()
        raise
    shutil.rmtree(stage, ignore_errors=True)
    report = BatchReport(jobs=jobs)
    report.samples = [_sample(data) for number in sorted(results) for data in results[number]]
    _gather_notes(report)
    report.seconds = time.perf_counter() - start
    return report
