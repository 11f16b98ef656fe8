"""What is passed to schema classes, and the one walk in which argument-level codemods check it.

A *call site* is a call of a class the schema knows (``S3Bucket(self, "b", ...)``,
``LambdaFunctionVpcConfig(...)``, ``TerraformOutput(...)``, ``s3_bucket.S3Bucket(...)``).
A *value site* is any expression whose expected type the schema declares: a keyword value of
a call site, an element of a list passed to a list field, the value of a dict key that names a
field of the struct the dict stands for, a value of a map, both branches of ``a if c else b``,
the element of a list comprehension (or of the generator in ``list(...)``) passed to a list of
blocks, visited as an element of a literal list is but in the comprehension's own scope,
and the literal a variable is bound to when that variable is bound once and used only where
one type is expected.

How jsii reads a dict depends on where it is (``Site.raw``): passed for a single block it
becomes the struct through ``Struct(**d)`` and takes the Python snake_case names; inside a list
of blocks (or a map, or under such a dict) it goes to jsii as it is and is read with the JS
camelCase names.  A dict that becomes a struct call makes what is under it a single block
again.

The walk goes top-down to know every site, and hands each node to the codemods bottom-up, so
a fix on a value is found before a fix on the dict or call that holds it.  Codemods read the
``ast`` only and record fixes with their edits (``FileContext.fix``).
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass, replace

from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.facts import Scope, Symbol
from cdktf_fix.engine.units import kind_of
from cdktf_fix.schema.model import ClassInfo, element_type, is_any, map_value_type, shape_of, struct_of

_ANCHORS = (ast.Call, ast.Dict, ast.List)  # what argument reports point at


@dataclass(frozen=True)
class CallSite:
    info: ClassInfo  # the class called
    attribute: ast.Attribute | None  # an attribute read on the result: ``TerraformAsset(...).path``


@dataclass(frozen=True)
class Site:
    owner: ClassInfo  # the class whose field receives the value
    field: str
    type: object  # the type expected here (the element type for list elements)
    variable: str | None = None  # reached through this variable, bound once to a literal
    raw: bool = False  # a dict here goes to jsii as it is (camelCase names), not through Struct(**d)

    @property
    def where(self) -> str:
        return f"{self.owner.name}.{self.field}"


@dataclass(frozen=True)
class Match:
    """How a written keyword or dict key matches the fields of a class."""

    field: str | None  # the field, when exactly one matches
    how: str  # "exact", "spelling" (camelCase, PascalCase), "near" (one close name), "ambiguous", "none"
    candidates: tuple[str, ...] = ()


def _squash(name: str) -> str:
    return name.replace("_", "").lower()


def match_field(info: ClassInfo, written: str, taken: frozenset[str] = frozenset()) -> Match:
    """Match ``written`` to a field of ``info``; ``taken`` fields are not offered as near names."""
    names = [p.name for p in info.params]
    if written in names:
        return Match(written, "exact")
    for snake, camel in info.mapping.items():
        if camel == written:
            return Match(snake, "spelling")
    squashed = [n for n in names if _squash(n) == _squash(written)]
    if len(squashed) == 1:
        return Match(squashed[0], "spelling")
    free = [n for n in names if n not in taken]
    near = difflib.get_close_matches(written, free, n=4, cutoff=0.8)
    if not near:
        # one name is the other's first words: ``self`` -> ``self_attribute``,
        # ``maximum_event_age`` -> ``maximum_event_age_in_seconds``, ``interval_seconds`` -> ``interval``;
        # or a name of two words or more is another's last words, CloudFormation's shorter
        # spelling: ``key_spec`` -> ``customer_master_key_spec``
        stem = written.rstrip("_")
        near = [n for n in free if n.startswith(stem + "_") or stem.startswith(n + "_") or ("_" in stem and n.endswith("_" + stem))]
    if len(near) == 1:
        return Match(near[0], "near", tuple(near))
    if near:
        return Match(None, "ambiguous", tuple(near))
    return Match(None, "none", tuple(difflib.get_close_matches(written, names, n=4, cutoff=0.5)))


_VALUE_SHAPES = {
    ast.Dict: "dict", ast.DictComp: "dict", ast.List: "list", ast.Tuple: "list", ast.ListComp: "list", ast.Set: "list",
    ast.Constant: "scalar", ast.JoinedStr: "scalar",
}


def _shapes(t) -> set[str] | None:
    """The value shapes a type takes (None: any)."""
    if isinstance(t, str):
        return None if t in ("any", "resolvable") else {"scalar"}
    kind = t[0]
    if kind == "union":
        found: set[str] = set()
        for member in t[1]:
            shapes = _shapes(member)
            if shapes is None:
                return None
            found |= shapes
        return found
    if kind in ("struct", "map"):
        return {"dict"}
    if kind == "list":
        return {"list"}
    return {"scalar"} if kind == "enum" else None


def value_fits(node: ast.expr, t) -> bool:
    """Whether ``node`` can be a value of type ``t`` as far as its syntax tells: a dict goes to a
    block or a map, a list to a list, a literal to a scalar; other expressions may be anything.
    A keyword or key matched only by a close name must pass a value that fits the field
    (``code={...}`` is no ``code_signing_config_arn``)."""
    shape = _VALUE_SHAPES.get(type(node))
    wants = _shapes(t)
    return shape is None or wants is None or shape in wants


def string_keys(node: ast.Dict) -> list[str | None]:
    """The keys of a dict display; None for ``**spread`` and keys that are not string literals."""
    return [k.value if type(k) is ast.Constant and type(k.value) is str else None for k in node.keys]


def dict_struct(ctx: FileContext, site: Site) -> ClassInfo | None:
    struct = struct_of(site.type)
    return ctx.schema.class_by_qualified(struct) if struct and not is_any(site.type) else None


def variable_sites(ctx: FileContext) -> dict[int, tuple[Symbol, Site]]:
    """Variables bound once to a dict or list literal whose every use is passed where one type
    is expected: the literal gets that site (``rules = [{...}]`` then ``rule=rules``)."""
    facts = ctx.facts
    uses: dict[int, tuple[Symbol, list[Site | None]]] = {}
    for call in facts.calls:
        info = ctx.resolve(call.node.func)
        if info is None:
            continue
        for keyword in call.node.keywords:
            param = info.param(keyword.arg) if keyword.arg else None
            value = keyword.value
            if type(value) is ast.Name:
                found = [(value, Site(info, param.name, param.type) if param else None)]
            elif type(value) in (ast.List, ast.Tuple):
                inner = element_type(param.type) if param else None
                raw = param is not None and shape_of(param.type) != "single"
                found = [(e, Site(info, param.name, inner, raw=raw) if inner is not None else None) for e in value.elts if type(e) is ast.Name]
            else:
                continue
            for name, site in found:
                symbol = facts.symbol_of_name(name)
                if symbol is not None and symbol.literal is not None:
                    uses.setdefault(id(symbol), (symbol, []))[1].append(site)
    found_sites = {}
    for key, (symbol, sites) in uses.items():
        # every use is one of these (an append or a use elsewhere is not), and all expect one type
        if None in sites or len(sites) != len(symbol.loads) or len({(repr(s.type), s.raw) for s in sites}) != 1:
            continue
        found_sites[key] = (symbol, replace(sites[0], variable=symbol.name))
    return found_sites


class _ArgumentWalk:
    def __init__(self, ctx: FileContext, codemods) -> None:
        self.ctx = ctx
        self.codemods = codemods
        self.seen: set[int] = set()
        self.anchors: list[ast.AST] = []
        self.unit: ast.stmt | None = None
        self.scope = None

    def run(self) -> None:
        ctx = self.ctx
        for symbol, site in variable_sites(ctx).values():
            assign = symbol.literal
            self.unit, self.scope = assign, symbol.scope
            self.visit(assign.value, site, None, None)
        for call in ctx.facts.calls:
            if id(call.node) not in self.seen:
                self.unit, self.scope = call.statement, call.scope
                self.visit(call.node, None, None, None)

    def visit(self, node: ast.expr, site: Site | None, parent: ast.AST | None, slot: tuple | None) -> None:
        ctx = self.ctx
        ctx.places[id(node)] = Place(self.unit, parent, slot)
        kind = type(node)
        anchored = kind in _ANCHORS
        if anchored:
            self.anchors.append(node)
        if site is not None and is_any(site.type):
            site = None  # typed Any: plain data, nothing to check below
        info = None
        if kind is ast.Call:
            self.seen.add(id(node))
            info = ctx.resolve(node.func)
            if info is not None and not _struct_called_as_resource(info, node):
                self.call_values(node, info)  # a struct called with a scope and id is struct-as-resource's
            elif site is not None:
                generator = self.listed_generator(node)
                if generator is not None:
                    self.comprehension(generator, site)
        elif kind is ast.Dict:
            if site is not None:
                self.dict_values(node, site)
        elif kind is ast.List or kind is ast.Tuple:
            if site is not None:
                element_site = self.element_site(site)
                if element_site is not None:
                    for index, element in enumerate(node.elts):
                        if type(element) is not ast.Starred:
                            self.visit(element, element_site, node, ("element", index))
        elif kind is ast.ListComp:
            if site is not None:
                self.comprehension(node, site)
        elif kind is ast.IfExp:
            if site is not None:
                self.visit(node.body, site, node, ("body",))
                self.visit(node.orelse, site, node, ("orelse",))
        ctx.here = self.anchors[-1] if self.anchors else node
        scope = self.scope
        for codemod in self.codemods:
            if site is not None:
                codemod.check_value(ctx, site, node, scope)
            if info is not None:
                codemod.check_call(ctx, CallSite(info, ctx.facts.attribute_of.get(id(node))), node, scope)
        if anchored:
            self.anchors.pop()

    @staticmethod
    def element_site(site: Site) -> Site | None:
        """The site of an element of a list passed where ``site`` is."""
        inner = element_type(site.type)
        if inner is None:
            return None
        raw = site.raw or shape_of(site.type) != "single"
        return Site(site.owner, site.field, inner, site.variable, raw)

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp, site: Site) -> None:
        """``[{...} for s in subnets]`` passed to a list of blocks: its element is visited as an
        element of a literal list, with names looked up in the comprehension's own scope (``s``
        is bound there, and so would be a variable named like a struct class).  Only for lists
        of blocks (a list passed to a single block is block-shape's; comprehensions of scalars
        are left as they are), and only an element an edit can address (a dict, a call, a
        list, a name, ...)."""
        if shape_of(site.type) not in ("list", "either"):
            return
        element_site = self.element_site(site)
        if element_site is None or struct_of(element_site.type) is None or kind_of(node.elt) is None:
            return
        scope = comprehension_scope(self.ctx, node, self.scope)
        if scope is None:
            return
        outer, self.scope = self.scope, scope
        try:
            self.visit(node.elt, element_site, node, ("elt",))
        finally:
            self.scope = outer

    def listed_generator(self, node: ast.Call) -> ast.GeneratorExp | None:
        """The generator of ``list(<generator>)``: the builtin ``list`` called with it alone."""
        func = node.func
        if type(func) is not ast.Name or func.id != "list" or node.keywords or len(node.args) != 1:
            return None
        generator = node.args[0]
        if type(generator) is not ast.GeneratorExp or self.ctx.facts.resolves_to("list", self.scope) is not None:
            return None
        return generator

    def call_values(self, node: ast.Call, info: ClassInfo) -> None:
        index = 0
        for arg in node.args:
            if type(arg) is not ast.Starred:
                self.visit(arg, None, node, ("arg", index))
                index += 1
        for keyword in node.keywords:
            param = info.param(keyword.arg) if keyword.arg else None
            site = Site(info, param.name, param.type) if param is not None else None
            self.visit(keyword.value, site, node, ("keyword", keyword.arg))

    def dict_values(self, node: ast.Dict, site: Site) -> None:
        ctx = self.ctx
        value_type = map_value_type(site.type)
        if value_type is not None:
            for index, (key, value) in enumerate(zip(node.keys, node.values)):
                if key is not None:
                    self.visit(value, Site(site.owner, site.field, value_type, site.variable, True), node, ("value", index))
            return
        info = dict_struct(ctx, site)
        if info is None:
            return
        raw = site.raw or shape_of(site.type) == "list"  # a dict given for a list of blocks is read like its element
        if raw and any(codemod.converts(ctx, site, node, self.scope) for codemod in self.codemods):
            raw = False  # it becomes the struct: what is under it is a single block again
        for index, key in enumerate(string_keys(node)):
            if key is None:
                continue
            match = match_field(info, key)
            if match.field is not None:
                param = info.param(match.field)
                self.visit(node.values[index], Site(info, match.field, param.type, site.variable, raw), node, ("value", index))


def _struct_called_as_resource(info: ClassInfo, node: ast.Call) -> bool:
    """``SecurityGroupIngress(self, "r", ...)``: its values are not the struct's fields to check."""
    return info.kind == "struct" and sum(1 for a in node.args if type(a) is not ast.Starred) >= 2


def comprehension_scope(ctx: FileContext, node: ast.ListComp | ast.GeneratorExp, outer: Scope | None) -> Scope | None:
    """The scope of a comprehension written in ``outer``: the scope of the names its ``for``
    targets bind (None when no target names one, or it is not a comprehension of ``outer``)."""
    for generator in node.generators:
        for name in ast.walk(generator.target):
            occurrence = ctx.facts.occurrences.get(id(name)) if type(name) is ast.Name else None
            if occurrence is not None:
                scope = occurrence.scope
                return scope if scope.kind == "comprehension" and scope.parent is outer else None
    return None


def run_argument_codemods(ctx: FileContext, codemods) -> None:
    """One walk in which every argument-level codemod sees every site."""
    if not any(b.module.startswith(("cdktf", "cdktn", "imports")) for b in ctx.imports.live()):
        return
    _ArgumentWalk(ctx, codemods).run()
