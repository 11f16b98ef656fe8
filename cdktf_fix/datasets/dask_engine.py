"""``batch --engine dask``: a dataset repaired in partitions on a Dask cluster, resumably.

Datasets: a JSONL file or folder of JSONL shards, a Parquet file or dataset folder
(``datasets.files``).  Each file is cut into partitions of up to ``PART_RECORDS`` records (at
least ``MIN_PARTITIONS`` partitions for a small dataset): line ranges of a JSONL file (byte
ranges, found in counting passes), row ranges of a Parquet row group (from its metadata; a
row group is cut into at most ``MAX_GROUP_READS`` partitions, since each one decodes the
group's column up to its rows).  Nothing is held in memory but one partition.

Each partition is one Dask task that runs the local engine's own per-record function
(``jsonl_batch.repair_line``, ``parquet.repair_cell``) on its records and writes its output
and its sample reports into a stage folder beside ``--out`` (``.<out>.cdktf-fix-parts/``), each
file atomically: the repaired lines for JSONL, the repaired values (and counts) as JSON for
Parquet.  The stage's ``manifest.json`` names the inputs (paths, sizes, modification times),
the field, the options and the target.  When every partition is there, the output is written
from the stage (``DatasetOutput``: whole or absent): JSONL lines are joined in order, Parquet
row groups are read again and written with their repaired column by the local engine's own
writer (``parquet.Writer``, ``parquet.repaired_table``).  The output and the reports are the
local engine's, byte for byte and in the same order; then the stage is removed.

Resuming: the same command after a crash or ``kill -9`` finds the stage, keeps every partition
whose files are there when the manifest matches (else it starts over), and runs only the
missing ones.  A worker lost mid-partition costs that partition's retry (``RETRIES``), never the
run; a partition that fails on every try is run on this machine by the local engine, whose
worker pool makes a record that kills its worker a bad record kept as it is.

Without ``--scheduler`` the cluster is a ``LocalCluster`` of ``--jobs`` single-threaded worker
processes on this machine; with it, any running Dask scheduler.  The workers read the dataset
and write the stage themselves: both must be on a filesystem every worker sees.  Workers need
``pip install 'cdktf-fix[scale]'`` only: the default targets' schemas are the package's
snapshots, and with ``--target`` on a running cluster the batch loads the target's schema parts
(fetching them here if it must) and sends them to every worker once (``store.seed_cache``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import astuple, dataclass
from pathlib import Path

from cdktf_fix.datasets import jsonl_batch, parquet
from cdktf_fix.datasets.files import JSONL_SUFFIXES, PARQUET_SUFFIXES, DatasetOutput, Shard, is_parquet, shards
from cdktf_fix.datasets.jsonl import lines
from cdktf_fix.engine.options import Options
from cdktf_fix.io.atomic import write_atomically
from cdktf_fix.io.batch import BatchReport, SampleReport, TargetRequest, _gather_notes, _init_worker
from cdktf_fix.io.errors import BatchError, BatchInterrupted
from cdktf_fix.io.outputs import check_outputs, real_path
from cdktf_fix.io.sources import error_reason
from cdktf_fix.io.workers import interruptible, map_tasks
from cdktf_fix.schema import store
from cdktf_fix.schema.target import request_parts

__all__ = ["DatasetPlan", "LinePartition", "Pool", "RowPartition", "batch_dask", "plan_partitions", "run_partition", "stage_folder"]

PART_RECORDS = 2000  # records per partition (CDKTF_FIX_DASK_PART_RECORDS overrides): a few seconds of work, small enough to retry
MIN_PARTITIONS = 32  # a small dataset is cut finer, so every worker gets work
MIN_PART = 20
MAX_GROUP_READS = 16  # a Parquet row group is cut into no more partitions (each reads the group up to its rows)
RETRIES = 2
_STAGE_SUFFIX = ".cdktf-fix-parts"


# --- partitions --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pool:
    """Where a partition's records run: in this process (a Dask worker's task), or in a pool
    of ``jobs`` worker processes set up with ``setup`` (options, target) on this machine."""

    jobs: int = 1
    setup: tuple = ()

    def map(self, function, tasks, crashed):
        """``function`` over ``tasks`` in order; a task that raises (or kills its pool worker)
        gets ``crashed``'s result, as in the local engine."""
        if self.jobs <= 1:
            return map_tasks(function, tasks, 1, crashed)
        return map_tasks(function, tasks, self.jobs, crashed, _init_worker, self.setup)


