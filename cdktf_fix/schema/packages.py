"""The packages a schema is read from: names, frameworks, and where their files are.

Two frameworks ship prebuilt provider bindings for Python:

- CDKTF (``cdktf``; providers ``cdktf-cdktf-provider-<p>``, imported as ``cdktf_cdktf_provider_<p>``),
  archived in December 2025;
- CDK Terrain (``cdktn``; providers ``cdktn-provider-<p>``, imported as ``cdktn_provider_<p>``),
  its maintained fork, with the same module and class layout.

A package's files are read where they are: an installed package folder (the running
interpreter's, or a project's own virtualenv) or a downloaded wheel, never imported.
"""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name


@dataclass(frozen=True)
class Framework:
    name: str  # the distribution and the import package: "cdktf", "cdktn"
    provider_prefix: str  # "cdktf-cdktf-provider-"
    default_version: str  # the core version a target gets when nothing says otherwise
    default_aws: str  # the AWS provider package version likewise

    @property
    def aws(self) -> str:
        return self.provider_prefix + "aws"


FRAMEWORKS = {
    # cdktf 0.21 + provider 21.22.1: what generated samples target (the last CDKTF releases)
    "cdktf": Framework("cdktf", "cdktf-cdktf-provider-", "0.21.0", "21.22.1"),
    # cdktn 0.24 + provider 25.8.1 (AWS provider 6.69.1): the newest CDK Terrain releases
    "cdktn": Framework("cdktn", "cdktn-provider-", "0.24.0", "25.8.1"),
}


def import_name(distribution: str) -> str:
    """``cdktf-cdktf-provider-aws`` -> ``cdktf_cdktf_provider_aws``."""
    return canonicalize_name(distribution).replace("-", "_")


def distribution_of(package: str) -> str:
    """``cdktn_provider_aws`` -> ``cdktn-provider-aws``."""
    return canonicalize_name(package)


def counterpart(module: str, source: str, target: str) -> str | None:
    """A module (or package) of framework ``source`` as framework ``target`` names it, None when
    it is neither the core nor a prebuilt provider of ``source``: ``cdktf`` -> ``cdktn``,
    ``cdktf_cdktf_provider_aws.s3_bucket`` -> ``cdktn_provider_aws.s3_bucket``.  The two
    frameworks have the same modules and classes."""
    root, dot, rest = module.partition(".")
    if root == source:
        return target + dot + rest
    prefix = import_name(FRAMEWORKS[source].provider_prefix + "x")[:-1]
    if root.startswith(prefix) and len(root) > len(prefix):
        return import_name(FRAMEWORKS[target].provider_prefix + "x")[:-1] + root[len(prefix):] + dot + rest
    return None


def framework_of(distribution: str) -> str | None:
    """The framework a core or prebuilt provider distribution belongs to, else None."""
    name = canonicalize_name(distribution)
    for framework in FRAMEWORKS.values():
        if name == framework.name or (name.startswith(framework.provider_prefix) and len(name) > len(framework.provider_prefix)):
            return framework.name
    return None


def is_provider(distribution: str) -> bool:
    name = canonicalize_name(distribution)
    return framework_of(name) is not None and name not in FRAMEWORKS


def is_schema_distribution(distribution: str) -> bool:
    """A distribution a target holds a version of: a framework core or a prebuilt provider."""
    return framework_of(distribution) is not None


# -- where a package's files are ------------------------------------------------------------


class PackageFiles:
    """The generated ``__init__.py`` files of one package, read without importing it."""

    def __init__(self, package: str, origin: str) -> None:
        self.package = package
        self.origin = origin  # for messages: a folder or a wheel

    def read(self, relative: str) -> str | None:
        raise NotImplementedError

    def submodules(self) -> list[str]:
        """Names of the package's first-level subpackages (``s3_bucket``), sorted."""
        raise NotImplementedError

    def init(self, submodule: str | None = None) -> str | None:
        """The text of ``<package>/[<submodule>/]__init__.py``, or None."""
        return self.read(f"{submodule}/__init__.py" if submodule else "__init__.py")


