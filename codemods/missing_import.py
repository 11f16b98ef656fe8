"""missing-import: provider, cdktf or standard-library names used but never imported."""

from __future__ import annotations

import sys

from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.facts import Symbol
from cdktf_fix.engine.result import Safety
from cdktf_fix.schema.resolve import resolve_class
from codemods._shared import suggestions
from codemods.base import Codemod

class MissingImport(Codemod):
    id = "missing-import"
    summary = "Provider, cdktf or standard-library name used but never imported"
    why = (
        "A name such as `DataAwsAvailabilityZones`, `TerraformOutput` or `Fn` is used where "
        "nothing binds it, and the stack fails with NameError. The fix adds the import from the "
        "one module that defines it (cdktf and constructs first, then the provider). A "
        "standard-library module read as json.dumps(...) with no import gets `import json`."
    )
    safety = (
        "Safe when exactly one module defines the name (or, for a provider class used as a "
        "construct or struct, one class of that kind shares its spelling). Names defined "
        "nowhere, or in several modules, are findings. A standard-library module (sys."
        "stdlib_module_names) is safe when every use of the name reads an attribute of it. "
        "Nothing is added to a file with a star import."
    )

    def check(self, ctx: FileContext) -> None:
        facts, schema = ctx.facts, ctx.schema
        for name in facts.undefined():
            if any(b.local == name for b in ctx.imports.added()):
                continue
            if name in sys.stdlib_module_names and not name.startswith("_"):
                self._standard_module(ctx, name)
                continue
            if not name[:1].isupper():
                continue
            symbol = facts.symbols[(facts.module, name)]
            first = min(symbol.loads, key=lambda o: (o.node.lineno, o.node.col_offset)).node
            found = [m for m in (schema.framework, "constructs") if schema.defines(m, name)]  # the core first
            if found:
                self._add(ctx, found[0], name, symbol, Safety.SAFE, first)
                continue
            resolution = resolve_class(schema, [], name, facts.usage(symbol))
            if not resolution.found or resolution.safety is None or not ctx.schema.is_provider_module(resolution.module):
                if resolution.candidates:
                    ctx.finding(self.id, f"{name} is used but never imported, and no module defines it", suggestions(resolution), at=first)
                continue
            if resolution.name != name and any(ctx.taken(resolution.name, o.scope) for o in symbol.loads):
                continue
            self._add(ctx, resolution.module, resolution.name, symbol, resolution.safety, first)

    def _add(self, ctx: FileContext, module: str, real: str, symbol: Symbol, safety: Safety, at) -> None:
        edits = ctx.rename_edits(symbol, real) if real != symbol.name else []
        message = f"{symbol.name} is used but never imported; it is {module}.{real}"
        if ctx.fix(self.id, symbol.name, f"from {module} import {real}", message, safety, edits, at=at):
            ctx.imports.add(module, real, ctx.facts.module)

    def _standard_module(self, ctx: FileContext, name: str) -> None:
        """``json.dumps(...)`` with no ``import json``: a standard-library module read only as
        ``module.attribute`` gets its import."""
        facts = ctx.facts
        symbol = facts.symbols[(facts.module, name)]
        if not all(facts.attribute_of.get(id(o.node)) is not None for o in symbol.loads):
            return
        first = min(symbol.loads, key=lambda o: (o.node.lineno, o.node.col_offset)).node
        message = f"{name} is used but never imported; it is the standard library's {name}"
        if ctx.fix(self.id, name, f"import {name}", message, Safety.SAFE, at=first):
            ctx.imports.add(name, None, facts.module)
