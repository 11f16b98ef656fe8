"""Batch repair of generated samples into a separate output, never touching the source.

Two shapes of input:

- a folder of samples (each sub-folder or top-level ``.py``/``.md`` file is one sample): the
  output folder mirrors it, with every Python and markdown file repaired and every other file
  copied as it is;
- a JSONL dataset: one field of every record (markdown or plain code) is repaired in place, at
  the byte level: every byte of a record outside that field's JSON string is kept (number
  spellings, duplicate keys, escapes, key order, spacing), a record that does not change is
  written back byte for byte, and nothing is added unless asked (``add_counts`` adds a
  ``cdktf_fix`` field with the record's counts at the end of an object record).

Samples run in parallel worker processes, each with its own engine.  A bad sample (unreadable,
binary, unparsable, huge, or one whose worker died) is counted and named, and the batch goes on.

What can go wrong around the samples, and what happens:

- Every output (``--out``, ``--report``) is checked against every input and against each other
  before any work starts (``check_outputs``): same file (also through links), one inside the
  other, a report folder that does not exist or cannot be written.
- Outputs are whole or absent.  A folder batch writes into a staging folder inside ``--out``
  (``.cdktf-fix-<pid>-<hex>.tmp``) whose content is moved into place at the end; a JSONL
  output and the report are written to an unnamed file in the output's folder (``O_TMPFILE``:
  nothing is left if the process dies), or, where the file system has no unnamed files, to
  ``.<name>.cdktf-fix-<pid>-<hex>.tmp``, then renamed over the output.  A staging folder or
  temporary file whose process is gone (the batch was killed with SIGKILL) is removed by the
  next batch writing to the same output; one of a live process is left alone.
- A file that cannot be written (disk full, a name the file system refuses) is not left behind
  half-written: in a folder batch its sample is bad (``not written: no space left on device``,
  its fixes not counted) and the batch goes on; a JSONL batch stops with a ``BatchError`` and
  writes nothing (one output file: a dataset with holes is worse than none).
- SIGTERM, SIGHUP or SIGINT stop the batch with ``BatchInterrupted`` after the workers are
  ended and every temporary file is removed.  Workers watch the main process and exit on their
  own within about a second when it is killed (SIGKILL); with them gone, the multiprocessing
  forkserver exits too.
- A worker that dies (a crash in a native parser, an OOM kill) makes the sample it was running
  bad (``the worker died (signal 11)``); a new worker takes the rest.  In a folder sample the
  file that was being repaired is named and copied as it is, and the rest of the sample is
  repaired by the new worker.  ``jobs == 1`` runs in the main process (no worker to lose).
- Only regular files are read or copied; a FIFO, socket or device is a bad entry.  A symbolic
  link to a regular file inside the source folder is followed (the output holds a regular file
  with its target's repaired content); any other link (to a folder, outside the source, broken
  or looping) is a bad entry ``symbolic link to <target>: not followed (...)``: nothing is
  dropped silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import stat
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cdktf_fix.engine.options import Options
from cdktf_fix.engine.result import RepairResult, Status
from cdktf_fix.io import sources
from cdktf_fix.io.markdown import python_blocks
from cdktf_fix.io.sources import (
    SKIP_DIRS,
    SOURCE_SUFFIXES,
    _reason,
    encode_source,
    is_markdown,
    read_source,
    repair_text,
)
from cdktf_fix.schema.project import generated_bindings

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
COUNTS_FIELD = "cdktf_fix"
JOBS_PER_CPU = 4  # more workers than this per core is clamped: it only costs memory
_BOM = b"\xef\xbb\xbf"
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class BatchError(Exception):
    """A batch that cannot start or cannot finish (bad paths or options, an output that cannot
    be written); the one-line message says why."""


class BatchInterrupted(BatchError):
    """The batch was stopped by a signal; the workers are gone and nothing was written."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = f"signal {signum}"
        super().__init__(f"interrupted by {name}: nothing was written")


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


# --- output paths --------------------------------------------------------------------------------

def _stat(path: Path | str) -> os.stat_result | None:
    """``os.stat`` (links followed), or None when there is nothing there (or it cannot be seen)."""
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


def _real(path: Path | str) -> Path:
    return Path(os.path.realpath(path))


