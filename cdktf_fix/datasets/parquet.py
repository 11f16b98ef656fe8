"""Batch repair of a Parquet dataset's string column (``batch_parquet``), with pyarrow.

The input is one Parquet file (the output is a file) or a dataset folder (the output is a
folder): every ``*.parquet`` file under it (``datasets.files``: hive partition folders included,
in sorted path order, names starting with ``.`` or ``_`` left out), each written to the same
relative path under the output; nothing but the ``.parquet`` files is written (a ``_metadata``
summary would no longer match).

Each row's value of the column is repaired exactly as a JSONL record's field is
(``datasets.records.repair_field_value``, with the worker's engine for the packages the value
imports), in the same worker pool (``batch._run``): ``--jobs`` works, and a row whose worker
dies is a bad sample kept as it is.  Every row is one ``SampleReport`` (``row N``, or
``part-0.parquet row N`` in a dataset folder; N counts from 1 in each file), so the CLI's
summary and ``--report`` are those of a JSONL batch.

- The field: a ``string`` or ``large_string`` column, in every file, or a text nested in one
  (``messages.1.content``: column ``messages``, list item 1, struct field ``content``; the
  path is checked against the schema).  A missing column, another type or a path the schema
  does not have is a ``BatchError`` before anything is written.  A row whose value has no such
  item (a shorter list, a null on the way) is bad and kept (``no field 'messages.1.content'``),
  as in a JSONL dataset.  A nested field's column is rebuilt from Python values only in the
  row groups where a text changed, and only when they come back as they were.
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
- Outputs are whole or absent (``datasets.files.DatasetOutput``): a file is written to an
  unnamed (or ``.<name>.cdktf-fix-...tmp``) file in the output's folder and renamed over it; a
  folder's files are written into a staging folder inside ``--out`` and moved into place at the
  end.  A file that cannot be read or written stops the batch with a ``BatchError`` and nothing
  is written; signals stop it with ``BatchInterrupted`` as for the other batches.

pyarrow is optional (``pip install 'cdktf-fix[scale]'``): it is imported only here (and by a
Dask worker that reads a partition's rows, ``datasets.dask_engine``), never by the rest.
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from contextlib import closing
from pathlib import Path

from cdktf_fix.datasets.files import PARQUET_SUFFIXES, DatasetOutput, Shard, shards
from cdktf_fix.datasets.jsonl import COUNTS_FIELD
from cdktf_fix.datasets.records import repair_field_value
from cdktf_fix.engine.options import Options
from cdktf_fix.io.batch import BatchReport, SampleReport, TargetRequest, _gather_notes, _run, _take_notes
from cdktf_fix.io.errors import BatchError
from cdktf_fix.io.outputs import check_outputs
from cdktf_fix.io.sources import error_reason
from cdktf_fix.io.workers import clamp_jobs, interruptible

__all__ = ["FilePlan", "Writer", "abandon", "batch_parquet", "cell_crashed", "cell_task", "error_line", "pyarrow_modules", "python_values", "repair_cell", "repaired_table", "split_field"]

MISSING_PYARROW = "Parquet needs pyarrow: pip install 'cdktf-fix[scale]'"
# codecs as the file metadata names them -> as ParquetWriter takes them
_CODECS = {"UNCOMPRESSED": "none", "SNAPPY": "snappy", "GZIP": "gzip", "BROTLI": "brotli", "ZSTD": "zstd", "LZ4": "lz4", "LZ4_RAW": "lz4"}


def pyarrow_modules():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise BatchError(MISSING_PYARROW) from None
    return pyarrow, pyarrow.parquet


# --- one row (runs in a worker) ----------------------------------------------------------------

def repair_cell(task: tuple) -> tuple[str | None, str | None, SampleReport]:
    """Repair one row's text: ``(name, value, field, add_counts, problem)`` -> (the text to
    write, the row's counts as JSON or None, its report).  The text is repaired as a JSONL
    record's field is (``jsonl_batch.repair_line``); ``problem`` (the row has no such field)
    or a null makes the row bad and kept as it is."""
    name, value, field, add_counts, problem = task
    report = SampleReport(name)
    start = time.perf_counter()
    if problem is not None or value is None:
        report.errors.append(problem or f"field {field!r} is null, not text")
        report.seconds = time.perf_counter() - start
        return value, None, report
    new_value = value
    result = repair_field_value(value, field, report)
    if result is not None:
        if result.changed:
            new_value = result.new_source
        report.add(result)
    _take_notes(report)
    report.seconds = time.perf_counter() - start
    return new_value, json.dumps(report.counts()) if add_counts else None, report


def cell_crashed(task: tuple, reason: str, progress: str | None):
    """The worker of a row died (or the repair raised): the row is kept as it is, and bad."""
    report = SampleReport(task[0])
    report.errors.append(reason)
    return task[1], None, report


# --- the files -----------------------------------------------------------------------------------

def _is_text(pa, data_type) -> bool:
    return pa.types.is_string(data_type) or pa.types.is_large_string(data_type)


def split_field(names: list[str], field: str) -> tuple[str, list[str | int]]:
    """The top-level column ``field`` names, and the path inside it: a column named ``field``
    itself, else ``messages.1.content`` is column ``messages``, item 1, field ``content``."""
    if field in names or "." not in field:
        return field, []
    top, *rest = field.split(".")
    return top, [int(step) if step.isdigit() else step for step in rest]


def _leaf_type(pa, data_type, path: list, field: str):
    """The type at ``path`` inside a column of ``data_type`` (structs by field, lists by index)."""
    for step in path:
        if pa.types.is_struct(data_type) and isinstance(step, str) and data_type.get_field_index(step) >= 0:
            data_type = data_type.field(step).type
        elif (pa.types.is_list(data_type) or pa.types.is_large_list(data_type)) and isinstance(step, int):
            data_type = data_type.value_type
        else:
            raise BatchError(f"--field {field!r}: {step!r} is neither a field of a struct nor an item of a list in {data_type}")
    return data_type


_ABSENT = object()  # a row whose value has nothing at the path


def _leaf(value, path: list):
    """What is at ``path`` inside a row's column value (``_ABSENT`` when the row has nothing there)."""
    for step in path:
        if value is None or (isinstance(step, int) and not (isinstance(value, list) and step < len(value))):
            return _ABSENT
        value = value[step]
    return value


