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
    results: list[VerifyResult | None] = [None] * len(units)
    if not units:
        return []
    remove_stale_folders()
    run_folder = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-"))
    pending = iter(range(len(units)))
    lock = threading.Lock()
    live: set[Worker] = set()
    startup_failures: list[WorkerFailed] = []
    state = {"stopping": False, "started": 0}
    width = max(1, min(jobs, len(units)))

    def report(callback, *args) -> None:
        if callback is not None:
            with lock:
                if not state["stopping"]:
                    callback(*args)

    def start_worker(why: str | None) -> Worker:
        with lock:
            if len(startup_failures) >= 2:  # it will not start: do not wait for it again
                raise startup_failures[-1]
            if state["stopping"]:
                raise WorkerFailed("the run was stopped", "")
            state["started"] += 1
            number = state["started"]
            try:
                worker = Worker(run_folder)
            except WorkerFailed as error:
                startup_failures.append(error)
                raise
            live.add(worker)
        if why:
            message = f"starting a new synth worker ({why}; {LOADING})..."
        elif width > 1:
            message = f"starting synth worker {number} of {width} ({LOADING})..."
        else:
            message = f"starting the synth worker ({LOADING})..."
        report(on_event, "worker-starting", message)
        try:
            worker.wait_ready(startup_timeout)
        except WorkerFailed as error:
            with lock:
                live.discard(worker)
                startup_failures.append(error)
            report(on_event, "worker-failed", str(error))
            raise
        report(on_event, "worker-ready", f"synth worker ready (loaded in {worker.startup_seconds:.1f} s)")
        return worker

    def retire(worker: Worker) -> None:
        with lock:
            live.discard(worker)
        worker.close()

    def verify_one(unit: Unit, folder: Path, worker: Worker | None, why: str | None) -> tuple[VerifyResult, Worker | None]:
        started = time.perf_counter()
        try:
            entry = materialize(unit, folder)
        except NoEntry as error:
            return VerifyResult(unit.name, "no-entry", str(error), seconds=time.perf_counter() - started), worker
        except DoesNotParse as error:
            message = str(error)
            return VerifyResult(unit.name, "error", message, failure_class(message), seconds=time.perf_counter() - started), worker
        except Exception as error:  # unreadable file, a name refused, ...
            return VerifyResult(unit.name, "error", f"could not prepare the sample: {error}"), worker
        if worker is not None and worker.samples >= samples_per_process:
            retire(worker)
            worker, why = None, f"the last one ran {samples_per_process} samples"
        if worker is None:
            try:
                worker = start_worker(why)
            except WorkerFailed as error:
                return VerifyResult(unit.name, "crash", str(error), detail=error.output), None
        result, usable = worker.run(unit.name, folder, entry, timeout)
        if not usable:
            retire(worker)
            worker = None
        return result, worker

    def work() -> None:
        worker: Worker | None = None
        why: str | None = None
        try:
            while True:
                with lock:
                    index = None if state["stopping"] else next(pending, None)
                    folder = Path(tempfile.mkdtemp(prefix="sample-", dir=run_folder)) if index is not None else None
                if index is None or folder is None:
                    return
                try:
                    results[index], worker = verify_one(units[index], folder, worker, why)
                finally:
                    remove_tree(folder)
                if worker is None:
                    result = results[index]
                    if result.status == "timeout":
                        why = "the last one timed out"
                    elif result.status == "crash":
                        why = "the last one did not start" if (result.error or "").startswith("the synth worker did not start") else "the last one crashed"
                report(on_result, results[index])
        except Exception:
            if not state["stopping"]:
                raise
        finally:
            if worker is not None:
                retire(worker)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(width)]
    with _SignalGuard() as guard:
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            guard.quiet = True  # a signal from here on waits for the cleanup
            with lock:
                state["stopping"] = True
                remaining = list(live)
            for worker in remaining:  # interrupted: no graceful end
                worker.kill()
            deadline = time.monotonic() + 5.0
            for thread in threads:
                if thread.ident is not None:
                    thread.join(max(0.0, deadline - time.monotonic()))
            with lock:
                remaining = list(live)
                live.clear()
            for worker in remaining:
                worker.discard()
            remove_tree(run_folder)
    return [r if r is not None else VerifyResult(u.name, "crash", "not run") for r, u in zip(results, units)]
