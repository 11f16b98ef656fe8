"""Configuration from ``pyproject.toml``, under ``[tool.cdktf-fix]``.

    [tool.cdktf-fix]
    select = ["module-path", "class-name"]      # run only these codemods
    ignore = ["literal-type"]                   # never run these
    exclude = ["generated/**", "legacy/*.py"]   # paths (globs, relative to this file) left alone
    unsafe-fixes = false                        # also apply unsafe fixes
    terraform-version = "1.9.8"                 # decides whether S3 use_lockfile is valid
    use-lockfile = "dynamodb"                   # "keep" or "dynamodb" (see backend-lockfile)
    lock-table = "terraform-locks"              # the DynamoDB table for use-lockfile = "dynamodb"

Each file gets the first ``pyproject.toml`` with the table found walking up from its own
folder (``--config`` names one for every file).  Command-line options override it.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

KEYS = {"select", "ignore", "exclude", "unsafe-fixes", "terraform-version", "use-lockfile", "lock-table", "target", "fetch"}
LOCKFILE_POLICIES = ("keep", "dynamodb")


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass
class Config:
    path: Path | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    unsafe_fixes: bool = False
    terraform_version: str | None = None
    use_lockfile: str | None = None
    lock_table: str | None = None
    target: list[str] = field(default_factory=list)  # requirement strings (see schema/target.py)
    fetch: bool = True  # fetch a schema the target needs and nothing here has

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def excluded(self, path: Path) -> bool:
        """Whether ``path`` matches an ``exclude`` glob (relative to the config's folder)."""
        if not self.exclude:
            return False
        try:
            relative = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            relative = path.as_posix()
        parts = relative.split("/")
        candidates = {relative, *("/".join(parts[:i]) for i in range(1, len(parts)))}
        return any(fnmatch.fnmatchcase(c, pattern.rstrip("/")) for pattern in self.exclude for c in candidates)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has ``[tool.cdktf-fix]``."""
    folder = (start or Path.cwd()).resolve()
    for candidate in [folder, *folder.parents]:
        pyproject = candidate / "pyproject.toml"
        try:
            if not pyproject.is_file():
                continue
            tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # not ours to judge: a pyproject.toml we cannot read has no settings for us
        if isinstance(tool, dict) and "cdktf-fix" in tool:
            return pyproject
    return None


def load_config(path: Path | None, known_codemods: set[str]) -> Config:
    """Read ``[tool.cdktf-fix]`` of ``path`` (an empty config for None); raises ConfigError."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool must be a table (it holds [tool.cdktf-fix])")
    table = tool.get("cdktf-fix", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.cdktf-fix] must be a table")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {', '.join(unknown)} in [tool.cdktf-fix] (known: {', '.join(sorted(KEYS))})")

    def strings(key: str) -> list[str] | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: [tool.cdktf-fix] {key} must be a list of strings")
        return value

    def text(key: str) -> str | None:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{path}: [tool.cdktf-fix] {key} must be a string")
        return value

    config = Config(path, strings("select"), strings("ignore") or [], strings("exclude") or [])
    bad = [c for c in (config.select or []) + config.ignore if c not in known_codemods]
    if bad:
        raise ConfigError(f"{path}: unknown codemod {', '.join(bad)} in [tool.cdktf-fix] (see `cdktf-fix rules`)")
    unsafe = table.get("unsafe-fixes", False)
    if not isinstance(unsafe, bool):
        raise ConfigError(f"{path}: [tool.cdktf-fix] unsafe-fixes must be true or false")
    config.unsafe_fixes = unsafe
    config.terraform_version = text("terraform-version")
    if config.terraform_version is not None and parse_version(config.terraform_version) is None:
        raise ConfigError(f"{path}: [tool.cdktf-fix] terraform-version {config.terraform_version!r} is not a version like \"1.9.8\"")
    config.use_lockfile = text("use-lockfile")
    if config.use_lockfile is not None and config.use_lockfile not in LOCKFILE_POLICIES:
        raise ConfigError(f"{path}: [tool.cdktf-fix] use-lockfile must be one of {', '.join(LOCKFILE_POLICIES)}")
    target = table.get("target")
    if isinstance(target, str):
        target = [target]
    if target is not None and (not isinstance(target, list) or not all(isinstance(t, str) for t in target)):
        raise ConfigError(f"{path}: [tool.cdktf-fix] target must be a string or a list of strings (\"cdktn-provider-aws==25.8.1\")")
    if target:
        from cdktf_fix.schema.target import TargetError, parse_explicit

        try:
            parse_explicit(target, f"{path} [tool.cdktf-fix] target")
        except TargetError as error:
            raise ConfigError(str(error)) from None
        config.target = target
    fetch = table.get("fetch", True)
    if not isinstance(fetch, bool):
        raise ConfigError(f"{path}: [tool.cdktf-fix] fetch must be true or false")
    config.fetch = fetch
    config.lock_table = text("lock-table")
    if config.use_lockfile == "dynamodb" and not config.lock_table:
        raise ConfigError(f"{path}: [tool.cdktf-fix] use-lockfile = \"dynamodb\" needs lock-table = \"<table name>\"")
    return config


def parse_version(text: str) -> tuple[int, ...] | None:
    """``"1.9.8"`` -> (1, 9, 8); None for what is no version (``""``, ``"latest"``)."""
    parts = text.strip().lstrip("v~>=^ ").split(".")
    if not parts or any(not p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)