class FolderFiles(PackageFiles):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder.name, str(folder))
        self.folder = folder

    def read(self, relative: str) -> str | None:
        try:
            return (self.folder / relative).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def submodules(self) -> list[str]:
        return sorted(
            entry.name for entry in os.scandir(self.folder)
            if entry.is_dir() and not entry.name.startswith(("_", ".")) and os.path.isfile(os.path.join(entry.path, "__init__.py"))
        )


class WheelFiles(PackageFiles):
    def __init__(self, wheel: zipfile.ZipFile, package: str, origin: str) -> None:
        super().__init__(package, origin)
        self.wheel = wheel
        self._names = set(wheel.namelist())

    def read(self, relative: str) -> str | None:
        name = f"{self.package}/{relative}"
        if name not in self._names:
            return None
        try:
            return self.wheel.read(name).decode("utf-8")
        except (OSError, UnicodeDecodeError, zipfile.BadZipFile):
            return None

    def submodules(self) -> list[str]:
        prefix = self.package + "/"
        found = set()
        for name in self._names:
            parts = name[len(prefix):].split("/") if name.startswith(prefix) else ()
            if len(parts) == 2 and parts[1] == "__init__.py" and not parts[0].startswith(("_", ".")):
                found.add(parts[0])
        return sorted(found)


# -- installed distributions ----------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    """A distribution installed in a site-packages folder."""

    distribution: str  # canonical
    version: str
    site: Path  # the site-packages folder

    def files(self) -> FolderFiles | None:
        folder = self.site / import_name(self.distribution)
        return FolderFiles(folder) if (folder / "__init__.py").is_file() else None


def _metadata_field(text: str, field: str) -> str | None:
    for line in text.splitlines():
        if not line.strip():
            break  # the headers end at the first blank line
        key, _, value = line.partition(":")
        if key.strip().lower() == field:
            return value.strip()
    return None


def installed_in(site: Path) -> dict[str, Installed]:
    """The framework and provider distributions a site-packages folder holds (from their
    ``*.dist-info/METADATA``; nothing is imported)."""
    found: dict[str, Installed] = {}
    try:
        entries = list(os.scandir(site))
    except OSError:
        return found
    for entry in entries:
        if not entry.name.endswith(".dist-info"):
            continue
        stem = entry.name[: -len(".dist-info")]
        name = canonicalize_name(stem.rsplit("-", 1)[0])
        if not is_schema_distribution(name) and name != "constructs":
            continue
        try:
            text = Path(entry.path, "METADATA").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        version = _metadata_field(text, "version")
        if version:
            found[name] = Installed(name, version, site)
    return found


def venv_sites(venv: Path) -> list[Path]:
    """The site-packages folders of a virtualenv (POSIX and Windows layouts)."""
    sites = sorted(venv.glob("lib/python3*/site-packages")) + sorted(venv.glob("lib64/python3*/site-packages"))
    windows = venv / "Lib" / "site-packages"
    if windows.is_dir():
        sites.append(windows)
    return sites


def running_sites() -> list[Path]:
    """The site-packages folders of the running interpreter, in import order."""
    sites = []
    for entry in sys.path:
        if entry and os.path.basename(entry.rstrip(os.sep)) in ("site-packages", "dist-packages") and os.path.isdir(entry):
            sites.append(Path(entry))
    return sites


def installed_from(sites: list[Path]) -> dict[str, Installed]:
    """What a list of site-packages folders holds; the first folder wins, as on import."""
    found: dict[str, Installed] = {}
    for site in sites:
        for name, installed in installed_in(site).items():
            found.setdefault(name, installed)
    return found


@contextmanager
def wheel_files(path: Path, distribution: str) -> Iterator[PackageFiles]:
    """The package files a wheel of ``distribution`` holds (one package, by its import name)."""
    with zipfile.ZipFile(path) as wheel:
        yield WheelFiles(wheel, import_name(distribution), str(path))
