"""Batch repair of generated samples into a separate output, never touching the source.

Two shapes of input:

- a folder of samples (each sub-folder or top-level ``.py``/``.md`` file is one sample): the
  output folder mirrors it, with every Python and markdown file repaired and every other file
  copied as it is;
- a JSONL dataset: one field of every record (markdown or plain code) is repaired; the other
  fields are kept, a record that does not change is written back byte for byte, and nothing is
  added unless asked (``add_counts`` adds a ``cdktf_fix`` field with the record's counts).

Samples run in parallel worker processes, each with its own engine.  A bad sample (unreadable,
binary, unparsable, huge) is counted and named, and the batch goes on.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cdktf_fix.engine.options import Options
from cdktf_fix.io.markdown import python_blocks
from cdktf_fix.engine.result import RepairResult, Status
from cdktf_fix.schema.project import generated_bindings
from cdktf_fix.io.sources import (
    MAX_BYTES,
    SKIP_DIRS,
    SOURCE_SUFFIXES,
    encode_source,
    is_markdown,
    read_source,
    repair_text,
    _reason,
)

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
COUNTS_FIELD = "cdktf_fix"


class BatchError(Exception):
    """A batch that cannot start (bad paths or options); the message says why."""


@dataclass
class SampleReport:
    name: str
    files: int = 0
    changed: bool = False
    fixes: Counter = field(default_factory=Counter)  # applied, by codemod
    unsafe: Counter = field(default_factory=Counter)  # unsafe fixes not applied, by codemod
    findings: Counter = field(default_factory=Counter)  # left after the repair, by codemod
    errors: list[str] = field(default_factory=list)  # what could not be read or repaired
    seconds: float = 0.0

    @property
    def bad(self) -> bool:
        return bool(self.errors)

    @property
    def clean_after(self) -> bool:
        return not self.errors and not self.findings

    def add(self, result: RepairResult, where: str = "") -> None:
        prefix = f"{where}: " if where else ""
        self.files += 1
        self.changed = self.changed or result.changed
        for fix in result.fixes:
            (self.fixes if fix.applied else self.unsafe)[fix.codemod] += 1
        self.findings.update(f.codemod for f in result.findings)
        if result.status is Status.ERROR:
            self.errors.append(prefix + (result.error or "error"))
        self.errors.extend(f"{where}:{b.line}: {b.reason}" if where else f"line {b.line}: {b.reason}" for b in result.skipped)

    def counts(self) -> dict:
        return {"fixes": sum(self.fixes.values()), "findings": sum(self.findings.values()), "by_codemod": dict(self.fixes)}

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "files": self.files,
            "changed": self.changed,
            "clean_after": self.clean_after,
            "fixes": dict(self.fixes),
            "unsafe_fixes_not_applied": dict(self.unsafe),
            "findings": dict(self.findings),
            "errors": self.errors,
            "seconds": round(self.seconds, 4),
        }


@dataclass
class BatchReport:
    samples: list[SampleReport] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, attribute: str) -> Counter:
        total: Counter = Counter()
        for sample in self.samples:
            total.update(getattr(sample, attribute))
        return total

    def summary(self) -> dict:
        return {
            "samples": len(self.samples),
            "changed": sum(s.changed for s in self.samples),
            "clean_after": sum(s.clean_after for s in self.samples),
            "bad": sum(s.bad for s in self.samples),
            "fixes": dict(sorted(self.total("fixes").items())),
            "unsafe_fixes_not_applied": dict(sorted(self.total("unsafe").items())),
            "findings": dict(sorted(self.total("findings").items())),
            "seconds": round(self.seconds, 3),
        }

    def to_dict(self) -> dict:
        return {"summary": self.summary(), "samples": [s.to_dict() for s in self.samples]}


# --- workers -----------------------------------------------------------------------------------

_ENGINES: dict = {}
_OPTIONS: Options | None = None


def _init_worker(options: Options) -> None:
    global _OPTIONS
    _OPTIONS = options
    _ENGINES.clear()


def _engine_for(packages: frozenset[str] = frozenset()):
    from dataclasses import replace

    from cdktf_fix.engine import Engine
    from cdktf_fix.schema import load_index

    if packages not in _ENGINES:
        _ENGINES[packages] = Engine(load_index(), replace(_OPTIONS or Options(), generated_bindings=packages))
    return _ENGINES[packages]


def _map(function: Callable, tasks: Iterable, options: Options, jobs: int) -> Iterator:
    """``function`` over ``tasks`` in order, in ``jobs`` worker processes (or in-process for one)."""
    if jobs <= 1:
        _init_worker(options)
        yield from map(function, tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(jobs, multiprocessing.get_context(method), _init_worker, (options,)) as pool:
        window = jobs * 16  # bounded look-ahead: a huge dataset is never all in memory
        pending: list = []
        for task in tasks:
            pending.append(pool.submit(function, task))
            if len(pending) >= window:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


# --- folders of samples ------------------------------------------------------------------------

def _is_sample(path: Path) -> bool:
    if path.name.startswith(".") or path.name in SKIP_DIRS or path.is_symlink():
        return False
    return path.is_dir() or path.suffix.lower() in SOURCE_SUFFIXES


def _copy_text(src: Path, dest: Path, report: SampleReport, name: str) -> None:
    """Repair one Python or markdown file into ``dest``; a bad file is copied as it is."""
    try:
        source = read_source(src)
    except (OSError, ValueError) as error:
        report.files += 1
        report.errors.append(f"{name}: {_reason(error)}")
        shutil.copy2(src, dest)
        return
    result = repair_text(_engine_for(generated_bindings(src)), source.text, is_markdown(src))
    report.add(result, name)
    dest.write_bytes(encode_source(result.new_source, source))
    shutil.copymode(src, dest)


def repair_sample(task: tuple[str, str, str]) -> SampleReport:
    """Repair the sample ``name`` of ``src_root`` into ``out_root`` (runs in a worker)."""
    src_root, out_root, name = map(Path, task)
    report = SampleReport(str(name))
    start = time.perf_counter()
    source = src_root / name
    files = [source] if source.is_file() else sorted(_walk(source))
    for path in files:
        relative = path.relative_to(src_root)
        dest = out_root / relative
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():
                report.errors.append(f"{relative}: symbolic link, not copied")
            elif path.suffix.lower() in SOURCE_SUFFIXES:
                _copy_text(path, dest, report, str(relative))
            else:
                shutil.copy2(path, dest)
        except OSError as error:
            report.errors.append(f"{relative}: {_reason(error)}")
    report.seconds = time.perf_counter() - start
    return report


def _walk(folder: Path) -> Iterator[Path]:
    for base, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and d != ".git")
        for name in files:
            yield Path(base) / name


def _check_paths(src: Path, out: Path) -> None:
    if not src.exists():
        raise BatchError(f"{src}: no such file or directory")
    src_resolved, out_resolved = src.resolve(), out.resolve()
    if src_resolved == out_resolved:
        raise BatchError("--out must differ from the source: batch never writes over its input")
    if src.is_dir() and out_resolved.is_relative_to(src_resolved):
        raise BatchError(f"--out {out} is inside the source folder {src}")
    if src.is_dir() and src_resolved.is_relative_to(out_resolved):
        raise BatchError(f"the source folder {src} is inside --out {out}")


def batch_folder(src: Path, out: Path, options: Options, jobs: int = 1, on_sample=None, on_start=None) -> BatchReport:
    """Repair every sample of the folder ``src`` into the folder ``out`` (new or empty)."""
    _check_paths(src, out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BatchError(f"--out {out} exists and is not an empty folder")
    names = sorted(p.name for p in src.iterdir() if _is_sample(p))
    out.mkdir(parents=True, exist_ok=True)
    for extra in sorted(p for p in src.iterdir() if p.is_file() and not p.is_symlink() and not _is_sample(p)):
        shutil.copy2(extra, out / extra.name)  # top-level files that are not samples ride along
    if on_start:
        on_start(len(names))
    report = BatchReport()
    start = time.perf_counter()
    for sample in _map(repair_sample, ((str(src), str(out), n) for n in names), options, jobs):
        report.samples.append(sample)
        if on_sample:
            on_sample(sample)
    report.seconds = time.perf_counter() - start
    return report


# --- JSONL datasets ----------------------------------------------------------------------------

def _get(record, path: list[str]):
    value = record
    for key in path:
        if isinstance(value, list) and key.lstrip("-").isdigit():
            value = value[int(key)]
        elif isinstance(value, dict):
            value = value[key]
        else:
            raise KeyError(key)
    return value


def _set(record, path: list[str], new) -> None:
    parent = _get(record, path[:-1])
    parent[int(path[-1]) if isinstance(parent, list) else path[-1]] = new


def repair_record(task: tuple[int, str, str, bool]) -> tuple[str, SampleReport]:
    """Repair one JSONL line; returns the line to write and its report (runs in a worker)."""
    number, line, field_path, add_counts = task
    report = SampleReport(f"line {number}")
    start = time.perf_counter()
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    path = field_path.split(".")
    try:
        record = json.loads(body)
        text = _get(record, path)
        if not isinstance(text, str):
            raise TypeError(f"field {field_path!r} is {type(text).__name__}, not text")
    except (ValueError, KeyError, IndexError, TypeError) as error:
        reason = f"no field {field_path!r}" if isinstance(error, (KeyError, IndexError)) else (
            f"not JSON ({error})" if isinstance(error, ValueError) else str(error))
        report.errors.append(reason)
        report.seconds = time.perf_counter() - start
        return line, report
    if len(text) > MAX_BYTES:
        report.files = 1
        report.errors.append(f"field {field_path!r} larger than {MAX_BYTES // 1_000_000} MB")
    else:
        result = repair_text(_engine_for(), text, markdown=bool(python_blocks(text)))
        report.add(result)
        if result.changed:
            _set(record, path, result.new_source)
    if add_counts:
        record[COUNTS_FIELD] = report.counts()
    if report.changed or add_counts:
        line = json.dumps(record, ensure_ascii=False) + ending
    report.seconds = time.perf_counter() - start
    return line, report


def batch_jsonl(src: Path, out: Path, field_path: str, options: Options, jobs: int = 1,
                add_counts: bool = False, on_sample=None, on_start=None) -> BatchReport:
    """Repair ``field_path`` (dotted for nested fields) of every record of ``src`` into ``out``."""
    _check_paths(src, out)
    if out.is_dir():
        raise BatchError(f"--out {out} is a folder; a JSONL input needs an output file")
    try:
        with src.open("rb") as handle:
            total = sum(1 for line in handle if line.strip())
    except OSError as error:
        raise BatchError(f"{src}: {_reason(error)}") from None
    if on_start:
        on_start(total)

    def tasks():
        with src.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
            for number, line in enumerate(handle, 1):
                yield number, line, field_path, add_counts

    report = BatchReport()
    start = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".cdktf-fix.tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
            for line, sample in _map(repair_record, tasks(), options, jobs):
                handle.write(line)
                if not line.strip():
                    continue  # blank lines are kept, not counted
                report.samples.append(sample)
                if on_sample:
                    on_sample(sample)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    report.seconds = time.perf_counter() - start
    return report


def is_jsonl(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in JSONL_SUFFIXES
