"""A new version of a file that appears whole or not at all (``AtomicFile``), and the temporary
names that stand for it while it is written.

Temporary names carry the pid of their process (``.<name>.cdktf-fix-<pid>-<hex>.tmp``): the next
writer of the same file removes those whose process is gone (``remove_leftovers``), and leaves
those of a live process alone.  Used by ``apply`` (``sources.write_source``) and by ``batch``
(its JSONL output and its report).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import stat
from pathlib import Path

from cdktf_fix.io.processes import remove_leftovers

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def stat_or_none(path: Path | str) -> os.stat_result | None:
    """``os.stat`` (links followed), or None when there is nothing there (or it cannot be seen)."""
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


# --- temporary names -----------------------------------------------------------------------------

def _temp_stem(name: str) -> str:
    raw = os.fsencode(name)
    if len(raw) > 100:  # keep the temporary name under the 255-byte limit, whatever the output's name
        name = os.fsdecode(raw[:60]) + "~" + hashlib.sha1(raw).hexdigest()[:12]
    return f".{name}.cdktf-fix-"


def temp_pattern(stem: str) -> re.Pattern:
    return re.compile(re.escape(stem) + r"(\d+)-[0-9a-f]+\.tmp\Z")


def temp_name(stem: str) -> str:
    return f"{stem}{os.getpid()}-{secrets.token_hex(4)}.tmp"


# --- files ---------------------------------------------------------------------------------------

def write_all(fd: int, data) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _copy_range(source: int, dest: int, start: int, end: int | None = None) -> None:
    """Copy bytes ``start`` to ``end`` (None: to the end) of the file open as ``source`` to
    ``dest`` (never more in memory than 1 MB)."""
    while end is None or start < end:
        chunk = os.pread(source, 1 << 20 if end is None else min(1 << 20, end - start), start)
        if not chunk:
            break
        write_all(dest, chunk)
        start += len(chunk)


class AtomicFile:
    """A new version of the file ``path`` (a resolved path) that appears whole or not at all.

    Written to an unnamed file in the target folder (``O_TMPFILE``: nothing is left behind
    whatever happens to the process) or, where the file system has none, to a named temporary
    file (``.<name>.cdktf-fix-<pid>-<hex>.tmp``, removed by ``discard`` or by the next writer of
    the same ``path`` once this process is gone); ``commit`` renames it over ``path``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stem = _temp_stem(path.name)
        remove_leftovers(path.parent, temp_pattern(self.stem))
        existing = stat_or_none(path)
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
            self.name = path.parent / temp_name(self.stem)
            self.fd = os.open(self.name, os.O_RDWR | os.O_CREAT | os.O_EXCL | _O_CLOEXEC | _O_NOFOLLOW, 0o666)

    def write(self, data: bytes) -> None:
        self.pending += data
        if len(self.pending) >= 1 << 20:
            self.flush()

    def flush(self) -> None:
        write_all(self.fd, self.pending)
        self.pending.clear()

    def copy_from(self, fd: int, start: int, end: int) -> None:
        """Copy bytes ``start`` to ``end`` of the file open as ``fd`` (never more in memory than 1 MB)."""
        self.flush()
        _copy_range(fd, self.fd, start, end)

    def commit(self) -> None:
        self.flush()
        if self.mode is not None:
            os.fchmod(self.fd, self.mode)
        os.fsync(self.fd)
        if self.name is None:
            name = self.path.parent / temp_name(self.stem)
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
            _copy_range(self.fd, fd, 0)
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


def write_atomically(path: Path, data: bytes) -> None:
    """Replace the file ``path`` (a resolved path) with ``data``, whole or not at all: on any
    error the previous file, if any, is left as it was and nothing else is left behind."""
    output = AtomicFile(path)
    try:
        output.write(data)
        output.commit()
    except BaseException:
        output.discard()
        raise
