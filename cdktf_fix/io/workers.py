"""The batch's own pool of worker processes: a function over tasks, the results in order.

Generic over the task function: it knows nothing of samples or JSONL.  ``map_tasks`` runs a
function over tasks in ``jobs`` worker processes (in the calling process for one) and yields
the results in the order of the tasks.  Its rules:

- Workers are started as work comes (never more than ``jobs``), each runs ``setup`` once, and
  they are ended when the iteration ends or is closed: gently when every task is done, at once
  otherwise (an exception, a signal).  ``jobs == 1`` runs in the calling process (no worker to
  lose); ``clamp_jobs`` keeps ``jobs`` to ``JOBS_PER_CPU`` per core.
- A worker that dies (a crash in a native parser, an OOM kill) or a task that raises is handed
  to the caller's ``crashed(task, reason, progress)`` (``the worker died (signal 11)``), with
  the last item the task reported through ``report_progress``; it returns the task's result,
  or a ``Retry`` to run a new task in its place.  A new worker takes the rest.
- Workers watch the main process and exit on their own within about a second when it is
  killed (SIGKILL); with them gone, the multiprocessing forkserver exits too.
- Within ``interruptible``, SIGTERM, SIGHUP or SIGINT stop the main process with
  ``BatchInterrupted`` once the body's cleanup has ended the workers (and removed its temporary
  files).  Workers ignore SIGHUP and SIGINT: the main process ends them.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cdktf_fix.io.errors import BatchError, BatchInterrupted
from cdktf_fix.io.processes import STOP_SIGNALS, SignalStop, alive
from cdktf_fix.io.sources import error_reason

JOBS_PER_CPU = 4  # more workers than this per core is clamped: it only costs memory


def clamp_jobs(jobs: int) -> tuple[int, str | None]:
    """The worker count to use, and a note when ``jobs`` was clamped (never an OverflowError)."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise BatchError(f"--jobs must be a whole number of at least 1, not {jobs!r}")
    cores = os.cpu_count() or 1
    limit = JOBS_PER_CPU * cores
    if jobs > limit:
        shown = str(jobs) if len(str(jobs)) <= 20 else str(jobs)[:20] + "..."
        return limit, f"--jobs {shown} is more than {JOBS_PER_CPU} per core: {limit} workers used ({cores} cores)"
    return jobs, None


# --- signals -------------------------------------------------------------------------------------

class _Interrupt(BaseException):
    """Raised by the signal handler: not an ``Exception``, so that no ``except Exception`` on
    the way (a codemod guard) can swallow it; ``BatchInterrupted`` once the cleanup is done."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def interruptible():
    """While the batch runs, SIGTERM, SIGHUP and SIGINT stop it in the main thread (the body's
    cleanup ends the workers and removes temporary files), then ``BatchInterrupted`` is raised;
    a second signal during that cleanup is ignored.  Signals ignored on entry (``nohup``) stay
    ignored."""
    try:
        with SignalStop(lambda number, handler: handler is not signal.SIG_IGN, _Interrupt):
            yield
    except _Interrupt as interrupt:
        raise BatchInterrupted(interrupt.signum) from None


# --- workers -------------------------------------------------------------------------------------

_PROGRESS: Callable[[str], None] = lambda item: None  # noqa: E731 - tells the main process which item runs
_CURRENT: list = [None]  # the item last reported (in-process runs)


def report_progress(item: str) -> None:
    """Called by a task: ``item`` (a name of the task's choosing) is what it works on now; if
    its worker dies, ``crashed`` is told."""
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
            while alive(pid):
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="cdktf-fix parent watch", daemon=True).start()


def _worker_main(conn, setup: Callable | None, setup_args: tuple, parent: int) -> None:
    """A worker: runs ``(function, task)`` messages until the connection closes."""
    global _PROGRESS
    for number in STOP_SIGNALS:
        if number != getattr(signal, "SIGTERM", None):
            signal.signal(number, signal.SIG_IGN)  # Ctrl-C or a hangup stops the batch; the batch ends its workers
    _watch_parent(parent)
    if setup is not None:
        setup(*setup_args)
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
class Retry:
    """What a crash handler returns to run a task again (with what it learnt)."""

    task: object


def _died(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"the worker died (signal {-exitcode})"
    return f"the worker died (exit code {exitcode})"


class _Worker:
    def __init__(self, context, setup: Callable | None, setup_args: tuple) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, setup, setup_args, os.getpid()), name="cdktf-fix batch worker", daemon=True)
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
        if not isinstance(outcome, Retry):
            return outcome
        task = outcome.task


def map_tasks(function: Callable, tasks: Iterable, jobs: int, crashed: Callable,
              setup: Callable | None = None, setup_args: tuple = ()) -> Iterator:
    """``function`` over ``tasks``, the results in order, in ``jobs`` worker processes (in this
    process for one), each of which first runs ``setup(*setup_args)``.

    ``function`` and ``setup`` are module-level functions (they are sent to the workers by
    name).  A task whose worker dies (or raises) is handed to ``crashed(task, reason,
    progress)`` with the last item the task reported through ``report_progress``; it returns the
    task's result, or a ``Retry`` to run a new task in its place.  Workers are started as work
    comes (never more than ``jobs``), replaced when they die, and ended when the iteration ends
    or is closed: gently when every task is done, at once otherwise (an exception, a signal).
    """
    if jobs <= 1:
        if setup is not None:
            setup(*setup_args)
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
            if isinstance(outcome, Retry):
                waiting.appendleft((worker.index, outcome.task))
            else:
                results[worker.index] = outcome
        worker.end(0)

    def start() -> _Worker | None:
        try:
            worker = _Worker(context, setup, setup_args)
        except OSError as error:
            if not workers:
                raise BatchError(f"cannot start worker processes: {error_reason(error)}") from None
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
                        index, task, item = worker.index, worker.task, worker.progress
                        worker.index = worker.task = None
                        if kind == "done":
                            results[index] = value
                        else:
                            outcome = crashed(task, value, item)
                            if isinstance(outcome, Retry):
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
