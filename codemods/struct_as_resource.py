"""struct-as-resource: a nested-block struct called like a resource (a finding)."""

from __future__ import annotations

import ast
import difflib

from cdktf_fix.engine.arguments import CallSite
from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.facts import Scope
from cdktf_fix.schema.model import name_key
from codemods.base import ArgumentCodemod


def resource_names(schema) -> dict[str, tuple[str, str]]:
    """name key -> (module, class) of every provider resource (memoized on the index)."""
    found = schema.memo.get("resource-names")
    if found is None:
        found = {}
        for module in schema.provider_modules:
            for name, kind in schema.names_in(module).items():
                if kind == "resource":
                    found[name_key(name)] = (module, name)
        schema.memo["resource-names"] = found
    return found


def likely_resources(schema, struct: str, n: int = 3) -> list[str]:
    """Resources a struct name probably meant: ``SecurityGroupIngress`` ->
    ``vpc_security_group_ingress_rule.VpcSecurityGroupIngressRule``, ``security_group_rule...``."""
    names = resource_names(schema)
    key = name_key(struct)
    close = difflib.get_close_matches(key, list(names), n=n, cutoff=0.6)
    containing = [k for k in names if k.startswith(key) or key in k]
    ordered = sorted(set(containing), key=len)[:n] + close
    seen, result = set(), []
    for k in ordered:
        if k not in seen:
            seen.add(k)
            module, name = names[k]
            result.append(f"{module.rpartition('.')[2]}.{name}")
    return result[:n] or [f"{m.rpartition('.')[2]}.{c}" for m, c in list(names.values())[:1]]


class StructAsResource(ArgumentCodemod):
    id = "struct-as-resource"
    summary = "A nested-block struct called like a resource, with a scope and an id"
    why = (
        "SecurityGroupIngress is the ingress block of SecurityGroup, not a resource: called as "
        "SecurityGroupIngress(self, 'r', ...) it raises TypeError. The standalone resource has "
        "another name and other arguments (VpcSecurityGroupIngressRule, SecurityGroupRule with "
        "type='ingress'), so this is reported with the resources it probably meant."
    )
    safety = "No fix: a finding with the likely resources (their arguments differ)."

    def check_call(self, ctx: FileContext, call: CallSite, node: ast.Call, scope: Scope) -> None:
        if call.info.kind != "struct" or call.info.module.split(".")[0] in ctx.schema.core_packages:
            return
        positional = [a for a in node.args if type(a) is not ast.Starred]
        if len(positional) >= 2:
            fields = {p.name for p in call.info.params}
            foreign = [k.arg for k in node.keywords if k.arg is not None and k.arg not in fields]
            extra = f"; {', '.join(foreign)} belong to the resource it stands for" if foreign else ""
            ctx.finding(
                self.id,
                f"{call.info.name} is a nested block of another resource, not a resource: it takes no scope and id{extra}",
                likely_resources(ctx.schema, call.info.name),
            )
