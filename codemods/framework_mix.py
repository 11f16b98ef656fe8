"""framework-mix: CDKTF and CDK Terrain packages in one file, or the framework the project does not use."""

from __future__ import annotations

from cdktf_fix.engine.context import FileContext
from cdktf_fix.schema.packages import FRAMEWORKS, framework_of
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
    safety = "No fix: a finding. Moving code between the frameworks is a migration, not a repair."

    def check(self, ctx: FileContext) -> None:
        schema = ctx.schema
        mine = schema.framework
        uses_target = any(b.origin is not None and b.module.partition(".")[0] != "constructs" for b in ctx.imports.live())
        for module, statement in ctx.facts.foreign_imports:
            other = framework_of_module(module)
            if other is None or other == mine:
                continue  # a provider of the target's framework with no schema here: a notice, not a finding
            counterpart = _counterpart(module, other, mine)
            suggestions = [counterpart] if counterpart and (schema.has_module(counterpart) or counterpart in schema.core_packages) else []
            package = module.partition(".")[0]
            if uses_target:
                message = (
                    f"{package} is {NAMES[other]}, and this file also imports {NAMES[mine]} packages: mixing them fails at synth "
                    "(TypeError: e._resetResolveDiscoveredProviderFeatureUsage is not a function)"
                )
            else:
                message = f"{package} is {NAMES[other]}, but this project's target is {_label(schema)}: it is not installed there"
            ctx.finding(self.id, message, suggestions, at=statement)


def _counterpart(module: str, source: str, target: str) -> str | None:
    """``cdktf_cdktf_provider_aws.s3_bucket`` -> ``cdktn_provider_aws.s3_bucket``; ``cdktf`` -> ``cdktn``."""
    root, dot, rest = module.partition(".")
    if root == source:
        return target + dot + rest
    prefix = FRAMEWORKS[source].provider_prefix.replace("-", "_")
    if root.startswith(prefix):
        return FRAMEWORKS[target].provider_prefix.replace("-", "_") + root[len(prefix):] + dot + rest
    return None


def _label(schema) -> str:
    target = schema.target
    return target.label if target is not None else schema.label
