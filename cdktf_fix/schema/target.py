"""A project's target: its framework (cdktf or cdktn) and the version of each schema package.

The code is checked against the packages the project really uses, never against whatever
cdktf-fix was installed with.  Per project (the nearest folder at or above a file that holds a
manifest: ``cdktf.json``, ``pyproject.toml``, ``requirements*.txt``, ``Pipfile``, a lock file),
each version is decided by the first of:

1. ``--target`` or ``[tool.cdktf-fix] target`` (requirement strings: ``cdktn``,
   ``cdktf-cdktf-provider-aws==19.50.0``, ``cdktn-provider-aws>=25``);
2. the project's pins (``pins.py``: lock files, pyproject, Pipfile, requirements); a range
   resolves to the newest release it allows (the registry's list, cached for a day; offline,
   the newest version known here);
3. the packages installed in the project's own virtualenv (``.venv``/``venv`` beside it), then
   in the running interpreter;
4. the default of the framework (cdktf 0.21.0 + provider 21.22.1, what generated samples
   target; cdktn 0.24.0 + provider 25.8.1).

The framework is decided likewise, except that the framework the code imports comes before
the running interpreter's packages (cdktf-fix's own environment says nothing of the project).
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from cdktf_fix.schema import store
from cdktf_fix.schema.fetch import fetching_allowed
from cdktf_fix.schema.model import SchemaIndex
from cdktf_fix.schema.packages import (
    FRAMEWORKS,
    Installed,
    framework_of,
    import_name,
    installed_from,
    is_provider,
    is_schema_distribution,
    running_sites,
    venv_sites,
)
from cdktf_fix.schema.pins import has_manifest, read_pins

CONSTRUCTS = ("constructs", "10.8.1")  # the Construct base class: one shipped part serves 10.x


class TargetError(ValueError):
    """A target that cannot be read (``--target foo==``): one line, the run stops."""


@dataclass(frozen=True)
class Target:
    framework: str
    versions: tuple[tuple[str, str], ...]  # (distribution, version): the core first, then providers
    reasons: tuple[str, ...] = ()  # why each version, for ``schema info``
    project: str | None = None  # the project folder, when there is one
    problems: tuple[str, ...] = ()  # what could not be decided (one notice per project)
    sites: tuple[str, ...] = ()  # the project virtualenv's site-packages: an installed copy of a version is read there
    unresolved: tuple[str, ...] = ()  # distributions pinned or named with no version that could be decided

    @property
    def label(self) -> str:
        """``cdktf 0.21.0 + cdktf-cdktf-provider-aws 21.22.1``."""
        return " + ".join(f"{d} {v}" for d, v in self.versions)

    def version_of(self, distribution: str) -> str | None:
        return dict(self.versions).get(canonicalize_name(distribution))

    def to_json(self) -> dict:
        return {"framework": self.framework, "versions": dict(self.versions), "reasons": list(self.reasons), "project": self.project, "problems": list(self.problems)}


# -- requirement strings ---------------------------------------------------------------------


def split_requirements(text: str) -> list[str]:
    """``"cdktf==0.20.0 cdktf-cdktf-provider-aws >=19, <20"`` -> two requirement strings."""
    out: list[str] = []
    for token in text.replace(";", " ").split():
        if out and (token[0] in "<>=!~,." or out[-1].endswith((",", "=", "<", ">", "~"))):
            out[-1] += token
        else:
            out.append(token)
    return out


def parse_explicit(entries: list[str], source: str) -> dict[str, tuple[str, str]]:
    """Requirement strings -> {distribution: (specifier, source)}; TargetError when one is not
    a framework or prebuilt provider requirement."""
    found: dict[str, tuple[str, str]] = {}
    for entry in entries:
        for text in split_requirements(entry):
            try:
                requirement = Requirement(text)
            except InvalidRequirement as error:
                reason = str(error).splitlines()[0] if str(error) else "not a requirement"
                raise TargetError(f"{source}: cannot read target {text!r}: {reason}") from None
            name = canonicalize_name(requirement.name)
            if not is_schema_distribution(name):
                raise TargetError(f"{source}: {text!r} is not cdktf, cdktn or a prebuilt provider (cdktf-cdktf-provider-<p>, cdktn-provider-<p>)")
            found[name] = (str(requirement.specifier), source)
    return found


# -- releases, for ranges --------------------------------------------------------------------

RELEASES_TTL = 24 * 3600


def _releases_path(distribution: str) -> Path:
    return store.cache_dir() / "releases" / f"{canonicalize_name(distribution)}.json"


def registry_releases(distribution: str, fetch: bool) -> list[str] | None:
    """The registry's releases of ``distribution`` (``pip index versions``, cached for a day).
    Offline, the cached list of any age (the project installs from the registry, not from
    what is cached here); None when there is none, or the registry cannot be asked."""
    path = _releases_path(distribution)
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if fetch is False or time.time() - cached["at"] < RELEASES_TTL:
            return list(cached["versions"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    if not fetch:
        return None
    command = [sys.executable, "-m", "pip", "index", "versions", distribution, "--disable-pip-version-check", "--no-input"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in done.stdout.splitlines():
        if line.startswith("Available versions:"):
            versions = [v.strip() for v in line.partition(":")[2].split(",") if v.strip()]
            try:
                store._atomic_write(path, json.dumps({"at": time.time(), "versions": versions}).encode())
            except OSError:
                pass
            return versions
    return None


def newest_allowed(specifier: str, versions: list[str]) -> str | None:
    allowed = []
    spec = SpecifierSet(specifier)
    for text in set(versions):
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if spec.contains(version, prereleases=False) or (spec and spec.contains(version, prereleases=True) and str(spec).startswith("==")):
            allowed.append(version)
    return str(max(allowed)) if allowed else None


def known_versions(distribution: str, installed: dict[str, Installed]) -> list[str]:
    found = store.shipped_versions(distribution) + store.cached_versions(distribution)
    if distribution in installed:
        found.append(installed[distribution].version)
    return found


def resolve(distribution: str, specifier: str, installed: dict[str, Installed], fetch: bool) -> tuple[str | None, str]:
    """(version, how) for a pinned specifier: an exact pin is itself; a range is the newest
    release the registry has that it allows (offline: the newest known here)."""
    spec = SpecifierSet(specifier)
    exact = [s.version for s in spec if s.operator in ("==", "===") and "*" not in s.version]
    if len(spec) == 1 and exact:
        return exact[0], ""
    releases = registry_releases(distribution, fetch)
    if releases is not None:
        version = newest_allowed(specifier, releases)
        return version, "the newest release it allows" + ("" if fetch else ", from the registry's list cached here; offline")
    version = newest_allowed(specifier, known_versions(distribution, installed))
    return version, "offline: the newest version known here that it allows"


# -- projects --------------------------------------------------------------------------------


@dataclass
class ProjectFacts:
    """What one project folder says: its pins, its virtualenv's packages."""

    folder: Path | None
    pins: dict[str, tuple[str, str]] = field(default_factory=dict)  # distribution -> (specifier, file)
    venv: dict[str, Installed] = field(default_factory=dict)
    venv_path: Path | None = None
    problems: list[str] = field(default_factory=list)


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False where it cannot be looked at (a folder without permission)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _is_project(folder: Path) -> bool:
    return _is_file(folder / "cdktf.json") or has_manifest(folder)


