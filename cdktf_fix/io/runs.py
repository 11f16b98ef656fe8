"""A run of ``apply``, ``diff`` or ``check``: which configuration and engine each file gets.

Every file gets the ``[tool.cdktf-fix]`` of the nearest ``pyproject.toml`` at or above its own
folder that has that table (as ruff finds its settings), or the one ``--config`` names for all
of them; the command line overrides it.  All the configurations a run needs are read before any
file is repaired, so a broken one stops the run before anything is written.  Standard input
(``-``) is one file, named by ``--stdin-filename`` for its configuration, its project and its
messages.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

from cdktf_fix.engine.options import Options
from cdktf_fix.io.config import Config, ConfigError, find_config, load_config
from cdktf_fix.schema.packages import counterpart
from cdktf_fix.schema.target import TargetError, Targets
from cdktf_fix.io.sources import FileOutcome, RunReport, error_reason, decode_source, iter_source_files, process, repair_as

STDIN = "-"


class RunError(Exception):
    """A run that cannot start (a bad configuration or option, no schema): one line says why."""


@dataclass(frozen=True)
class Request:
    """What the command line asks for."""

    unsafe_fixes: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config: Path | None = None  # ``--config``: one configuration for every file
    target: tuple[str, ...] = ()  # ``--target``: requirement strings, over every project's own
    offline: bool = False  # ``--offline``: never download a schema
    migrate: bool = False  # ``migrate``: imports of the other framework move to the target's


class Settings:
    """The configuration of every file of a run, and the engine for each configuration."""

    def __init__(self, request: Request, known_codemods: set[str]) -> None:
        self.request = request
        self.known = known_codemods
        unknown = [c for c in (*request.select, *request.ignore) if c not in known_codemods]
        if unknown:
            raise RunError(f"unknown codemod {', '.join(unknown)} (see `cdktf-fix rules`)")
        both = sorted(set(request.select) & set(request.ignore))
        if both:
            raise RunError(f"{', '.join(both)} is both selected and ignored: nothing would run")
        self._configs: dict[Path, Config] = {}
        self._engines: dict = {}
        self._explicit = self._load(request.config) if request.config is not None else None
        self.notices: list[str] = []  # one line per project and problem (a pin with no schema, ...)
        self._noticed: set[str] = set()
        try:
            self._targets = Targets(request.target, request.offline)
        except TargetError as error:
            raise RunError(str(error)) from None

    def _load(self, path: Path | None) -> Config:
        try:
            return load_config(path, self.known)
        except ConfigError as error:
            raise RunError(str(error)) from None

    def config_for(self, path: Path) -> Config:
        if self._explicit is not None:
            return self._explicit
        folder = Path(path).absolute().parent
        config = self._configs.get(folder)
        if config is None:
            config = self._configs[folder] = self._load(find_config(folder))
        return config

    def options_for(self, config: Config) -> Options:
        """The command line over the configuration: ``--select`` replaces the configured
        selection, ``--ignore`` adds to the configured one, ``--unsafe-fixes`` turns them on."""
        request = self.request
        chosen = request.select or config.select
        options = Options(
            unsafe_fixes=request.unsafe_fixes or config.unsafe_fixes,
            select=frozenset(chosen) if chosen else None,
            ignore=frozenset([*request.ignore, *config.ignore]),
            terraform_version=config.terraform_version,
            use_lockfile=config.use_lockfile,
            lock_table=config.lock_table,
            migrate=request.migrate,
        )
        if options.select is not None and options.select <= options.ignore:
            where = f" ({config.path})" if config.path else ""
            raise RunError(f"every selected codemod is also ignored{where}: nothing would run")
        return options

    def notice(self, text: str) -> None:
        if text not in self._noticed:
            self._noticed.add(text)
            self.notices.append(text)

    def engine_for(self, path: Path, generated: frozenset[str], imported: frozenset[str] = frozenset()):
        """The engine for a file: its configuration's options, its project's target and the
        bindings its project generates."""
        from cdktf_fix.engine import Engine

        config = self.config_for(path)
        if self.request.migrate:  # the code is checked against the counterparts of what it imports
            imported = frozenset(counterpart(p, "cdktf", "cdktn") or p for p in imported)
        index = self._targets.index_for(path, config, imported, self.notice)
        key = (id(config), generated, id(index))
        engine = self._engines.get(key)
        if engine is None:
            options = replace(self.options_for(config), generated_bindings=generated)
            engine = self._engines[key] = Engine(index, options)
        return engine

    def excluded(self, path: Path) -> bool:
        config = self.config_for(path)
        return bool(config.exclude) and config.excluded(path)


def settings_for(request: Request) -> Settings:
    from codemods import BY_ID

    return Settings(request, set(BY_ID))


def options_here(request: Request) -> Options:
    """The options of a run with no files to find configurations from (``batch``): the
    configuration at or above the current folder, or ``--config``."""
    from codemods import BY_ID

    settings = Settings(request, set(BY_ID))
    return settings.options_for(settings.config_for(Path.cwd() / "-"))


def repair_paths(paths: list[Path], request: Request, write: bool) -> RunReport:
    """Repair (and, when ``write``, rewrite) every Python and markdown file under ``paths``."""
    settings = settings_for(request)
    items = list(iter_source_files(paths))
    for item in items:  # every configuration first: a broken one stops the run before any write
        if not isinstance(item, tuple):
            settings.options_for(settings.config_for(item))
    report = process(settings.engine_for, items, write, roots=paths, excluded=settings.excluded)
    report.notices = settings.notices
    return report


def repair_stdin(request: Request, filename: str | None, limit: int) -> tuple[RunReport, bool]:
    """Repair what standard input holds (at most ``limit`` bytes); (its report, its BOM)."""
    settings = settings_for(request)
    outcome, bom = _stdin_outcome(settings, filename, limit)
    return RunReport([outcome], settings.notices), bom


def _stdin_outcome(settings: Settings, filename: str | None, limit: int) -> tuple[FileOutcome, bool]:
    from cdktf_fix.engine.result import RepairResult, Status

    path = Path(filename) if filename else Path(STDIN)
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        return FileOutcome(path, RepairResult("", "", status=Status.ERROR, error=f"larger than {limit // 1_000_000} MB")), False
    try:
        text, bom = decode_source(data)
    except ValueError as error:
        return FileOutcome(path, RepairResult("", "", status=Status.ERROR, error=error_reason(error))), False
    if filename and settings.excluded(path):
        return FileOutcome(path, RepairResult(text, text, status=Status.SKIPPED)), bom
    return FileOutcome(path, repair_as(settings.engine_for, path, text, in_project=bool(filename))), bom
