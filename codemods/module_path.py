"""module-path: imports from provider modules that do not exist."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf_fix.engine.context import FileContext, ImportBinding, Place
from cdktf_fix.engine.facts import Symbol
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import ReplaceWithName, SetAttribute
from cdktf_fix.schema.resolve import candidate_modules, hint_modules_for, resolve_class
from codemods._shared import MODULE_PROBLEMS, binding_problem, broken_groups, class_chains, missing, qualified, retarget, suggestions
from codemods.base import Codemod


@dataclass(frozen=True)
class InsertModule:
    """``aws.KmsKey`` -> ``aws.kms_key.KmsKey``."""

    module: str

    def apply(self, node):
        import libcst as cst

        inner = cst.Attribute(value=node.value, attr=cst.Name(self.module))
        return node.with_changes(value=inner)


class ModulePath(Codemod):
    id = "module-path"
    summary = "Import from a provider module that does not exist"
    why = (
        "Models invent module paths: `timestream_write_database` for `timestreamwrite_database`, "
        "`eventbridge_rule` for `cloudwatch_event_rule`, flat imports from the package root, "
        "`from imports.aws import ...` in a project that does not generate bindings, and service "
        "pseudo-modules (`from cdktf_cdktf_provider_aws import kms`, then `kms.KmsKey`). Each "
        "fails at import. The fix moves every name to the module that defines it and rewrites "
        "`alias.Name` uses of a module that does not exist to the imported name. Valid module "
        "imports (`from cdktf_cdktf_provider_aws import s3_bucket`, `import "
        "cdktf_cdktf_provider_aws as aws`) stay; only a module part that does not exist is "
        "corrected in place (`aws.kms.KmsKey` -> `aws.kms_key.KmsKey`)."
    )
    safety = (
        "Safe when the schema leaves one module: the module with the same name up to "
        "underscores, a service alias from the data table with one existing module, or the one "
        "module that defines the class. Several candidates are unsafe or findings."
    )

    def check(self, ctx: FileContext) -> None:
        for group in broken_groups(ctx, MODULE_PROBLEMS):
            binding = group[0]
            problem = binding_problem(ctx, binding)
            lowercase = binding.name is None or binding.name[:1].islower()
            if problem == "pseudo-module" or (problem == "imports" and lowercase):
                self._rewrite_alias_uses(ctx, group)
            elif problem == "flat" or (problem == "imports" and binding.module.count(".") == 1):
                usage = ctx.facts.usage(binding.origin.symbol)
                resolution = resolve_class(ctx.schema, [], binding.name, usage, package=ctx.schema.package_of(binding.module))
                self._apply(ctx, group, resolution, f"{binding.module} has no classes of its own")
            elif problem == "module":
                self._move_module(ctx, group, binding.module)
            elif problem == "imports":
                self._move_module(ctx, group, ctx.schema.as_provider_module(binding.module))
        self._package_alias_chains(ctx)

    def _move_module(self, ctx: FileContext, group: list[ImportBinding], written: str) -> None:
        binding = group[0]
        modules = candidate_modules(ctx.schema, written)
        exact = [m for m in modules if ctx.schema.defines(m, binding.name)]
        if len(exact) == 1 or (len(modules) == 1 and not exact):
            target = (exact or modules)[0]
            retarget(ctx, self.id, group, target, binding.name, f"{missing(ctx, 'module ' + binding.module, binding.module)}; it is {target}", Safety.SAFE)
            return
        usage = ctx.facts.usage(binding.origin.symbol)
        resolution = resolve_class(ctx.schema, modules or hint_modules_for(ctx.schema, written, binding.name), binding.name, usage)
        self._apply(ctx, group, resolution, missing(ctx, f"module {binding.module}", binding.module))

    def _apply(self, ctx: FileContext, group: list[ImportBinding], resolution, why: str) -> None:
        binding = group[0]
        if not resolution.found:
            ctx.imports.handled.add(id(binding))
            ctx.finding(self.id, f"{qualified(binding.module, binding.name)}: {why}, and no module defines {binding.name}", suggestions(resolution), at=binding.origin.node)
            return
        # only the module is this codemod's business; class-name fixes the name after it
        message = f"{why}; {resolution.name} lives in {resolution.module}"
        retarget(ctx, self.id, group, resolution.module, binding.name or "", message, resolution.safety)

    def _rewrite_alias_uses(self, ctx: FileContext, group: list[ImportBinding]) -> None:
        """``kms.KmsKey`` / ``aws.kms.KmsKey`` through an import that fails -> ``KmsKey`` with its import."""
        binding = group[0]
        symbol = binding.origin.symbol
        at = binding.origin.node
        package = ctx.schema.package_of(binding.module)
        root_is_package = binding.name is None and (binding.module == package or binding.module.count(".") == 1 and binding.module.startswith("imports."))
        rewritten = 0
        for chain, uses in class_chains(ctx, symbol).items():
            target = self._chain_target(ctx, symbol, chain, root_is_package, package, at)
            if target is None:
                continue
            module, name, safety = target
            if any(ctx.taken(name, occurrence.scope, (module, name)) for occurrence, _ in uses):
                ctx.finding(self.id, f"{'.'.join(chain)} is {module}.{name}, but {name} is already bound here", [f"{module}.{name}"], at=at)
                continue
            edits = [(node, ReplaceWithName(name), Place(occurrence.statement)) for occurrence, node in uses]
            if ctx.fix(self.id, ".".join(chain), name, f"{'.'.join(chain)} lives in {module}", safety, edits, at=at):
                ctx.imports.add(module, name, binding.scope, anchor=binding.origin.statement)
                rewritten += len(uses)
        ctx.imports.handled.add(id(binding))
        if rewritten == len(symbol.loads) and not ctx.annotation_uses(symbol):
            # nothing uses it any more (or never did): the import of a module that does not exist goes
            why = "is no longer used" if rewritten else "fails and is never used"
            if ctx.fix(self.id, binding.local, "", f"import of {qualified(binding.module, binding.name)} {why}", Safety.SAFE, at=at):
                for each in group:
                    each.removed = True
        else:
            others = len(symbol.loads) - rewritten
            ctx.finding(
                self.id, f"{qualified(binding.module, binding.name)} is no provider module, and {others} use{'s' if others != 1 else ''} of {binding.local} name no provider class",
                [f"{package}.<module>"], at=at,
            )

    def _chain_target(self, ctx: FileContext, symbol: Symbol, chain: tuple[str, ...], root_is_package: bool, package: str, at):
        parts = chain[1:]
        name = parts[-1]
        hints: list[str] = []
        if root_is_package and len(parts) == 2:
            hints = candidate_modules(ctx.schema, f"{package}.{parts[0]}")
        elif len(parts) != 1:
            return None
        resolution = resolve_class(ctx.schema, hints, name, ctx.facts.usage(symbol, parts), package=package)
        if not resolution.found or resolution.name != name:
            # a wrong name as well: move it only when the module is certain (class-name fixes the name)
            if resolution.found and resolution.safety is Safety.SAFE:
                return resolution.module, name, Safety.SAFE
            ctx.finding(self.id, f"{'.'.join(chain)}: no provider class {name}", suggestions(resolution), at=at)
            return None
        return resolution.module, name, resolution.safety

    def _package_alias_chains(self, ctx: FileContext) -> None:
        """``import cdktf_cdktf_provider_aws as aws`` is valid; ``aws.kms.KmsKey`` names a module
        that does not exist (-> ``aws.kms_key.KmsKey``), ``aws.KmsKey`` none (-> ``aws.kms_key.KmsKey``)."""
        for binding in ctx.imports.live():
            if binding.origin is None or binding.name is not None or binding.module not in ctx.schema.provider_packages:
                continue
            package = binding.module
            symbol = binding.origin.symbol
            for chain, uses in class_chains(ctx, symbol).items():
                if len(chain) == 3 and ctx.schema.has_module(f"{package}.{chain[1]}"):
                    continue
                if len(chain) not in (2, 3):
                    continue
                hints = candidate_modules(ctx.schema, f"{package}.{chain[1]}") if len(chain) == 3 else []
                resolution = resolve_class(ctx.schema, hints, chain[-1], ctx.facts.usage(symbol, chain[1:]), package=package)
                if not resolution.found:
                    ctx.finding(self.id, f"{'.'.join(chain)}: no provider module defines {chain[-1]}", suggestions(resolution), at=uses[0][1])
                    continue
                module = resolution.module.rpartition(".")[2]
                if len(chain) == 3:
                    edits = [(ctx.facts.attribute_of[id(o.node)], SetAttribute(module), Place(o.statement)) for o, _ in uses]
                else:
                    edits = [(node, InsertModule(module), Place(o.statement)) for o, node in uses]
                new = f"{chain[0]}.{module}.{chain[-1]}"
                ctx.fix(self.id, ".".join(chain), new, f"{'.'.join(chain)}: {chain[-1]} lives in {resolution.module}", resolution.safety, edits, at=uses[0][1])
