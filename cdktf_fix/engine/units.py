"""Where an edit goes: addresses that name the same node in a file's ``ast`` and in its libcst tree.

Codemods find what is wrong on the ``ast`` (ten times cheaper to parse than libcst); libcst
only rewrites.  An edit found on an ``ast`` node is placed on the libcst node at the same
*address*: its statement (its *unit*: an ``ast.stmt``, which is a small statement or a
compound statement in libcst, paired by ``pair_units``), its kind, and its ordinal among the
nodes of that kind in the unit, in source order (nested statements are units of their own).

The kinds, and what each is in the two trees (``cdktf_fix.engine.rewrite`` counts the libcst
side; a unit whose counts differ is never edited):

- ``call``, ``dict``, ``list``, ``ifexp``, ``attribute``, ``subscript``: the node of that
  name in both (imports are never counted);
- ``tuple``: ``ast.Tuple``; in libcst a ``Tuple`` (not the bare target list of ``del a, b``)
  or a subscript with a comma (``x[a, b]``, which libcst keeps as a list of slices);
- ``name``: ``ast.Name``; in libcst a ``Name`` used as an expression (not an attribute,
  keyword, parameter, function or class name, ``except ... as`` name, ``global`` name or match
  capture, and not ``True``/``False``/``None``);
- ``annstr``: a string literal inside an annotation (``def f() -> "S3Bucket"``).

A value that is none of these (a literal, a name passed as a value) is addressed through its
parent: the ``slot`` of a call keyword or argument, list or tuple element, dict value, or
conditional branch.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

KINDS = ("call", "dict", "list", "tuple", "ifexp", "attribute", "subscript", "name", "annstr")
_KIND_OF = {
    ast.Call: "call", ast.Dict: "dict", ast.List: "list", ast.Tuple: "tuple", ast.IfExp: "ifexp",
    ast.Attribute: "attribute", ast.Subscript: "subscript", ast.Name: "name",
}


@dataclass(frozen=True)
class Address:
    unit: ast.stmt
    kind: str
    ordinal: int


def _position(node: ast.AST) -> tuple[int, int]:
    return (node.lineno, node.col_offset)


def source_children(node: ast.AST) -> list[ast.AST]:
    """The children of ``node`` in the order their text appears (``ast.iter_child_nodes``
    follows field order, which differs for dicts, conditional expressions, decorators,
    defaults and a few more)."""
    kind = type(node)
    if kind is ast.Dict:
        out: list[ast.AST] = []
        for key, value in zip(node.keys, node.values):
            if key is not None:
                out.append(key)
            out.append(value)
        return out
    if kind is ast.IfExp:
        return [node.body, node.test, node.orelse]
    if kind in (ast.FunctionDef, ast.AsyncFunctionDef):
        out = [*node.decorator_list, *getattr(node, "type_params", ()), node.args]
        if node.returns is not None:
            out.append(node.returns)
        return out + node.body
    if kind is ast.ClassDef:
        heads = sorted([*node.bases, *node.keywords], key=_position)
        return [*node.decorator_list, *getattr(node, "type_params", ()), *heads, *node.body]
    if kind is ast.arguments:
        positional = [*node.posonlyargs, *node.args]
        defaults = [None] * (len(positional) - len(node.defaults)) + list(node.defaults)
        out = []
        for arg, default in zip(positional, defaults):
            out.append(arg)
            if default is not None:
                out.append(default)
        if node.vararg is not None:
            out.append(node.vararg)
        for arg, default in zip(node.kwonlyargs, node.kw_defaults):
            out.append(arg)
            if default is not None:
                out.append(default)
        if node.kwarg is not None:
            out.append(node.kwarg)
        return out
    if kind is ast.Call:
        if node.keywords and node.args:
            return [node.func, *sorted([*node.args, *node.keywords], key=_position)]
        return [node.func, *node.args, *node.keywords]
    if kind is ast.MatchMapping:
        out = []
        for key, pattern in zip(node.keys, node.patterns):
            out += [key, pattern]
        return out
    return list(ast.iter_child_nodes(node))


def _annotation_children(node: ast.AST) -> set[int]:
    """ids of the children of ``node`` that are annotations."""
    kind = type(node)
    if kind is ast.arg and node.annotation is not None:
        return {id(node.annotation)}
    if kind in (ast.FunctionDef, ast.AsyncFunctionDef) and node.returns is not None:
        return {id(node.returns)}
    if kind is ast.AnnAssign:
        return {id(node.annotation)}
    return set()


def unit_nodes(unit: ast.stmt):
    """(node, kind) for every counted node of ``unit`` (not of the statements inside it), in
    source order."""
    stack: list[tuple[ast.AST, bool]] = [(unit, False)]
    while stack:
        node, annotation = stack.pop()
        kind = _KIND_OF.get(type(node))
        if kind is not None:
            yield node, kind
        elif annotation and type(node) in (ast.Constant, ast.JoinedStr):
            if type(node) is ast.JoinedStr or isinstance(node.value, (str, bytes)):
                yield node, "annstr"
            if type(node) is ast.JoinedStr:
                annotation = False  # its text parts are not strings of their own
        annotations = _annotation_children(node)
        children = [c for c in source_children(node) if not (isinstance(c, ast.stmt) and c is not unit)]
        for child in reversed(children):
            stack.append((child, annotation or id(child) in annotations))


class UnitIndex:
    """Addresses of ``ast`` nodes, computed per unit on first use (only units that get an edit
    pay for it)."""

    def __init__(self) -> None:
        self._ordinals: dict[int, dict[int, int]] = {}
        self._counts: dict[int, dict[str, int]] = {}
        self._fingerprints: dict[int, dict[tuple[str, int], object]] = {}

    def _index(self, unit: ast.stmt) -> dict[int, int]:
        found = self._ordinals.get(id(unit))
        if found is None:
            found, counts, prints = {}, dict.fromkeys(KINDS, 0), {}
            for node, kind in unit_nodes(unit):
                ordinal = counts[kind]
                counts[kind] = ordinal + 1
                found[id(node)] = ordinal
                prints[(kind, ordinal)] = fingerprint(node, kind)
            self._ordinals[id(unit)] = found
            self._counts[id(unit)] = counts
            self._fingerprints[id(unit)] = prints
        return found

    def address(self, node: ast.AST, unit: ast.stmt, kind: str) -> Address | None:
        ordinal = self._index(unit).get(id(node))
        return None if ordinal is None else Address(unit, kind, ordinal)

    def counts(self, unit: ast.stmt) -> dict[str, int]:
        self._index(unit)
        return self._counts[id(unit)]

    def fingerprint(self, address: Address) -> object:
        self._index(address.unit)
        return self._fingerprints[id(address.unit)][(address.kind, address.ordinal)]


def kind_of(node: ast.AST) -> str | None:
    """The addressable kind of a node (``annstr`` is given by the caller, who knows the context)."""
    return _KIND_OF.get(type(node))


def fingerprint(node: ast.AST, kind: str) -> object:
    """What the libcst node at the same address must look like (``rewrite.cst_fingerprint``)."""
    if kind == "name":
        return node.id
    if kind == "attribute":
        return node.attr
    if kind == "call":
        return (len(node.args) + len(node.keywords), tuple(k.arg for k in node.keywords))
    if kind == "dict":
        return len(node.keys)
    if kind in ("list", "tuple"):
        return len(node.elts)
    if kind == "annstr":
        return node.value if type(node) is ast.Constant else None
    return None
