"""Batch repair of a folder of generated samples into a separate output, never touching the
source, and what every batch reports.

A folder of samples (each sub-folder or top-level ``.py``/``.md`` file is one sample): the output
folder mirrors it, with every Python and markdown file repaired and every other file copied as
it is.  Datasets (JSONL and Parquet files and folders of shards) are ``cdktf_fix.datasets``;
they share this module's reports (``SampleReport``, ``BatchReport``), its worker engines
(``_init_worker``, ``_engine_for``) and its worker pool (``_run``).

Samples run in parallel worker processes (``cdktf_fix.io.workers``), each with its own engine.
A bad sample (unreadable, binary, unparsable, huge, or one whose worker died) is counted and
named, and the batch goes on.  Outputs are checked before any work and written whole or not at
all (``cdktf_fix.io.outputs``):

- A file that cannot be written (disk full, a name the file system refuses) makes its sample
  bad (``not written: no space left on device``, its fixes not counted) and the batch goes on.
- A worker that dies makes the sample it was running bad (``the worker died (signal 11)``): the
  file that was being repaired is named and copied as it is, and the rest of the sample is
  repaired by a new worker.
- SIGTERM, SIGHUP or SIGINT stop the batch with ``BatchInterrupted`` after the workers are
  ended and every temporary file is removed.
- Only regular files are read or copied (``cdktf_fix.io.sources.open_regular``); a FIFO, socket
  or device is a bad entry.  A symbolic link to a regular file inside the source folder is
  followed (the output holds a regular file with its target's repaired content); any other link
  (to a folder, outside the source, broken or looping) is a bad entry ``symbolic link to
  <target>: not followed (...)``: nothing is dropped silently.
"""

from __future__ import annotations

import os
import stat
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from cdktf_fix.engine.options import Options
from cdktf_fix.engine.result import RepairResult, Status
from cdktf_fix.io.errors import BatchError, BatchInterrupted
from cdktf_fix.io.atomic import stat_or_none
from cdktf_fix.io.outputs import Stage, check_outputs, real_path, write_new, write_report
from cdktf_fix.io.sources import (
    SKIP_DIRS,
    SOURCE_SUFFIXES,
    NotRegular,
    error_reason,
    encode_source,
    file_kind,
    open_regular,
    read_source,
    repair_as,
)
from cdktf_fix.io.workers import Retry, clamp_jobs, interruptible, map_tasks, report_progress

# the errors, check_outputs and write_report are defined elsewhere and re-exported: the CLI takes
# the whole batch from here
__all__ = [
    "BatchError", "BatchInterrupted", "BatchReport", "SampleReport", "TargetRequest", "batch_folder",
    "check_outputs", "repair_sample", "write_report",
]



@dataclass
class SampleReport:
    name: str
    files: int = 0
    changed: bool = False
    fixes: Counter = field(default_factory=Counter)  # applied (and written), by codemod
    unsafe: Counter = field(default_factory=Counter)  # unsafe fixes not applied, by codemod
    findings: Counter = field(default_factory=Counter)  # left after the repair, by codemod
    errors: list[str] = field(default_factory=list)  # what could not be read, repaired or written
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # what could not be checked (a version with no schema)
    targets: set = field(default_factory=set)  # what its files were checked against

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
        if result.target:
            self.targets.add(result.target)
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
            "notes": self.notes,
            "targets": sorted(self.targets),
            "seconds": round(self.seconds, 4),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "SampleReport":
        """The report ``to_dict`` wrote (a Dask partition's stage keeps its reports so)."""
        return cls(
            name=data["name"], files=data["files"], changed=data["changed"], fixes=Counter(data["fixes"]),
            unsafe=Counter(data["unsafe_fixes_not_applied"]), findings=Counter(data["findings"]),
            errors=list(data["errors"]), seconds=data["seconds"], notes=list(data["notes"]), targets=set(data["targets"]),
        )


@dataclass
class BatchReport:
    samples: list[SampleReport] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1  # worker processes asked for, after clamping
    notes: list[str] = field(default_factory=list)  # one-line remarks for the user (a clamped --jobs)

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
            "jobs": self.jobs,
        }

    def to_dict(self) -> dict:
        return {"summary": self.summary(), "notes": self.notes, "samples": [s.to_dict() for s in self.samples]}


# --- one engine per worker -----------------------------------------------------------------------

@dataclass(frozen=True)
class TargetRequest:
    """What a batch is checked against: ``--target`` (for every sample) and ``--offline``.
    Without ``--target``, a sample folder's own pins decide (as for ``apply``), and a dataset
    record gets the default target of the framework it imports."""

    explicit: tuple[str, ...] = ()
    offline: bool = False


_ENGINES = None  # this worker's engine.engines.Engines
_NOTES: list[str] = []  # notices of the sample being repaired (a pinned version with no schema)


def _init_worker(options: Options, target: TargetRequest = TargetRequest()) -> None:
    """Run once in every worker (and in this process for ``jobs == 1``): the batch's options."""
    global _ENGINES
    from cdktf_fix.engine.engines import Engines

    _ENGINES = Engines(options, target.explicit, target.offline)


