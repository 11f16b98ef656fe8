"""The edits that move a project's dependency files from CDKTF to CDK Terrain; nothing is written.

Renames (names compared PEP 503-normalized, the canonical new name written): ``cdktf`` ->
``cdktn``, ``cdktf-cdktf-provider-<p>`` -> ``cdktn-provider-<p>``; every other requirement, and
every byte outside the edited spans, stays.  The files are those ``schema.pins`` reads:
``requirements*.txt``, ``requirements/*.txt`` and the files they include with ``-r`` (edited line
by line), ``pyproject.toml`` (PEP 621, PEP 735 and poetry tables) and ``Pipfile`` (edited with
tomlkit, so comments, order, quoting and layout survive; a renamed key keeps its place).  Lock
files that name cdktf are listed to be re-locked, never edited; a ``setup.py``/``setup.cfg``
that names cdktf is a problem (code is not edited here); ``cdktf.json`` is never touched.

The constraint moves to the version T the project will target (``versions``), keeping its kind,
because the code is repaired against exactly T in the same run, so the manifests must allow T:

    ==X -> ==T     ==X.* -> ==T.*  (T cut to as many parts)    ~=X -> ~=T
    >=X or >X (lower bounds only) -> >=T      <Y or <=Y (upper bounds only) -> <N
    any other mix of bounds (>=X,<Y; ~=X,<Y ...) -> >=T,<N     no constraint, "*" -> the same
    poetry: ^X -> ^T, ~X -> ~T, X (exact) -> T, ranges as above in PEP 440 form

N is T's next major (its next minor for 0.x: T=0.24.0 gives N=0.25.0).  ``!=``, ``===``, an
exact pin mixed with bounds, poetry ``||``, URLs, paths, editables, VCS sources and lines pinned
with ``--hash`` cannot be moved safely: each is a problem, and a plan with problems is applied
all or nothing by its caller.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version
from tomlkit.items import Array, InlineTable, SingleKey, String, Table

from cdktf_fix.schema.packages import counterpart, distribution_of, import_name
from cdktf_fix.schema.pins import COMMENT, MAX_BYTES, included_file, real_path, requirement_files, poetry_specifier

LOCKS = ("uv.lock", "poetry.lock", "Pipfile.lock", "pdm.lock", "pylock.toml", "pylock.*.toml")
_HEAD = re.compile(r"\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?P<extras>\s*\[[^\]]*\])?"
                   r"(?P<spec>[^;@]*?)\s*(?=[;@]|$)")
_OPTION = re.compile(r"(?:^| )-")  # pip: options start at the first word beginning with "-"
_SETUP_NAMES = re.compile(r"(?im)(?:^|[\"'\s])cdktf(?:[-_.]cdktf[-_.]provider[-_.][a-z0-9][a-z0-9._-]*)?\s*"
                          r"(?=[\[(<>=!~;@\"',]|$)")
_SOURCES = ("git", "path", "url", "file", "editable", "hg", "svn", "bzr")  # poetry and Pipfile keys


@dataclass(frozen=True)
class DependencyPlan:
    edits: dict[Path, str]  # file -> its whole new text (only files that change)
    changes: list[str]  # one line per requirement changed, for the report
    relock: list[Path]  # lock files that pin the old packages and must be re-locked: never edited
    problems: list[str]  # one-line reasons the project cannot be migrated (then write nothing)


def renamed(distribution: str) -> str | None:
    """The CDK Terrain distribution of a CDKTF one (``cdktf-cdktf-provider-aws`` ->
    ``cdktn-provider-aws``), None for any other."""
    moved = counterpart(import_name(distribution), "cdktf", "cdktn")
    return distribution_of(moved) if moved else None


def map_specifier(specifier: str, target: str) -> str:
    """A PEP 440 specifier set (or Pipfile's ``*``) moved to ``target``, as the module docstring
    says; ValueError with the reason when it cannot be moved safely."""
    text = specifier.strip()
    if text in ("", "*"):
        return text
    try:
        specs = list(SpecifierSet(text))
    except InvalidSpecifier:
        raise ValueError("not a version specifier") from None
    ops = {spec.operator for spec in specs}
    if ops & {"!=", "==="}:
        raise ValueError(f"{'!=' if '!=' in ops else '==='} has no equivalent in the new package")
    release = Version(target).release
    if len(specs) == 1 and ops == {"=="}:
        version = specs[0].version
        parts = version[:-2].count(".") + 1
        result = f"=={'.'.join(map(str, release[:parts]))}.*" if version.endswith(".*") else f"=={target}"
    elif len(specs) == 1 and ops == {"~="}:
        result = f"~={target}"
    elif "==" in ops:
        raise ValueError("an exact pin mixed with other constraints")
    elif ops <= {">=", ">"}:
        result = f">={target}"
    elif ops <= {"<", "<="}:
        result = f"<{_next(release)}"
    else:
        result = f">={target},<{_next(release)}"
    return _allowing(result, result, target)


def map_poetry(constraint: str, target: str) -> str:
    """A poetry constraint moved to ``target``: ``^X`` -> ``^T``, ``~X`` -> ``~T``, ``X`` -> ``T``,
    ``*`` stays, the rest as ``map_specifier`` (in PEP 440 form); ValueError when it cannot."""
    text = constraint.strip()
    if text in ("", "*"):
        return text
    if "|" in text:
        raise ValueError("alternatives (||) cannot be moved")
    if match := re.fullmatch(r"([\^~]|=?)(?!=)\s*([0-9][^\s,]*)", text):
        try:
            Version(match.group(2))
            result = match.group(1) + target
        except InvalidVersion:  # 1.2.* and the like
            result = map_specifier(poetry_specifier(text), target)
    else:
        result = map_specifier(poetry_specifier(text), target)
    return _allowing(result, poetry_specifier(result), target)


def _next(release: tuple[int, ...]) -> str:
    """The next major of a release (the next minor for 0.x), as many parts long."""
    parts = list(release) + [0] * (2 - len(release)) if release[0] == 0 else list(release)
    bump = 1 if parts[0] == 0 else 0
    return ".".join(map(str, parts[:bump] + [parts[bump] + 1] + [0] * (len(parts) - bump - 1)))


def _allowing(result: str, specifier: str, target: str) -> str:
    """``result`` when its PEP 440 form allows ``target``; ValueError (InvalidSpecifier too) if not."""
    if not SpecifierSet(specifier).contains(target, prereleases=True):
        raise ValueError(f"{result} would not allow {target}")
    return result


def plan_dependencies(root: Path, versions: Callable[[str], str | None], rename: Callable[[str], str | None] = renamed) -> DependencyPlan:
    """The plan that moves the project at ``root`` to CDK Terrain; ``versions(distribution)``
    gives the version targeted for a ``cdktn`` distribution, None when it has no release.
    ``rename`` says which distributions move and under which name (``upgrade`` keeps the name
    of the one provider it moves to another version)."""
    planner = _Planner(Path(root), versions, rename)
    done: set[Path] = set()
    for rel in requirement_files(planner.root):
        planner.requirements(planner.root / rel, done)
    for name, entry in (("pyproject.toml", _pyproject), ("Pipfile", _pipfile)):
        if (planner.root / name).is_file():
            planner.toml(name, entry)
    for name in ("setup.py", "setup.cfg"):
        text = planner.read(planner.root / name) if (planner.root / name).is_file() else None
        if text is not None and _SETUP_NAMES.search(text):
            planner.problems.append(f"{name} names cdktf: edit it by hand")
    for path in (path for pattern in LOCKS for path in sorted(planner.root.glob(pattern)) if path.is_file()):
        try:
            if b"cdktf" in path.read_bytes().lower():  # any size: a lock is only searched
                planner.relock.append(path)
        except OSError as exc:
            planner.problems.append(f"{path.name}: cannot read ({exc.strerror or type(exc).__name__})")
    return DependencyPlan(planner.edits, planner.changes, planner.relock, list(dict.fromkeys(planner.problems)))


class _Planner:
    def __init__(self, root: Path, versions: Callable[[str], str | None], rename: Callable[[str], str | None] = renamed):
        self.root, self.versions, self.rename, self.known = root, versions, rename, {}
        self.edits, self.changes, self.relock, self.problems = {}, [], [], []

    def read(self, path: Path) -> str | None:
        """A file's text as it is (BOM and line endings kept), or None and a problem."""
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
            if len(data) <= MAX_BYTES:
                return data.decode("utf-8")
            reason = "larger than 5 MB"
        except OSError as exc:
            reason = f"cannot read ({exc.strerror or type(exc).__name__})"
        except UnicodeDecodeError:
            reason = "not UTF-8"
        self.problems.append(f"{self.rel(path)}: {reason}")
        return None

    def rel(self, path: Path) -> str:
        return os.path.relpath(path, self.root)

    def edit(self, path: Path, text: str) -> None:
        root = real_path(self.root)
        if real_path(path) != root and root not in real_path(path).parents:
            self.problems.append(f"{self.rel(path)}: outside the project, names cdktf: edit it by hand")
        else:
            self.edits[path] = text

    def target(self, old: str, new: str | None, where: str) -> str | None:
        """The version the renamed distribution ``new`` moves to; None when ``old`` is not
        renamed, or (with a problem) when ``new`` has no release."""
        if new is None:
            return None
        if new not in self.known:
            self.known[new] = self.versions(new)
        if not self.known[new]:
            self.problems.append(f"{where}: {canonicalize_name(old)} has no CDK Terrain package ({new})")
        return self.known[new] or None

    def requirement(self, text: str, where: str) -> tuple[str, str] | None:
        """A PEP 508 requirement with its name and specifier moved, and the line for ``changes``;
        None when it names no renamed distribution or cannot be moved (then a problem)."""
        match = _HEAD.match(text)
        if not match or text[match.end():].startswith("@") or not _specifier(match.group("spec")):
            if "cdktf" in text.lower():  # a URL, a path or an unreadable requirement: may be cdktf
                self.problems.append(f"{where}: cannot migrate {text.strip()!r} (a URL, path or unreadable "
                                     "requirement naming cdktf): edit it by hand")
            return None
        name, spec = match.group("name"), match.group("spec")
        new = self.rename(name)
        if not (target := self.target(name, new, where)):
            return None
        head, inner = text[match.start("name"):match.end()].strip(), spec.strip()
        try:
            mapped = map_specifier(inner.strip("()"), target)
        except ValueError as exc:
            self.problems.append(f"{where}: cannot migrate {head!r}: {exc}")
            return None
        mapped = f"({mapped})" if inner.startswith("(") and mapped else mapped
        start = match.start("spec") + len(spec) - len(spec.lstrip())
        new_head = new + text[match.end("name"):start] + mapped
        moved = text[:match.start("name")] + new_head + text[match.end("spec"):]
        return (moved, f"{where}: {head} -> {new_head}") if moved != text else None  # None: there already

    def requirements(self, path: Path, done: set[Path]) -> None:
        """A requirements file, line by line, then the files it includes with ``-r``."""
        if not path.is_file() or real_path(path) in done:
            return
        done.add(real_path(path))
        rel, text = self.rel(path), self.read(path)
        if text is None:
            return
        lines, changed, includes = text.splitlines(keepends=True), False, []
        for first, logical in _logical(lines):
            content, where = COMMENT.sub("", logical).rstrip(), f"{rel}:{first + 1}"
            if content.lstrip().startswith("-"):
                include = included_file(content.strip())
                if include is not None and "://" not in include:
                    includes.append(path.parent / include)
                elif re.match(r"\s*(-e|--editable)\b", content) and "cdktf" in content.lower():
                    self.problems.append(f"{where}: cannot migrate an editable install naming cdktf: edit it by hand")
                continue
            option = _OPTION.search(content)
            requirement = content[:option.start()] if option else content
            if not requirement.strip() or (moved := self.requirement(requirement, where)) is None:
                continue
            if "--hash" in content:
                self.problems.append(f"{where}: {requirement.strip()} is pinned with --hash: re-lock {rel} instead")
            elif not lines[first].startswith(requirement) or lines[first].splitlines()[0].endswith("\\"):
                self.problems.append(f"{where}: a requirement continued over several lines: edit it by hand")
            else:
                lines[first], changed = moved[0] + lines[first][len(requirement):], True
                self.changes.append(moved[1])
        if changed:
            self.edit(path, "".join(lines))
        for include in includes:
            self.requirements(Path(os.path.normpath(include)), done)

    def toml(self, name: str, entry: Callable) -> None:
        """``pyproject.toml`` or ``Pipfile`` edited with tomlkit (``entry`` edits one key of the
        document); the new text must parse and differ only on the lines that hold an edit."""
        path = self.root / name
        text = self.read(path)
        if text is None:
            return
        bom, body = ("\ufeff", text[1:]) if text.startswith("\ufeff") else ("", text)
        try:
            tomllib.loads(body)
            document = tomlkit.parse(body)
        except Exception as exc:  # TOMLDecodeError, tomlkit's ParseError, RecursionError
            line = next(iter(re.findall(r"line (\d+)", str(exc))), None)
            self.problems.append(f"{name}: cannot parse TOML ({f'line {line}' if line else type(exc).__name__})")
            return
        entries, fragments = list(_walk(document, ())), []
        names: dict[tuple, set[str]] = {}
        for table, _, key, _ in entries:
            names.setdefault(table, set()).add(canonicalize_name(key.key))
        try:
            for table, container, key, item in entries:
                entry(self, name, table, container, key, item, names[table], fragments)
            new_text = bom + tomlkit.dumps(document)
        except Exception as exc:  # a layout tomlkit cannot edit: one line, never a traceback
            self.problems.append(f"{name}: tomlkit cannot edit it ({type(exc).__name__}): edit it by hand")
            return
        if not fragments or new_text == text:
            return
        old_lines, new_lines = text.splitlines(), new_text.splitlines()
        try:
            tomllib.loads(new_text[len(bom):])
        except tomllib.TOMLDecodeError:
            self.problems.append(f"{name}: the edited file would not parse: edit it by hand")
            return
        if len(old_lines) != len(new_lines) or any(
                old != new and not any(f in new for f in fragments) for old, new in zip(old_lines, new_lines)):
            self.problems.append(f"{name}: tomlkit would change lines that hold no edit: edit it by hand")
            return
        self.edit(path, new_text)

    def requirement_list(self, array: Array, where: str, fragments: list[str]) -> None:
        """A TOML array of PEP 508 strings (``[project] dependencies``, extras, groups)."""
        for index, element in enumerate(array):
            if isinstance(element, String) and (moved := self.requirement(str(element), where)):
                array[index] = _string_like(element, moved[0])
                fragments.append(moved[1].rsplit(" -> ", 1)[1])
                self.changes.append(moved[1])

    def table_entry(self, container, key, item, where: str, mapping: Callable[[str, str], str],
                    siblings: set[str], fragments: list[str]) -> None:
        """A poetry or Pipfile dependency, ``name = "constraint"`` or a table with ``version``:
        the key renamed where it stands, the constraint moved."""
        new = self.rename(key.key)
        if not (target := self.target(key.key, new, where)):
            return
        version = item if isinstance(item, String) else item.get("version") if isinstance(item, dict) else None
        try:
            problem = _unmovable(key, item, version, new, siblings)
            mapped = None if problem or version is None else mapping(str(version), target)
        except ValueError as exc:
            problem, mapped = f"{str(version)!r}: {exc}", None
        if problem:
            self.problems.append(f"{where}: cannot migrate {key.key} {problem}: edit it by hand")
            return
        if key.key == new and (mapped is None or mapped == str(version)):
            return  # there already
        if mapped is not None and isinstance(item, String):
            item = _string_like(item, mapped)
        elif mapped is not None:
            item["version"] = _string_like(version, mapped)
        original = key.as_string()
        spelled = original.replace(key.key, new, 1) if key.key in original else None
        container._replace(key, SingleKey(new, t=key.t, sep=key.sep, original=spelled), item)  # keeps its place
        if isinstance(item, Table):
            item.invalidate_display_name()  # its header [... .cdktf-cdktf-provider-x] follows the key
        fragments.extend(f for f in (new, mapped) if f and f != "*")
        self.changes.append(f"{where}: {key.key} {version or ''}".rstrip() + f" -> {new} {mapped or ''}".rstrip())


def _unmovable(key, item, version, new: str, siblings: set[str]) -> str | None:
    """Why a poetry or Pipfile dependency cannot be moved, None when it can."""
    if key.is_dotted() or not isinstance(item, (String, Table, InlineTable)):
        return "(a dotted key, or several constraints)"
    if source := next((s for s in _SOURCES if isinstance(item, dict) and s in item), None):
        return f"installed from a {source} source"
    if new in siblings and canonicalize_name(key.key) != new:
        return f"listed beside {new}: remove one"
    return "(a version that is not a string)" if version is not None and not isinstance(version, String) else None


def _pyproject(planner: _Planner, name: str, table: tuple, container, key, item, siblings, fragments) -> None:
    """One key of ``pyproject.toml``: PEP 621 dependencies and extras, PEP 735 groups, poetry tables."""
    if table in (("tool", "poetry", "dependencies"), ("tool", "poetry", "dev-dependencies")) or (
            len(table) == 5 and table[:3] == ("tool", "poetry", "group") and table[4] == "dependencies"):
        where = f"{name} [{'.'.join(table)}]"
        planner.table_entry(container, key, item, where, map_poetry, siblings, fragments)
    elif isinstance(item, Array) and table + (key.key,) == ("project", "dependencies"):
        planner.requirement_list(item, f"{name} [project] dependencies", fragments)
    elif isinstance(item, Array) and table in (("project", "optional-dependencies"), ("dependency-groups",)):
        planner.requirement_list(item, f"{name} [{'.'.join(table)}] {key.key}", fragments)


def _pipfile(planner: _Planner, name: str, table: tuple, container, key, item, siblings, fragments) -> None:
    """One key of a ``Pipfile``: ``[packages]`` and ``[dev-packages]``."""
    if table in (("packages",), ("dev-packages",)):
        planner.table_entry(container, key, item, f"{name} [{table[0]}]", map_specifier, siblings, fragments)


def _specifier(spec: str) -> bool:
    try:
        SpecifierSet(spec.strip().strip("()"))
        return True
    except InvalidSpecifier:
        return False


def _logical(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index of the first line, text) of each logical line, backslash continuations joined as
    pip joins them."""
    pending, first = "", 0
    for number, line in enumerate(lines):
        body = line.splitlines()[0]
        if not pending:
            first = number
        if body.endswith("\\") and not body.lstrip().startswith("#"):
            pending += body[:-1]
            continue
        yield first, pending + body
        pending = ""
    if pending:
        yield first, pending


def _walk(container, path: tuple[str, ...]) -> Iterator[tuple]:
    """(table path, container, key, item) of every key of a tomlkit document, through tables
    (each ``[header]`` its own container) and inline tables."""
    for key, item in container.body:
        if key is not None:
            yield path, container, key, item
            if isinstance(item, (Table, InlineTable)):
                yield from _walk(item.value, path + (key.key,))


def _string_like(old: String, value: str) -> String:
    """A TOML string holding ``value``, quoted as ``old`` was (literal, multi-line) when it can be."""
    raw = old.as_string()
    literal = raw.startswith("'") and "'" not in value
    return tomlkit.string(value, literal=literal, multiline=raw.startswith(('"""', "'''")))
