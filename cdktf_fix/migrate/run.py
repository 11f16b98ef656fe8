"""``cdktf-fix migrate --to cdktn`` and ``cdktf-fix upgrade --to VERSION``: projects moved to
CDK Terrain, or to another provider release, all or nothing.

``upgrade`` is the same run with the provider release as the target and its pins moved to that
version (the distribution keeps its name); what follows describes ``migrate``.

Per project (the nearest folder with ``cdktf.json`` or a manifest above each file; a file in
none is a project of its own):

1. every Python and markdown file is repaired against the CDK Terrain target (``--target``
   ``cdktn`` and whatever the command line adds) with ``Options.migrate``: framework-mix moves
   each ``cdktf`` / ``cdktf_cdktf_provider_<p>`` import to ``cdktn`` / ``cdktn_provider_<p>``,
   and the other codemods repair the code against that target in the same rounds;
2. the dependency files are planned (``migrate.dependencies``): the packages renamed, their
   specifiers moved to the versions of that target; lock files are named, never edited;
3. nothing of the project is written when any of its files could not be read or repaired, a
   file still imports CDKTF (a provider with no CDK Terrain package in the target), or a
   dependency file cannot be migrated: the project is reported with every reason.

``cdktf.json``, ``cdktf.out/`` and the ``CDKTF_*`` variables stay as they are (CDK Terrain
reads them).  A second run changes nothing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from cdktf_fix.io.runs import Request, settings_for
from cdktf_fix.io.sources import FileOutcome, error_reason, iter_source_files, process, read_source, write_source
from cdktf_fix.schema.target import project_facts

FRAMEWORKS_TO = ("cdktn",)


@dataclass
class FileEdit:
    """A dependency file's new text (the code files are ``FileOutcome``\\ s)."""

    path: Path
    old: str
    new: str

    def diff(self) -> str:
        lines = difflib.unified_diff(self.old.splitlines(keepends=True), self.new.splitlines(keepends=True), str(self.path), str(self.path))
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


@dataclass
class ProjectMigration:
    root: Path  # the project folder (a lone file's own folder)
    files: list[FileOutcome] = field(default_factory=list)
    dependencies: list[FileEdit] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # one line per requirement moved
    relock: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why the project is not migrated
    target: str | None = None
    written: bool = False

    @property
    def changed(self) -> bool:
        return any(f.result.changed for f in self.files) or bool(self.dependencies)


@dataclass
class MigrationReport:
    projects: list[ProjectMigration]
    notices: list[str]

    @property
    def files(self) -> list[FileOutcome]:
        return [f for p in self.projects for f in p.files]


def _versions(label: str | None) -> dict[str, str]:
    """``cdktn 0.24.0 + cdktn-provider-aws 25.8.1`` -> {distribution: version}."""
    if not label:
        return {}
    return dict(part.rsplit(" ", 1) for part in label.split(" + ") if " " in part)


def _project_of(path: Path) -> Path:
    folder = path.absolute().parent
    return project_facts(folder).folder or folder


def migrate_paths(paths: list[Path], to: str, request: Request, write: bool) -> MigrationReport:
    """Migrate every project under ``paths`` to ``to`` (``cdktn``); write when ``write``."""
    from cdktf_fix.migrate.dependencies import renamed

    if to not in FRAMEWORKS_TO:
        raise ValueError(f"--to {to}: the one framework to migrate to is {', '.join(FRAMEWORKS_TO)}")
    providers = _providers_to_find(paths, request.target)
    request = Request(request.unsafe_fixes, request.select, request.ignore, request.config, (to, *providers, *request.target), request.offline, migrate=True)
    return _move(paths, request, write, renamed)