def _same(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file: the same inode (links, hard links, bind
    mounts) or the same resolved path (for what does not exist yet)."""
    sa, sb = _stat(a), _stat(b)
    if sa is not None and sb is not None and (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino):
        return True
    return _real(a) == _real(b)


def _inside(inner: Path, outer: Path) -> bool:
    """Whether ``inner`` is strictly inside the folder ``outer``, by resolved paths or by the
    inode of any existing folder above ``inner`` (a bind mount or another name of ``outer``)."""
    real_inner, real_outer = _real(inner), _real(outer)
    if real_inner != real_outer and real_inner.is_relative_to(real_outer):
        return True
    outer_info = _stat(outer)
    if outer_info is None or not stat.S_ISDIR(outer_info.st_mode):
        return False
    key = (outer_info.st_dev, outer_info.st_ino)
    for folder in real_inner.parents:
        info = _stat(folder)
        if info is not None and (info.st_dev, info.st_ino) == key:
            return True
    return False


def _existing_ancestor(path: Path) -> Path:
    for folder in _real(path).parents:
        if _stat(folder) is not None:
            return folder
    return Path("/")


def _check_writable_folder(option: str, path: Path, folder: Path, create: bool) -> None:
    """``folder`` (where ``path`` goes) exists or (``create``) can be made, and can be written."""
    info = _stat(folder)
    if info is None:
        if not create:
            raise BatchError(f"{option} {path}: the folder {folder} does not exist")
        folder = _existing_ancestor(folder)
        info = _stat(folder)
    if info is None or not stat.S_ISDIR(info.st_mode):
        raise BatchError(f"{option} {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BatchError(f"{option} {path}: the folder {folder} is not writable")


def check_outputs(source: Path, out: Path, report: Path | None) -> None:
    """Refuse, before any work starts, outputs that could touch an input or each other.

    Raises ``BatchError`` (one line) when: the source is missing or neither a folder nor a
    regular file; an output is the source (the same path, a symbolic or hard link to it); an
    output is inside the source folder; the source is inside the output folder; ``report`` is
    ``out`` or inside it; an existing output is not of the kind it must be (``--out`` of a folder
    batch an empty folder, of a JSONL batch a regular file; ``--report`` a regular file); the
    report's folder does not exist or cannot be written; ``--out`` cannot be created there.
    """
    try:
        info = os.stat(source)
    except OSError as error:
        if os.path.islink(source):
            raise BatchError(f"{source}: broken or looping symbolic link") from None
        raise BatchError(f"{source}: {_reason(error)}") from None
    source_is_folder = stat.S_ISDIR(info.st_mode)
    if not source_is_folder and not stat.S_ISREG(info.st_mode):
        raise BatchError(f"{source}: not a regular file or a folder (a FIFO, device or socket): not read")
    outputs = [("--out", out)] + ([("--report", report)] if report is not None else [])
    for option, path in outputs:
        wants_folder = option == "--out" and source_is_folder
        if _same(path, source):
            raise BatchError(f"{option} must differ from the source: batch never writes over its input ({path} is {source})")
        if source_is_folder and _inside(path, source):
            raise BatchError(f"{option} {path} is inside the source folder {source}")
        if _inside(source, path):
            raise BatchError(f"the source {source} is inside {option} {path}")
        existing = _stat(path)
        if existing is not None:
            if stat.S_ISDIR(existing.st_mode):
                if not wants_folder:
                    raise BatchError(f"{option} {path} is a folder" + ("; a JSONL input needs an output file" if option == "--out" else ""))
            elif wants_folder:
                raise BatchError(f"--out {path} exists and is not an empty folder")
            elif not stat.S_ISREG(existing.st_mode):
                raise BatchError(f"{option} {path}: not a regular file (a FIFO, device or socket): not written")
        elif os.path.islink(path) and not os.path.exists(path):
            raise BatchError(f"{option} {path}: broken or looping symbolic link")
        if option == "--out":
            _check_writable_folder(option, path, _real(path) if wants_folder and existing is not None else _real(path).parent, create=True)
    if report is not None:
        if _same(report, out):
            raise BatchError("--report must differ from --out")
        if source_is_folder and _inside(report, out):
            raise BatchError(f"--report {report} is inside --out {out}: it would become part of the repaired copy")
        _check_writable_folder("--report", report, _real(report).parent, create=False)


# Temporary names carry the pid of their process: the next batch writing the same output
# removes those whose process is gone.
def _temp_stem(name: str) -> str:
    raw = os.fsencode(name)
    if len(raw) > 100:  # keep the temporary name under the 255-byte limit, whatever the output's name
        name = os.fsdecode(raw[:60]) + "~" + hashlib.sha1(raw).hexdigest()[:12]
    return f".{name}.cdktf-fix-"


def _temp_pattern(stem: str) -> re.Pattern:
    return re.compile(re.escape(stem) + r"(\d+)-[0-9a-f]+\.tmp\Z")


_STAGE_STEM = ".cdktf-fix-"
_STAGE_PATTERN = _temp_pattern(_STAGE_STEM)


def _temp_name(stem: str) -> str:
    return f"{stem}{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _remove_stale(folder: Path, pattern: re.Pattern) -> list[int]:
    """Remove the temporary files and folders of ``pattern`` in ``folder`` whose process is
    gone; returns the pids of those that belong to live processes."""
    live = []
    try:
        names = os.listdir(folder)
    except OSError:
        return live
    for name in names:
        match = pattern.match(name)
        if not match:
            continue
        pid = int(match.group(1))
        if _alive(pid):
            live.append(pid)
            continue
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass
    return live


def _write_all(fd: int, data) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class _AtomicFile:
    """A new version of the file ``path`` (a resolved path) that appears whole or not at all.

    Written to an unnamed file in the target folder (``O_TMPFILE``: nothing is left behind
    whatever happens to the process) or, where the file system has none, to a named temporary
    file (``.<name>.cdktf-fix-<pid>-<hex>.tmp``, removed by ``discard`` or by the next writer of
    the same ``path`` once this process is gone); ``commit`` renames it over ``path``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stem = _temp_stem(path.name)
        _remove_stale(path.parent, _temp_pattern(self.stem))
        existing = _stat(path)
        self.mode = stat.S_IMODE(existing.st_mode) if existing is not None and stat.S_ISREG(existing.st_mode) else None
        self.name: Path | None = None
        self.fd = -1
        self.pending = bytearray()
        if hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd"):
            try:
                self.fd = os.open(path.parent, os.O_TMPFILE | os.O_RDWR | _O_CLOEXEC, 0o666)
            except OSError:
                self.fd = -1
        if self.fd < 0:
            self.name = path.parent / _temp_name(self.stem)
            self.fd = os.open(self.name, os.O_RDWR | os.O_CREAT | os.O_EXCL | _O_CLOEXEC | _O_NOFOLLOW, 0o666)

    def write(self, data: bytes) -> None:
        self.pending += data
        if len(self.pending) >= 1 << 20:
            self.flush()

    def flush(self) -> None:
        _write_all(self.fd, self.pending)
        self.pending.clear()

    def copy_from(self, fd: int, start: int, end: int) -> None:
        """Copy bytes ``start`` to ``end`` of the file open as ``fd`` (never more in memory than 1 MB)."""
        self.flush()
        while start < end:
            chunk = os.pread(fd, min(1 << 20, end - start), start)
            if not chunk:
                break
            _write_all(self.fd, chunk)
            start += len(chunk)

    def commit(self) -> None:
        self.flush()
        if self.mode is not None:
            os.fchmod(self.fd, self.mode)
        os.fsync(self.fd)
        if self.name is None:
            name = self.path.parent / _temp_name(self.stem)
            try:
                proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY | _O_CLOEXEC)
                try:
                    os.link(str(self.fd), name, src_dir_fd=proc, follow_symlinks=True)
                finally:
                    os.close(proc)
            except OSError:  # no way to name the unnamed file here: copy it to a named one
                self._copy_to(name)
            self.name = name
        os.close(self.fd)
        self.fd = -1
        os.replace(self.name, self.path)
        self.name = None

    def _copy_to(self, name: Path) -> None:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC | _O_NOFOLLOW, self.mode if self.mode is not None else 0o666)
        try:
            offset = 0
            while chunk := os.pread(self.fd, 1 << 20, offset):
                _write_all(fd, chunk)
                offset += len(chunk)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            os.unlink(name)
            raise
        os.close(fd)

    def discard(self) -> None:
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1
        if self.name is not None:
            try:
                os.unlink(self.name)
            except OSError:
                pass
            self.name = None


