"""The codemods, one per failure class, in the order the engine runs them."""

from __future__ import annotations

from codemods.base import Codemod
from codemods.class_name import ClassName
from codemods.missing_import import MissingImport
from codemods.module_path import ModulePath
from codemods.no_equivalent import NoEquivalent

ALL_CODEMODS: tuple[Codemod, ...] = (ModulePath(), ClassName(), MissingImport(), NoEquivalent())
BY_ID: dict[str, Codemod] = {c.id: c for c in ALL_CODEMODS}

__all__ = ["ALL_CODEMODS", "BY_ID", "Codemod"]