@dataclass(frozen=True)
class LinePartition:
    """Lines of a JSONL file: the bytes ``start`` to ``end``, whose first line is ``first``."""

    number: int
    shard: Shard
    start: int
    end: int
    first: int  # 1-based line number of the first line

    def repair(self, field: str, add_counts: bool, pool: Pool) -> tuple[bytes, list[dict]]:
        """The partition's output bytes and reports (as dicts): its lines through the local
        engine's ``repair_line``."""
        fd = jsonl_batch.open_shard(self.shard)
        try:
            with open(fd, "rb", closefd=False) as handle:
                handle.seek(self.start)

                def tasks():
                    for index, (begin, line, end) in enumerate(lines(handle, jsonl_batch.max_record())):
                        if self.start + begin >= self.end:
                            return
                        yield self.shard, self.first + index, line if line is not None else (self.start + begin, self.start + end), field, add_counts

                chunks, reports = [], []
                for out, sample in pool.map(jsonl_batch.repair_line, tasks(), jsonl_batch.line_crashed):
                    if isinstance(out, tuple):  # too long to read: copied as it is
                        out = os.pread(fd, out[1] - out[0], out[0])
                    chunks.append(out)
                    if sample is not None:
                        reports.append(sample.to_dict())
        finally:
            os.close(fd)
        return b"".join(chunks), reports


@dataclass(frozen=True)
class RowPartition:
    """Rows ``offset`` to ``offset + rows`` of row group ``group`` of a Parquet file, whose first
    row is row ``first`` of the file."""

    number: int
    shard: Shard
    group: int
    offset: int  # the first row's index in the group
    rows: int
    first: int  # 1-based row number in the file
    size: int  # the size of the group's partitions (the last one may have fewer rows): the batches it is read in

    def repair(self, field: str, add_counts: bool, pool: Pool) -> tuple[bytes, list[dict]]:
        """The partition's repaired values and counts (JSON) and reports (as dicts): its rows
        through the local engine's ``repair_cell``."""
        pa, pq = parquet.pyarrow_modules()
        values: list = []
        try:
            with pq.ParquetFile(self.shard.path) as file:  # streamed in batches of the partitions' size: one in memory
                column, path = parquet.split_field(file.schema_arrow.names, field)
                position = 0
                for batch in file.iter_batches(batch_size=self.size, row_groups=[self.group], columns=[column]):
                    low, high = max(0, self.offset - position), min(batch.num_rows, self.offset + self.rows - position)
                    if high > low:
                        values.extend(parquet.python_values(pa, batch.column(0).slice(low, high - low), field))
                    position += batch.num_rows
                    if position >= self.offset + self.rows:
                        break
        except (OSError, pa.ArrowException) as error:
            raise BatchError(f"{self.shard.shown}: cannot be read ({parquet.error_line(error)})") from None
        if len(values) != self.rows:
            raise BatchError(f"{self.shard.shown}: row group {self.group} has changed since the batch started")
        tasks = (parquet.cell_task(self.shard.name("row", self.first + i), value, path, field, add_counts) for i, value in enumerate(values))
        rows, reports = [], []
        for value, counts, sample in pool.map(parquet.repair_cell, tasks, parquet.cell_crashed):
            rows.append([value, counts])
            reports.append(sample.to_dict())
        return json.dumps(rows).encode("utf-8"), reports


