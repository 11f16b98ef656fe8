"""required-arg: a required keyword or field that a call does not pass (a finding)."""

from __future__ import annotations

import ast

from cdktf_fix.engine.arguments import CallSite
from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.facts import Scope
from codemods.base import ArgumentCodemod


class RequiredArg(ArgumentCodemod):
    id = "required-arg"
    summary = "A required keyword of a resource, data source, struct or cdktf class is missing"
    why = (
        "Python raises TypeError for a missing keyword-only argument before synth, and a struct "
        "field left out of a dict fails in jsii ('Missing required properties'). Only the author "
        "knows the value, so this is reported with the missing names."
    )
    safety = "No fix: a finding that names the missing keywords."

    def check_call(self, ctx: FileContext, call: CallSite, node: ast.Call, scope: Scope) -> None:
        if call.info.kind == "struct" and node.args:
            return  # a struct called like a resource: struct-as-resource reports it
        if any(type(a) is ast.Starred for a in node.args) or any(k.arg is None for k in node.keywords):
            return  # ``*args`` / ``**config`` may carry them
        given = {k.arg for k in node.keywords}
        missing = [p.name for p in call.info.params if p.required and p.name not in given]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            ctx.finding(self.id, f"{call.info.name} is missing the required keyword{plural} {', '.join(missing)}", missing)
