"""Batch repair of a Parquet dataset's string column (``batch_parquet``), with pyarrow.

The input is one Parquet file (the output is a file) or a dataset folder (the output is a
folder): every ``*.parquet`` file under it, hive partition folders included, in sorted path
order, each written to the same relative path under the output.  Names starting with ``.`` or
``_`` are left out, as pyarrow's datasets do (``_SUCCESS``, ``_metadata``, ``.crc`` files);
nothing but the ``.parquet`` files is written (a ``_metadata`` summary would no longer match).

Each row's value of the column is repaired exactly as a JSONL record's field is
(``cdktf_fix.io.records.repair_value``, with the worker's engine for the packages the value
imports), in the same worker pool (``batch._run``): ``--jobs`` works, and a row whose worker
dies is a bad sample kept as it is.  Every row is one ``SampleReport`` (``row N``, or
``part-0.parquet row N`` in a dataset folder; N counts from 1 in each file), so the CLI's
summary and ``--report`` are those of a JSONL batch.

- The column: a top-level ``string`` or ``large_string`` column, in every file.  A missing
  column, another type, or a dotted path into a struct column (not supported yet) is a
  ``BatchError`` before anything is written.
- A null value is kept as null and its row is bad (``field 'response' is null, not text``), as a
  JSON ``null`` is in a JSONL dataset; a value larger than ``sources.MAX_BYTES`` is kept as it
  is and its row is bad.
- ``add_counts``: a ``cdktf_fix`` string column at the end (or the existing ``cdktf_fix`` string
  column, in its place) holds each row's counts as JSON (``{"fixes": 1, "findings": 0,
  "by_codemod": {...}}``); null for a null value and a row whose worker died.
- Kept: the schema (column order, types, nullability, field and schema metadata), every other
  column's values as pyarrow reads them, the row order, one row group per input row group (up
  to pyarrow's largest row group, 1Mi rows), and the file's compression codec when all its
  column chunks share one (else pyarrow's default, snappy).  Not kept: encodings, statistics,
  page sizes and the format version (pyarrow's defaults: 2.6 keeps every type's values).
- Memory: one row group at a time is read (plus those whose rows the pool's look-ahead holds),
  never a whole file.
- Outputs are whole or absent: a file is written to an unnamed (or ``.<name>.cdktf-fix-...tmp``)
  file in the output's folder and renamed over it (``AtomicFile``); a folder's files are written
  into a staging folder inside ``--out`` and moved into place at the end (``Stage``).  A file
  that cannot be read or written stops the batch with a ``BatchError`` and nothing is written;
  signals stop it with ``BatchInterrupted`` as for the other batches.

pyarrow is optional (``pip install 'cdktf-fix[scale]'``): it is imported only here, only by the
main process.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections import deque
from contextlib import closing
from pathlib import Path, PurePosixPath

from cdktf_fix.engine.options import Options
from cdktf_fix.io.atomic import AtomicFile
from cdktf_fix.io.batch import BatchReport, SampleReport, TargetRequest, _gather_notes, _run, _take_notes, repair_field_value
from cdktf_fix.io.errors import BatchError
from cdktf_fix.io.jsonl import COUNTS_FIELD
from cdktf_fix.io.outputs import Stage, check_outputs, real_path
from cdktf_fix.io.sources import error_reason
from cdktf_fix.io.workers import clamp_jobs, interruptible

__all__ = ["PARQUET_SUFFIX", "batch_parquet", "is_parquet", "parquet_files", "repair_cell"]

PARQUET_SUFFIX = ".parquet"
IGNORED_PREFIXES = (".", "_")  # pyarrow.dataset's default ignore_prefixes
MISSING_PYARROW = "Parquet needs pyarrow: pip install 'cdktf-fix[scale]'"
# codecs as the file metadata names them -> as ParquetWriter takes them
_CODECS = {"UNCOMPRESSED": "none", "SNAPPY": "snappy", "GZIP": "gzip", "BROTLI": "brotli", "ZSTD": "zstd", "LZ4": "lz4", "LZ4_RAW": "lz4"}


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise BatchError(MISSING_PYARROW) from None
    return pyarrow, pyarrow.parquet


# --- which files -------------------------------------------------------------------------------

def _ignored(name: str) -> bool:
    return name.startswith(IGNORED_PREFIXES)


def _walk(folder: Path):
    """(relative path, kind) of every entry under ``folder`` that a dataset reads, folder by
    folder in name order (not yet in path order); kind is "file", "link-folder" (a linked
    folder: not followed) or "other" (a FIFO, a socket, a broken link...)."""
    for root, folders, files in os.walk(folder):
        base = Path(root)
        kept = []
        for name in sorted(folders):
            if _ignored(name):
                continue
            if os.path.islink(base / name):
                yield base.joinpath(name).relative_to(folder), "link-folder"
            else:
                kept.append(name)
        folders[:] = kept
        for name in sorted(files):
            if _ignored(name):
                continue
            path = base / name
            try:
                mode = os.stat(path).st_mode
            except OSError:
                mode = 0
            yield path.relative_to(folder), "file" if stat.S_ISREG(mode) else "other"


def parquet_files(src: Path) -> list[PurePosixPath]:
    """The ``.parquet`` files of the dataset folder ``src`` (relative, in sorted path order).
    Raises ``BatchError`` for one that is not a regular file, for a linked folder (not
    followed, rather than dropped silently), and when there is none."""
    files = []
    for relative, kind in _walk(src):
        if kind == "link-folder":
            raise BatchError(f"{src}: {relative.as_posix()} is a symbolic link to a folder: not followed")
        if relative.suffix.lower() != PARQUET_SUFFIX:
            continue
        if kind != "file":
            raise BatchError(f"{src}: {relative.as_posix()} is not a regular file (broken link, FIFO, device or socket)")
        files.append(PurePosixPath(relative.as_posix()))
    if not files:
        raise BatchError(f"{src}: no {PARQUET_SUFFIX} files in the folder")
    return sorted(files)


def is_parquet(path: Path) -> bool:
    """Whether ``batch`` takes ``path`` as Parquet: a ``.parquet`` file, or a folder with
    ``.parquet`` files and nothing else (names starting with ``.`` or ``_`` aside, as in
    ``parquet_files``).  Stops at the first other file (a folder of samples is told at once);
    never imports pyarrow."""
    if path.is_file():
        return path.suffix.lower() == PARQUET_SUFFIX
    if not path.is_dir():
        return False
    found = False
    for relative, kind in _walk(path):
        if kind != "file" or relative.suffix.lower() != PARQUET_SUFFIX:
            return False
        found = True
    return found


# --- one row (runs in a worker) ----------------------------------------------------------------

def repair_cell(task: tuple) -> tuple[str | None, str | None, SampleReport]:
    """Repair one row's value: ``(name, value, field, add_counts)`` -> (the value to write, the
    row's counts as JSON or None, its report).  The value is repaired as a JSONL record's field
    is (``batch.repair_record``)."""
    name, value, field, add_counts = task
    report = SampleReport(name)
    start = time.perf_counter()
    if value is None:
        report.errors.append(f"field {field!r} is null, not text")
        report.seconds = time.perf_counter() - start
        return None, None, report
    new_value = value
    result = repair_field_value(value, field, report)
    if result is not None:
        if result.changed:
            new_value = result.new_source
        report.add(result)
    _take_notes(report)
    report.seconds = time.perf_counter() - start
    return new_value, json.dumps(report.counts()) if add_counts else None, report


def _cell_crashed(task: tuple, reason: str, progress: str | None):
    """The worker of a row died (or the repair raised): the row is kept as it is, and bad."""
    report = SampleReport(task[0])
    report.errors.append(reason)
    return task[1], None, report


# --- the files -----------------------------------------------------------------------------------

def _is_text(pa, data_type) -> bool:
    return pa.types.is_string(data_type) or pa.types.is_large_string(data_type)


class _Plan:
    """One input file: where it goes, its schema, what its output looks like."""

    def __init__(self, pa, pq, path: Path, relative: PurePosixPath | None, field: str, add_counts: bool) -> None:
        self.path, self.relative = path, relative
        shown = path if relative is None else relative.as_posix()
        try:
            with pq.ParquetFile(path) as parquet:
                self.schema = parquet.schema_arrow
                self.rows = parquet.metadata.num_rows
                self.groups = parquet.num_row_groups
                codecs = {parquet.metadata.row_group(0).column(i).compression for i in range(parquet.metadata.num_columns)} if self.groups else set()
        except (OSError, pa.ArrowException) as error:
            raise BatchError(f"{shown}: not a readable Parquet file ({_reason(error)})") from None
        self.compression = _CODECS.get(next(iter(codecs)), "snappy") if len(codecs) == 1 else "snappy"
        names = self.schema.names
        if names.count(field) == 0:
            if "." in field and field.split(".")[0] in names:
                raise BatchError(f"--field {field!r}: a dotted path into a struct column is not supported for Parquet yet; name a top-level string column")
            raise BatchError(f"{shown}: no column {field!r} (columns: {', '.join(names) or 'none'})")
        if names.count(field) > 1:
            raise BatchError(f"{shown}: more than one column is named {field!r}")
        self.column = names.index(field)
        if not _is_text(pa, self.schema.field(self.column).type):
            raise BatchError(f"{shown}: column {field!r} is {self.schema.field(self.column).type}, not a string column")
        self.counts_column = None  # (index, field) of the counts column with add_counts
        self.out_schema = self.schema
        if add_counts:
            if field == COUNTS_FIELD:
                raise BatchError(f"--add-counts writes the column {COUNTS_FIELD!r}: it cannot be --field")
            if names.count(COUNTS_FIELD) > 1:
                raise BatchError(f"{shown}: more than one column is named {COUNTS_FIELD!r}")
            if COUNTS_FIELD in names:
                index = names.index(COUNTS_FIELD)
                if not _is_text(pa, self.schema.field(index).type):
                    raise BatchError(f"{shown}: --add-counts: the column {COUNTS_FIELD!r} exists and is {self.schema.field(index).type}, not a string column")
                self.counts_column = (index, self.schema.field(index))
            else:
                counts = pa.field(COUNTS_FIELD, pa.string())
                self.out_schema = self.schema.append(counts)
                self.counts_column = (len(names), counts)

    def name(self, row: int) -> str:
        return f"row {row}" if self.relative is None else f"{self.relative.as_posix()} row {row}"


def _reason(error: BaseException) -> str:
    """One line of an ``OSError`` or a pyarrow error."""
    if isinstance(error, OSError) and error.errno is not None:
        return error_reason(error)
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class _FileOutput:
    """The output of one input file: renamed over ``out`` at the end (``AtomicFile``)."""

    def __init__(self, out: Path) -> None:
        destination = real_path(out)
        destination.parent.mkdir(parents=True, exist_ok=True)
        self.file = AtomicFile(destination)

    def open(self, relative):
        return os.fdopen(os.dup(self.file.fd), "wb", buffering=1 << 20)

    def commit(self) -> None:
        self.file.commit()

    def discard(self) -> None:
        self.file.discard()


class _FolderOutput:
    """The output of a dataset folder: a staging folder inside ``out``, moved into place."""

    def __init__(self, out: Path) -> None:
        self.stage = Stage(out)

    def open(self, relative):
        dest = self.stage.path / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        return open(dest, "xb", buffering=1 << 20)

    def commit(self) -> None:
        self.stage.commit()

    def discard(self) -> None:
        self.stage.discard()


class _Writer:
    """The output file being written: its handle and ParquetWriter."""

    def __init__(self, pq, output, plan: _Plan) -> None:
        self.handle = output.open(plan.relative)
        try:
            self.writer = pq.ParquetWriter(self.handle, plan.out_schema, compression=plan.compression)
        except BaseException:
            self.handle.close()
            raise

    def write(self, table) -> None:
        self.writer.write_table(table, row_group_size=max(1, table.num_rows))

    def close(self) -> None:
        try:
            self.writer.close()
        finally:
            self.handle.close()


def batch_parquet(src: Path, out: Path, field: str, options: Options, jobs: int = 1, add_counts: bool = False,
                  on_sample=None, on_start=None, target_request: TargetRequest = TargetRequest()) -> BatchReport:
    """Repair the string column ``field`` of the Parquet file or dataset folder ``src`` into
    ``out`` (a file for a file, a new or empty folder for a folder)."""
    check_outputs(src, out, None)
    if not field:
        raise BatchError("--field '': name a top-level string column")
    pa, pq = _pyarrow()
    jobs, note = clamp_jobs(jobs)
    folder = src.is_dir()
    if folder:
        plans = [_Plan(pa, pq, src / relative, relative, field, add_counts) for relative in parquet_files(src)]
    else:
        plans = [_Plan(pa, pq, src, None, field, add_counts)]
    if on_start:
        on_start(sum(plan.rows for plan in plans))

    pending: deque = deque()  # ("file", plan) and ("group", plan, table) in order, read ahead of their results

    def tasks():
        for plan in plans:
            pending.append(("file", plan))
            shown = plan.path if plan.relative is None else plan.relative.as_posix()
            try:
                with pq.ParquetFile(plan.path) as parquet:
                    row = 0
                    for index in range(plan.groups):
                        table = parquet.read_row_group(index)
                        pending.append(("group", plan, table))
                        values = table.column(plan.column).to_pylist()
                        for value in values:
                            row += 1
                            yield plan.name(row), value, field, add_counts
                        del values
            except (OSError, pa.ArrowException) as error:
                raise BatchError(f"{shown}: cannot be read ({_reason(error)}): nothing was written") from None

    report = BatchReport(jobs=jobs, notes=[note] if note else [])
    start = time.perf_counter()
    with interruptible():
        try:
            output = _FolderOutput(out) if folder else _FileOutput(out)
        except OSError as error:
            raise BatchError(f"--out {out}: not written: {error_reason(error)}") from None
        writer: _Writer | None = None
        done: list = []  # results of the rows of pending's first row group

        def drain() -> None:
            """Write what the results so far complete: new files, whole row groups."""
            nonlocal writer
            while pending:
                head = pending[0]
                if head[0] == "file":
                    if writer is not None:
                        writer.close()
                        writer = None
                    writer = _Writer(pq, output, head[1])
                else:
                    _, plan, table = head
                    if len(done) < table.num_rows:
                        return
                    rows = done[:table.num_rows]
                    del done[:table.num_rows]
                    writer.write(_repaired(pa, plan, table, rows))
                pending.popleft()

        source = tasks()
        try:
            with closing(source), closing(_run(repair_cell, source, options, jobs, _cell_crashed, target_request)) as results:
                for value, counts, sample in results:
                    done.append((value, counts))
                    report.samples.append(sample)
                    if on_sample:
                        on_sample(sample)
                    drain()
            drain()
            if writer is not None:
                writer.close()
                writer = None
            output.commit()
        except (OSError, pa.ArrowException) as error:
            _abandon(writer, output)
            raise BatchError(f"--out {out}: not written: {_reason(error)}; the batch stopped and nothing was written") from None
        except BaseException:
            _abandon(writer, output)
            raise
    _gather_notes(report)
    report.seconds = time.perf_counter() - start
    return report


def _repaired(pa, plan: _Plan, table, rows: list):
    """``table`` (one row group) with the repaired column, and the counts column if asked."""
    column = plan.schema.field(plan.column)
    table = table.set_column(plan.column, column, pa.array([value for value, _ in rows], type=column.type))
    if plan.counts_column is not None:
        index, counts_field = plan.counts_column
        counts = pa.array([counts for _, counts in rows], type=counts_field.type)
        table = table.set_column(index, counts_field, counts) if index < table.num_columns else table.append_column(counts_field, counts)
    return table


def _abandon(writer: _Writer | None, output) -> None:
    if writer is not None:
        try:
            writer.close()
        except Exception:  # noqa: BLE001 - the output is dropped anyway
            pass
    output.discard()
