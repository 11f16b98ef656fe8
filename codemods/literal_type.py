"""literal-type: a literal of the wrong type for a scalar field."""

from __future__ import annotations

import ast
import re

from cdktf_fix.engine.arguments import Site
from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.facts import Scope
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import ReplaceWithCode
from cdktf_fix.schema.model import accepted
from codemods.base import ArgumentCodemod

_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def literal_kind(node: ast.expr) -> str | None:
    """``number``, ``str`` or ``bool`` for a literal; ``str-expr`` for an expression that
    certainly builds a string (f-string, ``str(...)``); None otherwise."""
    kind = type(node)
    if kind is ast.Constant:
        value = node.value
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, (int, float)):
            return "number"
        return "str" if isinstance(value, str) else None
    if kind is ast.UnaryOp and type(node.op) is ast.USub and type(node.operand) is ast.Constant:
        value = node.operand.value
        return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if kind is ast.JoinedStr:
        return "str-expr"
    if kind is ast.Call and type(node.func) is ast.Name and node.func.id == "str":
        return "str-expr"
    return None


def _converted(ctx: FileContext, node: ast.expr, kind: str, want: set[str]) -> str | None:
    """The literal of a wanted type that Terraform reads as the same value, as code."""
    if kind == "number" and "str" in want:
        text = ctx.text(node)
        while text.startswith("(") and text.endswith(")"):
            text = text[1:-1].strip()
        return f'"{text.replace("_", "").replace(" ", "")}"'
    if kind == "bool" and "str" in want:
        return f'"{str(node.value).lower()}"'
    if kind == "str" and "number" in want:
        text = node.value.strip()
        if not _NUMBER.fullmatch(text):
            return None
        try:
            return str(int(text))
        except ValueError:
            return repr(float(text))
    if kind == "str" and "bool" in want:
        text = node.value.strip().lower()
        return ("True" if text == "true" else "False") if text in ("true", "false") else None
    return None


class LiteralType(ArgumentCodemod):
    id = "literal-type"
    summary = "A literal of the wrong type for a scalar field"
    why = (
        "jsii checks Python types before synth: deregistration_delay=30 where the provider "
        "declares a string fails with 'type of argument deregistration_delay must be one of "
        "(str, NoneType); got int'. Terraform reads '30' and 30 alike, so a number literal "
        "becomes its string, a numeric string becomes the number, and 'true'/'false' become "
        "bools (and the reverse). Expressions of the wrong type are reported."
    )
    safety = (
        "Safe: the literal keeps the value Terraform sees; only its Python type changes. A string "
        "that is not a number (or not true/false) where one is declared is a finding."
    )

    def check_value(self, ctx: FileContext, site: Site, node: ast.expr, scope: Scope) -> None:
        want = accepted(site.type)
        if not want or want & {"any", "resolvable"}:
            return
        kind = literal_kind(node)
        if kind is None or kind in want or (kind == "str-expr" and "str" in want):
            return
        if kind == "bool" and "number" in want:
            return  # bool is an int to Python's type check
        new = None if kind == "str-expr" else _converted(ctx, node, kind, want)
        expected = " or ".join(sorted(want))
        old = ctx.text(node)
        if new is None:
            ctx.finding(self.id, f"{site.where} takes {expected}; {old[:40]} is not", [f"a {expected} value"])
            return
        ctx.fix(self.id, old, new, f"{site.where} takes {expected}", Safety.SAFE, [(node, ReplaceWithCode(new))])
