"""What the batch and verify both need of processes: is a pid alive, leftovers of dead runs,
stop signals.

- ``alive(pid)``: a process that has ended is not alive, also while it waits to be reaped (a
  zombie), and neither is a pid no process can have.
- Leftovers (``remove_leftovers``): files and folders whose name carries the pid of the process
  that made them; those whose process is gone (killed with SIGKILL) are removed, those of live
  processes left alone.  Folders go with ``remove_tree``, also when what ran in them left
  sub-folders without write permission.
- ``SignalStop``: while its body runs in the main thread, the first SIGTERM, SIGHUP or SIGINT
  raises there, so that the body's cleanup ends the workers and removes the temporary files;
  the signals after it are ignored.  What the first one raises, and which handlers may be
  replaced, is the caller's.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import threading
from collections.abc import Callable
from pathlib import Path

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (this one always does; a zombie, dead but not yet reaped,
    does not; nor does a pid out of range)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except (OverflowError, ValueError, OSError):
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            info = handle.read()
        return info[info.rindex(b")") + 2 :][:1] != b"Z"
    except (OSError, ValueError):
        return True


def remove_tree(path: str | os.PathLike) -> None:
    """Remove a folder, also when the code it ran left sub-folders without write permission."""
    shutil.rmtree(path, ignore_errors=True)
    if not os.path.lexists(path) or os.path.islink(path):
        return
    try:
        os.chmod(path, stat.S_IRWXU)
        for root, folders, _ in os.walk(path):
            for name in folders:
                if not os.path.islink(os.path.join(root, name)):
                    os.chmod(os.path.join(root, name), stat.S_IRWXU)
    except OSError:
        pass
    shutil.rmtree(path, ignore_errors=True)


def remove_leftovers(folder: str | os.PathLike, pattern: re.Pattern,
                     mine: Callable[[os.DirEntry], bool] | None = None) -> tuple[list[Path], list[int]]:
    """Remove the entries of ``folder`` whose whole name matches ``pattern`` (its group 1: the
    pid of the process that made them), ``mine`` accepts, and whose process is gone (a folder,
    not a link to one, with ``remove_tree``; anything else is unlinked).

    Returns the paths removed and the pids of the live processes whose entries were left.
    """
    removed: list[Path] = []
    live: list[int] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed, live
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or (mine is not None and not mine(entry)):
            continue
        pid = int(match[1])
        if alive(pid):
            live.append(pid)
            continue
        if entry.is_dir(follow_symlinks=False):
            remove_tree(entry.path)
        else:
            try:
                os.unlink(entry.path)
            except OSError:
                pass
        if not os.path.lexists(entry.path):
            removed.append(Path(entry.path))
    return removed, live


class SignalStop:
    """While the body runs in the main thread: the first of ``STOP_SIGNALS`` raises
    ``stopping(signal)`` there (unless ``quiet`` is set: the cleanup has begun and must not be
    cut short), later ones are ignored; ``received`` is the first.  Only the handlers that
    ``replaces(signal, handler)`` accepts are replaced, and they are restored at the end.
    Elsewhere than in the main thread, nothing is done."""

    def __init__(self, replaces: Callable[[int, object], bool], stopping: Callable[[int], BaseException]) -> None:
        self.replaces = replaces
        self.stopping = stopping
        self.previous: dict[int, object] = {}
        self.received: int | None = None
        self.quiet = False

    def __enter__(self) -> "SignalStop":
        if threading.current_thread() is threading.main_thread():
            for number in STOP_SIGNALS:
                if self.replaces(number, signal.getsignal(number)):
                    self.previous[number] = signal.signal(number, self._handle)
        return self

    def _handle(self, number: int, frame) -> None:
        if self.received is not None:
            return
        self.received = number
        if not self.quiet:
            raise self.stopping(number)

    def __exit__(self, kind, error, traceback) -> bool:
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        return False
