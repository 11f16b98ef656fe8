"""block-shape: a single block where the field takes a list of blocks, or the reverse."""

from __future__ import annotations

import libcst as cst

from cdktf_fix.arguments import Site, string_key
from cdktf_fix.context import FileContext
from cdktf_fix.result import Safety
from cdktf_fix.schema.model import shape_of, struct_of
from codemods._shared import code_of, has_comment
from codemods.base import ArgumentCodemod
from codemods.nested_block_struct import map_entries_for


def _wrap(node: cst.BaseExpression) -> cst.List:
    return cst.List(elements=[cst.Element(value=node)])


class BlockShape(ArgumentCodemod):
    id = "block-shape"
    summary = "A single block where the field takes a list of blocks, or a list where it takes one"
    why = (
        "The provider declares each nested block as single (vpc_config) or repeated "
        "(S3 lifecycle expiration, AwsProvider default_tags). A dict or struct where a list "
        "belongs passes Python and fails inside jsii ('Value is not an array'); a list where "
        "one block belongs fails the Python type check. A single block is wrapped in a list, a "
        "one-element list is unwrapped, and plain map entries given for a struct whose only "
        "field is that map (default_tags={'Env': 'dev'}) are moved inside it."
    )
    safety = (
        "Safe: the field's declared shape decides, and the block is kept as written. A list of "
        "several blocks for a single-block field is a finding."
    )

    def leave_value(self, ctx: FileContext, site: Site, node: cst.BaseExpression) -> cst.BaseExpression:
        shape = shape_of(site.type)
        struct = struct_of(site.type)
        if shape is None or struct is None:
            return node
        info = ctx.schema.class_by_qualified(struct)
        if info is None:
            return node
        if isinstance(node, cst.Dict) and map_entries_for(info, node):
            callee = ctx.class_reference(info.qualified)
            if callee is None:
                return node
            field = info.params[0].name
            ctx.add_fix(self.id, None, "{...}", f"{info.name}({field}={{...}})", f"{site.where}: the entries belong in {info.name}.{field}", Safety.SAFE)
            node = cst.Call(func=cst.Name(callee), args=[cst.Arg(keyword=cst.Name(field), value=node, equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))])
            if shape != "list":
                return node
        if shape == "list" and self._single_block(ctx, node, info):
            ctx.add_fix(self.id, None, code_of(node)[:40], "[...]", f"{site.where} takes a list of {info.name} blocks: wrapped in a list", Safety.SAFE)
            return _wrap(node)
        if shape == "single" and isinstance(node, (cst.List, cst.Tuple)):
            elements = node.elements
            if len(elements) == 1 and isinstance(elements[0], cst.Element):
                inner = elements[0].value
                if has_comment(node.with_changes(elements=[])) or (isinstance(elements[0].comma, cst.Comma) and has_comment(elements[0].comma)):
                    ctx.add_finding(self.id, None, f"{site.where} takes one {info.name} block, not a list (not unwrapped: comments inside the brackets)", [info.qualified])
                    return node
                ctx.add_fix(self.id, None, "[...]", code_of(inner)[:40], f"{site.where} takes one {info.name} block, not a list: unwrapped", Safety.SAFE)
                return inner.with_changes(lpar=node.lpar, rpar=node.rpar) if node.lpar else inner
            if len(elements) > 1:
                ctx.add_finding(self.id, None, f"{site.where} takes one {info.name} block; {len(elements)} are given", [info.qualified])
        return node

    @staticmethod
    def _single_block(ctx: FileContext, node: cst.BaseExpression, info) -> bool:
        if isinstance(node, cst.Dict):
            # in a list, dict keys are read in camelCase: wrap only what reads the same both ways
            keys = [string_key(e) for e in node.elements]
            return bool(keys) and all(k is not None and info.mapping.get(k) == k for k in keys)
        if isinstance(node, cst.Call):
            called = ctx.resolve(node.func)
            return called is not None and called.qualified == info.qualified
        return False