def _located(folder: Path, problem: str) -> str:
    """``requirements.txt:3: ...`` read in ``folder`` -> ``<folder>/requirements.txt:3: ...``."""
    name, colon, rest = problem.partition(":")
    return f"{folder / name}{colon}{rest}" if colon else problem


@functools.lru_cache(maxsize=1024)
def project_facts(folder: Path) -> ProjectFacts:
    """The project of files in ``folder``: the nearest folder at or above it with a manifest.
    Pins come from the nearest manifest folder that pins a schema package (up to the
    repository's root); the virtualenv is the one beside either."""
    project: Path | None = None
    facts = ProjectFacts(None)
    current = folder
    while True:
        if _is_project(current):
            if project is None:
                project = facts.folder = current
            if not facts.pins:
                read = read_pins(current, wanted=is_schema_distribution)
                facts.problems.extend(_located(current, p) for p in read.problems)
                if read.pins:
                    facts.pins = {d: (pin.specifier, str(current / pin.source)) for d, pin in read.pins.items()}
        if not facts.venv:
            for name in (".venv", "venv"):
                venv = current / name
                if _is_file(venv / "pyvenv.cfg"):
                    facts.venv = installed_from(venv_sites(venv))
                    facts.venv_path = venv
                    break
        if os.path.lexists(current / ".git") or current.parent == current or (facts.pins and project is not None):
            break
        current = current.parent
    return facts


@functools.lru_cache(maxsize=1)
def running_installed() -> dict[str, Installed]:
    return installed_from(running_sites())


_IMPORT = re.compile(r"^[ \t]*(?:from|import)[ \t]+(cdktf|cdktn|cdktf_cdktf_provider_\w+|cdktn_provider_\w+|imports)\b", re.M)


def imported_packages(text: str) -> frozenset[str]:
    """The framework and provider packages ``text`` imports (a quick scan, no parse)."""
    return frozenset(m.group(1) for m in _IMPORT.finditer(text))


def frameworks_imported(packages: frozenset[str]) -> set[str]:
    return {framework_of(p.replace("_", "-")) for p in packages if p != "imports"} - {None}


