"""The outputs of a batch: checked before any work, then written whole or not at all.

- Every output (``--out``, ``--report``) is checked against every input and against each other
  before any work starts (``check_outputs``): same file (also through links), one inside the
  other, a report folder that does not exist or cannot be written.
- Outputs are whole or absent.  A folder batch writes into a staging folder inside ``--out``
  (``Stage``: ``.cdktf-fix-<pid>-<hex>.tmp``) whose content is moved into place at the end; a
  JSONL output and the report (``write_report``) are written to an unnamed file in the output's
  folder (``AtomicFile``, ``O_TMPFILE``: nothing is left if the process dies), or, where the file
  system has no unnamed files, to ``.<name>.cdktf-fix-<pid>-<hex>.tmp``, then renamed over the
  output.  A staging folder or temporary file whose process is gone (the batch was killed with
  SIGKILL) is removed by the next batch writing to the same output; one of a live process is
  left alone.
- A file that cannot be written (disk full, a name the file system refuses) is not left behind
  half-written (``write_new`` removes it, ``AtomicFile.discard`` drops it); what that means for
  the batch (a bad sample, or a JSONL batch that stops) is the caller's.

Errors are ``BatchError`` with one line naming the option (``--out``, ``--report``).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

from cdktf_fix.io.atomic import stat_or_none, temp_name, temp_pattern, write_all, write_atomically
from cdktf_fix.io.errors import BatchError
from cdktf_fix.io.processes import remove_leftovers
from cdktf_fix.io.sources import error_reason

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_STAGE_STEM = ".cdktf-fix-"  # the staging folder: .cdktf-fix-<pid>-<hex>.tmp inside --out
_STAGE_PATTERN = temp_pattern(_STAGE_STEM)


def real_path(path: Path | str) -> Path:
    return Path(os.path.realpath(path))


# --- checked before any work ---------------------------------------------------------------------

def _same(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file: the same inode (links, hard links, bind
    mounts) or the same resolved path (for what does not exist yet)."""
    sa, sb = stat_or_none(a), stat_or_none(b)
    if sa is not None and sb is not None and (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino):
        return True
    return real_path(a) == real_path(b)


def _inside(inner: Path, outer: Path) -> bool:
    """Whether ``inner`` is strictly inside the folder ``outer``, by resolved paths or by the
    inode of any existing folder above ``inner`` (a bind mount or another name of ``outer``)."""
    real_inner, real_outer = real_path(inner), real_path(outer)
    if real_inner != real_outer and real_inner.is_relative_to(real_outer):
        return True
    outer_info = stat_or_none(outer)
    if outer_info is None or not stat.S_ISDIR(outer_info.st_mode):
        return False
    key = (outer_info.st_dev, outer_info.st_ino)
    for folder in real_inner.parents:
        info = stat_or_none(folder)
        if info is not None and (info.st_dev, info.st_ino) == key:
            return True
    return False


def _existing_ancestor(path: Path) -> Path:
    for folder in real_path(path).parents:
        if stat_or_none(folder) is not None:
            return folder
    return Path("/")


def _check_writable_folder(option: str, path: Path, folder: Path, create: bool) -> None:
    """``folder`` (where ``path`` goes) exists or (``create``) can be made, and can be written."""
    info = stat_or_none(folder)
    if info is None:
        if not create:
            raise BatchError(f"{option} {path}: the folder {folder} does not exist")
        folder = _existing_ancestor(folder)
        info = stat_or_none(folder)
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
        raise BatchError(f"{source}: {error_reason(error)}") from None
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
        existing = stat_or_none(path)
        if existing is not None:
            if stat.S_ISDIR(existing.st_mode):
                if not wants_folder:
                    raise BatchError(f"{option} {path} is a folder" + ("; a file input (JSONL or Parquet) needs an output file" if option == "--out" else ""))
            elif wants_folder:
                raise BatchError(f"--out {path} exists and is not an empty folder")
            elif not stat.S_ISREG(existing.st_mode):
                raise BatchError(f"{option} {path}: not a regular file (a FIFO, device or socket): not written")
        elif os.path.islink(path) and not os.path.exists(path):
            raise BatchError(f"{option} {path}: broken or looping symbolic link")
        if option == "--out":
            _check_writable_folder(option, path, real_path(path) if wants_folder and existing is not None else real_path(path).parent, create=True)
    if report is not None:
        if _same(report, out):
            raise BatchError("--report must differ from --out")
        if source_is_folder and _inside(report, out):
            raise BatchError(f"--report {report} is inside --out {out}: it would become part of the repaired copy")
        _check_writable_folder("--report", report, real_path(report).parent, create=False)


# --- files ---------------------------------------------------------------------------------------

def write_new(dest: Path, data, mode: int, times: tuple[int, int] | None = None) -> None:
    """Write ``data`` (bytes, or the descriptor of a file to copy) to the new file ``dest`` in the
    staging folder; on any error nothing is left at ``dest``."""
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _O_CLOEXEC | _O_NOFOLLOW, 0o600)
    try:
        try:
            if isinstance(data, int):
                while chunk := os.read(data, 1 << 20):
                    write_all(fd, chunk)
            else:
                write_all(fd, data)
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


def write_report(path: Path, result) -> None:
    """Write ``result`` (a ``BatchReport``: its ``to_dict()``) as JSON to ``path`` atomically (a
    link is written through: the file it points at is replaced).  Raises ``BatchError`` with one
    line when it cannot be written; the previous file at ``path``, if any, is then left as it
    was."""
    data = (json.dumps(result.to_dict(), indent=2) + "\n").encode("utf-8")
    try:
        write_atomically(real_path(path), data)
    except OSError as error:
        raise BatchError(f"--report {path}: not written: {error_reason(error)}") from None


# --- folders -------------------------------------------------------------------------------------

class Stage:
    """The staging folder of a folder batch, inside ``--out``: moved into place by ``commit``,
    removed by ``discard``; the one a killed batch left is removed by the next batch into the
    same ``--out``."""

    def __init__(self, out: Path) -> None:
        self.shown = out
        self.out = real_path(out)
        self.created = False
        info = stat_or_none(self.out)
        if info is not None:
            if not stat.S_ISDIR(info.st_mode):
                raise BatchError(f"--out {out} exists and is not an empty folder")
            _, live = remove_leftovers(self.out, _STAGE_PATTERN)
            if live:
                raise BatchError(f"--out {out}: another cdktf-fix batch (process {live[0]}) is writing into it")
            try:
                left = os.listdir(self.out)
            except OSError as error:
                raise BatchError(f"--out {out}: {error_reason(error)}") from None
            if left:
                raise BatchError(f"--out {out} exists and is not an empty folder")
        else:
            try:
                os.makedirs(self.out)
            except OSError as error:
                raise BatchError(f"--out {out}: cannot be created ({error_reason(error)})") from None
            self.created = True
        self.path = self.out / temp_name(_STAGE_STEM)
        try:
            os.mkdir(self.path)
        except OSError as error:
            self.discard()
            raise BatchError(f"--out {out}: not written: {error_reason(error)}") from None

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
            raise BatchError(f"--out {self.shown}: not written: {error_reason(error)}; nothing was written") from None

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self.created:
            try:
                os.rmdir(self.out)
            except OSError:
                pass