def write_report(path: Path, result: BatchReport) -> None:
    """Write ``result`` as JSON to ``path`` atomically (a link is written through: the file it
    points at is replaced).  Raises ``BatchError`` with one line when it cannot be written; the
    previous file at ``path``, if any, is then left as it was."""
    data = (json.dumps(result.to_dict(), indent=2) + "\n").encode("utf-8")
    target = _real(path)
    output = None
    try:
        output = _AtomicFile(target)
        output.write(data)
        output.commit()
    except OSError as error:
        if output is not None:
            output.discard()
        raise BatchError(f"--report {path}: not written: {_reason(error)}") from None
    except BaseException:
        if output is not None:
            output.discard()
        raise


# --- signals -------------------------------------------------------------------------------------

_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


class _Interrupt(BaseException):
    """Raised by the signal handler: not an ``Exception``, so that no ``except Exception`` on
    the way (a codemod guard) can swallow it; ``BatchInterrupted`` once the cleanup is done."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _interruptible():
    """While the batch runs, SIGTERM, SIGHUP and SIGINT stop it in the main thread (the body's
    cleanup ends the workers and removes temporary files), then ``BatchInterrupted`` is raised;
    a second signal during that cleanup is ignored.  Signals ignored on entry (``nohup``) stay
    ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        for number in _STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        raise _Interrupt(signum)

    previous = {}
    try:
        for number in _STOP_SIGNALS:
            handler = signal.getsignal(number)
            if handler is not signal.SIG_IGN:
                previous[number] = signal.signal(number, stop)
        yield
    except _Interrupt as interrupt:
        raise BatchInterrupted(interrupt.signum) from None
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


# --- workers -------------------------------------------------------------------------------------

_ENGINES: dict = {}
_OPTIONS: Options | None = None
_PROGRESS: Callable[[str], None] = lambda item: None  # noqa: E731 - tells the main process which file runs
_CURRENT: list = [None]  # the item last reported (in-process runs)


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


def _progress(item: str) -> None:
    _CURRENT[0] = item
    _PROGRESS(item)


