"""Files in, files out: discovery, reading, repairing and atomic writing.

Python files are repaired whole; markdown files (``.md``) have their fenced Python blocks
repaired in place (see ``cdktf_fix.io.markdown``).

Bytes outside the edits stay as they were: files are decoded without newline translation (so
CRLF stays CRLF), a UTF-8 BOM is kept, and a write goes to a temporary file in the same folder
that replaces the original by rename, keeping its mode (``cdktf_fix.io.atomic``).  A file that changed on disk since it
was read is not overwritten.
"""

from __future__ import annotations

import difflib
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from cdktf_fix.engine import Engine, may_hold_provider_code
from cdktf_fix.engine.result import RepairResult, Status
from cdktf_fix.io.atomic import write_atomically
from cdktf_fix.schema.project import generated_bindings
from cdktf_fix.schema.target import imported_packages

_BOM = b"\xef\xbb\xbf"
SKIP_DIRS = frozenset({"cdktf.out", "imports", "node_modules", "__pycache__", "site-packages", "venv", "env", "build", "dist"})


@dataclass
class SourceText:
    text: str
    bom: bool
    mtime_ns: int
    size: int


@dataclass
class FileOutcome:
    path: Path
    result: RepairResult
    written: bool = False

    @property
    def error(self) -> str | None:
        return self.result.error

    def diff(self) -> str:
        old = self.result.source.splitlines(keepends=True)
        new = self.result.new_source.splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, str(self.path), str(self.path))
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


@dataclass
class RunReport:
    files: list[FileOutcome] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what could not be checked, once per project

    @property
    def changed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.result.changed]

    @property
    def errors(self) -> list[FileOutcome]:
        return [f for f in self.files if f.result.status is Status.ERROR]

    @property
    def skipped_blocks(self) -> int:
        return sum(len(f.result.skipped) for f in self.files)

    def count(self, attribute: str) -> int:
        return sum(len(getattr(f.result, attribute)) for f in self.files)

    def fixes(self, written_only: bool) -> int:
        """Fixes applied (``written_only``: only those in files that were written)."""
        return sum(1 for f in self.files if f.written or not written_only for x in f.result.fixes if x.applied)

    def to_dict(self, applied: bool) -> dict:
        """The run as JSON.  A file's ``status`` is ``changed``, ``unchanged``, ``not-checked``
        (it cannot hold provider code, or opts out with ``# cdktf-fix: ignore-file``) or
        ``skipped`` (it could not be read, parsed, repaired or written: ``error`` says why), the
        same words the text output uses."""
        files = []
        for outcome in self.files:
            entry = {"path": str(outcome.path), **outcome.result.to_dict(), "written": outcome.written}
            entry["status"] = {"error": "skipped", "skipped": "not-checked"}.get(entry["status"], entry["status"])
            for fix in entry["fixes"]:
                fix["applied"] = fix["applied"] and applied and outcome.written
            files.append(entry)
        return {
            "files": files,
            "notices": list(self.notices),
            "summary": {
                "files": len(self.files),
                "changed": len(self.changed),
                "fixes": self.fixes(written_only=applied),
                "unsafe_fixes_not_applied": sum(1 for f in self.files for x in f.result.fixes if not x.applied),
                "findings": self.count("findings"),
                "skipped": len(self.errors),
                "skipped_blocks": self.skipped_blocks,
            },
        }


def _is_venv(path: Path) -> bool:
    try:
        return (path / "pyvenv.cfg").is_file()
    except OSError:
        return False


MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
SOURCE_SUFFIXES = frozenset({".py"}) | MARKDOWN_SUFFIXES
_NOT_REGULAR = "not a regular file (a FIFO, device or socket): not read"


def is_markdown(path: Path) -> bool:
    return path.suffix.lower() in MARKDOWN_SUFFIXES


