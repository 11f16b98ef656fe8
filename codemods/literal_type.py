"""literal-type: a literal of the wrong type for a scalar field."""

from __future__ import annotations

import re

import libcst as cst

from cdktf_fix.arguments import Site
from cdktf_fix.context import FileContext
from cdktf_fix.result import Safety
from cdktf_fix.schema.model import accepted
from codemods._shared import code_of
from codemods.base import ArgumentCodemod

_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def literal_kind(node: cst.BaseExpression) -> str | None:
    """``number``, ``str`` or ``bool`` for a literal; ``str-expr`` for an expression that
    certainly builds a string (f-string, concatenation, ``str(...)``); None otherwise."""
    if isinstance(node, (cst.Integer, cst.Float)):
        return "number"
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, (cst.Integer, cst.Float)):
        return "number"
    if isinstance(node, cst.SimpleString):
        return "str" if isinstance(node.evaluated_value, str) else None
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return "bool"
    if isinstance(node, (cst.FormattedString, cst.ConcatenatedString)):
        return "str-expr"
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "str":
        return "str-expr"
    return None


def _number_text(node: cst.BaseExpression) -> str:
    text = code_of(node.with_changes(lpar=[], rpar=[])).replace("_", "")
    return text.replace(" ", "")


def _converted(node: cst.BaseExpression, kind: str, want: set[str]) -> cst.BaseExpression | None:
    if kind == "number" and "str" in want:
        return cst.SimpleString(f'"{_number_text(node)}"')
    if kind == "bool" and "str" in want:
        return cst.SimpleString(f'"{node.value.lower()}"')
    if kind == "str" and "number" in want:
        text = node.evaluated_value.strip()
        if not _NUMBER.fullmatch(text):
            return None
        try:
            return cst.parse_expression(str(int(text)))
        except ValueError:
            return cst.parse_expression(repr(float(text)))
    if kind == "str" and "bool" in want:
        text = node.evaluated_value.strip().lower()
        return cst.Name("True" if text == "true" else "False") if text in ("true", "false") else None
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

    def leave_value(self, ctx: FileContext, site: Site, node: cst.BaseExpression) -> cst.BaseExpression:
        want = accepted(site.type)
        if not want or want & {"any", "resolvable"}:
            return node
        kind = literal_kind(node)
        if kind is None or kind in want or (kind == "str-expr" and "str" in want):
            return node
        if kind == "bool" and "number" in want:
            return node  # bool is an int to Python's type check
        new = None if kind == "str-expr" else _converted(node, kind, want)
        expected = " or ".join(sorted(want))
        if new is None:
            ctx.add_finding(self.id, None, f"{site.where} takes {expected}; {code_of(node)[:40]} is not", [f"a {expected} value"])
            return node
        new = new.with_changes(lpar=node.lpar, rpar=node.rpar)
        ctx.add_fix(self.id, None, code_of(node), code_of(new), f"{site.where} takes {expected}", Safety.SAFE)
        return new
