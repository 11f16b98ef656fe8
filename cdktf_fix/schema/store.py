"""Where a schema part comes from: the cache, a shipped snapshot, an installed package, or a
downloaded wheel.

A schema is made of parts, one per distribution at one version (``cdktf-cdktf-provider-aws``
21.22.1, ``cdktf`` 0.21.0, ``constructs`` 10.8.1).  A part is looked for, in this order:

1. in the local cache (``~/.cache/cdktf-fix/parts``, marshal, per-module details decoded
   lazily: a cached part loads in tens of milliseconds);
2. as a snapshot shipped in the package (``data/<distribution>-<version>.json.gz``: the
   default CDKTF and CDK Terrain targets);
3. in an installed package of exactly that version (the project's virtualenv, or the running
   interpreter), scanned statically (~10 s for the AWS provider, once);
4. in the wheel of that version, downloaded with pip (``fetch.py``) unless fetching is off,
   scanned without installing or importing it, then deleted.

Whatever was built is cached.  A part none of these can give raises ``SchemaUnavailable`` with
the reason; the caller drops the fixes that depend on it.
"""

from __future__ import annotations

import gzip
import json
import marshal
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from cdktf_fix.schema.build import FORMAT_VERSION, UnsupportedLayout, build_part
from cdktf_fix.schema.model import Part
from cdktf_fix.schema.packages import Installed, canonicalize_name, wheel_files

DATA_DIR = Path(__file__).parent / "data"
SNAPSHOT_SUFFIX = ".json.gz"


class SchemaUnavailable(RuntimeError):
    """A part cannot be had: not cached, not shipped, not installed, not fetched."""


