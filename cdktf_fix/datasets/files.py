"""The files of a dataset: one file, or a folder of shards.

A dataset is one JSONL (``.jsonl``, ``.ndjson``) or Parquet (``.parquet``) file, or a folder
whose files are all shards of one kind (hive partition folders included).  Names starting with
``.`` or ``_`` are left out, as pyarrow's datasets do (``_SUCCESS``, ``_metadata``, ``.crc``
files); a folder holding any other file is not a dataset (it is a folder of samples).  Shards
are read in sorted path order and written to the same relative paths under the output; nothing
but the shards is written.

Outputs are whole or absent (``DatasetOutput``): a one-file dataset's output is an
``AtomicFile`` renamed over ``--out``; a folder's shards are written into a staging folder
inside ``--out`` (``Stage``) and moved into place at the end.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cdktf_fix.io.atomic import AtomicFile
from cdktf_fix.io.errors import BatchError
from cdktf_fix.io.outputs import Stage, real_path

JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
IGNORED_PREFIXES = (".", "_")  # pyarrow.dataset's default ignore_prefixes


@dataclass(frozen=True)
class Shard:
    """One file of a dataset: where it is read, and where its output goes."""

    path: Path  # the file to read
    relative: PurePosixPath | None  # its path under the dataset folder; None for a one-file dataset

    def name(self, unit: str, number: int) -> str:
        """A record's name in reports: ``line 3``, or ``part-1.jsonl line 3`` in a folder."""
        return f"{unit} {number}" if self.relative is None else f"{self.relative.as_posix()} {unit} {number}"

    @property
    def shown(self) -> str:
        return str(self.path) if self.relative is None else self.relative.as_posix()


def _ignored(name: str) -> bool:
    return name.startswith(IGNORED_PREFIXES)


def _walk(folder: Path):
    """(relative path, kind) of every entry under ``folder`` that a dataset reads, folder by
    folder in name order (not yet in path order); kind is "file", "link-folder" (a linked
    folder: not followed) or "other" (a FIFO, a socket, a broken link...)."""
    for root, folders, files in os.walk(folder):
        base = Path(root)
        kept = []
        for name in sorted(folders):
            if _ignored(name):
                continue
            if os.path.islink(base / name):
                yield base.joinpath(name).relative_to(folder), "link-folder"
            else:
                kept.append(name)
        folders[:] = kept
        for name in sorted(files):
            if _ignored(name):
                continue
            path = base / name
            try:
                mode = os.stat(path).st_mode
            except OSError:
                mode = 0
            yield path.relative_to(folder), "file" if stat.S_ISREG(mode) else "other"


def _has_suffix(relative: Path, suffixes: tuple[str, ...]) -> bool:
    return relative.suffix.lower() in suffixes


def shards(src: Path, suffixes: tuple[str, ...]) -> list[Shard]:
    """The shards of the dataset ``src``: itself for a file, else its files with ``suffixes``
    in sorted path order.  Raises ``BatchError`` for one that is not a regular file, for a
    linked folder (not followed, rather than dropped silently), and when there is none."""
    if not src.is_dir():
        return [Shard(src, None)]
    found = []
    for relative, kind in _walk(src):
        if kind == "link-folder":
            raise BatchError(f"{src}: {relative.as_posix()} is a symbolic link to a folder: not followed")
        if not _has_suffix(relative, suffixes):
            continue
        if kind != "file":
            raise BatchError(f"{src}: {relative.as_posix()} is not a regular file (broken link, FIFO, device or socket)")
        found.append(PurePosixPath(relative.as_posix()))
    if not found:
        raise BatchError(f"{src}: no {' or '.join(suffixes)} files in the folder")
    return [Shard(src / relative, relative) for relative in sorted(found)]


def is_dataset(path: Path, suffixes: tuple[str, ...]) -> bool:
    """Whether ``path`` is a dataset of files with ``suffixes``: such a file, or a folder with
    such files and nothing else (names starting with ``.`` or ``_`` aside).  Stops at the first
    other file, so a folder of samples is told at once."""
    if path.is_file():
        return _has_suffix(path, suffixes)
    if not path.is_dir():
        return False
    found = False
    for relative, kind in _walk(path):
        if kind != "file" or not _has_suffix(relative, suffixes):
            return False
        found = True
    return found


def is_jsonl(path: Path) -> bool:
    return is_dataset(path, JSONL_SUFFIXES)


def is_parquet(path: Path) -> bool:
    return is_dataset(path, PARQUET_SUFFIXES)


class DatasetOutput:
    """Where a dataset's repaired shards go: the file ``out`` for a one-file dataset, else the
    same relative paths under the folder ``out``.  ``open`` a shard's file, write it, ``close``
    it; ``commit`` makes the whole output appear, ``discard`` leaves nothing."""

    def __init__(self, out: Path, folder: bool) -> None:
        self.out = out
        self.stage = Stage(out) if folder else None
        self.open_files: list[AtomicFile] = []

    def open(self, shard: Shard) -> AtomicFile:
        if self.stage is None:
            dest = real_path(self.out)
        else:
            dest = self.stage.path / shard.relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        file = AtomicFile(dest)
        self.open_files.append(file)
        return file

    def close(self, file: AtomicFile) -> None:
        """A shard's file is whole: into the stage now (a one-file output waits for ``commit``)."""
        if self.stage is not None:
            file.commit()
            self.open_files.remove(file)

    def commit(self) -> None:
        for file in self.open_files:
            file.commit()
        self.open_files.clear()
        if self.stage is not None:
            self.stage.commit()

    def discard(self) -> None:
        for file in self.open_files:
            file.discard()
        self.open_files.clear()
        if self.stage is not None:
            self.stage.discard()
