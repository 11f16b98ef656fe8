"""no-equivalent: imported names that exist nowhere in any form."""

from __future__ import annotations

import libcst as cst

from cdktf_fix.context import FileContext
from cdktf_fix.resolve import hint_modules_for, resolve_class, restructure_hint
from cdktf_fix.result import Safety
from codemods._shared import qualified, suggestions, unresolved_bindings
from codemods.base import Codemod


class NoEquivalent(Codemod):
    id = "no-equivalent"
    summary = "Imported class that exists nowhere in the provider"
    why = (
        "Some names have no counterpart at all (`Wafv2WebAclRuleStatement`, "
        "`EcsTaskDefinitionContainerDefinitions`, `DynamodbTableStreamSpecification`): the code "
        "has to be restructured (a dict for an any-typed field, a JSON string, flattened "
        "keywords). The import is reported with the closest real names; an import of such a "
        "name that the file never uses is removed."
    )
    safety = "Removing an import that is never used and cannot be imported is safe. Everything else is a finding."

    def run(self, ctx: FileContext, tree: cst.Module) -> cst.Module:
        assert ctx.facts is not None
        for binding in unresolved_bindings(ctx):
            module, name = binding.module, binding.name
            node = binding.origin.node if binding.origin else None
            if ctx.suppressed(self.id, node):
                continue
            if binding.origin is not None and not ctx.facts.references.get(binding.local):
                ctx.add_fix(self.id, node, qualified(module, name), "", f"{qualified(module, name)} does not exist and is never used", Safety.SAFE)
                ctx.update_binding(binding, removed=True)
                continue
            usage = ctx.facts.usage.get(binding.local)
            resolution = resolve_class(ctx.schema, hint_modules_for(ctx.schema, module, name), name, usage)
            if resolution.found and resolution.safety is not None:
                # an unsafe fix exists (offered by class-name); say so and suggest it first
                ctx.add_finding(self.id, node, f"{qualified(module, name)} does not exist; maybe {resolution.name} ({resolution.reason})", suggestions(resolution))
            else:
                hint = restructure_hint(ctx.schema, module, name)
                found = ([hint] if hint else []) + suggestions(resolution)
                ctx.add_finding(self.id, node, f"{qualified(module, name)} does not exist in any module", found)
        return tree
