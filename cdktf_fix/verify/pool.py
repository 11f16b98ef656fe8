"""``verify_units``: the run, ``jobs`` threads that each drive one synth worker.

- Every sample runs in a fresh folder; a worker is replaced when a sample times out or crashes
  it, and after ``samples_per_process`` samples.  When two workers failed to start, the rest
  is not waited for: each remaining unit is that ``crash``.
- Everything a run writes is in one folder, ``cdktf-fix-verify-<pid>-<random>`` in the
  temporary folder (the workers' homes, jsii's unpacked runtime, every sample's copy), removed
  when the run ends, also after Ctrl-C, SIGTERM or SIGHUP (which kill the workers and their node
  first).  Only SIGKILL leaves it: the next run removes every such folder of this user whose
  ``<pid>`` no longer runs (``remove_stale_folders``).
- In the main thread, SIGTERM and SIGHUP (left at their default, which ends the process on the
  spot) raise, as Ctrl-C does, so that the run stops its workers and removes its folders; then
  the signal is delivered again and ends the process as it would have.  A signal that arrives
  during that cleanup waits for its end.  A handler of the caller's own is left alone.
- Callbacks (``on_result``, ``on_event``) are called one at a time, and not once the run is
  being stopped.
"""

from __future__ import annotations

import math
import os
import re
import signal
import stat
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from cdktf_fix.io.processes import SignalStop, remove_leftovers, remove_tree
from cdktf_fix.verify.results import VerifyResult, failure_class
from cdktf_fix.verify.units import DoesNotParse, NoEntry, Unit, materialize
from cdktf_fix.verify.workers import Worker, WorkerFailed

STARTUP_TIMEOUT = 600.0
LOADING = "loading the AWS provider, ~20 s"


# -- temporary folders -------------------------------------------------------------------

RUN_PREFIX = "cdktf-fix-verify-"
_RUN_NAME = re.compile(r"cdktf-fix-verify-(\d+)-[a-z0-9_]+")


def _own_folder(entry: os.DirEntry) -> bool:
    """A folder of this user's (not a link to one)."""
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and (not hasattr(os, "getuid") or info.st_uid == os.getuid())


def remove_stale_folders(temp: str | os.PathLike | None = None) -> list[Path]:
    """Remove what verify runs that were killed (SIGKILL, a lost machine) left behind.

    Every run keeps its files in one folder, ``cdktf-fix-verify-<pid>-<random>`` in the
    temporary folder (its workers' homes and jsii's unpacked runtime, and every sample's copy),
    and removes it when it ends, also on SIGTERM, SIGHUP and Ctrl-C.  Only SIGKILL leaves it:
    the next run removes every such folder of this user whose ``<pid>`` no longer runs.
    Returns the folders removed.
    """
    base = Path(temp) if temp is not None else Path(tempfile.gettempdir())
    return remove_leftovers(base, _RUN_NAME, mine=_own_folder)[0]