def _watch_parent(pid: int) -> None:
    """End this worker as soon as the process ``pid`` (the batch) is gone, even if it was killed
    with SIGKILL and could not end its workers: a thread waits on a pidfd, or polls."""

    def watch():
        try:
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            import select

            select.select([fd], [], [])
        else:
            while _alive(pid):
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="cdktf-fix parent watch", daemon=True).start()


def _worker_main(conn, options: Options, parent: int) -> None:
    """A worker: runs ``(function, task)`` messages until the connection closes."""
    global _PROGRESS
    for number in _STOP_SIGNALS:
        if number != getattr(signal, "SIGTERM", None):
            signal.signal(number, signal.SIG_IGN)  # Ctrl-C or a hangup stops the batch; the batch ends its workers
    _watch_parent(parent)
    _init_worker(options)
    _PROGRESS = lambda item: conn.send(("progress", item))  # noqa: E731
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        function, task = message
        try:
            reply = ("done", function(task))
        except Exception as error:  # noqa: BLE001 - a bug must not stop the batch: the sample is bad
            reply = ("error", f"internal error ({type(error).__name__}: {error})")
        try:
            conn.send(reply)
        except OSError:
            return


@dataclass
class _Retry:
    """What a crash handler returns to run a task again (with what it learnt)."""

    task: object


def _died(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"the worker died (signal {-exitcode})"
    return f"the worker died (exit code {exitcode})"


class _Worker:
    def __init__(self, context, options: Options) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, options, os.getpid()), name="cdktf-fix batch worker", daemon=True)
        try:
            self.process.start()
        finally:
            child.close()
        self.index: int | None = None
        self.task = None
        self.progress: str | None = None

    def assign(self, function, index: int, task) -> None:
        self.index, self.task, self.progress = index, task, None
        self.conn.send((function, task))

    def end(self, wait: float) -> None:
        _end([self], gently=bool(wait))


def _end(workers: list[_Worker], gently: bool) -> None:
    """End ``workers``: closing their connections ends idle ones (gently: given 5 s to finish);
    then SIGTERM, then SIGKILL for any left."""
    for worker in workers:
        try:
            worker.conn.close()
        except OSError:
            pass
    deadline = time.monotonic() + (5 if gently else 0)
    for worker in workers:
        worker.process.join(max(0.0, deadline - time.monotonic()))
    for worker in workers:
        if worker.process.is_alive():
            worker.process.terminate()
    deadline = time.monotonic() + 2
    for worker in workers:
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(2)


def _call(function, task, crashed):
    """``function(task)`` in this process; an exception is handled like a worker's death."""
    while True:
        _CURRENT[0] = None
        try:
            return function(task)
        except Exception as error:  # noqa: BLE001 - a bug must not stop the batch: the sample is bad
            outcome = crashed(task, f"internal error ({type(error).__name__}: {error})", _CURRENT[0])
        if not isinstance(outcome, _Retry):
            return outcome
        task = outcome.task


def _map(function: Callable, tasks: Iterable, options: Options, jobs: int, crashed: Callable) -> Iterator:
    """``function`` over ``tasks``, the results in order, in ``jobs`` worker processes (in this
    process for one).

    A task whose worker dies (or raises) is handed to ``crashed(task, reason, progress)`` with the
    last item the task reported through ``_progress``; it returns the task's result, or a
    ``_Retry`` to run a new task in its place.  Workers are started as work comes (never more than
    ``jobs``), replaced when they die, and ended when the iteration ends or is closed: gently when
    every task is done, at once otherwise (an exception, a signal).
    """
    if jobs <= 1:
        _init_worker(options)
        for task in tasks:
            yield _call(function, task, crashed)
        return
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    window = jobs * 16  # bounded look-ahead: a huge dataset is never all in memory
    workers: list[_Worker] = []
    idle: list[_Worker] = []
    waiting: deque = deque()  # (index, task) to hand out: retries first
    results: dict = {}
    source = iter(tasks)
    taken = done = 0
    exhausted = finished = False

    def bury(worker: _Worker) -> None:
        """A worker is gone: blame its task, if it had one."""
        workers.remove(worker)
        if worker in idle:
            idle.remove(worker)
        worker.process.join(1)
        if worker.task is not None:
            outcome = crashed(worker.task, _died(worker.process.exitcode), worker.progress)
            if isinstance(outcome, _Retry):
                waiting.appendleft((worker.index, outcome.task))
            else:
                results[worker.index] = outcome
        worker.end(0)

    def start() -> _Worker | None:
        try:
            worker = _Worker(context, options)
        except OSError as error:
            if not workers:
                raise BatchError(f"cannot start worker processes: {_reason(error)}") from None
            return None  # fewer workers than asked: the others go on
        workers.append(worker)
        return worker

    try:
        while True:
            while True:  # hand out work
                if not waiting and not exhausted and taken - done < window:
                    try:
                        waiting.append((taken, next(source)))
                        taken += 1
                    except StopIteration:
                        exhausted = True
                if not waiting:
                    break
                worker = idle.pop() if idle else start() if len(workers) < jobs else None
                if worker is None:
                    break
                index, task = waiting.popleft()
                try:
                    worker.assign(function, index, task)
                except OSError:  # it died while idle: the task goes back, unblamed
                    worker.task = None
                    waiting.appendleft((index, task))
                    bury(worker)
            while done in results:
                yield results.pop(done)
                done += 1
            busy = [w for w in workers if w.task is not None]
            if not busy:
                if exhausted and not waiting and done == taken:
                    break
                if not waiting and not exhausted:
                    continue
                if waiting and not workers:
                    continue  # every worker died: start new ones
                raise RuntimeError("batch scheduler stalled")  # never expected: better than dropping tasks
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.conn not in ready and worker.process.sentinel not in ready:
                    continue
                try:
                    while worker.task is not None and worker.conn.poll():
                        kind, value = worker.conn.recv()
                        if kind == "progress":
                            worker.progress = value
                            continue
                        index, task, progress = worker.index, worker.task, worker.progress
                        worker.index = worker.task = None
                        if kind == "done":
                            results[index] = value
                        else:
                            outcome = crashed(task, value, progress)
                            if isinstance(outcome, _Retry):
                                waiting.appendleft((index, outcome.task))
                            else:
                                results[index] = outcome
                        idle.append(worker)
                except (EOFError, OSError):
                    bury(worker)
                    continue
                if worker.task is not None and not worker.process.is_alive():
                    bury(worker)
        finished = True
    finally:
        _end(workers, gently=finished)


