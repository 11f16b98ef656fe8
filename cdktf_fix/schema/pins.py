"""What a Python project pins for some distributions, read from the manifests of one folder.

Sources, strongest first: the lock files (``uv.lock``, ``poetry.lock``, ``Pipfile.lock``),
``pyproject.toml`` (PEP 621, PEP 735 and poetry tables), ``Pipfile``, then the requirements
files (``requirements.txt``, other ``requirements*.txt``, ``requirements/*.txt``, and the files
they include with ``-r``).  An exact pin beats a range, and a range beats a bare name; among
pins of the same strength the first source in that order wins.  One source listing a
distribution twice gets both constraints joined.  Nothing here raises on a bad file: each
problem is a one-line message in ``FolderPins.problems``; nothing is ever written.
"""

from __future__ import annotations

import json
import os
import platform
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import takewhile
from pathlib import Path
from typing import Any

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

MANIFESTS: tuple[str, ...] = ("uv.lock", "poetry.lock", "Pipfile.lock", "pyproject.toml", "Pipfile",
                              "requirements*.txt", "requirements/*.txt")
MAX_BYTES = 5 * 1024 * 1024
_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")
_TILDE_CARET = re.compile(r"([\^~])(?!=)\s*(.+)")  # poetry's ^1.2 and ~1.2 (not PEP 440's ~=)
COMMENT = re.compile(r"(^|\s)#.*$")  # pip: '#' at line start or after whitespace


@dataclass(frozen=True)
class Pin:
    distribution: str  # canonical name
    specifier: str  # PEP 440 specifier set, "" for no constraint
    source: str  # the file it came from, relative to the folder

    @property
    def exact(self) -> str | None:
        """The version when the specifier is one ``==X`` (no wildcard) or ``===X``, else None."""
        try:
            (spec,) = SpecifierSet(self.specifier)  # ValueError too when not exactly one
        except ValueError:
            return None
        if spec.version and (spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*"))):
            return spec.version
        return None


@dataclass
class FolderPins:
    pins: dict[str, Pin] = field(default_factory=dict)  # canonical distribution -> winning pin
    files: list[str] = field(default_factory=list)  # manifests present and read (or tried), in order
    problems: list[str] = field(default_factory=list)  # one-line messages


Entries = list[tuple[str, str]]  # (distribution as written, PEP 440 specifier text)


class _File:
    """One manifest being read: its name for messages, its entries, the shared problem list."""

    def __init__(self, rel: str, problems: list[str]):
        self.rel, self.problems, self.entries = rel, problems, []

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.rel}: {message}")

    def expect(self, value: Any, kind: type, where: str) -> Any:
        """``value`` when it is a ``kind``; empty when None; a problem when of another type."""
        if value is None or isinstance(value, kind):
            return kind() if value is None else value
        self.problem(f"{where} is not a {'table' if kind is dict else kind.__name__}")
        return kind()


def has_manifest(folder: Path) -> bool:
    """Whether ``folder`` holds any file that ``read_pins`` reads."""
    try:
        return any(path.is_file() for pattern in MANIFESTS for path in folder.glob(pattern))
    except OSError:
        return False


def read_pins(folder: Path, wanted: Callable[[str], bool] | None = None) -> FolderPins:
    """Pins of the distributions ``wanted`` accepts (all when None) that the manifests of
    ``folder`` hold.  ``wanted`` is called with canonical names."""
    folder, result = Path(folder), FolderPins()
    parsers = {"uv.lock": _lock, "poetry.lock": _lock, "Pipfile.lock": _pipfile_lock,
               "pyproject.toml": _pyproject, "Pipfile": _pipfile}
    for name, parser in parsers.items():
        path = folder / name
        if path.is_file():
            _merge(result, name, _structured(path, name, parser, result), wanted)
    done: set[Path] = set()
    for rel in requirement_files(folder):
        for source, entries in _requirements(folder, folder / rel, done, (), result):
            _merge(result, source, entries, wanted)
    return result


def _merge(result: FolderPins, source: str, entries: Entries, wanted: Callable[[str], bool] | None) -> None:
    """Join one source's constraints per distribution, then keep each pin that beats the current one."""
    combined: dict[str, str] = {}
    for name, spec in entries:
        key = canonicalize_name(name)
        if key and (wanted is None or wanted(key)):
            combined[key] = _join([combined[key], spec]) if key in combined else spec
    for key, spec in combined.items():
        pin, old = Pin(key, spec, source), result.pins.get(key)
        if old is None or _strength(pin) < _strength(old):
            result.pins[key] = pin