# -- signals -----------------------------------------------------------------------------


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived while verify_units ran; raised in the main thread."""


def _at_default(number: int, handler) -> bool:
    """The handler is Python's default (a handler of the caller's own stays)."""
    return handler is (signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL)


def _stopping(number: int) -> BaseException:
    return KeyboardInterrupt() if number == signal.SIGINT else _Terminated(number)


class _SignalGuard(SignalStop):
    """While verify_units runs in the main thread: SIGTERM and SIGHUP (left at their default,
    which ends the process on the spot) raise, as Ctrl-C does, so that the run stops its workers
    and removes its folders; then the signal is delivered again and ends the process as it
    would have.  A signal that arrives during that cleanup (``quiet``) waits for its end."""

    def __init__(self):
        super().__init__(_at_default, _stopping)

    def __exit__(self, kind, error, traceback) -> bool:
        super().__exit__(kind, error, traceback)
        if self.received is not None and self.received != signal.SIGINT:
            os.kill(os.getpid(), self.received)  # the default action: the process ends here
            raise SystemExit(128 + self.received)  # the signal is blocked in this thread
        if self.received == signal.SIGINT and kind is None:
            raise KeyboardInterrupt
        return False


# -- the run -----------------------------------------------------------------------------


def _seconds(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number of seconds above 0, not {value!r}")
    return float(value)


def _count(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
    return value

class _Run:
    """One ``verify_units`` call: its units and settings, and what its threads share.

    Each thread (``work``) drives one worker of its own; ``lock`` guards the rest: the units not
    taken yet, the live workers, the failed starts, the count of starts, ``stopping`` and the
    callbacks (called one at a time, and not once ``stopping`` is set).
    """

    def __init__(self, units: list[Unit], folder: Path, jobs: int, timeout: float, samples_per_process: int,
                 startup_timeout: float, on_result: Callable[[VerifyResult], None] | None,
                 on_event: Callable[[str, str], None] | None) -> None:
        self.units = units
        self.folder = folder  # cdktf-fix-verify-<pid>-<random>: everything the run writes
        self.threads = [threading.Thread(target=self.work, daemon=True) for _ in range(min(jobs, len(units)))]
        self.timeout = timeout
        self.samples_per_process = samples_per_process
        self.startup_timeout = startup_timeout
        self.on_result = on_result
        self.on_event = on_event
        self.lock = threading.Lock()
        self.results: list[VerifyResult | None] = [None] * len(units)  # by index; None: not run
        self.pending = iter(range(len(units)))  # indexes of the units not taken yet
        self.live: set[Worker] = set()  # started and not retired: killed if the run is stopped
        self.startup_failures: list[WorkerFailed] = []  # after two, no worker is started again
        self.workers_started = 0  # numbers the "starting synth worker <n> of <jobs>" messages
        self.stopping = False  # set once, when the run ends or is interrupted

    def report(self, callback, *args) -> None:
        if callback is not None:
            with self.lock:
                if not self.stopping:
                    callback(*args)

    def take(self) -> int | None:
        """The next unit's index; None when none is left or the run stops."""
        with self.lock:
            return None if self.stopping else next(self.pending, None)

    def start_worker(self, why: str | None) -> Worker:
        with self.lock:
            if len(self.startup_failures) >= 2:  # it will not start: do not wait for it again
                raise self.startup_failures[-1]
            if self.stopping:
                raise WorkerFailed("the run was stopped", "")
            self.workers_started += 1
            number = self.workers_started
            try:
                worker = Worker(self.folder)
            except WorkerFailed as error:
                self.startup_failures.append(error)
                raise
            self.live.add(worker)
        if why:
            message = f"starting a new synth worker ({why}; {LOADING})..."
        elif len(self.threads) > 1:
            message = f"starting synth worker {number} of {len(self.threads)} ({LOADING})..."
        else:
            message = f"starting the synth worker ({LOADING})..."
        self.report(self.on_event, "worker-starting", message)
        try:
            worker.wait_ready(self.startup_timeout)
        except WorkerFailed as error:
            with self.lock:
                self.live.discard(worker)
                self.startup_failures.append(error)
            self.report(self.on_event, "worker-failed", str(error))
            raise
        self.report(self.on_event, "worker-ready", f"synth worker ready (loaded in {worker.startup_seconds:.1f} s)")
        return worker

    def retire(self, worker: Worker) -> None:
        with self.lock:
            self.live.discard(worker)
        worker.close()

    def verify_one(
        self, unit: Unit, folder: Path, worker: Worker | None, why: str | None
    ) -> tuple[VerifyResult, Worker | None, str | None]:
        """Run one unit on ``worker`` (started, or replaced, as needed): the result, the worker to
        go on with, and why the next worker is a new one when that worker is None."""
        started = time.perf_counter()
        try:
            entry = materialize(unit, folder)
        except NoEntry as error:
            return VerifyResult(unit.name, "no-entry", str(error), seconds=time.perf_counter() - started), worker, why
        except DoesNotParse as error:
            message = str(error)
            return VerifyResult(unit.name, "error", message, failure_class(message), seconds=time.perf_counter() - started), worker, why
        except Exception as error:  # unreadable file, a name refused, ...
            message = f"could not prepare the sample: {error}"
            return VerifyResult(unit.name, "error", message, seconds=time.perf_counter() - started), worker, why
        if worker is not None and worker.samples >= self.samples_per_process:
            self.retire(worker)
            worker, why = None, f"the last one ran {self.samples_per_process} samples"
        if worker is None:
            try:
                worker = self.start_worker(why)
            except WorkerFailed as error:
                return VerifyResult(unit.name, "crash", str(error), detail=error.output), None, "the last one did not start"
        result, usable = worker.run(unit.name, folder, entry, self.timeout)
        if usable:
            return result, worker, None
        self.retire(worker)
        if result.status == "timeout":
            return result, None, "the last one timed out"
        if result.status == "crash":
            return result, None, "the last one crashed"
        return result, None, "the last one exited"  # it could not restore its state after the sample

    def work(self) -> None:
        """One thread: units one at a time on a worker of its own, until none is left or the run stops."""
        worker: Worker | None = None
        why: str | None = None  # why the next worker replaces the last one
        try:
            while (index := self.take()) is not None:
                try:
                    folder = Path(tempfile.mkdtemp(prefix="sample-", dir=self.folder))
                except OSError as error:  # the disk is full, the folder is gone, ...
                    self.results[index] = VerifyResult(self.units[index].name, "error", f"could not prepare the sample: {error}")
                else:
                    try:
                        self.results[index], worker, why = self.verify_one(self.units[index], folder, worker, why)
                    finally:
                        remove_tree(folder)
                self.report(self.on_result, self.results[index])
        except Exception:
            if not self.stopping:
                raise
        finally:
            if worker is not None:
                self.retire(worker)

    def run(self) -> list[VerifyResult]:
        with _SignalGuard() as guard:
            try:
                for thread in self.threads:
                    thread.start()
                for thread in self.threads:
                    thread.join()
            finally:
                guard.quiet = True  # a signal from here on waits for the cleanup
                self.stop()
                self.clean_up()
        return [r if r is not None else VerifyResult(u.name, "crash", "not run") for r, u in zip(self.results, self.units)]

    def stop(self) -> None:
        """No callback, unit or worker start from now on; the live workers are killed (no graceful end)."""
        with self.lock:
            self.stopping = True
            remaining = list(self.live)
        for worker in remaining:
            worker.kill()

    def clean_up(self) -> None:
        """The threads get 5 s in all to end; the workers left are discarded, then the run's folder removed."""
        deadline = time.monotonic() + 5.0
        for thread in self.threads:
            if thread.ident is not None:
                thread.join(max(0.0, deadline - time.monotonic()))
        with self.lock:
            remaining = list(self.live)
            self.live.clear()
        for worker in remaining:
            worker.discard()
        remove_tree(self.folder)


