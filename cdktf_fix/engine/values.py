"""What values are: instances of schema classes, and what is read on them.

A *root* is an expression the code binds to a new instance of a schema class:

- a name bound once, by ``azs = DataAwsAvailabilityZones(self, "azs")``, read where that
  binding is the one Python gives it;
- ``self.azs``, assigned once in its class by ``self.azs = DataAwsAvailabilityZones(...)``.

From each root the reads on it are followed through the facts (``attribute_of``, ``holder``):
an attribute read gets the type the schema gives it (a string, a list of strings: a list
token, a complex list read with ``.get(i)``, a nested object), a method call the type of its
result.  A read of an attribute the class does not have is a read too (``missing``).  These
reads are the one place where codemods learn what a value is.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from cdktf_fix.engine.facts import Scope
from cdktf_fix.schema.model import CONSTRUCT_KINDS, ClassInfo

SCALARS = frozenset({"str", "number", "bool"})


@dataclass(frozen=True)
class Read:
    node: ast.expr  # what is read: an Attribute, or the Call of a method (``x.get(0)``)
    type: object  # its type in the schema's type model; None when the attribute is missing
    owner: ClassInfo  # the class it is read on
    name: str  # the attribute or method name
    statement: ast.stmt
    scope: Scope
    missing: bool = False  # ``owner`` has no attribute or method ``name``


def is_list_token(t) -> bool:
    """A list of scalars: in Python one token standing for the whole list."""
    return isinstance(t, list) and t[0] == "list" and t[1] in SCALARS


def reads(ctx) -> list[Read]:
    """Every read on an instance of a schema class in this round's code (memoized per round)."""
    found = ctx.memo.get("reads")
    if found is None:
        found = ctx.memo["reads"] = []
        for node, info, statement, scope in _roots(ctx):
            _follow(ctx, node, info, statement, scope, found, 0)
    return found


def _roots(ctx):
    facts = ctx.facts
    for symbol in list(facts.symbols.values()):
        if symbol.imports or symbol.binds != 1 or len(symbol.stores) != 1:
            continue
        info = _constructed(ctx, symbol.stores[0].statement, symbol.stores[0].node)
        if info is not None:
            for load in symbol.loads:
                yield load.node, info, load.statement, load.scope
    yield from _self_roots(ctx)


def bound_value(ctx, name: ast.expr) -> ast.expr | None:
    """The value a name holds where it is read, when a plain assignment binds it once
    (``zip_path = os.path.join(tmp, "f.zip")`` then ``path=zip_path``)."""
    if type(name) is not ast.Name:
        return None
    symbol = ctx.facts.symbol_of_name(name)
    if symbol is None or symbol.imports or symbol.binds != 1 or len(symbol.stores) != 1:
        return None
    return _assigned(symbol.stores[0].statement, symbol.stores[0].node)


def _assigned(statement: ast.stmt, target: ast.expr) -> ast.expr | None:
    """The value ``statement`` assigns to ``target`` alone (``x = v``, ``x: T = v``)."""
    if type(statement) is ast.Assign and len(statement.targets) == 1 and statement.targets[0] is target:
        return statement.value
    if type(statement) is ast.AnnAssign and statement.target is target:
        return statement.value
    return None


def _constructed(ctx, statement: ast.stmt, target: ast.expr) -> ClassInfo | None:
    """The construct class ``statement`` assigns a new instance of to ``target``, if it does."""
    value = _assigned(statement, target)
    if type(value) is not ast.Call:
        return None
    info = ctx.resolve(value.func)
    return info if info is not None and info.kind in CONSTRUCT_KINDS else None


def self_attributes(ctx):
    """``self.x`` in the methods of each class: (stores, loads). ``stores`` maps (id(class),
    attribute) to every (statement, Attribute) that assigns it; ``loads`` lists every read as
    (class, Attribute, occurrence of ``self``).  Memoized per round."""
    found = ctx.memo.get("self")
    if found is not None:
        return found
    facts = ctx.facts
    stores: dict[tuple[int, str], list] = {}
    loads = []
    for symbol in facts.symbols.values():
        if symbol.name != "self" or symbol.scope.kind != "function":
            continue
        for occurrence in symbol.loads:
            attribute = facts.attribute_of.get(id(occurrence.node))
            owner = enclosing_class(facts, occurrence.statement) if attribute is not None else None
            if owner is None:
                continue
            if type(attribute.ctx) is ast.Load:
                loads.append((owner, attribute, occurrence))
            else:
                stores.setdefault((id(owner), attribute.attr), []).append((occurrence.statement, attribute))
    found = ctx.memo["self"] = (stores, loads)
    return found


def _self_roots(ctx):
    """``self.x`` read in the methods of a class that assigns ``self.x`` once, a new instance."""
    stores, loads = self_attributes(ctx)
    types = {}
    for key, assigned in stores.items():
        if len(assigned) == 1:
            info = _constructed(ctx, *assigned[0])
            if info is not None:
                types[key] = info
    for owner, attribute, occurrence in loads:
        info = types.get((id(owner), attribute.attr))
        if info is not None:
            yield attribute, info, occurrence.statement, occurrence.scope


def enclosing_class(facts, statement: ast.stmt) -> ast.ClassDef | None:
    """The class whose body (or a method of it) holds ``statement``."""
    current = facts.parents.get(id(statement))
    while current is not None and type(current) is not ast.ClassDef:
        current = facts.parents.get(id(current))
    return current


def _follow(ctx, node: ast.expr, info: ClassInfo, statement, scope, out: list[Read], depth: int) -> None:
    """The reads on ``node``, an instance of ``info``, and on what they give, recursively."""
    facts, schema = ctx.facts, ctx.schema
    attribute = facts.attribute_of.get(id(node))
    if attribute is None or type(attribute.ctx) is not ast.Load or depth > 12:
        return
    name = attribute.attr
    attributes = schema.attributes(info)
    if name in attributes:
        kind = attributes[name]
        out.append(Read(attribute, kind, info, name, statement, scope))
        _follow_type(ctx, attribute, kind, statement, scope, out, depth)
        return
    method = schema.methods(info).get(name)
    if method is not None:
        call = facts.holder.get(id(attribute))
        if type(call) is ast.Call and call.func is attribute:
            out.append(Read(call, method.returns, info, name, statement, scope))
            _follow_type(ctx, call, method.returns, statement, scope, out, depth)
        return
    out.append(Read(attribute, None, info, name, statement, scope, missing=True))


def _follow_type(ctx, node, kind, statement, scope, out, depth) -> None:
    if isinstance(kind, list) and kind[0] in ("class", "struct"):
        inner = ctx.schema.class_by_qualified(kind[1])
        if inner is not None:
            _follow(ctx, node, inner, statement, scope, out, depth + 1)


def is_complex_list(ctx, kind) -> bool:
    """A class read with ``.get(i)`` (cdktf's ComplexList and its kin)."""
    if not (isinstance(kind, list) and kind[0] == "class"):
        return False
    info = ctx.schema.class_by_qualified(kind[1])
    return info is not None and "get" in ctx.schema.methods(info) and any(
        c.name in ("ComplexList", "MapList") for c in ctx.schema.lineage(info)
    )