def _providers_to_find(paths: list[Path], given: tuple[str, ...]) -> list[str]:
    """``cdktn-provider-<p>>=0`` for each prebuilt provider other than AWS that the code imports
    (``cdktf_cdktf_provider_random``) and the command line does not name: the newest CDK
    Terrain release of it is the target (offline: the newest known here), so its import can
    move and the code is checked against it.  AWS has the target's default."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    from cdktf_fix.schema.packages import FRAMEWORKS, counterpart, distribution_of, framework_of, is_provider
    from cdktf_fix.schema.target import imported_packages

    named = set()
    for text in given:
        try:
            named.add(canonicalize_name(Requirement(text).name))
        except InvalidRequirement:
            pass  # the target machinery reports it
    found: set[str] = set()
    for item in iter_source_files(paths):
        if isinstance(item, tuple):
            continue
        try:
            found |= imported_packages(read_source(item).text)
        except (OSError, ValueError):
            continue  # reported when the file is repaired
    moved = {distribution_of(counterpart(p, "cdktf", "cdktn") or p) for p in found}
    wanted = sorted(d for d in moved if is_provider(d) and framework_of(d) == "cdktn" and d != FRAMEWORKS["cdktn"].aws)
    return [f"{d}>=0" for d in wanted if d not in named]


def upgrade_paths(paths: list[Path], to: str, request: Request, write: bool) -> MigrationReport:
    """Port every project under ``paths`` to the provider release ``to`` (``cdktf-cdktf-provider-aws==19.50.0``,
    or a bare version of cdktf-cdktf-provider-aws): the code repaired against it, its pins bumped."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    text = to if not to[:1].isdigit() else f"cdktf-cdktf-provider-aws=={to}"
    try:
        wanted = Requirement(text)
    except InvalidRequirement as error:
        raise ValueError(f"--to {to}: not a version or a requirement ({error})") from None
    pins = [s for s in wanted.specifier if s.operator == "=="]
    if len(pins) != 1 or len(wanted.specifier) != 1:
        raise ValueError(f"--to {to}: give one release (NAME==VERSION, or a version of cdktf-cdktf-provider-aws)")
    name, version = canonicalize_name(wanted.name), pins[0].version
    request = Request(request.unsafe_fixes, request.select, request.ignore, request.config, (*request.target, f"{name}=={version}"), request.offline)
    return _move(paths, request, write, lambda d: name if canonicalize_name(d) == name else None)


def _move(paths: list[Path], request: Request, write: bool, rename) -> MigrationReport:
    """Every project under ``paths`` repaired against the request's target, its dependency
    files moved with ``rename``; all or nothing per project."""
    from cdktf_fix.migrate.dependencies import plan_dependencies

    settings = settings_for(request)
    report = process(settings.engine_for, list(iter_source_files(paths)), write=False, roots=paths, excluded=settings.excluded)
    projects: dict[Path, ProjectMigration] = {}
    for outcome in report.files:
        root = _project_of(outcome.path)
        project = projects.setdefault(root, ProjectMigration(root))
        project.files.append(outcome)
        project.target = project.target or outcome.result.target
    for project in projects.values():
        _check(project)
        if not project.problems and project.target:
            versions = _versions(project.target)
            plan = plan_dependencies(project.root, versions.get, rename)
            project.problems += plan.problems
            project.changes, project.relock = plan.changes, plan.relock
            project.dependencies = [FileEdit(p, _read(p), text) for p, text in plan.edits.items()]
        if write and not project.problems:
            _write(project)
    return MigrationReport(sorted(projects.values(), key=lambda p: str(p.root)), settings.notices)


def _check(project: ProjectMigration) -> None:
    for outcome in project.files:
        if outcome.error:
            project.problems.append(f"{outcome.path}: {outcome.error}")
        for block in outcome.result.skipped:
            project.problems.append(f"{outcome.path}:{block.line}: {block.reason}")
        for finding in outcome.result.findings:
            if finding.codemod == "framework-mix":
                project.problems.append(f"{outcome.path}:{finding.line}: {finding.message}")


def _read(path: Path) -> str:
    return read_source(path).text


def _write(project: ProjectMigration) -> None:
    """Every changed file of the project, each atomically; a file that changed since it was read
    (or cannot be written) is a problem, and what was not written yet is left alone."""
    pending = [(f.path, f.result.source, f.result.new_source, f) for f in project.files if f.result.changed]
    pending += [(e.path, e.old, e.new, None) for e in project.dependencies]
    originals = []
    for path, old, _new, _ in pending:  # everything read again first: a changed file stops the project
        try:
            source = read_source(path)
        except (OSError, ValueError) as error:
            project.problems.append(f"{path}: {error_reason(error)}")
            return
        if source.text != old:
            project.problems.append(f"{path}: changed since it was read; nothing of the project written")
            return
        originals.append(source)
    for (path, _old, new, outcome), source in zip(pending, originals):
        try:
            write_source(path, new, source)
        except OSError as error:
            project.problems.append(f"{path}: not written: {error_reason(error)}")
            return
        if outcome is not None:
            outcome.written = True
    project.written = True