def _part_size(records: int) -> int:
    size = int(os.environ.get("CDKTF_FIX_DASK_PART_RECORDS", "0"))
    return size or min(PART_RECORDS, max(MIN_PART, -(-records // MIN_PARTITIONS)))


@dataclass
class DatasetPlan:
    """A dataset cut into partitions."""

    partitions: list  # LinePartition or RowPartition, numbered in order
    records: int
    shards: list[Shard]  # every file, in order (one with no records has no partition)
    file_plans: list  # parquet.FilePlan of each file (empty for JSONL)


def plan_partitions(src: Path, field: str, add_counts: bool, size: int | None = None) -> DatasetPlan:
    """The dataset ``src`` cut into partitions of ``size`` records, by default ``PART_RECORDS``,
    fewer for a small dataset so it still makes ``MIN_PARTITIONS`` tasks (never under
    ``MIN_PART``)."""
    if is_parquet(src):
        pa, pq = parquet.pyarrow_modules()
        plans = [parquet.FilePlan(pa, pq, shard, field, add_counts) for shard in shards(src, PARQUET_SUFFIXES)]
        total = sum(plan.rows for plan in plans)
        size = size or _part_size(total)
        partitions: list = []
        for plan in plans:
            first = 1
            for group, rows in enumerate(plan.group_rows):
                group_size = max(size, -(-rows // MAX_GROUP_READS))
                for offset in range(0, rows, group_size):
                    count = min(group_size, rows - offset)
                    partitions.append(RowPartition(len(partitions), plan.shard, group, offset, count, first, group_size))
                    first += count
        return DatasetPlan(partitions, total, [plan.shard for plan in plans], plans)
    files = shards(src, JSONL_SUFFIXES)
    total = sum(jsonl_batch.count_records(shard) for shard in files)
    size = size or _part_size(total)
    partitions = []
    for shard in files:
        fd = jsonl_batch.open_shard(shard)
        try:
            with open(fd, "rb", closefd=False) as handle:
                start = end = count = 0
                first = 1
                for number, (begin, _, end) in enumerate(lines(handle, jsonl_batch.max_record()), 1):
                    if count == 0:
                        start, first = begin, number
                    count += 1
                    if count == size:
                        partitions.append(LinePartition(len(partitions), shard, start, end, first))
                        count = 0
                if count:
                    partitions.append(LinePartition(len(partitions), shard, start, end, first))
        except OSError as error:
            raise BatchError(f"{shard.shown}: {error_reason(error)}") from None
        finally:
            os.close(fd)
    return DatasetPlan(partitions, total, files, [])


# --- the stage ---------------------------------------------------------------------------------

def stage_folder(out: Path) -> Path:
    return out.parent / f".{out.name}{_STAGE_SUFFIX}"


def _part(stage: Path, partition) -> Path:
    return stage / f"part-{partition.number:06d}"


def _identity(src: Path, field: str, add_counts: bool, options: Options, target: TargetRequest, plan: DatasetPlan) -> dict:
    files = []
    for shard in plan.shards:
        info = os.stat(shard.path)
        files.append([str(shard.path.resolve()), info.st_size, info.st_mtime_ns])
    return {
        "source": str(src.resolve()), "files": files, "field": field, "add_counts": add_counts,
        "options": repr(options), "target": [list(target.explicit), target.offline],
        "partitions": [len(plan.partitions), _fingerprint(plan.partitions)],
        "format": 2,  # the parts' format (SampleReport.to_dict reports): a stage written in another starts over
    }


def _fingerprint(partitions: list) -> str:
    """Where each partition starts and ends (not how the input's path was spelled)."""
    bounds = [(str(p.shard.relative), *astuple(p)[2:]) for p in partitions]
    return hashlib.sha256(repr(bounds).encode("utf-8")).hexdigest()


def _done(stage: Path, partition) -> list[dict] | None:
    """A finished partition's reports, None when it has to run."""
    part = _part(stage, partition)
    try:
        if part.with_suffix(".out").is_file():
            return json.loads(part.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    return None


_READY: tuple | None = None  # the (options, target) this worker process is set up for


def run_partition(task: tuple, jobs: int = 1, parts: list | None = None) -> list[dict]:
    """One partition, in a Dask worker (in its process: a record that raises is bad, as in the
    local engine), or with ``jobs`` > 1 on this machine in a worker pool (after it failed on
    every try there): its records repaired, its output and reports written to the stage;
    returns the reports.  ``parts``: the schema parts of the batch's ``--target``, kept in the
    worker's cache so that it never builds or fetches one."""
    global _READY
    partition, field, add_counts, options, target, stage = task
    if jobs > 1:
        pool = Pool(jobs, (options, target))
    else:
        if _READY != (repr(options), target):
            if parts:
                store.seed_cache(parts)
            _init_worker(options, target)
            _READY = (repr(options), target)
        pool = Pool()
    data, reports = partition.repair(field, add_counts, pool)
    part = _part(Path(stage), partition)
    write_atomically(part.with_suffix(".out"), data)
    write_atomically(part.with_suffix(".json"), json.dumps(reports).encode("utf-8"))  # written last: the partition is done
    return reports


# --- the cluster -------------------------------------------------------------------------------

def _distributed():
    try:
        import distributed
    except ImportError:
        raise BatchError("--engine dask needs Dask: pip install 'cdktf-fix[scale]'") from None
    return distributed


def _client(scheduler: str | None, jobs: int):
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as error:
            raise BatchError(f"--scheduler {scheduler}: cannot connect ({error})") from None
    cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


def _run_missing(missing: list, task_of, scheduler: str | None, jobs: int, finished, target: TargetRequest) -> list[str]:
    """The missing partitions on the cluster, ``finished(partition, reports)`` as each ends.

    A partition that fails on every try runs on this machine (``run_partition`` with a worker
    pool, where a record that kills its worker is bad and kept), with a note unless it only
    took down workers; a worker that cannot import cdktf-fix, or a dataset it cannot read (not
    on a filesystem it sees), stops the run with one line.  On a running cluster (another
    machine's cache) with ``--target``, the target's schema parts are sent to every worker
    once.  Returns the notes."""
    from distributed import KilledWorker, as_completed

    client, cluster = _client(scheduler, jobs)
    failed, notes = [], []
    try:
        shared = {}
        if scheduler and target.explicit:
            key = f"cdktf-fix-schema-{uuid.uuid4().hex}"
            shared["parts"] = client.scatter({key: request_parts(target.explicit, target.offline)}, broadcast=True)[key]
        futures = client.map(run_partition, [task_of(p) for p in missing], retries=RETRIES, pure=False, **shared)
        by_key = {future.key: partition for future, partition in zip(futures, missing)}
        for future in as_completed(futures):
            partition = by_key[future.key]
            try:
                reports = future.result()
            except KilledWorker:  # it took down a worker on every try
                failed.append(partition)
                continue
            except ImportError as error:
                raise BatchError(f"the Dask workers cannot run cdktf-fix ({_one_line(error)}): pip install 'cdktf-fix[scale]' on every worker") from None
            except BatchError:
                raise
            except Exception as error:  # noqa: BLE001 - not a record's (those are caught in the partition): the cluster's
                failed.append(partition)
                notes.append(f"partition {partition.number} ({partition.shard.shown}) failed on the cluster ({_one_line(error)}) and ran on this machine")
                continue
            finished(partition, reports)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    for partition in sorted(failed, key=lambda p: p.number):
        finished(partition, run_partition(task_of(partition), jobs=2))
    return notes


# --- the output --------------------------------------------------------------------------------

def _join_lines(plan: DatasetPlan, output: DatasetOutput, stage: Path) -> None:
    by_shard: dict = {}
    for partition in plan.partitions:
        by_shard.setdefault(partition.shard, []).append(partition)
    try:
        for shard in plan.shards:
            file = output.open(shard)
            for partition in by_shard.get(shard, ()):
                with open(_part(stage, partition).with_suffix(".out"), "rb") as part:
                    while chunk := part.read(1 << 20):
                        file.write(chunk)
            output.close(file)
    except BaseException:
        output.discard()
        raise


def _join_rows(plan: DatasetPlan, output: DatasetOutput, stage: Path) -> None:
    pa, pq = parquet.pyarrow_modules()
    by_group: dict = {}
    for partition in plan.partitions:
        by_group.setdefault((partition.shard, partition.group), []).append(partition)
    writer = None
    try:
        for file_plan in plan.file_plans:
            writer = parquet.Writer(pq, output, file_plan)
            with pq.ParquetFile(file_plan.shard.path) as file:
                for group in range(file_plan.groups):
                    rows = []
                    for partition in by_group.get((file_plan.shard, group), ()):
                        rows.extend(json.loads(_part(stage, partition).with_suffix(".out").read_bytes()))
                    writer.write(parquet.repaired_table(pa, file_plan, file.read_row_group(group), rows))
            writer.close()
            writer = None
    except (pa.ArrowException, ValueError) as error:
        parquet.abandon(writer, output)
        raise OSError(parquet.error_line(error)) from None
    except BaseException:
        parquet.abandon(writer, output)
        raise


def batch_dask(src: Path, out: Path, field: str, options: Options, jobs: int = 1, add_counts: bool = False,
               scheduler: str | None = None, on_sample=None, on_start=None, on_partitions=None,
               target_request: TargetRequest = TargetRequest()) -> BatchReport:
    """A JSONL or Parquet batch (``jsonl_batch.batch_jsonl``, ``parquet.batch_parquet``) on Dask,
    in resumable partitions (see the module docstring).  ``on_partitions(done, total)`` is
    called when the partitions are planned and as each ends."""
    check_outputs(src, out, None)
    jsonl_batch.check_field(field)
    _distributed()  # before anything is written
    destination = real_path(out)
    stage = stage_folder(destination)
    plan = plan_partitions(src, field, add_counts)
    try:
        identity = _identity(src, field, add_counts, options, target_request, plan)
        manifest = stage / "manifest.json"
        known = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else None
        if known != identity:
            shutil.rmtree(stage, ignore_errors=True)
            stage.mkdir(parents=True)
            write_atomically(manifest, json.dumps(identity).encode("utf-8"))
    except (OSError, ValueError) as error:
        raise BatchError(f"{stage}: {getattr(error, 'strerror', None) or error}") from None
    if on_start:
        on_start(plan.records)
    start = time.perf_counter()
    results: dict[int, list[dict]] = {}

    def finished(partition, reports: list[dict]) -> None:
        results[partition.number] = reports
        for data in reports if on_sample else ():
            on_sample(SampleReport.from_dict(data))
        if on_partitions:
            on_partitions(len(results), len(plan.partitions))

    if on_partitions:
        on_partitions(0, len(plan.partitions))
    missing = []
    for partition in plan.partitions:
        found = _done(stage, partition)
        if found is None:
            missing.append(partition)
        else:
            finished(partition, found)
    try:
        with interruptible():
            notes = []
            if missing:
                notes = _run_missing(missing, lambda p: (p, field, add_counts, options, target_request, str(stage)), scheduler, jobs, finished, target_request)
            try:
                output = DatasetOutput(out, src.is_dir())
                (_join_rows if plan.file_plans else _join_lines)(plan, output, stage)
                output.commit()
            except OSError as error:
                raise BatchError(f"--out {out}: not written: {error_reason(error)}; the finished partitions stay in {stage}: the same command resumes") from None
    except BatchInterrupted as interrupt:
        raise BatchInterrupted(interrupt.signum, f"the finished partitions stay in {stage}: the same command resumes") from None
    shutil.rmtree(stage, ignore_errors=True)
    report = BatchReport(jobs=jobs, notes=notes)
    report.samples = [SampleReport.from_dict(data) for number in sorted(results) for data in results[number]]
    _gather_notes(report)
    report.seconds = time.perf_counter() - start
    return report
