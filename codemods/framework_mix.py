"""framework-mix: CDKTF and CDK Terrain packages in one file, or the framework the project does not use."""

from __future__ import annotations

import ast

from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.result import Safety
from cdktf_fix.schema.packages import counterpart, framework_of
from codemods.base import Codemod

NAMES = {"cdktf": "CDKTF", "cdktn": "CDK Terrain"}


def framework_of_module(module: str) -> str | None:
    return framework_of(module.partition(".")[0].replace("_", "-"))


class FrameworkMix(Codemod):
    id = "framework-mix"
    summary = "Imports of CDKTF and CDK Terrain packages in one file, or of the framework the project does not use"
    why = (
        "CDK Terrain (cdktn, cdktn_provider_<p>) is the maintained fork of CDKTF (cdktf, "
        "cdktf_cdktf_provider_<p>), with the same modules and classes. The two cannot be mixed: "
        "constructs of one framework in a stack of the other fail at synth (TypeError: "
        "e._resetResolveDiscoveredProviderFeatureUsage is not a function). Code importing the "
        "framework the project's target does not use fails to import. The import is reported with "
        "the module of the target's framework that stands for it."
    )
    safety = (
        "Safe, and only under `cdktf-fix migrate`: the import is moved to the target "
        "framework's package, with every use of a name it binds without `as` (`import cdktf` "
        "then `cdktf.App()`); the two frameworks have the same modules and classes, and the "
        "module must exist in the target's schema (else a finding, and the project is not "
        "migrated). In a repair (apply, diff, check, batch) it is a finding: moving code "
        "between the frameworks is a migration, not a repair."
    )

    def check(self, ctx: FileContext) -> None:
        schema = ctx.schema
        mine = schema.framework
        uses_target = any(b.origin is not None and b.module.partition(".")[0] != "constructs" for b in ctx.imports.live())
        for module, statement, ordinal in ctx.facts.foreign_imports:
            other = framework_of_module(module)
            if other is None or other == mine:
                continue  # a provider of the target's framework with no schema here: a notice, not a finding
            moved = counterpart(module, other, mine)
            exists = moved is not None and (schema.has_module(moved) or moved in schema.core_packages or moved in schema.provider_packages)
            if exists and ctx.options.migrate:
                self._migrate(ctx, statement, ordinal, other, mine)
                continue
            suggestions = [moved] if exists else []
            package = module.partition(".")[0]
            if uses_target:
                message = (
                    f"{package} is {NAMES[other]}, and this file also imports {NAMES[mine]} packages: mixing them fails at synth "
                    "(TypeError: e._resetResolveDiscoveredProviderFeatureUsage is not a function)"
                )
            else:
                message = f"{package} is {NAMES[other]}, but this project's target is {_label(schema)}: it is not installed there"
            ctx.finding(self.id, message, suggestions, at=statement)


    def _migrate(self, ctx: FileContext, statement, ordinal: int, source: str, target: str) -> None:
        """The import statement's modules moved to ``target``'s packages (the import planner
        writes it); a package bound by ``import pkg[.mod]`` without ``as`` is renamed where it
        is used."""
        if ordinal in ctx.imports.moved_roots:
            return  # a statement importing several modules: one fix moves them all
        modules = [statement.module] if type(statement) is ast.ImportFrom else [a.name for a in statement.names]
        roots = {}
        for module in modules:
            new = counterpart(module, source, target)
            if new is not None:
                roots[module.partition(".")[0]] = new.partition(".")[0]
        edits = []
        if type(statement) is ast.Import:
            for alias in statement.names:
                root = alias.name.partition(".")[0]
                symbol = ctx.facts.resolves_to(root, ctx.facts.module) if alias.asname is None and root in roots else None
                if symbol is not None:
                    edits += ctx.rename_edits(symbol, roots[root])
        old = ", ".join(sorted(roots))
        new = ", ".join(roots[r] for r in sorted(roots))
        if ctx.fix(self.id, old, new, f"{NAMES[source]} -> {NAMES[target]}: {old} is {new}", Safety.SAFE, edits, at=statement):
            ctx.imports.moved_roots[ordinal] = tuple(roots.items())


def _label(schema) -> str:
    target = schema.target
    return target.label if target is not None else schema.label
