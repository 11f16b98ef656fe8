"""Batch repair of a JSONL dataset (one file, or a folder of shards) on this machine.

One field of every record (markdown or plain code) is repaired in place, at the byte level
(``cdktf_fix.datasets.jsonl``): every byte of a record outside that field's JSON string is
kept, a record that does not change is written back byte for byte, and nothing is added unless
asked (``add_counts`` adds a ``cdktf_fix`` field with the record's counts at the end of an
object record).  Blank lines are kept and not counted.

Records run in the batch's worker processes (``batch._run``) in order; a record whose worker
dies is bad and kept as it is.  A line longer than ``max_record()`` is bad and copied as it is.
A file that cannot be read or written stops the batch with a ``BatchError`` and nothing is
written (a dataset with holes is worse than none).  A folder of shards (``datasets.files``) is
one batch: record names carry the shard (``part-1.jsonl line 3``) and every shard's output
appears at the end or none.  ``repair_line`` is also what a Dask partition runs
(``datasets.dask_engine``).
"""

from __future__ import annotations

import json
import os
import time
from contextlib import closing
from pathlib import Path

from cdktf_fix.datasets.files import JSONL_SUFFIXES, DatasetOutput, Shard, shards
from cdktf_fix.datasets.jsonl import Misplaced, lines, replace_string, split_line, string_field, with_counts
from cdktf_fix.datasets.records import repair_field_value
from cdktf_fix.engine.options import Options
from cdktf_fix.io import sources
from cdktf_fix.io.batch import BatchReport, SampleReport, TargetRequest, _gather_notes, _run, _take_notes
from cdktf_fix.io.errors import BatchError
from cdktf_fix.io.outputs import check_outputs
from cdktf_fix.io.sources import error_reason, open_regular
from cdktf_fix.io.workers import clamp_jobs, interruptible

__all__ = ["batch_jsonl", "check_field", "count_records", "line_crashed", "max_record", "open_shard", "repair_line"]


def max_record() -> int:
    """The longest line read as a record: larger ones are bad and copied as they are."""
    return 4 * sources.MAX_BYTES


def check_field(field_path: str) -> None:
    if not field_path or any(not part for part in field_path.split(".")):
        raise BatchError(f"--field {field_path!r}: name a field, dotted for nested fields (messages.1.content)")


def open_shard(shard: Shard) -> int:
    try:
        return open_regular(shard.path)[0]
    except (OSError, ValueError) as error:
        raise BatchError(f"{shard.shown}: {error_reason(error)}") from None


def count_records(shard: Shard) -> int:
    """The records (non-blank lines) of one shard."""
    fd = open_shard(shard)
    try:
        with open(fd, "rb", closefd=False) as handle:
            return sum(1 for _, line, _ in lines(handle, max_record()) if line is None or line.strip())
    except OSError as error:
        raise BatchError(f"{shard.shown}: {error_reason(error)}") from None
    finally:
        os.close(fd)


def repair_line(task: tuple) -> tuple[bytes | tuple[int, int], SampleReport | None]:
    """Repair one JSONL line (bytes) of ``shard``; returns the line to write and its report,
    None for a blank line (runs in a worker).

    Only the field's JSON string changes (and, with ``add_counts``, the ``cdktf_fix`` member of
    an object record: counts are only added to object records); every other byte of the line is
    kept.  A line too long to read (``(start, end)`` instead of bytes) is bad and kept as it is.
    """
    shard, number, line, field_path, add_counts = task
    if isinstance(line, tuple):
        report = SampleReport(shard.name("line", number))
        report.errors.append(f"record larger than {max_record() // 1_000_000} MB: kept as it is")
        return line, report
    if not line.strip():
        return line, None
    report = SampleReport(shard.name("line", number))
    start = time.perf_counter()
    prefix, body, ending = split_line(line, first=number == 1)
    path = field_path.split(".")
    try:
        text = body.decode("utf-8")
        record = json.loads(text)
        value, begin, end = string_field(text, record, path)
    except UnicodeDecodeError as error:
        report.errors.append(f"not UTF-8 (byte {error.start + len(prefix)}: {error.reason})")
    except RecursionError:
        report.errors.append("not JSON (too deeply nested)")
    except Misplaced:
        report.errors.append(f"internal error: field {field_path!r} not found in the record's text; kept as it is")
    except (KeyError, IndexError):
        report.errors.append(f"no field {field_path!r}")
    except ValueError as error:
        report.errors.append(f"not JSON ({error})")
    except TypeError as error:
        report.errors.append(str(error))
    if report.errors:
        report.seconds = time.perf_counter() - start
        return line, report
    new_text = text
    result = repair_field_value(value, field_path, report)
    if result is not None:
        if result.changed:
            new_text = replace_string(text, begin, end, path, result.new_source)
            if new_text is None:  # never expected: the record is kept rather than written wrong
                new_text = text
                report.files = 1
                report.errors.append("internal error: the repaired field could not be placed in the record; kept as it is")
        if new_text != text or not result.changed:
            report.add(result)
    if add_counts and isinstance(record, dict):
        new_text = with_counts(new_text, report.counts())
    if new_text != text:
        line = prefix + new_text.encode("utf-8") + ending
    _take_notes(report)
    report.seconds = time.perf_counter() - start
    return line, report


