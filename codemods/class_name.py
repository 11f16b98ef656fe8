"""class-name: imported names that do not exist where they are imported from."""

from __future__ import annotations

import libcst as cst

from cdktf_fix.context import FileContext
from cdktf_fix.resolve import hint_modules_for, resolve_class
from codemods._shared import qualified, retarget, unresolved_bindings
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
        "by appending `A`, and renames every use in the file."
    )
    safety = (
        "Safe when one class is left after preferring the module the code names and the kind "
        "of class the code needs (construct or struct): the same name up to case, underscores "
        "and `A` suffixes, the same name in one other module, the module's only resource class "
        "for a misspelt resource, or the one close struct that takes every keyword used. A pick "
        "among several close names is unsafe; no close name is a finding (no-equivalent)."
    )

    def run(self, ctx: FileContext, tree: cst.Module) -> cst.Module:
        assert ctx.facts is not None
        for binding in unresolved_bindings(ctx):
            module, name = binding.module, binding.name
            usage = ctx.facts.usage.get(binding.local)
            resolution = resolve_class(ctx.schema, hint_modules_for(ctx.schema, module, name), name, usage)
            if not resolution.found or resolution.safety is None:
                continue  # no-equivalent reports it
            where = "" if resolution.module == module else f" in {resolution.module}"
            message = f"{qualified(module, name)} does not exist; it is {resolution.name}{where} ({resolution.reason})"
            retarget(ctx, self.id, binding, resolution.module, resolution.name, message, resolution.safety)
        return tree