def cell_task(name: str, value, path: list, field: str, add_counts: bool) -> tuple:
    """The ``repair_cell`` task of one row whose column value is ``value``: the text at ``path``
    inside it, or the problem when the row has none."""
    text = _leaf(value, path)
    if text is _ABSENT:
        return name, None, field, add_counts, f"no field {field!r}"
    return name, text, field, add_counts, None


def python_values(pa, column, field: str) -> list:
    """A column's values as Python objects; ``BatchError`` for values Python cannot hold as
    they are (nanosecond timestamps without pandas)."""
    try:
        return column.to_pylist()
    except (ValueError, pa.ArrowException) as error:
        raise BatchError(f"--field {field!r}: the column holds values Python cannot hold as they are ({error_line(error)}); name a column of plain types") from None


def _set_leaf(value, path: list, text: str) -> None:
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = text


class FilePlan:
    """One input file: where it goes, its schema, its row groups, what its output looks like."""

    def __init__(self, pa, pq, shard: Shard, field: str, add_counts: bool) -> None:
        self.shard = shard
        shown = shard.shown
        try:
            with pq.ParquetFile(shard.path) as parquet:
                self.schema = parquet.schema_arrow
                self.rows = parquet.metadata.num_rows
                self.groups = parquet.num_row_groups
                self.group_rows = [parquet.metadata.row_group(i).num_rows for i in range(self.groups)]
                codecs = {parquet.metadata.row_group(0).column(i).compression for i in range(parquet.metadata.num_columns)} if self.groups else set()
        except (OSError, pa.ArrowException) as error:
            raise BatchError(f"{shown}: not a readable Parquet file ({error_line(error)})") from None
        self.compression = _CODECS.get(next(iter(codecs)), "snappy") if len(codecs) == 1 else "snappy"
        names = self.schema.names
        top, self.path = split_field(names, field)
        if names.count(top) == 0:
            raise BatchError(f"{shown}: no column {top!r} (columns: {', '.join(names) or 'none'})")
        if names.count(top) > 1:
            raise BatchError(f"{shown}: more than one column is named {top!r}")
        self.column = names.index(top)
        leaf = _leaf_type(pa, self.schema.field(self.column).type, self.path, field)
        if not _is_text(pa, leaf):
            where = f"column {field!r}" if not self.path else f"--field {field!r}"
            raise BatchError(f"{shown}: {where} is {leaf}, not a string" + (" column" if not self.path else ""))
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
        return self.shard.name("row", row)


