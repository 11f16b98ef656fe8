"""module-path: imports from provider modules that do not exist."""

from __future__ import annotations

import libcst as cst

from cdktf_fix.context import FileContext, ImportBinding
from cdktf_fix.resolve import candidate_modules, hint_modules_for, resolve_class
from cdktf_fix.result import Safety
from cdktf_fix.schema.model import PROVIDER_PACKAGE
from codemods._shared import qualified, retarget, suggestions
from codemods.base import Codemod


class ModulePath(Codemod):
    id = "module-path"
    summary = "Import from a provider module that does not exist"
    why = (
        "Models invent module paths: `timestream_write_database` for `timestreamwrite_database`, "
        "`eventbridge_rule` for `cloudwatch_event_rule`, flat imports from the package root, "
        "`from imports.aws import ...` without generated bindings, and service pseudo-modules "
        "(`from cdktf_cdktf_provider_aws import kms`, then `kms.KmsKey`). Each fails at import. "
        "The fix moves every name to the module that defines it (one import per real module) "
        "and rewrites `alias.Name` uses to the imported name."
    )
    safety = (
        "Safe when the schema leaves one module: the module with the same name up to "
        "underscores, a service alias from the data table with one existing module, or the one "
        "module that defines the class. Several candidates are unsafe or findings."
    )

    def run(self, ctx: FileContext, tree: cst.Module) -> cst.Module:
        for binding in list(ctx.live_bindings()):
            module = binding.module
            if module.startswith("imports") and "imports" in ctx.options.local_packages:
                continue
            if binding.name is None or self._is_module_alias(ctx, binding):
                self._rewrite_chains(ctx, binding)
            elif module in (PROVIDER_PACKAGE, "imports.aws"):
                self._move_flat(ctx, binding)
            elif module.startswith(PROVIDER_PACKAGE + ".") and not ctx.schema.has_module(module):
                self._move_module(ctx, binding, module)
            elif module.startswith("imports.aws."):
                self._move_module(ctx, binding, f"{PROVIDER_PACKAGE}.{module[len('imports.aws.'):]}")
        return tree

    @staticmethod
    def _is_module_alias(ctx: FileContext, binding: ImportBinding) -> bool:
        """``from cdktf_cdktf_provider_aws import kms`` (pseudo) or ``... import s3_bucket`` (real)."""
        return binding.module in (PROVIDER_PACKAGE, "imports.aws") and bool(binding.name) and binding.name[:1].islower()

    def _move_flat(self, ctx: FileContext, binding: ImportBinding) -> None:
        assert ctx.facts is not None and binding.name
        usage = ctx.facts.usage.get(binding.local)
        resolution = resolve_class(ctx.schema, [], binding.name, usage)
        self._apply(ctx, binding, resolution, f"{binding.module} has no classes of its own")

    def _move_module(self, ctx: FileContext, binding: ImportBinding, written: str) -> None:
        assert ctx.facts is not None and binding.name
        modules = candidate_modules(ctx.schema, written)
        exact = [m for m in modules if ctx.schema.defines(m, binding.name)]
        if len(exact) == 1 or (len(modules) == 1 and not exact):
            target = (exact or modules)[0]
            retarget(ctx, self.id, binding, target, binding.name, f"module {binding.module} does not exist; it is {target}", Safety.SAFE)
            return
        usage = ctx.facts.usage.get(binding.local)
        resolution = resolve_class(ctx.schema, modules or hint_modules_for(ctx.schema, written, binding.name), binding.name, usage)
        self._apply(ctx, binding, resolution, f"module {binding.module} does not exist")

    def _apply(self, ctx: FileContext, binding: ImportBinding, resolution, why: str) -> None:
        node = binding.origin.node if binding.origin else None
        if not resolution.found:
            ctx.add_finding(
                self.id, node, f"{qualified(binding.module, binding.name)}: {why}, and no module defines {binding.name}", suggestions(resolution)
            )
            return
        # only the module is this codemod's business; class-name fixes the name after it
        retarget(ctx, self.id, binding, resolution.module, binding.name or "", f"{why}; {resolution.name} lives in {resolution.module}", resolution.safety)

    def _rewrite_chains(self, ctx: FileContext, binding: ImportBinding) -> None:
        """``aws.s3_bucket.S3Bucket`` / ``kms.KmsKey`` -> ``S3Bucket`` / ``KmsKey`` with imports."""
        assert ctx.facts is not None
        facts = ctx.facts
        root_is_package = binding.name is None and binding.module == PROVIDER_PACKAGE
        real_module = None
        if binding.name is not None and binding.module == PROVIDER_PACKAGE:
            real_module = f"{PROVIDER_PACKAGE}.{binding.name}"
        elif binding.name is None and binding.module.startswith(PROVIDER_PACKAGE + "."):
            real_module = binding.module
        if real_module is not None and ctx.schema.has_module(real_module):
            return  # ``from cdktf_cdktf_provider_aws import s3_bucket``: valid as written
        node = binding.origin.node if binding.origin else None
        chains = [c for c in facts.chains if c[0] == binding.local]
        for chain in chains:
            target = self._chain_target(ctx, chain, root_is_package, binding)
            if target is None:
                continue
            module, name, safety = target
            if ctx.suppressed(self.id, node):
                continue
            if ctx.is_bound(name) and (b := ctx.binding_for(name)) is not None and (b.module, b.name) != (module, name):
                ctx.add_finding(self.id, node, f"{'.'.join(chain)} is {module}.{name}, but {name} is already bound here", [f"{module}.{name}"])
                continue
            if name in facts.bound:
                ctx.add_finding(self.id, node, f"{'.'.join(chain)} is {module}.{name}, but {name} is already bound here", [f"{module}.{name}"])
                continue
            if not ctx.allows(safety):
                ctx.add_fix(self.id, node, ".".join(chain), name, f"{'.'.join(chain)} lives in {module}", safety, applied=False)
                continue
            ctx.add_fix(self.id, node, ".".join(chain), name, f"{'.'.join(chain)} lives in {module}", safety)
            ctx.rewrite_chain(chain, name)
            ctx.add_binding(module, name, anchor=binding.origin.statement if binding.origin else None)
            ctx.rewritten_roots.add(binding.local)
        pseudo = binding.name is not None  # ``kms`` is no module: the import itself fails
        if (
            binding.origin is not None
            and not facts.references.get(binding.local)
            and not chains
            and (pseudo or binding.local in ctx.rewritten_roots)
        ):
            # every use was rewritten: the alias (a module that does not exist, or the whole
            # package loaded for nothing) goes
            ctx.add_fix(self.id, node, binding.local, "", f"import of {qualified(binding.module, binding.name)} is no longer used", Safety.SAFE)
            ctx.update_binding(binding, removed=True)

    def _chain_target(self, ctx: FileContext, chain: tuple[str, ...], root_is_package: bool, binding: ImportBinding):
        facts = ctx.facts
        assert facts is not None
        parts = chain[1:]
        if not parts or not parts[-1][:1].isupper():
            return None
        name = parts[-1]
        hints: list[str] = []
        if root_is_package and len(parts) == 2:
            hints = candidate_modules(ctx.schema, f"{PROVIDER_PACKAGE}.{parts[0]}")
        elif len(parts) != 1:
            return None
        usage = facts.usage.get(".".join(chain))
        resolution = resolve_class(ctx.schema, hints, name, usage)
        if not resolution.found or resolution.name != name:
            # a wrong name as well: move it only when the module is certain
            if resolution.found and resolution.safety is Safety.SAFE:
                return resolution.module, name, Safety.SAFE
            node = binding.origin.node if binding.origin else None
            ctx.add_finding(self.id, node, f"{'.'.join(chain)}: no provider class {name}", suggestions(resolution))
            return None
        return resolution.module, name, resolution.safety
