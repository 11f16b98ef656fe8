"""class-name: imported names that do not exist where they are imported from."""

from __future__ import annotations

from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.rewrite import SetAttribute
from cdktf_fix.schema.resolve import hint_modules_for, resolve_class
from codemods._shared import broken_groups, class_chains, missing, qualified, retarget
from codemods.base import Codemod


class ClassName(Codemod):
    id = "class-name"
    summary = "Imported class that does not exist under that name or in that module"
    why = (
        "jsii adds an `A` suffix only where names collide (`S3BucketVersioningA`, "
        "`...RuleApplyServerSideEncryptionByDefaultA`, but `S3BucketLifecycleConfiguration` has "
        "none), and models guess it wrong, misspell names (`LambdEventSourceMapping`, "
        "`TimestreamWriteDatabase`) or import the right class from the wrong module "
        "(`vpc.DataAwsVpc`). The import fails. The fix looks the name up in the schema, never "
        "by appending `A`, and renames every use of that import (in the scopes that see it, "
        "string annotations included); a wrong class read through a module "
        "(`s3_bucket_versioning.S3BucketVersioning`) is renamed where it is read."
    )
    safety = (
        "Safe when one class is left after preferring the module the code names and the kind "
        "of class the code needs (construct or struct): the same name up to case, underscores "
        "and `A` suffixes, the same name in one other module, the module's only resource class "
        "for a misspelt resource, or the one close struct that takes every keyword used. A pick "
        "among several close names is unsafe; no close name is a finding (no-equivalent)."
    )

    def check(self, ctx: FileContext) -> None:
        for group in broken_groups(ctx, {"name"}):
            binding = group[0]
            module, name = binding.module, binding.name
            usage = ctx.facts.usage(binding.origin.symbol)
            resolution = resolve_class(ctx.schema, hint_modules_for(ctx.schema, module, name), name, usage)
            if not resolution.found or resolution.safety is None:
                continue  # no-equivalent reports it
            where = "" if resolution.module == module else f" in {resolution.module}"
            message = f"{missing(ctx, qualified(module, name), module)}; it is {resolution.name}{where} ({resolution.reason})"
            retarget(ctx, self.id, group, resolution.module, resolution.name, message, resolution.safety)
        self._module_chains(ctx)

    def _module_chains(self, ctx: FileContext) -> None:
        """``s3_bucket_versioning.S3BucketVersioning`` through a valid module import (or
        ``aws.s3_bucket_versioning.S3BucketVersioning`` through the package): the class is
        renamed where it is read."""
        schema = ctx.schema
        for binding in ctx.imports.live():
            if binding.origin is None or ctx.generated(binding.module):
                continue
            if binding.name is None:
                base = binding.module
            elif binding.module in schema.provider_packages and binding.name[:1].islower():
                base = f"{binding.module}.{binding.name}"
            else:
                continue
            if not schema.has_module(base):
                continue
            symbol = binding.origin.symbol
            for chain, uses in class_chains(ctx, symbol).items():
                if base in schema.provider_packages and len(chain) < 3:
                    continue  # ``aws.KmsKey``: the module is missing, module-path's
                module = ".".join((base,) + chain[1:-1])
                name = chain[-1]
                if not schema.has_module(module) or schema.defines(module, name):
                    continue  # a module that does not exist is module-path's
                resolution = resolve_class(schema, [module], name, ctx.facts.usage(symbol, chain[1:]))
                if not resolution.found or resolution.safety is None or resolution.module != module:
                    ctx.finding(self.id, f"{'.'.join(chain)}: {module.rpartition('.')[2]} has no class {name}", [qualified(*c) for c in resolution.candidates], at=uses[0][1])
                    continue
                edits = [(node, SetAttribute(resolution.name), Place(o.statement)) for o, node in uses]
                message = f"{missing(ctx, qualified(module, name), module)}; it is {resolution.name} ({resolution.reason})"
                ctx.fix(self.id, ".".join(chain), ".".join(chain[:-1] + (resolution.name,)), message, resolution.safety, edits, at=uses[0][1])