def error_line(error: BaseException) -> str:
    """One line of an ``OSError`` or a pyarrow error."""
    if isinstance(error, OSError) and error.errno is not None:
        return error_reason(error)
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class Writer:
    """The output file of one input file being written: its handle and ParquetWriter."""

    def __init__(self, pq, output: DatasetOutput, plan: FilePlan) -> None:
        self.output = output
        self.file = output.open(plan.shard)
        self.handle = os.fdopen(os.dup(self.file.fd), "wb", buffering=1 << 20)
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
        self.output.close(self.file)


def batch_parquet(src: Path, out: Path, field: str, options: Options, jobs: int = 1, add_counts: bool = False,
                  on_sample=None, on_start=None, target_request: TargetRequest = TargetRequest()) -> BatchReport:
    """Repair the string column ``field`` of the Parquet file or dataset folder ``src`` into
    ``out`` (a file for a file, a new or empty folder for a folder)."""
    check_outputs(src, out, None)
    if not field:
        raise BatchError("--field '': name a string column (dotted for a nested field: messages.1.content)")
    pa, pq = pyarrow_modules()
    jobs, note = clamp_jobs(jobs)
    plans = [FilePlan(pa, pq, shard, field, add_counts) for shard in shards(src, PARQUET_SUFFIXES)]
    if on_start:
        on_start(sum(plan.rows for plan in plans))

    pending: deque = deque()  # ("file", plan) and ("group", plan, table) in order, read ahead of their results

    def tasks():
        for plan in plans:
            pending.append(("file", plan))
            shown = plan.shard.shown
            try:
                with pq.ParquetFile(plan.shard.path) as parquet:
                    row = 0
                    for index in range(plan.groups):
                        table = parquet.read_row_group(index)
                        pending.append(("group", plan, table))
                        values = python_values(pa, table.column(plan.column), field)
                        for value in values:
                            row += 1
                            yield cell_task(plan.name(row), value, plan.path, field, add_counts)
                        del values
            except (OSError, pa.ArrowException) as error:
                raise BatchError(f"{shown}: cannot be read ({error_line(error)}): nothing was written") from None

    report = BatchReport(jobs=jobs, notes=[note] if note else [])
    start = time.perf_counter()
    with interruptible():
        try:
            output = DatasetOutput(out, src.is_dir())
        except OSError as error:
            raise BatchError(f"--out {out}: not written: {error_reason(error)}") from None
        writer: Writer | None = None
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
                    writer = Writer(pq, output, head[1])
                else:
                    _, plan, table = head
                    if len(done) < table.num_rows:
                        return
                    rows = done[:table.num_rows]
                    del done[:table.num_rows]
                    writer.write(repaired_table(pa, plan, table, rows))
                pending.popleft()

        source = tasks()
        try:
            with closing(source), closing(_run(repair_cell, source, options, jobs, cell_crashed, target_request)) as results:
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
            abandon(writer, output)
            raise BatchError(f"--out {out}: not written: {error_line(error)}; the batch stopped and nothing was written") from None
        except BaseException:
            abandon(writer, output)
            raise
    _gather_notes(report)
    report.seconds = time.perf_counter() - start
    return report


def repaired_table(pa, plan: FilePlan, table, rows: list):
    """``table`` (one row group) with the repaired column, and the counts column if asked.  A
    nested field's column is rebuilt from Python values only when one of its texts changed, and
    only when its values come back from Python as they were (else ``BatchError``)."""
    column = plan.schema.field(plan.column)
    if not plan.path:
        table = table.set_column(plan.column, column, pa.array([value for value, _ in rows], type=column.type))
    else:
        original = table.column(plan.column)
        values = python_values(pa, original, ".".join(map(str, [column.name, *plan.path])))
        changes = [(index, text) for index, (text, _) in enumerate(rows) if text is not None and _leaf(values[index], plan.path) != text]
        if changes:
            if not pa.array(values, type=column.type).equals(original.combine_chunks()):  # before any change
                raise BatchError(f"column {column.name!r} holds values that do not come back from Python as they were: name a top-level string column")
            for index, text in changes:
                _set_leaf(values[index], plan.path, text)
            table = table.set_column(plan.column, column, pa.array(values, type=column.type))
    if plan.counts_column is not None:
        index, counts_field = plan.counts_column
        counts = pa.array([counts for _, counts in rows], type=counts_field.type)
        table = table.set_column(index, counts_field, counts) if index < table.num_columns else table.append_column(counts_field, counts)
    return table


def abandon(writer: Writer | None, output: DatasetOutput) -> None:
    if writer is not None:
        try:
            writer.close()
        except Exception:  # noqa: BLE001 - the output is dropped anyway
            pass
    output.discard()
