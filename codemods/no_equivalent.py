"""no-equivalent: imported names that exist nowhere in any form."""

from __future__ import annotations

from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.result import Safety
from cdktf_fix.schema.resolve import hint_modules_for, resolve_class, restructure_hint
from codemods._shared import MODULE_PROBLEMS, binding_problem, broken_groups, missing, qualified, suggestions
from codemods.base import Codemod


class NoEquivalent(Codemod):
    id = "no-equivalent"
    summary = "Imported class that exists nowhere in the provider"
    why = (
        "Some names have no counterpart at all (`Wafv2WebAclRuleStatement`, "
        "`EcsTaskDefinitionContainerDefinitions`, `DynamodbTableStreamSpecification`): the code "
        "has to be restructured (a dict for an any-typed field, a JSON string, flattened "
        "keywords). The import is reported with the closest real names; an import of such a "
        "name that the file never uses is removed. Any other import that still fails after the "
        "other codemods is reported here too: a broken import is never left silent."
    )
    safety = "Removing an import that is never used and cannot be imported is safe. Everything else is a finding."

    def check(self, ctx: FileContext) -> None:
        for group in broken_groups(ctx, {"name"}):
            binding = group[0]
            module, name = binding.module, binding.name
            node = binding.origin.node
            symbol = binding.origin.symbol
            if id(binding) in ctx.imports.handled:
                continue  # reported already (the name it should have is taken)
            if not symbol.loads and not symbol.stores and not ctx.annotation_uses(symbol):
                if ctx.fix(self.id, qualified(module, name), "", f"{missing(ctx, qualified(module, name), module)} and is never used", Safety.SAFE, at=node):
                    for each in group:
                        each.removed = True
                continue
            resolution = resolve_class(ctx.schema, hint_modules_for(ctx.schema, module, name), name, ctx.facts.usage(symbol))
            if resolution.found and resolution.safety is not None:
                # an unsafe fix exists (offered by class-name); say so and suggest it first
                ctx.finding(self.id, f"{missing(ctx, qualified(module, name), module)}; maybe {resolution.name} ({resolution.reason})", suggestions(resolution), at=node)
            else:
                hint = restructure_hint(ctx.schema, module, name)
                found = ([hint] if hint else []) + suggestions(resolution)
                ctx.finding(self.id, f"{qualified(module, name)} does not exist in any module of {ctx.schema.label_of(module)}", found, at=node)
        for group in broken_groups(ctx, MODULE_PROBLEMS):
            binding = group[0]
            if id(binding) not in ctx.imports.handled and id(binding) not in ctx.imports.proposed:
                problem = binding_problem(ctx, binding)
                ctx.finding(self.id, f"{qualified(binding.module, binding.name)}: the import fails ({problem}) and nothing can replace it", [binding.local], at=binding.origin.node)