def cache_dir() -> Path:
    override = os.environ.get("CDKTF_FIX_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cdktf-fix"


def part_cache_path(distribution: str, version: str) -> Path:
    tag = f"f{FORMAT_VERSION}-m{marshal.version}-py{sys.version_info[0]}{sys.version_info[1]}"
    return cache_dir() / "parts" / f"{canonicalize_name(distribution)}-{_safe(version)}-{tag}.marshal"


def _safe(version: str) -> str:
    return "".join(c if c.isalnum() or c in ".+_" else "_" for c in version)


def snapshot_name(distribution: str, version: str) -> str:
    return f"{canonicalize_name(distribution)}-{version}{SNAPSHOT_SUFFIX}"


def shipped_snapshots() -> dict[tuple[str, str], Path]:
    """(distribution, version) -> snapshot shipped in the package."""
    found = {}
    for path in sorted(DATA_DIR.glob(f"*{SNAPSHOT_SUFFIX}")):
        stem = path.name[: -len(SNAPSHOT_SUFFIX)]
        distribution, _, version = stem.rpartition("-")
        if distribution and version:
            found[(distribution, version)] = path
    return found


def shipped_versions(distribution: str) -> list[str]:
    return [v for (d, v) in shipped_snapshots() if d == canonicalize_name(distribution)]


def cached_versions(distribution: str) -> list[str]:
    """Versions of ``distribution`` whose part is in the cache (for resolving ranges offline)."""
    prefix = canonicalize_name(distribution) + "-"
    suffix = part_cache_path(distribution, "x").name.split("-x-", 1)[1]
    folder = cache_dir() / "parts"
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        if name.startswith(prefix) and name.endswith("-" + suffix):
            version = name[len(prefix): -len(suffix) - 1]
            if version and "-" not in version:
                found.append(version)
    return found


def read_snapshot(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        schema = json.load(handle)
    if schema.get("format") != FORMAT_VERSION:
        raise SchemaUnavailable(f"{path} has schema format {schema.get('format')}, expected {FORMAT_VERSION}")
    return schema


def check_snapshot_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise ValueError(f"{folder}: no such folder")


def write_snapshot(schema: dict, folder: Path) -> Path:
    """Write a part as ``<folder>/<distribution>-<version>.json.gz`` (reproducibly)."""
    path = folder / snapshot_name(schema["distribution"], schema["version"])
    data = json.dumps(schema, separators=(",", ":"), sort_keys=True).encode("utf-8")
    # mtime=0 keeps the file byte-identical when the schema has not changed
    _atomic_write(path, gzip.compress(data, compresslevel=9, mtime=0))
    return path


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cdktf-fix-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _store(part: Part) -> Path:
    path = part_cache_path(part.distribution, part.version)
    try:
        _atomic_write(path, part.to_cache())
    except OSError:
        pass  # a read-only home only costs speed
    return path


def seed_cache(parts) -> None:
    """Keep ``parts`` that another process loaded (a batch's, sent to its Dask workers) in this
    process's cache, where ``load_part`` finds them, unless a part is there already."""
    for part in parts:
        if not part_cache_path(part.distribution, part.version).is_file():
            _store(part)


# where each part this process loaded came from, for ``schema info`` and the notices:
# "cache", "snapshot", "installed (<site-packages>)", "fetched"
ORIGINS: dict[tuple[str, str], str] = {}


def load_part(distribution: str, version: str, installed: Installed | None = None, fetch: bool = False) -> Part:
    """The part of ``distribution`` at ``version`` (see the module docstring for the order)."""
    distribution = canonicalize_name(distribution)
    key = (distribution, version)
    path = part_cache_path(distribution, version)
    if path.is_file():
        try:
            part = Part.from_cache(path.read_bytes())
            ORIGINS.setdefault(key, "cache")
            return part
        except (ValueError, EOFError, KeyError, TypeError):
            pass  # a damaged cache entry is rebuilt
    snapshot = shipped_snapshots().get(key)
    if snapshot is not None:
        part = Part.from_schema(read_snapshot(snapshot))
        ORIGINS[key] = "snapshot"
        _store(part)
        return part
    if installed is not None and installed.version == version and installed.files() is not None:
        return build_part_of(installed)[0]
    if not fetch:
        raise SchemaUnavailable(f"no schema for {distribution} {version}: not installed here and fetching is off (cdktf-fix schema fetch {distribution}=={version})")
    try:
        return fetch_part(distribution, f"=={version}")[0]
    except SchemaUnavailable as error:
        raise SchemaUnavailable(f"no schema for {distribution} {version}: {error}") from None


def _download_dir() -> str | None:
    folder = cache_dir() / "downloads"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder)
    except OSError:
        return None  # the system's temporary folder


def _scanned(files, version: str) -> dict:
    """``build_part`` with its failures as SchemaUnavailable (one line each)."""
    try:
        return build_part(files, version)
    except UnsupportedLayout as error:
        raise SchemaUnavailable(str(error)) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise SchemaUnavailable(f"cannot read {files.origin}: {error}") from None


def build_part_of(installed: Installed, output: Path | None = None) -> tuple[Part, Path, Path | None]:
    """Build the part of an installed package, cache it and (``output``) write its snapshot."""
    files = installed.files()
    if files is None:
        raise SchemaUnavailable(f"{installed.site}: no {installed.distribution} package folder")
    kept = _keep(_scanned(files, installed.version), output)
    ORIGINS[(installed.distribution, installed.version)] = f"installed ({installed.site})"
    return kept


def fetch_part(distribution: str, specifier: str = "", output: Path | None = None) -> tuple[Part, Path, Path | None]:
    """Download the wheel ``distribution`` + ``specifier`` names (a range: the newest release it
    allows), build its part, cache it and (``output``) write its snapshot."""
    from cdktf_fix.schema.fetch import FetchError, download_wheel, wheel_version

    distribution = canonicalize_name(distribution)
    with tempfile.TemporaryDirectory(prefix="cdktf-fix-wheel-", dir=_download_dir()) as folder:
        try:
            wheel = download_wheel(f"{distribution}{specifier}", Path(folder))
        except FetchError as error:
            raise SchemaUnavailable(str(error)) from None
        try:
            with wheel_files(wheel, distribution) as files:
                schema = _scanned(files, wheel_version(wheel))
        except (OSError, zipfile.BadZipFile) as error:
            raise SchemaUnavailable(f"cannot read {wheel.name}: {error}") from None
    ORIGINS[(distribution, schema["version"])] = "fetched"
    return _keep(schema, output)


def _keep(schema: dict, output: Path | None) -> tuple[Part, Path, Path | None]:
    part = Part.from_schema(schema)
    cache = _store(part)
    snapshot = write_snapshot(schema, output) if output is not None else None
    return part, cache, snapshot