def _clamp_jobs(jobs: int) -> tuple[int, str | None]:
    """The worker count to use, and a note when ``jobs`` was clamped (never an OverflowError)."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise BatchError(f"--jobs must be a whole number of at least 1, not {jobs!r}")
    cores = os.cpu_count() or 1
    limit = JOBS_PER_CPU * cores
    if jobs > limit:
        shown = str(jobs) if len(str(jobs)) <= 20 else str(jobs)[:20] + "..."
        return limit, f"--jobs {shown} is more than {JOBS_PER_CPU} per core: {limit} workers used ({cores} cores)"
    return jobs, None


# --- folders of samples --------------------------------------------------------------------------

def _follow(path: Path, real_root: Path) -> tuple[Path | None, str | None]:
    """A symbolic link: (its target, None) when it is a regular file inside the source folder,
    else (None, why it is not followed)."""
    try:
        shown = os.readlink(path)
    except OSError as error:
        return None, _reason(error)
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


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a regular file"


def _write_new(dest: Path, data, mode: int, times: tuple[int, int] | None = None) -> None:
    """Write ``data`` (bytes, or the descriptor of a file to copy) to the new file ``dest`` in the
    staging folder; on any error nothing is left at ``dest``."""
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _O_CLOEXEC | _O_NOFOLLOW, 0o600)
    try:
        try:
            if isinstance(data, int):
                while chunk := os.read(data, 1 << 20):
                    _write_all(fd, chunk)
            else:
                _write_all(fd, data)
            os.fchmod(fd, mode)
            if times is not None:
                os.utime(fd, ns=times)
        finally:
            os.close(fd)
    except BaseException:
        try:
            os.unlink(dest)
        except OSError:
            pass
        raise


def _copy_file(read_path: Path, dest: Path, report: SampleReport, name: str) -> None:
    """Copy a regular file as it is (a FIFO or device is never opened for reading)."""
    try:
        fd = os.open(read_path, os.O_RDONLY | _O_NONBLOCK | _O_CLOEXEC | _O_NOFOLLOW)
    except OSError as error:
        report.errors.append(f"{name}: not copied: {_reason(error)}")
        return
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            report.errors.append(f"{name}: {_kind(info.st_mode)}: not copied")
            return
        _write_new(dest, fd, stat.S_IMODE(info.st_mode), (info.st_atime_ns, info.st_mtime_ns))
    except OSError as error:
        report.errors.append(f"{name}: not written: {_reason(error)}")
    finally:
        os.close(fd)


def _copy_text(read_path: Path, where: Path, dest: Path, report: SampleReport, name: str) -> None:
    """Repair one Python or markdown file into ``dest``; a bad file is copied as it is.  Its
    fixes count only once the repaired file is written."""
    try:
        source = read_source(read_path)
    except (OSError, ValueError) as error:
        report.files += 1
        report.errors.append(f"{name}: {_reason(error)}")
        info = _stat(read_path)
        if info is not None and stat.S_ISREG(info.st_mode):
            _copy_file(read_path, dest, report, name)
        return
    result = repair_text(_engine_for(generated_bindings(where)), source.text, is_markdown(where))
    info = _stat(read_path)
    try:
        _write_new(dest, encode_source(result.new_source, source), stat.S_IMODE(info.st_mode) if info else 0o644)
    except OSError as error:
        report.files += 1
        report.errors.append(f"{name}: not written: {_reason(error)}")
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
            report.errors.append(f"{Path(current).relative_to(root)}/: folder cannot be read ({_reason(error)}): not copied")
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
        report.errors.append(f"{name}: {_reason(error)}")
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
        report.errors.append(f"{name}: {_kind(info.st_mode)}: not read")
        return
    dest = out_root / relative
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        report.errors.append(f"{name}: not written: {_reason(error)}")
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
    real_root = _real(src_root)
    path = src_root / name
    try:
        is_folder = stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        is_folder = False
    for entry in (_entries(path, src_root, report) if is_folder else [path]):
        relative = str(entry.relative_to(src_root))
        _progress(relative)
        _repair_entry(entry, src_root, real_root, out_root, report, copy_only.get(relative))
    report.seconds = time.perf_counter() - start
    return report


def _sample_crashed(task: tuple, reason: str, progress: str | None):
    """The worker of a folder sample died: run the sample again, copying the file that was
    being repaired as it is; without such a file the sample is bad."""
    copy_only = tuple(task[3]) if len(task) > 3 else ()
    if progress is not None and progress not in dict(copy_only):
        return _Retry((*task[:3], (*copy_only, (progress, reason))))
    report = SampleReport(str(task[2]))
    report.errors.append(f"{progress}: {reason}" if progress else reason)
    return report


class _Stage:
    """The staging folder of a folder batch, inside ``--out``: moved into place by ``commit``,
    removed by ``discard``; the one a killed batch left is removed by the next batch into the
    same ``--out``."""

    def __init__(self, out: Path) -> None:
        self.shown = out
        self.out = _real(out)
        self.created = False
        info = _stat(self.out)
        if info is not None:
            if not stat.S_ISDIR(info.st_mode):
                raise BatchError(f"--out {out} exists and is not an empty folder")
            live = _remove_stale(self.out, _STAGE_PATTERN)
            if live:
                raise BatchError(f"--out {out}: another cdktf-fix batch (process {live[0]}) is writing into it")
            try:
                left = os.listdir(self.out)
            except OSError as error:
                raise BatchError(f"--out {out}: {_reason(error)}") from None
            if left:
                raise BatchError(f"--out {out} exists and is not an empty folder")
        else:
            try:
                os.makedirs(self.out)
            except OSError as error:
                raise BatchError(f"--out {out}: cannot be created ({_reason(error)})") from None
            self.created = True
        self.path = self.out / _temp_name(_STAGE_STEM)
        try:
            os.mkdir(self.path)
        except OSError as error:
            self.discard()
            raise BatchError(f"--out {out}: not written: {_reason(error)}") from None

    def commit(self) -> None:
        moved = []
        try:
            for name in sorted(os.listdir(self.path)):
                os.rename(self.path / name, self.out / name)
                moved.append(name)
            os.rmdir(self.path)
        except OSError as error:
            for name in moved:  # what was moved already goes too: the output is whole or absent
                target = self.out / name
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target, ignore_errors=True)
                else:
                    target.unlink(missing_ok=True)
            self.discard()
            raise BatchError(f"--out {self.shown}: not written: {_reason(error)}; nothing was written") from None

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self.created:
            try:
                os.rmdir(self.out)
            except OSError:
                pass


def _top_level(src: Path, real_root: Path) -> tuple[list[str], list[Path], list[SampleReport]]:
    """The samples of ``src`` (names), the other top-level files to copy, and bad entries."""
    try:
        with os.scandir(src) as scan:
            children = sorted(scan, key=lambda e: e.name)
    except OSError as error:
        raise BatchError(f"{src}: folder cannot be read ({_reason(error)})") from None
    samples: list[str] = []
    extras: list[Path] = []
    bad: list[SampleReport] = []
    for entry in children:
        name, path = entry.name, Path(entry.path)
        skipped_folder = name.startswith(".") or name in SKIP_DIRS
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as error:
            bad.append(SampleReport(name, errors=[_reason(error)]))
            continue
        mode = info.st_mode
        if stat.S_ISLNK(mode):
            target_info = _stat(path)
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
            bad.append(SampleReport(name, errors=[f"{_kind(mode)}: not read"]))
        elif path.suffix.lower() in SOURCE_SUFFIXES and not name.startswith("."):
            samples.append(name)
        else:
            extras.append(path)  # top-level files that are not samples ride along
    return samples, extras, bad


def batch_folder(src: Path, out: Path, options: Options, jobs: int = 1, on_sample=None, on_start=None) -> BatchReport:
    """Repair every sample of the folder ``src`` into the folder ``out`` (new or empty)."""
    check_outputs(src, out, None)
    if not src.is_dir():
        raise BatchError(f"{src}: not a folder of samples")
    jobs, note = _clamp_jobs(jobs)
    real_root = _real(src)
    names, extras, bad = _top_level(src, real_root)
    report = BatchReport(jobs=jobs, notes=[note] if note else [])
    start = time.perf_counter()
    with _interruptible():
        stage = _Stage(out)
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
            with closing(_map(repair_sample, tasks, options, jobs, _sample_crashed)) as results:
                for sample in results:
                    report.samples.append(sample)
                    if on_sample:
                        on_sample(sample)
            stage.commit()
        except BaseException:
            stage.discard()
            raise
    report.samples.sort(key=lambda s: s.name)
    report.seconds = time.perf_counter() - start
    return report


# --- JSONL datasets ------------------------------------------------------------------------------

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


# A small JSON tokenizer over a record's text, already checked by ``json.loads``: it finds the
# exact span of one value so that a record is edited without re-serializing anything else.
_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_SCALAR = re.compile(r"[^ \t\n\r,\]}]+")
_STRUCTURE = re.compile(r'["\[\]{}]')
_SURROGATE = re.compile("[\ud800-\udfff]")


def _skip_ws(text: str, i: int) -> int:
    return _WS.match(text, i).end()


def _skip_value(text: str, i: int) -> int:
    """The end of the JSON value that starts at ``i`` (iteratively: depth costs nothing)."""
    first = text[i]
    if first == '"':
        return _STRING.match(text, i).end()
    if first not in "[{":
        return _SCALAR.match(text, i).end()
    depth = 0
    while True:
        match = _STRUCTURE.search(text, i)
        char = match.group()
        if char == '"':
            i = _STRING.match(text, match.start()).end()
            continue
        depth += 1 if char in "[{" else -1
        i = match.end()
        if depth == 0:
            return i


def _members(text: str, i: int) -> tuple[list[tuple[str, int, int]], int]:
    """The members of the object at ``i``: (key, value start, value end), and where its ``}`` is."""
    members = []
    i = _skip_ws(text, i + 1)
    if text[i] == "}":
        return members, i
    while True:
        end = _STRING.match(text, i).end()
        token = text[i:end]
        key = json.loads(token) if "\\" in token else token[1:-1]
        start = _skip_ws(text, _skip_ws(text, end) + 1)  # past the ':'
        end = _skip_value(text, start)
        members.append((key, start, end))
        i = _skip_ws(text, end)
        if text[i] == "}":
            return members, i
        i = _skip_ws(text, i + 1)  # past the ','


def _elements(text: str, i: int) -> list[tuple[int, int]]:
    elements = []
    i = _skip_ws(text, i + 1)
    if text[i] == "]":
        return elements
    while True:
        end = _skip_value(text, i)
        elements.append((i, end))
        i = _skip_ws(text, end)
        if text[i] == "]":
            return elements
        i = _skip_ws(text, i + 1)


def _value_span(text: str, path: list[str]) -> tuple[int, int]:
    """Where the value at ``path`` is in the record ``text``: the last of duplicate keys, as
    ``json.loads`` reads it."""
    start = _skip_ws(text, 0)
    for key in path:
        first = text[start]
        if first == "{":
            found = [m for m in _members(text, start)[0] if m[0] == key]
            if not found:
                raise KeyError(key)
            start = found[-1][1]
        elif first == "[" and key.lstrip("-").isdigit():
            start = _elements(text, start)[int(key)][0]
        else:
            raise KeyError(key)
    return start, _skip_value(text, start)


def _json_string(value: str) -> str:
    """``value`` as a JSON string: non-ASCII kept as it is, lone surrogates (which UTF-8 cannot
    hold; they come from escapes in the input) escaped."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _with_counts(text: str, counts: dict) -> str:
    """The object record ``text`` with ``cdktf_fix`` set to ``counts``: its value replaced when
    the record has one, else added after the last member; nothing else moves."""
    start = _skip_ws(text, 0)
    members, close = _members(text, start)
    value = json.dumps(counts)
    existing = [m for m in members if m[0] == COUNTS_FIELD]
    if existing:
        _, begin, end = existing[-1]
        return text[:begin] + value + text[end:]
    if members:
        at = members[-1][2]
        return f'{text[:at]}, "{COUNTS_FIELD}": {value}{text[at:]}'
    return f'{text[:start + 1]}"{COUNTS_FIELD}": {value}{text[start + 1:]}'


