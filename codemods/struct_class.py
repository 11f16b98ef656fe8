"""struct-class: a call of the wrong class where a field expects a struct."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from cdktf_fix.engine.arguments import Site
from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.facts import Scope
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import WrapInCall
from cdktf_fix.schema.model import shape_of, struct_of
from codemods.base import ArgumentCodemod


@dataclass(frozen=True)
class SetCallee:
    """``Wrong(...)`` -> ``Right(...)``."""

    name: str

    def apply(self, node):
        import libcst as cst

        return node.with_changes(func=cst.Name(self.name, lpar=node.func.lpar, rpar=node.func.rpar))


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
        "the one class, and the values stay. Safe too when the call is the struct of exactly one "
        "field of the declared struct, and that struct requires nothing else (a block one level "
        "too deep: destination_config=...DestinationConfigOnSuccess(...)): it is wrapped in the declared struct under that "
        "field, in a list where the field is a list of blocks. Otherwise a finding."
    )

    def check_value(self, ctx: FileContext, site: Site, node: ast.expr, scope: Scope) -> None:
        if type(node) is not ast.Call:
            return
        struct = struct_of(site.type)
        called = ctx.resolve(node.func)
        if struct is None or called is None or called.qualified == struct:
            return
        expected = ctx.schema.class_by_qualified(struct)
        if expected is None or called.kind not in ("struct", "resource", "data"):
            return
        if node.args or any(k.arg is None for k in node.keywords):
            ctx.finding(self.id, f"{site.where} takes a {expected.name} block, not a {called.name} {called.kind}", [expected.qualified])
            return
        fields = {p.name for p in expected.params}
        extra = [k.arg for k in node.keywords if k.arg not in fields]
        if extra and called.kind == "struct" and self._wrap(ctx, site, node, scope, called, expected):
            return
        if extra:
            ctx.finding(self.id, f"{site.where} takes {expected.name}, not {called.name}; {', '.join(extra)} are not fields of {expected.name}", [expected.qualified])
            return
        callee = ctx.class_reference(expected.qualified, scope)
        if callee is None:
            ctx.finding(self.id, f"{site.where} takes {expected.name}, but that name is bound to something else here", [expected.qualified])
            return
        if ctx.fix(self.id, ctx.text(node.func), callee, f"{site.where} takes {expected.name}, not {called.name}", Safety.SAFE, [(node, SetCallee(callee))]):
            ctx.import_class(expected.qualified, scope)
            root = node.func
            while type(root) is ast.Attribute:
                root = root.value
            ctx.forget_use(ctx.facts.symbol_of_name(root))

    def _wrap(self, ctx: FileContext, site: Site, node: ast.Call, scope: Scope, called, expected) -> bool:
        """``called`` is the struct of exactly one field of ``expected``: the call becomes that
        field of an ``expected`` call.  True when that is the fix (recorded or not applicable)."""
        if any(called.param(k.arg) is None for k in node.keywords):
            return False  # not a call of ``called`` either
        holders = [p for p in expected.params if struct_of(p.type) == called.qualified]
        if len(holders) != 1 or shape_of(holders[0].type) is None:
            return False
        field = holders[0]
        if any(p.required and p is not field for p in expected.params):
            return False  # the outer block would miss a value only the author can give
        callee = ctx.class_reference(expected.qualified, scope)
        if callee is None:
            return False
        in_list = shape_of(field.type) == "list"
        new = f"{callee}({field.name}={'[' if in_list else ''}{called.name}(...){']' if in_list else ''})"
        message = f"{site.where} takes {expected.name}; {called.name} is its {field.name} block"
        if ctx.fix(self.id, f"{called.name}(...)", new, message, Safety.SAFE, [(node, WrapInCall(callee, field.name, in_list))]):
            ctx.import_class(expected.qualified, scope)
        return True