def _note(text: str) -> None:
    if text not in _NOTES:
        _NOTES.append(text)


def _engine_for(path: Path | None = None, packages: frozenset[str] = frozenset(), imported: frozenset[str] = frozenset()):
    """The engine of this worker's options for a sample's target and the bindings its project
    generates (``path`` None: a dataset record, of no project)."""
    if _ENGINES is None:
        _init_worker(Options())
    return _ENGINES.for_text(path, imported, packages, _note)


def _take_notes(report: "SampleReport") -> None:
    report.notes.extend(n for n in _NOTES if n not in report.notes)
    _NOTES.clear()


def _run(function, tasks, options: Options, jobs: int, crashed, target: TargetRequest) -> Iterator:
    """``function`` over ``tasks`` in ``jobs`` workers, each with its engine for ``options``."""
    return map_tasks(function, tasks, jobs, crashed, _init_worker, (options, target))


# --- folders of samples --------------------------------------------------------------------------

def _follow(path: Path, real_root: Path) -> tuple[Path | None, str | None]:
    """A symbolic link: (its target, None) when it is a regular file inside the source folder,
    else (None, why it is not followed)."""
    try:
        shown = os.readlink(path)
    except OSError as error:
        return None, error_reason(error)
    head = f"symbolic link to {shown}: not followed"
    try:
        target = Path(os.path.realpath(path, strict=True))
        info = os.stat(target)
    except (OSError, RuntimeError):
        return None, f"{head} (broken or looping)"
    if stat.S_ISDIR(info.st_mode):
        return None, f"{head} (a folder)"
    if not target.is_relative_to(real_root):
        return None, f"{head} (outside the source folder)"
    if not stat.S_ISREG(info.st_mode):
        return None, f"{head} (not a regular file)"
    return target, None


def _copy_file(read_path: Path, dest: Path, report: SampleReport, name: str) -> None:
    """Copy a regular file as it is (a FIFO or device is never opened for reading)."""
    try:
        fd, info = open_regular(read_path, follow_links=False)
    except NotRegular as error:
        report.errors.append(f"{name}: {file_kind(error.mode)}: not copied")
        return
    except OSError as error:
        report.errors.append(f"{name}: not copied: {error_reason(error)}")
        return
    try:
        write_new(dest, fd, stat.S_IMODE(info.st_mode), (info.st_atime_ns, info.st_mtime_ns))
    except OSError as error:
        report.errors.append(f"{name}: not written: {error_reason(error)}")
    finally:
        os.close(fd)


def _copy_text(read_path: Path, where: Path, dest: Path, report: SampleReport, name: str) -> None:
    """Repair one Python or markdown file into ``dest``; a bad file is copied as it is.  Its
    fixes count only once the repaired file is written."""
    try:
        source = read_source(read_path)
    except (OSError, ValueError) as error:
        report.files += 1
        report.errors.append(f"{name}: {error_reason(error)}")
        info = stat_or_none(read_path)
        if info is not None and stat.S_ISREG(info.st_mode):
            _copy_file(read_path, dest, report, name)
        return
    result = repair_as(_engine_for, where, source.text)
    info = stat_or_none(read_path)
    try:
        write_new(dest, encode_source(result.new_source, source), stat.S_IMODE(info.st_mode) if info else 0o644)
    except OSError as error:
        report.files += 1
        report.errors.append(f"{name}: not written: {error_reason(error)}")
        return
    report.add(result, name)


