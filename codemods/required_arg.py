"""required-arg: a required keyword or field that a call does not pass (a finding)."""

from __future__ import annotations

import libcst as cst

from cdktf_fix.arguments import CallSite
from cdktf_fix.context import FileContext
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

    def leave_call(self, ctx: FileContext, call: CallSite, node: cst.Call) -> cst.BaseExpression:
        if call.info.kind == "struct" and any(a.keyword is None for a in node.args):
            return node  # a struct called like a resource: struct-as-resource reports it
        if any(arg.star for arg in node.args):
            return node  # ``**config`` may carry them
        given = {arg.keyword.value for arg in node.args if arg.keyword is not None}
        missing = [p.name for p in call.info.params if p.required and p.name not in given]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            ctx.add_finding(self.id, None, f"{call.info.name} is missing the required keyword{plural} {', '.join(missing)}", missing)
        return node
