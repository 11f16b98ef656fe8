"""missing-import: provider or cdktf names used but never imported."""

from __future__ import annotations

import libcst as cst

from cdktf_fix.context import FileContext
from cdktf_fix.resolve import resolve_class
from cdktf_fix.result import Safety
from codemods._shared import suggestions
from codemods.base import Codemod

_PACKAGES_FIRST = ("cdktf", "constructs")


class MissingImport(Codemod):
    id = "missing-import"
    summary = "Provider or cdktf name used but never imported"
    why = (
        "A name such as `DataAwsAvailabilityZones`, `TerraformOutput` or `Fn` is used without "
        "an import, and the stack fails with NameError. The fix adds the import from the one "
        "module that defines it (cdktf and constructs first, then the provider)."
    )
    safety = (
        "Safe when exactly one module defines the name (or, for a provider class used as a "
        "construct or struct, one class of that kind shares its spelling). Names defined "
        "nowhere, or in several modules, are findings. Nothing is added to a file with a "
        "star import."
    )

    def run(self, ctx: FileContext, tree: cst.Module) -> cst.Module:
        facts = ctx.facts
        assert facts is not None
        for name in facts.undefined():
            if not name[:1].isupper() or ctx.binding_for(name) is not None:
                continue
            found = [m for m in _PACKAGES_FIRST if ctx.schema.defines(m, name)]
            if found:
                self._add(ctx, found[0], name, name, Safety.SAFE, cst.Name(name))
                continue
            resolution = resolve_class(ctx.schema, [], name, facts.usage.get(name))
            if not resolution.found or resolution.safety is None or not resolution.module.startswith("cdktf_cdktf_provider_aws."):
                if resolution.candidates:
                    ctx.add_finding(self.id, cst.Name(name), f"{name} is used but never imported, and no module defines it", suggestions(resolution))
                continue
            if resolution.name != name and ctx.is_bound(resolution.name):
                continue
            self._add(ctx, resolution.module, resolution.name, name, resolution.safety, cst.Name(name))
        return tree

    def _add(self, ctx: FileContext, module: str, real: str, used: str, safety: Safety, node: cst.CSTNode | None) -> None:
        message = f"{used} is used but never imported; it is {module}.{real}"
        if ctx.suppressed(self.id, node):
            return
        if not ctx.allows(safety):
            ctx.add_fix(self.id, node, used, f"from {module} import {real}", message, safety, applied=False)
            return
        ctx.add_fix(self.id, node, used, f"from {module} import {real}", message, safety)
        ctx.add_binding(module, real)
        if real != used:
            ctx.rename(used, real)