def decide(facts: ProjectFacts, explicit: dict[str, tuple[str, str]], imported: frozenset[str], fetch: bool) -> Target:
    """The target for a file with these imports in this project (see the module docstring)."""
    running = running_installed()
    pins = facts.pins
    venv = facts.venv
    sources: list[tuple[str, dict[str, str]]] = [
        ("target", {d: s for d, (s, _) in explicit.items()}),
        ("pins", {d: s for d, (s, _) in pins.items()}),
        ("venv", {d: i.version for d, i in venv.items()}),
    ]
    code = frameworks_imported(imported)
    framework = None
    for _, versions in sources:
        named = {framework_of(d) for d in versions} - {None}
        if named:
            both = named & code
            framework = next(iter(both)) if len(both) == 1 else next(iter(named)) if len(named) == 1 else "cdktn"
            break
    if framework is None:
        framework = code.pop() if len(code) == 1 else None
    if framework is None:
        named = {framework_of(d) for d in running if is_schema_distribution(d)} - {None}
        framework = named.pop() if len(named) == 1 else "cdktf"
    spec = FRAMEWORKS[framework]

    chosen: dict[str, str] = {}
    reasons: list[str] = []
    problems: list[str] = list(facts.problems)
    unresolved: list[str] = []
    wanted = {d for _, versions in sources for d in versions} | {d for d in running if is_schema_distribution(d)} | {spec.name, spec.aws}
    wanted = {d for d in wanted if framework_of(d) == framework}
    for distribution in sorted(wanted, key=lambda d: (is_provider(d), d)):
        given = explicit.get(distribution) or pins.get(distribution)
        if given is not None:
            specifier, where = given
            if specifier:
                version, how = resolve(distribution, specifier, {**running, **venv}, fetch)
            else:
                version, how = _installed_or_default(distribution, venv, running, spec)
            why = f"{where}{': ' if distribution in explicit else ' pins '}{distribution}{specifier}" + (f" ({how})" if how else "")
        elif distribution in venv:
            version, why = venv[distribution].version, f"installed in {facts.venv_path}"
        elif distribution in running:
            version, why = running[distribution].version, "installed in the running interpreter"
        else:
            version, why = _default(distribution, spec), "default"
        if version is None:
            problems.append(f"{why}: {'no release allows it' if given and given[0] else 'none is installed'}; {distribution} is not checked")
            unresolved.append(distribution)
            continue
        chosen[distribution] = version
        reasons.append(f"{distribution} {version}: {why}")
    versions = tuple(chosen.items())
    sites = tuple(sorted({str(i.site) for i in venv.values()}))
    return Target(framework, versions, tuple(reasons), str(facts.folder) if facts.folder else None, tuple(problems), sites, tuple(unresolved))


def _default(distribution: str, spec) -> str | None:
    if distribution == spec.name:
        return spec.default_version
    if distribution == spec.aws:
        return spec.default_aws
    return None


def _installed_or_default(distribution: str, venv, running, spec) -> tuple[str | None, str]:
    for where, installed in (("the project's virtualenv", venv), ("the running interpreter", running)):
        if distribution in installed:
            return installed[distribution].version, f"no version given; installed in {where}"
    version = _default(distribution, spec)
    return version, "no version given; default" if version else "no version given"


# -- the schema of a target ------------------------------------------------------------------


@dataclass
class TargetSchema:
    """The index of a target, and what it could not load."""

    index: SchemaIndex
    missing: dict[str, str]  # distribution -> why there is no schema for it


_LOADED: dict[tuple, TargetSchema] = {}


def schema_for(target: Target, fetch: bool) -> TargetSchema:
    """The parts of every package of ``target`` (built or fetched once, then cached)."""
    key = (target.versions, target.sites, fetch)
    loaded = _LOADED.get(key)
    if loaded is not None:
        return loaded
    project = installed_from([Path(site) for site in target.sites])
    running = running_installed()
    parts = []
    missing: dict[str, str] = {}
    for distribution, version in (*target.versions, CONSTRUCTS):
        # an installed copy of exactly that version: the project's virtualenv first
        copies = [i for i in (project.get(distribution), running.get(distribution)) if i is not None and i.version == version]
        try:
            parts.append(store.load_part(distribution, version, copies[0] if copies else None, fetch))
        except store.SchemaUnavailable as error:
            missing[distribution] = str(error)
    index = SchemaIndex(parts, target, unchecked=frozenset(import_name(d) for d in missing))
    loaded = _LOADED[key] = TargetSchema(index, missing)
    return loaded


def default_target(framework: str = "cdktf") -> Target:
    spec = FRAMEWORKS[framework]
    return Target(framework, ((spec.name, spec.default_version), (spec.aws, spec.default_aws)), ("default",))