def _strength(pin: Pin) -> int:
    return 0 if pin.exact else 1 if pin.specifier else 2


def _join(texts: Iterable[str]) -> str:
    """The intersection of specifier sets, in the order written, each specifier once."""
    specs: list = []
    for text in texts:
        specs.extend(s for s in SpecifierSet(text) if s not in specs)
    return ",".join(map(str, specs))


def _read(path: Path, rel: str, result: FolderPins) -> str | None:
    """The text of a manifest (UTF-8, 5 MB at most), or None and a problem."""
    result.files.append(rel)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            result.problems.append(f"{rel}: larger than 5 MB, skipped")
            return None
        return data.decode("utf-8-sig")
    except OSError as exc:
        result.problems.append(f"{rel}: cannot read ({exc.strerror or type(exc).__name__})")
    except UnicodeDecodeError:
        result.problems.append(f"{rel}: not UTF-8")
    return None


def _structured(path: Path, rel: str, parser: Callable[[dict, _File], None], result: FolderPins) -> Entries:
    """The entries ``parser`` finds in the top-level table of a TOML manifest (JSON for
    ``Pipfile.lock``); a file that does not parse, or is of the wrong shape, gives a problem."""
    text, file = _read(path, rel, result), _File(rel, result.problems)
    if text is None:
        return []
    kind = "JSON" if rel == "Pipfile.lock" else "TOML"
    try:
        data = json.loads(text) if kind == "JSON" else tomllib.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and TOMLDecodeError are ValueErrors
        line = getattr(exc, "lineno", None) or next(iter(re.findall(r"line (\d+)", str(exc))), None)
        file.problem(f"cannot parse {kind} ({f'line {line}' if line else type(exc).__name__})")
        return []
    if not isinstance(data, dict):
        file.problem(f"expected a table at the top, found {type(data).__name__}")
        return []
    try:
        parser(data, file)
    except Exception as exc:  # a shape the parsers' checks missed: report, never a traceback
        file.problem(f"unexpected structure ({type(exc).__name__}), skipped")
        return []
    return file.entries


def _lock(data: dict, file: _File) -> None:
    """``uv.lock`` and ``poetry.lock``: ``[[package]]`` tables with ``name`` and ``version``."""
    for package in file.expect(data.get("package"), list, "package"):
        name = package.get("name") if isinstance(package, dict) else None
        version = package.get("version", "") if isinstance(package, dict) else None
        spec = _locked(version) if isinstance(version, str) else None
        if not isinstance(name, str) or spec is None:
            file.problem(f"[[package]] entry without a usable name and version: {str(package)[:60]!r}")
        else:
            file.entries.append((name, spec))


def _locked(version: str) -> str | None:
    """``==version`` for a PEP 440 version, ``===version`` for another word, "" for none."""
    for spec in (f"=={version}", f"==={version}") if version else ("",):
        try:
            return _join([spec])
        except InvalidSpecifier:
            pass
    return None


def _pipfile_lock(data: dict, file: _File) -> None:
    """``Pipfile.lock`` (JSON): ``default`` then ``develop``, ``{"version": "==1.2.3"}`` entries;
    a distribution in both keeps its ``default`` entry."""
    seen = set()
    for section in ("default", "develop"):
        for name, entry in file.expect(data.get(section), dict, section).items():
            version = entry.get("version", "") if isinstance(entry, dict) else None
            if not isinstance(version, str):
                file.problem(f"{section}: entry {name!r} has no string version")
            elif canonicalize_name(name) not in seen:
                seen.add(canonicalize_name(name))
                _add_specifier(file, name, version, section)