def _kind(path: Path) -> tuple[str | None, str | None]:
    """(``"file"``, ``"folder"`` or None, the reason when None) for a path, links followed."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None, "broken or looping symbolic link" if os.path.islink(path) else "no such file or directory"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, "broken or looping symbolic link"
        return None, error_reason(error)
    if stat.S_ISDIR(info.st_mode):
        return "folder", None
    if stat.S_ISREG(info.st_mode):
        return "file", None
    return None, _NOT_REGULAR


def iter_source_files(paths: Iterable[Path]) -> Iterator[Path | tuple[Path, str]]:
    """Python and markdown files under ``paths``; a (path, reason) tuple for what cannot be
    read: a missing path, a broken or looping link, a folder that cannot be listed, and anything
    that is not a regular file (a FIFO or device is never opened).

    Named files are always taken (as markdown when they end in ``.md``, else as Python); folders
    are walked recursively, skipping hidden folders, virtual environments, ``cdktf.out``,
    generated bindings (``.gen``, ``imports``) and ``node_modules``.  Symlinked folders are not
    followed (no loops); a symlinked file is read (and written) through its link.
    """
    seen: set[str] = set()  # real paths: a file named twice, or reached through a link, is taken once
    reported: set[str] = set()

    def bad(path: Path, reason: str):
        key = os.path.abspath(path)
        if key not in reported:
            reported.add(key)
            yield (path, reason)

    def take(path: Path, real_folder: str | None = None, entry: os.DirEntry | None = None):
        """A file: a plain file of a folder walked (``entry``) costs no system call more."""
        plain = entry is not None and not entry.is_symlink()
        if plain and entry.is_file():
            resolved = os.path.join(real_folder, entry.name)
        else:
            kind, reason = _kind(path)
            if kind != "file":
                yield from bad(path, reason or _NOT_REGULAR)
                return
            resolved = os.path.realpath(path)
        if resolved not in seen:
            seen.add(resolved)
            yield path

    for root in paths:
        kind, reason = _kind(root)
        if kind is None:
            yield from bad(root, reason)
        elif kind == "file":
            yield from take(root)
        else:
            stack = [root]
            while stack:
                folder = stack.pop()
                try:
                    real_folder = os.path.realpath(folder)  # once a folder
                    with os.scandir(folder) as entries:
                        children = sorted(entries, key=lambda e: e.name)
                except OSError as error:
                    yield from bad(folder, f"folder cannot be read ({error_reason(error)}): skipped")
                    continue
                subfolders = []
                for entry in children:
                    name = entry.name
                    try:
                        is_folder = entry.is_dir(follow_symlinks=False)
                    except OSError:
                        is_folder = False
                    if is_folder:
                        if not name.startswith(".") and name not in SKIP_DIRS and not _is_venv(Path(entry.path)):
                            subfolders.append(Path(entry.path))
                    elif os.path.splitext(name)[1].lower() in SOURCE_SUFFIXES and not name.startswith("."):
                        yield from take(Path(entry.path), real_folder, entry)
                stack.extend(reversed(subfolders))


MAX_BYTES = 10_000_000  # larger files are reported and left alone


class NotRegular(ValueError):
    """A FIFO, socket or device where a regular file was to be read: never read."""

    def __init__(self, mode: int) -> None:
        super().__init__(_NOT_REGULAR)
        self.mode = mode


def file_kind(mode: int) -> str:
    """What a file of ``mode`` that is not regular is, for messages: ``a FIFO``, ``a device``..."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: Path, follow_links: bool = True) -> tuple[int, os.stat_result]:
    """Open ``path`` for reading, and its ``fstat``: without blocking (a FIFO never waits for a
    writer) and checked on the open descriptor, so that nothing but a regular file is ever read.
    Raises ``NotRegular`` (a ValueError) for anything else, OSError when it cannot be opened (a
    symbolic link too, unless ``follow_links``)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags if follow_links else flags | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
    except BaseException:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotRegular(info.st_mode)
    return fd, info


def read_source(path: Path) -> SourceText:
    """Read a Python or markdown file as text; raises ValueError with a reason for what is not
    a regular file, too large, binary or not UTF-8.  Nothing but a regular file is ever read
    (``open_regular``), and never more than the limit."""
    fd, info = open_regular(path)
    try:
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 1_000_000} MB")
    data = b"".join(chunks)
    return SourceText(*decode_source(data), info.st_mtime_ns, info.st_size)


def decode_source(data: bytes) -> tuple[str, bool]:
    """The text of a file's bytes and whether it starts with a UTF-8 BOM; ValueError with a
    reason for binary or non-UTF-8 data."""
    bom = data.startswith(_BOM)
    if bom:
        data = data[len(_BOM):]
    if b"\x00" in data:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8"), bom
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 (byte {error.start}: {error.reason})") from None


def encode_source(text: str, original: SourceText) -> bytes:
    """``text`` as the bytes of a file read as ``original`` (its BOM kept)."""
    return (_BOM if original.bom else b"") + text.encode("utf-8")


def write_source(path: Path, text: str, original: SourceText) -> None:
    """Atomically replace the file at ``path`` with ``text``, unless it changed since it was
    read.  A symbolic link is written through: the file it points at changes, the link stays."""
    target = Path(os.path.realpath(path))
    info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file; not overwritten")
    if (info.st_mtime_ns, info.st_size) != (original.mtime_ns, original.size):
        raise OSError(errno.EAGAIN, "changed on disk since it was read; not overwritten")
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise OSError(errno.EACCES, "read-only file; not overwritten")
    write_atomically(target, encode_source(text, original))  # keeps the mode; nothing left behind if this process dies


def _failed(path: Path, reason: str, source: str = "") -> FileOutcome:
    return FileOutcome(path, RepairResult(source, source, status=Status.ERROR, error=reason))


def repair_text(engine: Engine, text: str, markdown: bool) -> RepairResult:
    """Repair Python source, or the Python blocks of markdown; never raises."""
    from cdktf_fix.io.markdown import repair_markdown

    try:
        return repair_markdown(engine, text) if markdown else engine.repair(text)
    except RecursionError:
        return RepairResult(text, text, status=Status.ERROR, error="too deeply nested to parse")
    except Exception as error:  # a bug in a codemod must never lose the file or stop the run
        return RepairResult(text, text, status=Status.ERROR, error=f"internal error ({type(error).__name__}: {error}); left as it was")


def repair_as(engine_for, path: Path, text: str, in_project: bool = True) -> RepairResult:
    """Repair ``text`` as the file ``path``: markdown or Python by its name, with the engine of
    its configuration, its project's target and the bindings its project generates
    (``in_project``: ``path`` is where the file is, not only a name).  Text that cannot hold
    provider code is not parsed, and no folder is looked up for it.

    ``engine_for(path, generated, imported)`` gets the bindings ``cdktf get`` generates for the
    project and the framework and provider packages the text imports (they decide the target
    when nothing of the project does)."""
    if not may_hold_provider_code(text):
        return repair_text(engine_for(path, frozenset(), frozenset()), text, is_markdown(path))
    generated = generated_bindings(path) if in_project else frozenset()
    engine = engine_for(path, generated, imported_packages(text))
    result = repair_text(engine, text, is_markdown(path))
    if result.status is not Status.SKIPPED:
        result.target = engine.target_label
    return result


def repair_file(engine_for, path: Path, write: bool) -> FileOutcome:
    """Read, repair and (when ``write``) atomically rewrite one file.  ``write`` may be a reason
    (a string) why this file must not be written; its repair is then reported, not applied."""
    try:
        source = read_source(path)
    except (OSError, ValueError) as error:
        return _failed(path, error_reason(error))
    result = repair_as(engine_for, path, source.text)
    outcome = FileOutcome(path, result)
    if write and result.changed and result.status is Status.CHANGED:
        try:
            if isinstance(write, str):
                raise OSError(errno.EPERM, write)
            write_source(path, result.new_source, source)
            outcome.written = True
        except OSError as error:
            outcome.result = replace(result, new_source=result.source, status=Status.ERROR, error=f"not written: {error_reason(error)}")
    return outcome


def process(engine_for, items: Iterable[Path | tuple[Path, str]], write: bool, roots: Iterable[Path] = (), excluded=None) -> RunReport:
    """Repair every file of ``items`` (what ``iter_source_files`` found under ``roots``); write
    the results when ``write``.

    ``engine_for(path, generated_bindings, imported)`` returns the engine for a file (see
    ``repair_as``); ``excluded(path)`` says
    which files to leave out.  A file found in a folder through a symbolic link to a file outside
    every folder given is repaired but never written (the link's target is not the user's to
    change); a file named on the command line is written through its link.
    """
    roots = list(roots)
    folders = [os.path.realpath(r) for r in roots if os.path.isdir(r)]
    named = {os.path.abspath(r) for r in roots if not os.path.isdir(r)}
    report = RunReport()
    for item in items:
        if isinstance(item, tuple):
            report.files.append(_failed(*item))
            continue
        if excluded is not None and excluded(item):
            continue
        allowed: bool | str = write
        if write and os.path.islink(item) and os.path.abspath(item) not in named:
            target = os.path.realpath(item)
            if not any(target == f or target.startswith(f.rstrip(os.sep) + os.sep) for f in folders):
                allowed = f"a symbolic link to {target}, outside the folders given; not written"
        report.files.append(repair_file(engine_for, item, allowed))
    return report


def error_reason(error: Exception) -> str:
    """What went wrong, for a one-line message: an OS error's own words (``permission denied``)."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error)