def line_crashed(task: tuple, reason: str, progress: str | None):
    shard, number, line = task[0], task[1], task[2]
    report = SampleReport(shard.name("line", number))
    report.errors.append(reason)
    return line, report


def batch_jsonl(src: Path, out: Path, field_path: str, options: Options, jobs: int = 1,
                add_counts: bool = False, on_sample=None, on_start=None, target_request: TargetRequest = TargetRequest()) -> BatchReport:
    """Repair ``field_path`` (dotted for nested fields) of every record of the JSONL file or
    folder of shards ``src`` into ``out`` (a file for a file, a new or empty folder for a folder)."""
    check_outputs(src, out, None)
    check_field(field_path)
    files = shards(src, JSONL_SUFFIXES)
    jobs, note = clamp_jobs(jobs)
    limit = max_record()
    total = sum(count_records(shard) for shard in files)
    if on_start:
        on_start(total)
    # one entry per task, in order: the shard a result belongs to ("open" entries start a shard)
    pending: list = []

    def tasks():
        for shard in files:
            fd = open_shard(shard)
            pending.append(("open", shard, fd))
            try:
                with open(fd, "rb", closefd=False) as handle:
                    for number, (begin, line, end) in enumerate(lines(handle, limit), 1):
                        pending.append(("line", shard, fd))
                        yield shard, number, line if line is not None else (begin, end), field_path, add_counts
            except OSError as error:
                raise BatchError(f"{shard.shown}: cannot be read ({error_reason(error)}): nothing was written") from None

    report = BatchReport(jobs=jobs, notes=[note] if note else [])
    start = time.perf_counter()
    with interruptible():
        try:
            output = DatasetOutput(out, src.is_dir())
        except OSError as error:
            raise BatchError(f"--out {out}: not written: {error_reason(error)}") from None
        current = None  # (AtomicFile, fd) of the shard being written
        position = 0  # how much of pending is written

        def finish_shard() -> None:
            nonlocal current
            if current is not None:
                file, fd = current
                current = None
                try:
                    output.close(file)
                finally:
                    os.close(fd)

        def open_shards() -> None:
            """Open the outputs of the shards whose entries come next (an empty one is whole at once)."""
            nonlocal current, position
            while pending[position][0] == "open":
                _, shard, fd = pending[position]
                finish_shard()
                current = (output.open(shard), fd)
                position += 1

        try:
            with closing(_run(repair_line, tasks(), options, jobs, line_crashed, target_request)) as results:
                for line, sample in results:
                    open_shards()
                    position += 1  # this line's entry
                    if position > 4096:  # keep the list short: the written entries are dropped
                        del pending[:position]
                        position = 0
                    if isinstance(line, tuple):
                        current[0].copy_from(current[1], *line)
                    else:
                        current[0].write(line)
                    if sample is None:
                        continue  # blank lines are kept, not counted
                    report.samples.append(sample)
                    if on_sample:
                        on_sample(sample)
            pending.append(("end", None, -1))  # the shards left have no lines: their empty outputs
            open_shards()
            finish_shard()
            output.commit()
        except OSError as error:
            output.discard()
            raise BatchError(f"--out {out}: not written: {error_reason(error)}; the batch stopped and nothing was written") from None
        except BaseException:
            output.discard()
            raise
        finally:
            if current is not None:
                os.close(current[1])
            for entry in pending[position:]:
                if entry[0] == "open" and entry[2] >= 0:
                    os.close(entry[2])
    _gather_notes(report)
    report.seconds = time.perf_counter() - start
    return report
