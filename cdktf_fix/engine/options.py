"""What a run is asked to do (no libcst here: the CLI and the fast path import it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Options:
    unsafe_fixes: bool = False
    # providers whose bindings ``cdktf get`` generates for the project (``imports.<p>``: its
    # cdktf.json lists them, or ``imports/<p>`` exists): their imports are left alone
    generated_bindings: frozenset[str] = frozenset()
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    max_iterations: int = 8
    # policy for the S3 backend's use_lockfile override (see codemods/backend_lockfile.py)
    terraform_version: str | None = None
    use_lockfile: str | None = None  # "keep" or "dynamodb"
    lock_table: str | None = None
    # ``migrate``: imports of the other framework are moved to the target's (framework-mix fixes
    # them) instead of being reported
    migrate: bool = False