def _split_ending(line: bytes) -> tuple[bytes, bytes]:
    if line.endswith(b"\r\n"):
        return line[:-2], b"\r\n"
    if line.endswith(b"\n"):
        return line[:-1], b"\n"
    return line, b""


def repair_record(task: tuple) -> tuple[bytes | tuple[int, int], SampleReport | None]:
    """Repair one JSONL line (bytes); returns the line to write and its report, None for a blank
    line (runs in a worker).

    Only the field's JSON string changes (and, with ``add_counts``, the ``cdktf_fix`` member of
    an object record: counts are only added to object records); every other byte of the line is
    kept.  A line too long to read (``(start, end)`` instead of bytes) is bad and kept as it is.
    """
    number, line, field_path, add_counts = task
    if isinstance(line, tuple):
        report = SampleReport(f"line {number}")
        report.errors.append(f"record larger than {_max_record() // 1_000_000} MB: kept as it is")
        return line, report
    if not line.strip():
        return line, None
    report = SampleReport(f"line {number}")
    start = time.perf_counter()
    body, ending = _split_ending(line)
    prefix = _BOM if number == 1 and body.startswith(_BOM) else b""
    body = body[len(prefix):]
    path = field_path.split(".")
    try:
        text = body.decode("utf-8")
        record = json.loads(text)
        value = _get(record, path)
        if not isinstance(value, str):
            raise TypeError(f"field {field_path!r} is {type(value).__name__}, not text")
        begin, end = _value_span(text, path)
        if json.loads(text[begin:end]) != value:
            raise _Misplaced()
    except UnicodeDecodeError as error:
        report.errors.append(f"not UTF-8 (byte {error.start + len(prefix)}: {error.reason})")
    except RecursionError:
        report.errors.append("not JSON (too deeply nested)")
    except _Misplaced:
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
    if len(value) > sources.MAX_BYTES:
        report.files = 1
        report.errors.append(f"field {field_path!r} larger than {sources.MAX_BYTES // 1_000_000} MB")
    else:
        result = repair_text(_engine_for(), value, markdown=bool(python_blocks(value)))
        if result.changed:
            new_text = text[:begin] + _json_string(result.new_source) + text[end:]
            try:
                placed = _get(json.loads(new_text), path) == result.new_source
            except (ValueError, KeyError, IndexError, TypeError, RecursionError):
                placed = False
            if not placed:  # never expected: the record is kept rather than written wrong
                new_text = text
                report.files = 1
                report.errors.append("internal error: the repaired field could not be placed in the record; kept as it is")
        if new_text != text or not result.changed:
            report.add(result)
    if add_counts and isinstance(record, dict):
        new_text = _with_counts(new_text, report.counts())
    if new_text != text:
        line = prefix + new_text.encode("utf-8") + ending
    report.seconds = time.perf_counter() - start
    return line, report