def clear_caches() -> None:
    """Forget what this process learnt of projects and schemas (tests, long-lived callers)."""
    project_facts.cache_clear()
    running_installed.cache_clear()
    _LOADED.clear()
    store.ORIGINS.clear()


# -- the targets of a run --------------------------------------------------------------------


class Targets:
    """Which target, and which schema index, each file of a run gets: decided once per
    project and set of imported frameworks, loaded once per target."""

    def __init__(self, explicit: tuple[str, ...] = (), offline: bool = False) -> None:
        self.explicit = parse_explicit(list(explicit), "--target") if explicit else {}
        self.offline = offline or not fetching_allowed()
        self._decided: dict[tuple, Target] = {}

    def target_for(self, path: Path | None, configured: list[str] = (), config_path: Path | None = None, imported: frozenset[str] = frozenset(), fetch: bool = True) -> Target:
        """The target of the file ``path`` (which imports ``imported``); ``path`` None: text of
        no project (a dataset record)."""
        explicit = self.explicit
        if not explicit and configured:
            explicit = parse_explicit(list(configured), f"{config_path} [tool.cdktf-fix] target")
        folder = Path(path).absolute().parent if path is not None else None
        facts = project_facts(folder) if folder is not None else ProjectFacts(None)
        key = (facts.folder or folder, tuple(sorted(explicit.items())), frozenset(frameworks_imported(imported)), fetch)
        target = self._decided.get(key)
        if target is None:
            target = self._decided[key] = decide(facts, explicit, imported, fetch and not self.offline)
        return target

    def index_for(self, path: Path | None, config, imported: frozenset[str], notice) -> SchemaIndex:
        """The index of the file's target; ``notice(text)`` hears, once per project, what the
        target could not give (a version with no schema, an imported provider with no version)."""
        fetch = getattr(config, "fetch", True) and not self.offline
        target = self.target_for(path, getattr(config, "target", []) or [], getattr(config, "path", None), imported, fetch)
        loaded = schema_for(target, fetch)
        where = target.project or (str(Path(path).absolute().parent) if path is not None else "dataset")
        for problem in target.problems:
            notice(f"{where}: {problem}")
        for distribution, why in loaded.missing.items():
            notice(f"{where}: {why}; code using {import_name(distribution)} is not checked")
        for distribution, version in target.versions:
            if store.ORIGINS.get((distribution, version)) == "fetched":
                notice(f"the schema of {distribution} {version} was fetched from the registry and cached ({store.part_cache_path(distribution, version)})")
        index = loaded.index
        unresolved = {import_name(d) for d in target.unresolved}
        for package in sorted(imported):
            if package == "imports" or package in index.roots or package in index.unchecked or package in unresolved:
                continue
            distribution = package.replace("_", "-")
            if framework_of(distribution) == target.framework and is_provider(distribution):
                notice(
                    f"{where}: {package} is imported, but no version of {distribution} is pinned or installed; "
                    f"it is not checked (pin it, or --target {distribution}==<version>)"
                )
        return index


def request_parts(explicit: tuple[str, ...], offline: bool) -> list:
    """Every schema part a dataset record may be checked against under ``--target explicit``
    (one target per set of frameworks a record imports), loaded here: what a process on
    another machine needs so that it never builds or fetches one (``store.seed_cache``)."""
    targets = Targets(explicit, offline)
    fetch = not targets.offline
    found = {}
    names = list(FRAMEWORKS)
    for imported in ((), *((name,) for name in names), tuple(names)):
        target = targets.target_for(None, imported=frozenset(imported), fetch=fetch)
        for part in schema_for(target, fetch).index.parts:
            found[(part.distribution, part.version)] = part
    return list(found.values())


def describe(path: Path, explicit: tuple[str, ...] = (), configured: list[str] = (), config_path: Path | None = None, offline: bool = False) -> dict:
    """What ``cdktf-fix schema info`` prints for the project of ``path``: the target, why each
    version, and where each part of its schema comes from."""
    targets = Targets(explicit, offline)
    probe = path / "-" if path.is_dir() else path
    imported = imported_packages(_read_small(path)) if path.is_file() else frozenset()
    fetch = not targets.offline
    target = targets.target_for(probe, configured, config_path, imported, fetch)
    loaded = schema_for(target, fetch)
    parts = {}
    for distribution, version in (*target.versions, CONSTRUCTS):
        origin = store.ORIGINS.get((distribution, version))
        parts[f"{distribution} {version}"] = {
            "source": origin or "missing",
            "cache": str(store.part_cache_path(distribution, version)),
            "missing": loaded.missing.get(distribution),
        }
    return {**target.to_json(), "label": target.label, "parts": parts, "fetch": fetch}


def _read_small(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(1_000_000)
    except OSError:
        return ""