def missing_synth_packages() -> str | None:
    """Why ``verify`` cannot synthesize in this interpreter (the ``synth`` extra is not
    installed, or node is missing), or None.  Nothing is imported: the packages are looked up."""
    import importlib.util
    import shutil

    missing = [name for name in ("cdktf", "cdktf_cdktf_provider_aws") if importlib.util.find_spec(name) is None]
    if missing:
        return (
            f"verify synthesizes with cdktf and the AWS provider, and {', '.join(missing)} is not installed here: "
            "pip install 'cdktf-fix[synth]' (or run cdktf-fix from the project's own virtualenv)"
        )
    if shutil.which("node") is None:
        return "verify needs node on PATH (jsii runs the provider in node): install Node.js 20 or later"
    return None


def verify_units(
    units: list[Unit],
    jobs: int = 1,
    timeout: float = 120.0,
    samples_per_process: int = 50,
    on_result: Callable[[VerifyResult], None] | None = None,
    startup_timeout: float = STARTUP_TIMEOUT,
    on_event: Callable[[str, str], None] | None = None,
) -> list[VerifyResult]:
    """Synthesize every unit; results in input order.  ``samples_per_process=1``: one process each.

    ``jobs`` threads each drive one worker; ``timeout`` counts from when a sample is sent (a
    finite number of seconds above 0, as ``startup_timeout``: anything else is a ValueError).
    ``on_result(result)`` is called as each unit ends; ``on_event(kind, message)`` when a worker
    starts loading jsii (``"worker-starting"``: that takes ~20 s), when it is ready
    (``"worker-ready"``) and when it could not start (``"worker-failed"``).  Messages are plain
    text, one line.  Both are called one at a time, and not once the run is being stopped.

    Everything the run writes is in one temporary folder, removed at the end, also when the
    run is interrupted (Ctrl-C, or SIGTERM/SIGHUP in the main thread, which then end the
    process as they would have); folders of killed runs are removed at the start
    (``remove_stale_folders``).  No worker or node process outlives the run.
    """
    timeout = _seconds("timeout", timeout)
    startup_timeout = _seconds("startup_timeout", startup_timeout)
    jobs = _count("jobs", jobs)
    samples_per_process = _count("samples_per_process", samples_per_process)
    if not units:
        return []
    remove_stale_folders()
    run_folder = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-"))
    return _Run(units, run_folder, jobs, timeout, samples_per_process, startup_timeout, on_result, on_event).run()
