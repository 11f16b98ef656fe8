"""struct-class: a call of the wrong class where a field expects a struct."""

from __future__ import annotations

import libcst as cst

from cdktf_fix.arguments import Site
from cdktf_fix.context import FileContext
from cdktf_fix.result import Safety
from cdktf_fix.schema.model import struct_of
from codemods._shared import code_of
from codemods.base import ArgumentCodemod


class StructClass(ArgumentCodemod):
    id = "struct-class"
    summary = "A field gets a call of another class than the struct it declares"
    why = (
        "Sibling structs look alike (Wafv2WebAclVisibilityConfig where Wafv2WebAclRule's "
        "visibility_config takes Wafv2WebAclRuleVisibilityConfig), and models pass resource "
        "classes as blocks (versioning_configuration=S3BucketVersioning(...)). jsii rejects the "
        "wrong type at synth. The call is pointed at the struct the field declares."
    )
    safety = (
        "Safe when every keyword of the call is a field of the declared struct: the field names "
        "the one class, and the values stay. Otherwise a finding."
    )

    def leave_value(self, ctx: FileContext, site: Site, node: cst.BaseExpression) -> cst.BaseExpression:
        if not isinstance(node, cst.Call):
            return node
        struct = struct_of(site.type)
        called = ctx.resolve(node.func)
        if struct is None or called is None or called.qualified == struct:
            return node
        expected = ctx.schema.class_by_qualified(struct)
        if expected is None or called.kind not in ("struct", "resource", "data"):
            return node
        if any(arg.keyword is None for arg in node.args):
            ctx.add_finding(self.id, None, f"{site.where} takes a {expected.name} block, not a {called.name} {called.kind}", [expected.qualified])
            return node
        fields = {p.name for p in expected.params}
        extra = [a.keyword.value for a in node.args if a.keyword.value not in fields]
        if extra:
            ctx.add_finding(
                self.id, None,
                f"{site.where} takes {expected.name}, not {called.name}; {', '.join(extra)} are not fields of {expected.name}",
                [expected.qualified],
            )
            return node
        callee = ctx.class_reference(expected.qualified)
        if callee is None:
            ctx.add_finding(self.id, None, f"{site.where} takes {expected.name}, but that name is bound to something else in this file", [expected.qualified])
            return node
        old = code_of(node.func)
        ctx.add_fix(self.id, None, old, callee, f"{site.where} takes {expected.name}, not {called.name}", Safety.SAFE)
        root = node.func
        while isinstance(root, cst.Attribute):
            root = root.value
        if isinstance(root, cst.Name):
            ctx.forget_use(root.value)
        return node.with_changes(func=cst.Name(callee, lpar=node.func.lpar, rpar=node.func.rpar))