def _pyproject(data: dict, file: _File) -> None:
    """``pyproject.toml``: ``[project]`` dependencies and optional-dependencies, PEP 735
    ``[dependency-groups]`` (``include-group`` tables skipped), and poetry's dependency tables."""
    project = file.expect(data.get("project"), dict, "[project]")
    where = "[project] dependencies"
    _pep508_list(file, file.expect(project.get("dependencies"), list, where), where)
    extras = file.expect(project.get("optional-dependencies"), dict, "[project.optional-dependencies]")
    for extra, items in extras.items():
        where = f"[project.optional-dependencies] {extra}"
        _pep508_list(file, file.expect(items, list, where), where)
    for group, items in file.expect(data.get("dependency-groups"), dict, "[dependency-groups]").items():
        where = f"[dependency-groups] {group}"
        items = file.expect(items, list, where)
        _pep508_list(file, [item for item in items if not isinstance(item, dict)], where)
    poetry = file.expect(file.expect(data.get("tool"), dict, "[tool]").get("poetry"), dict, "[tool.poetry]")
    tables = {"[tool.poetry.dependencies]": poetry.get("dependencies"),
              "[tool.poetry.dev-dependencies]": poetry.get("dev-dependencies")}
    for group, table in file.expect(poetry.get("group"), dict, "[tool.poetry.group]").items():
        where = f"[tool.poetry.group.{group}]"
        tables[f"[tool.poetry.group.{group}.dependencies]"] = file.expect(table, dict, where).get("dependencies")
    for where, table in tables.items():
        for name, value in file.expect(table, dict, where).items():
            if canonicalize_name(name) != "python":
                _poetry_dependency(file, name, value, where)


def _pep508_list(file: _File, items: list, where: str) -> None:
    for item in items:
        if not isinstance(item, str):
            file.problem(f"{where}: expected a string, found {type(item).__name__}")
        elif (entry := _pep508(item, file.rel, file.problems)) is not None:
            file.entries.append(entry)


def _poetry_dependency(file: _File, name: str, value: Any, where: str) -> None:
    """A poetry dependency: a constraint string, a table with ``version``, or a list of such
    tables (the ones whose ``python``/``markers`` hold for this interpreter are joined)."""
    tables = value if isinstance(value, list) else [value]
    specs = []
    for table in tables:
        if isinstance(table, dict) and not _applies(table):
            continue
        constraint = table.get("version", "") if isinstance(table, dict) else table
        if not isinstance(constraint, str):
            file.problem(f"{where}: {name!r} has no string version")
            return
        try:
            specs.append(poetry_specifier(constraint))
        except ValueError:
            file.problem(f"{where}: cannot convert poetry constraint {constraint!r} for {name!r}")
            return
    if specs:
        file.entries.append((name, _join(specs)))


def _applies(table: dict) -> bool:
    """Whether a poetry or Pipfile table's ``python`` and ``markers`` hold (or cannot be told)."""
    python, markers = table.get("python"), table.get("markers")
    if isinstance(python, str):
        try:
            if not SpecifierSet(poetry_specifier(python)).contains(platform.python_version(), prereleases=True):
                return False
        except ValueError:
            pass
    return not isinstance(markers, str) or _marker_holds(markers)


def poetry_specifier(constraint: str) -> str:
    """A poetry constraint in PEP 440: ``^1.2.3`` -> ``>=1.2.3,<2.0.0``, ``~1.2`` -> ``>=1.2,<1.3``,
    ``1.2.3`` -> ``==1.2.3``, ``*`` -> "", ``>= 1.2, < 2`` -> ``>=1.2,<2``.  ValueError for
    ``||`` alternatives and anything else PEP 440 cannot say."""
    if "|" in constraint:
        raise ValueError("alternatives have no PEP 440 form")
    terms: list[str] = []
    for part in constraint.split(","):
        words = part.split()
        while words:
            word = words.pop(0)
            if not word.strip("<>=!~^") and words:  # ">= 1.2": an operator apart from its version
                word += words.pop(0)
            terms.append(word)
    specs = []
    for term in terms:
        if match := _TILDE_CARET.fullmatch(term):
            release = list(Version(match.group(2)).release)
            if match.group(1) == "^":
                bump = next((i for i, part in enumerate(release) if part), len(release) - 1)
            else:
                bump = min(1, len(release) - 1)
            upper = release[:bump] + [release[bump] + 1] + [0] * (len(release) - bump - 1)
            specs += [f">={match.group(2)}", "<" + ".".join(map(str, upper))]
        elif term[:1].isdigit():
            specs.append(f"=={term}")
        elif term.startswith("=") and not term.startswith("=="):
            specs.append("=" + term)  # poetry's "=1.2"
        elif term != "*":
            specs.append(term)
    return _join([",".join(specs)]) if specs else ""


