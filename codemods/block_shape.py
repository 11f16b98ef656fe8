"""block-shape: a single block where the field takes a list of blocks, or the reverse."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from cdktf_fix.engine.arguments import Site, dict_struct
from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.facts import Scope
from cdktf_fix.engine.result import Safety
from cdktf_fix.schema.model import shape_of
from codemods.base import ArgumentCodemod
from codemods.nested_block_struct import map_entries_for


@dataclass(frozen=True)
class Wrap:
    """``x`` -> ``[x]``; with ``callee``, map entries go inside first: ``{...}`` -> ``[Callee(field={...})]``."""

    callee: str | None = None
    field: str | None = None
    listed: bool = True

    def apply(self, node):
        import libcst as cst

        if self.callee is not None:
            equal = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
            node = cst.Call(func=cst.Name(self.callee), args=[cst.Arg(keyword=cst.Name(self.field), value=node, equal=equal)])
        return cst.List(elements=[cst.Element(value=node)]) if self.listed else node


@dataclass(frozen=True)
class Unwrap:
    """``[x]`` -> ``x`` (the list's parentheses kept)."""

    def apply(self, node):
        import libcst as cst

        from cdktf_fix.engine.rewrite import PairingError

        if not isinstance(node, (cst.List, cst.Tuple)) or len(node.elements) != 1:
            raise PairingError("expected a one-element list")
        inner = node.elements[0].value
        return inner.with_changes(lpar=node.lpar, rpar=node.rpar) if node.lpar else inner


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
        "Safe: the field's declared shape decides, and the block is kept as written. Moving map "
        "entries that include a ** spread inside the struct is unsafe (the spread may be the "
        "block itself). A list of several blocks for a single-block field is a finding."
    )

    def check_value(self, ctx: FileContext, site: Site, node: ast.expr, scope: Scope) -> None:
        shape = shape_of(site.type)
        info = dict_struct(ctx, site) if shape is not None else None
        if info is None:
            return
        kind = type(node)
        if kind is ast.Dict and map_entries_for(info, node):
            callee = ctx.class_reference(info.qualified, scope)
            if callee is None:
                return
            field = info.params[0].name
            new = f"[{info.name}({field}={{...}})]" if shape == "list" else f"{info.name}({field}={{...}})"
            # a ``**spread`` may hold the block already ({"tags": {...}}): then moving it inside is wrong
            spread = None in node.keys
            safety = Safety.UNSAFE if spread else Safety.SAFE
            why = f"{site.where}: the entries belong in {info.name}.{field}" + (" (unless the ** spread holds the block itself)" if spread else "")
            keys = [k.value for k in node.keys if type(k) is ast.Constant][:3]
            old = "{" + ", ".join([repr(k) for k in keys] + (["**..."] if spread else [])) + (", ...}" if len(node.keys) > 3 else "}")
            if ctx.fix(self.id, old, new, why, safety, [(node, Wrap(callee, field, shape == "list"))]):
                ctx.import_class(info.qualified, scope)
            return
        if shape == "list" and self._single_block(ctx, node, info):
            ctx.fix(self.id, ctx.text(node, 40), "[...]", f"{site.where} takes a list of {info.name} blocks: wrapped in a list", Safety.SAFE, [(node, Wrap())])
            return
        if shape == "single" and kind is ast.List:
            if len(node.elts) == 1 and type(node.elts[0]) is not ast.Starred:
                inner = node.elts[0]
                outside = ctx.text(node).replace(ctx.text(inner), "", 1)
                if "#" in outside:
                    ctx.finding(self.id, f"{site.where} takes one {info.name} block, not a list (not unwrapped: comments inside the brackets)", [info.qualified])
                    return
                ctx.fix(self.id, "[...]", ctx.text(inner, 40), f"{site.where} takes one {info.name} block, not a list: unwrapped", Safety.SAFE, [(node, Unwrap())])
            elif len(node.elts) > 1:
                ctx.finding(self.id, f"{site.where} takes one {info.name} block; {len(node.elts)} are given", [info.qualified])

    @staticmethod
    def _single_block(ctx: FileContext, node: ast.expr, info) -> bool:
        if type(node) is ast.Dict:
            return bool(node.keys)
        if type(node) is ast.Call:
            called = ctx.resolve(node.func)
            return called is not None and called.qualified == info.qualified
        return False
