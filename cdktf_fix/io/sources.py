"""Files in, files out: discovery, reading, repairing and atomic writing.

Python files are repaired whole; markdown files (``.md``) have their fenced Python blocks
repaired in place (see ``cdktf_fix.io.markdown``).

Bytes outside the edits stay as they were: files are decoded without newline translation (so
CRLF stays CRLF), a UTF-8 BOM is kept, and a write goes to a temporary file in the same folder
that replaces the original by rename, keeping its mode.  A file that changed on disk since it
was read is not overwritten.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from cdktf_fix.engine import Engine, may_hold_provider_code
from cdktf_fix.engine.result import RepairResult, Status
from cdktf_fix.schema.project import generated_bindings

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

    def to_dict(self, applied: bool) -> dict:
        files = []
        for outcome in self.files:
            entry = {"path": str(outcome.path), **outcome.result.to_dict(), "written": outcome.written}
            for fix in entry["fixes"]:
                fix["applied"] = fix["applied"] and applied and outcome.written
            files.append(entry)
        return {
            "files": files,
            "summary": {
                "files": len(self.files),
                "changed": len(self.changed),
                "fixes": sum(1 for f in self.files for x in f.result.fixes if x.applied),
                "unsafe_fixes_not_applied": sum(1 for f in self.files for x in f.result.fixes if not x.applied),
                "findings": self.count("findings"),
                "errors": len(self.errors),
                "skipped_blocks": self.skipped_blocks,
            },
        }


def _is_venv(path: Path) -> bool:
    return (path / "pyvenv.cfg").is_file()


MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
SOURCE_SUFFIXES = frozenset({".py"}) | MARKDOWN_SUFFIXES


def is_markdown(path: Path) -> bool:
    return path.suffix.lower() in MARKDOWN_SUFFIXES


def iter_source_files(paths: Iterable[Path]) -> Iterator[Path | tuple[Path, str]]:
    """Python and markdown files under ``paths``; a (path, reason) tuple for paths that cannot
    be walked.

    Named files are always taken (as markdown when they end in ``.md``, else as Python); folders are walked recursively, skipping hidden folders,
    virtual environments, ``cdktf.out``, generated bindings (``.gen``, ``imports``) and
    ``node_modules``.  Symlinked folders are not followed (no loops).
    """
    seen: set[str] = set()  # real paths: a file named twice, or reached through a link, is taken once
    broken: set[str] = set()
    for root in paths:
        if not root.exists():
            if os.path.abspath(root) not in broken:
                broken.add(os.path.abspath(root))
                yield (root, "broken or looping symbolic link" if root.is_symlink() else "no such file or directory")
            continue
        if root.is_file():
            resolved = os.path.realpath(root)
            if resolved not in seen:
                seen.add(resolved)
                yield root
            continue
        for folder, dirs, files in os.walk(root, followlinks=False):
            base = Path(folder)
            real_folder = os.path.realpath(folder)  # once a folder: only links among its files resolve on their own
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS and not _is_venv(base / d))
            for name in sorted(files):
                if os.path.splitext(name)[1].lower() in SOURCE_SUFFIXES and not name.startswith("."):
                    path = base / name
                    try:
                        if os.path.islink(path):
                            resolved = str(path.resolve(strict=True))
                        else:
                            resolved = os.path.join(real_folder, name)
                    except (OSError, RuntimeError):
                        if os.path.abspath(path) not in broken:
                            broken.add(os.path.abspath(path))
                            yield (path, "broken or looping symbolic link")
                        continue
                    if resolved not in seen:
                        seen.add(resolved)
                        yield path


MAX_BYTES = 10_000_000  # larger files are reported and left alone


def read_source(path: Path) -> SourceText:
    """Read a Python or markdown file as text; raises ValueError with a reason for files that
    are too large, binary or not UTF-8."""
    info = path.stat()
    if info.st_size > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 1_000_000} MB")
    data = path.read_bytes()
    bom = data.startswith(_BOM)
    if bom:
        data = data[len(_BOM):]
    if b"\x00" in data:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 (byte {error.start}: {error.reason})") from None
    return SourceText(text, bom, info.st_mtime_ns, info.st_size)


def encode_source(text: str, original: SourceText) -> bytes:
    """``text`` as the bytes of a file read as ``original`` (its BOM kept)."""
    return (_BOM if original.bom else b"") + text.encode("utf-8")


def write_source(path: Path, text: str, original: SourceText) -> None:
    """Atomically replace ``path`` with ``text``, unless it changed since it was read."""
    info = path.stat()
    if (info.st_mtime_ns, info.st_size) != (original.mtime_ns, original.size):
        raise OSError("changed on disk since it was read; not overwritten")
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise OSError("read-only file; not overwritten")
    data = encode_source(text, original)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".cdktf-fix.tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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


def repair_file(engine_for, path: Path, write: bool) -> FileOutcome:
    """Read, repair and (when ``write``) atomically rewrite one file."""
    try:
        source = read_source(path)
    except (OSError, ValueError) as error:
        return _failed(path, _reason(error))
    # a file that cannot hold provider code is not parsed: nor is the folder tree looked up for it
    generated = generated_bindings(path) if may_hold_provider_code(source.text) else frozenset()
    result = repair_text(engine_for(generated), source.text, is_markdown(path))
    outcome = FileOutcome(path, result)
    if write and result.changed and result.status is Status.CHANGED:
        try:
            write_source(path, result.new_source, source)
            outcome.written = True
        except OSError as error:
            outcome.result = replace(result, new_source=result.source, status=Status.ERROR, error=f"not written: {_reason(error)}")
    return outcome


def process(engine_for, paths: Iterable[Path], write: bool, excluded=None) -> RunReport:
    """Repair every Python and markdown file under ``paths``; write results when ``write``.

    ``engine_for(generated_bindings)`` returns the engine to use for a file (the options differ
    only when a project generates provider bindings with ``cdktf get``).  ``excluded(path)`` says which files to leave out
    (the configuration's ``exclude``).
    """
    report = RunReport()
    for item in iter_source_files(paths):
        if excluded is not None and not isinstance(item, tuple) and excluded(item):
            continue
        report.files.append(_failed(*item) if isinstance(item, tuple) else repair_file(engine_for, item, write))
    return report


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error)