class _Misplaced(Exception):
    pass


def _record_crashed(task: tuple, reason: str, progress: str | None):
    number, line = task[0], task[1]
    report = SampleReport(f"line {number}")
    report.errors.append(reason)
    return line, report


def _max_record() -> int:
    """The longest line read as a record: larger ones are bad and copied as they are."""
    return 4 * sources.MAX_BYTES


def _lines(handle, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(start, line or None when longer than ``limit``, end) of every line (``\\n``-terminated);
    a long line is skipped through, never read whole."""
    offset = 0
    while line := handle.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            end = offset + len(line)
            while not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
                if not line:
                    break
                end += len(line)
            yield offset, None, end
            offset = end
        else:
            yield offset, line, offset + len(line)
            offset += len(line)


def _open_dataset(src: Path) -> int:
    try:
        fd = os.open(src, os.O_RDONLY | _O_NONBLOCK | _O_CLOEXEC)
    except OSError as error:
        raise BatchError(f"{src}: {_reason(error)}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BatchError(f"{src}: not a regular file (a FIFO, device or socket): not read")
    return fd


def batch_jsonl(src: Path, out: Path, field_path: str, options: Options, jobs: int = 1,
                add_counts: bool = False, on_sample=None, on_start=None) -> BatchReport:
    """Repair ``field_path`` (dotted for nested fields) of every record of ``src`` into ``out``."""
    check_outputs(src, out, None)
    if not field_path or any(not part for part in field_path.split(".")):
        raise BatchError(f"--field {field_path!r}: name a field, dotted for nested fields (messages.1.content)")
    if src.is_dir():
        raise BatchError(f"{src} is a folder, not a JSONL dataset")
    jobs, note = _clamp_jobs(jobs)
    limit = _max_record()
    target = _real(out)
    fd = _open_dataset(src)
    try:
        try:
            with open(os.dup(fd), "rb") as handle:  # a dup shares the offset: start from 0
                handle.seek(0)
                total = sum(1 for _, line, _ in _lines(handle, limit) if line is None or line.strip())
        except OSError as error:
            raise BatchError(f"{src}: {_reason(error)}") from None
        if on_start:
            on_start(total)

        def tasks():
            try:
                with open(os.dup(fd), "rb") as handle:
                    handle.seek(0)
                    for number, (begin, line, end) in enumerate(_lines(handle, limit), 1):
                        yield number, line if line is not None else (begin, end), field_path, add_counts
            except OSError as error:
                raise BatchError(f"{src}: cannot be read ({_reason(error)}): nothing was written") from None

        report = BatchReport(jobs=jobs, notes=[note] if note else [])
        start = time.perf_counter()
        with _interruptible():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                output = _AtomicFile(target)
            except OSError as error:
                raise BatchError(f"--out {out}: not written: {_reason(error)}") from None
            try:
                with closing(_map(repair_record, tasks(), options, jobs, _record_crashed)) as results:
                    for line, sample in results:
                        if isinstance(line, tuple):
                            output.copy_from(fd, *line)
                        else:
                            output.write(line)
                        if sample is None:
                            continue  # blank lines are kept, not counted
                        report.samples.append(sample)
                        if on_sample:
                            on_sample(sample)
                output.commit()
            except OSError as error:
                output.discard()
                raise BatchError(f"--out {out}: not written: {_reason(error)}; the batch stopped and nothing was written") from None
            except BaseException:
                output.discard()
                raise
    finally:
        os.close(fd)
    report.seconds = time.perf_counter() - start
    return report


def is_jsonl(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in JSONL_SUFFIXES