def _entries(folder: Path, root: Path, report: SampleReport) -> Iterator[Path]:
    """Every entry of ``folder`` but folders (files, links, FIFOs...), recursively, in name
    order; skipped folders (``.git``, ``node_modules``, ...) are left out, folders that cannot be
    listed are errors."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scan:
                children = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            report.errors.append(f"{Path(current).relative_to(root)}/: folder cannot be read ({error_reason(error)}): not copied")
            continue
        folders = []
        for entry in children:
            if entry.name in SKIP_DIRS or entry.name == ".git":
                continue
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                folders.append(Path(entry.path))
            else:
                yield Path(entry.path)
        stack.extend(reversed(folders))


def _repair_entry(path: Path, src_root: Path, real_root: Path, out_root: Path, report: SampleReport, copy_only: str | None) -> None:
    relative = path.relative_to(src_root)
    name = str(relative)
    try:
        info = os.lstat(path)
    except OSError as error:
        report.errors.append(f"{name}: {error_reason(error)}")
        return
    read_path = path
    if stat.S_ISLNK(info.st_mode):
        target, why = _follow(path, real_root)
        if target is None:
            report.errors.append(f"{name}: {why}")
            return
        read_path = target
        info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        report.errors.append(f"{name}: {file_kind(info.st_mode)}: not read")
        return
    dest = out_root / relative
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        report.errors.append(f"{name}: not written: {error_reason(error)}")
        return
    if copy_only is not None:
        report.files += 1
        report.errors.append(f"{name}: {copy_only}; copied as it is")
        _copy_file(read_path, dest, report, name)
    elif path.suffix.lower() in SOURCE_SUFFIXES:
        _copy_text(read_path, path, dest, report, name)
    else:
        _copy_file(read_path, dest, report, name)


def repair_sample(task: tuple) -> SampleReport:
    """Repair the sample ``name`` of ``src_root`` into ``out_root`` (runs in a worker).

    ``task`` is ``(src_root, out_root, name)`` and optionally the files not to repair but copy as
    they are, with the reason (``((relative, reason), ...)``: those that killed a worker)."""
    src_root, out_root, name = map(Path, task[:3])
    copy_only = dict(task[3]) if len(task) > 3 else {}
    report = SampleReport(str(name))
    start = time.perf_counter()
    real_root = real_path(src_root)
    path = src_root / name
    try:
        is_folder = stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        is_folder = False
    for entry in (_entries(path, src_root, report) if is_folder else [path]):
        relative = str(entry.relative_to(src_root))
        report_progress(relative)
        _repair_entry(entry, src_root, real_root, out_root, report, copy_only.get(relative))
    _take_notes(report)
    report.seconds = time.perf_counter() - start
    return report


def _sample_crashed(task: tuple, reason: str, progress: str | None):
    """The worker of a folder sample died: run the sample again, copying the file that was
    being repaired as it is; without such a file the sample is bad."""
    copy_only = tuple(task[3]) if len(task) > 3 else ()
    if progress is not None and progress not in dict(copy_only):
        return Retry((*task[:3], (*copy_only, (progress, reason))))
    report = SampleReport(str(task[2]))
    report.errors.append(f"{progress}: {reason}" if progress else reason)
    return report


def _top_level(src: Path, real_root: Path) -> tuple[list[str], list[Path], list[SampleReport]]:
    """The samples of ``src`` (names), the other top-level files to copy, and bad entries."""
    try:
        with os.scandir(src) as scan:
            children = sorted(scan, key=lambda e: e.name)
    except OSError as error:
        raise BatchError(f"{src}: folder cannot be read ({error_reason(error)})") from None
    samples: list[str] = []
    extras: list[Path] = []
    bad: list[SampleReport] = []
    for entry in children:
        name, path = entry.name, Path(entry.path)
        skipped_folder = name.startswith(".") or name in SKIP_DIRS
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as error:
            bad.append(SampleReport(name, errors=[error_reason(error)]))
            continue
        mode = info.st_mode
        if stat.S_ISLNK(mode):
            target_info = stat_or_none(path)
            if skipped_folder and target_info is not None and stat.S_ISDIR(target_info.st_mode):
                continue  # a link standing for a skipped folder is skipped as the folder would be
            target, why = _follow(path, real_root)
            if target is None:
                bad.append(SampleReport(name, errors=[why]))
                continue
            mode = os.stat(target).st_mode
        if stat.S_ISDIR(mode):
            if not skipped_folder:
                samples.append(name)
        elif not stat.S_ISREG(mode):
            bad.append(SampleReport(name, errors=[f"{file_kind(mode)}: not read"]))
        elif path.suffix.lower() in SOURCE_SUFFIXES and not name.startswith("."):
            samples.append(name)
        else:
            extras.append(path)  # top-level files that are not samples ride along
    return samples, extras, bad


def batch_folder(src: Path, out: Path, options: Options, jobs: int = 1, on_sample=None, on_start=None, target_request: TargetRequest = TargetRequest()) -> BatchReport:
    """Repair every sample of the folder ``src`` into the folder ``out`` (new or empty)."""
    check_outputs(src, out, None)
    if not src.is_dir():
        raise BatchError(f"{src}: not a folder of samples")
    jobs, note = clamp_jobs(jobs)
    real_root = real_path(src)
    names, extras, bad = _top_level(src, real_root)
    report = BatchReport(jobs=jobs, notes=[note] if note else [])
    start = time.perf_counter()
    with interruptible():
        stage = Stage(out)
        try:
            for extra in extras:
                entry = SampleReport(extra.name)
                target, _ = _follow(extra, real_root) if extra.is_symlink() else (extra, None)
                _copy_file(target, stage.path / extra.name, entry, extra.name)
                if entry.bad:
                    bad.append(entry)
            if on_start:
                on_start(len(names) + len(bad))
            for entry in bad:
                report.samples.append(entry)
                if on_sample:
                    on_sample(entry)
            tasks = ((str(src), str(stage.path), n) for n in names)
            with closing(_run(repair_sample, tasks, options, jobs, _sample_crashed, target_request)) as results:
                for sample in results:
                    report.samples.append(sample)
                    if on_sample:
                        on_sample(sample)
            stage.commit()
        except BaseException:
            stage.discard()
            raise
    report.samples.sort(key=lambda s: s.name)
    _gather_notes(report)
    report.seconds = time.perf_counter() - start
    return report


def _gather_notes(report: BatchReport) -> None:
    """The samples' notices, once each, after the batch's own notes."""
    for sample in report.samples:
        report.notes.extend(n for n in sample.notes if n not in report.notes)