def _pipfile(data: dict, file: _File) -> None:
    """``Pipfile`` (TOML): ``[packages]`` then ``[dev-packages]``; ``"*"``, a PEP 440 string, or
    a table with ``version`` (and perhaps ``markers``)."""
    for section in ("packages", "dev-packages"):
        for name, value in file.expect(data.get(section), dict, f"[{section}]").items():
            if isinstance(value, dict) and not _applies(value):
                continue
            version = value.get("version", "") if isinstance(value, dict) else value
            if not isinstance(version, str):
                file.problem(f"[{section}]: {name!r} has no string version")
            else:
                _add_specifier(file, name, version, f"[{section}]")


def _add_specifier(file: _File, name: str, text: str, where: str) -> None:
    try:
        file.entries.append((name, _join(["" if text.strip() == "*" else text])))
    except InvalidSpecifier:
        file.problem(f"{where}: cannot parse version {text!r} for {name!r}")


def requirement_files(folder: Path) -> list[str]:
    """``requirements.txt``, then the other ``requirements*.txt``, then ``requirements/*.txt``, sorted."""
    try:
        others = sorted(p.name for p in folder.glob("requirements*.txt") if p.name != "requirements.txt")
        nested = sorted(f"requirements/{p.name}" for p in folder.glob("requirements/*.txt"))
    except OSError:
        others = nested = []
    return ["requirements.txt", *others, *nested]


def _requirements(folder: Path, path: Path, done: set[Path], stack: tuple[Path, ...],
                  result: FolderPins) -> list[tuple[str, Entries]]:
    """One requirements file's entries, then those of the files it includes (``-r``), each file once."""
    if not path.is_file():
        return []
    real = real_path(path)
    if real in done:
        return []
    done.add(real)
    rel = os.path.relpath(path, folder)
    text = _read(path, rel, result)
    if text is None:
        return []
    entries: Entries = []
    found = [(rel, entries)]
    for number, line in _logical_lines(text):
        if line.startswith("-"):
            include = included_file(line)
            if include is None or "://" in include:
                continue
            target = path.parent / include
            if not target.is_file():
                result.problems.append(f"{rel}:{number}: cannot read included {include!r}")
            elif real_path(target) in (*stack, real):
                result.problems.append(f"{rel}:{number}: include cycle through {include!r}, skipped")
            else:
                found += _requirements(folder, target, done, (*stack, real), result)
            continue
        words = takewhile(lambda word: not word.startswith("-"), line.split())  # drop --hash=... etc.
        if (entry := _pep508(" ".join(words), f"{rel}:{number}", result.problems, lenient=True)) is not None:
            entries.append(entry)
    return found


def real_path(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return path.absolute()


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Non-empty lines, backslash continuations joined and comments stripped, as pip reads them,
    with the number of their first physical line."""
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        if line.endswith("\\") and not line.lstrip().startswith("#"):
            pending += line[:-1]
            continue
        joined, pending = COMMENT.sub("", pending + line).strip(), ""
        if joined:
            yield start, joined
    if pending and (joined := COMMENT.sub("", pending).strip()):
        yield start, joined


def included_file(line: str) -> str | None:
    """The file of a ``-r file`` / ``--requirement=file`` line; None for other options."""
    for flag in ("--requirement", "-r"):
        if line.startswith(flag):
            rest = line[len(flag):].lstrip(" \t=").split()
            return rest[0] if rest else None
    return None


def _pep508(text: str, where: str, problems: list[str], lenient: bool = False) -> tuple[str, str] | None:
    """(name, specifier) of a PEP 508 requirement whose marker holds; None for one that does not,
    for a path or URL (when ``lenient``), and for an unparseable one (with a problem)."""
    head = text.split(";", 1)[0].strip()
    try:
        req = Requirement(text)
        if any(not spec.version for spec in req.specifier):  # packaging accepts a bare "==="
            raise InvalidRequirement(text)
    except (InvalidRequirement, RecursionError):  # RecursionError: markers nested thousands deep
        if not (lenient and ("/" in head or "\\" in head or ":" in head or head.startswith("."))):
            problems.append(f"{where}: cannot parse {text!r}")
        return None
    if lenient and req.url is None and req.name.lower().endswith(_ARCHIVES):
        return None
    if req.marker is not None and not _marker_holds(req.marker):
        return None
    return req.name, ",".join(map(str, req.specifier))


def _marker_holds(marker: Marker | str) -> bool:
    """Whether an environment marker holds for this interpreter; True when it cannot be evaluated."""
    try:
        return (marker if isinstance(marker, Marker) else Marker(marker)).evaluate(context="requirement")
    except Exception:
        return True
