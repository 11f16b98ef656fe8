"""What is passed to schema classes, and the one pass in which argument-level codemods fix it.

A *call site* is a call of a class the schema knows (``S3Bucket(self, "b", ...)``,
``LambdaFunctionVpcConfig(...)``, ``TerraformOutput(...)``, ``s3_bucket.S3Bucket(...)``).
A *value site* is any expression whose expected type the schema declares: a keyword value of
a call site, an element of a list passed to a list field, the value of a dict key that names a
field of the struct the dict stands for, a value of a map, and the literal a variable is bound
to when that variable is bound once and used only where one type is expected.

The pass computes sites top-down (visit) and lets the codemods rewrite bottom-up (leave), so
a dict's values are already fixed when the dict itself is converted.  All argument codemods
share one traversal per iteration; the engine loops to a fixed point, so a fix that changes
what a parent expects (a struct retargeted, a block wrapped) is seen by the next iteration.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass

import libcst as cst

from cdktf_fix.facts_cst import chain_of
from cdktf_fix.schema.model import ClassInfo, class_for_chain, element_type, is_any, map_value_type, struct_of

ANCHORS = (cst.Call, cst.Dict, cst.List)  # nodes a report can point at
_ANCHOR_TYPES = frozenset(ANCHORS)  # exact types: ``type() in`` is cheaper than an ABC isinstance
_HOOKED_TYPES = frozenset((cst.Call, cst.Attribute))
AST_ANCHORS = (ast.Call, ast.Dict, ast.List)


@dataclass(frozen=True)
class CallSite:
    info: ClassInfo  # the class called
    attribute: str | None  # an attribute read on the result: ``TerraformAsset(...).path``


@dataclass(frozen=True)
class Site:
    owner: ClassInfo  # the class whose field receives the value
    field: str
    type: object  # the type expected here (the element type for list elements)
    variable: str | None = None  # reached through this variable, bound once to a literal

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
        # ``maximum_event_age`` -> ``maximum_event_age_in_seconds``, ``interval_seconds`` -> ``interval``
        stem = written.rstrip("_")
        near = [n for n in free if n.startswith(stem + "_") or stem.startswith(n + "_")]
    if len(near) == 1:
        return Match(near[0], "near", tuple(near))
    if near:
        return Match(None, "ambiguous", tuple(near))
    return Match(None, "none", tuple(difflib.get_close_matches(written, names, n=4, cutoff=0.5)))


def string_key(element: cst.BaseDictElement) -> str | None:
    if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
        value = element.key.evaluated_value
        return value if isinstance(value, str) else None
    return None


class Resolver:
    """Callee expression -> the schema class it names, through the file's import bindings."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self._memo: dict[tuple, ClassInfo | None] = {}

    def __call__(self, func: cst.BaseExpression) -> ClassInfo | None:
        if isinstance(func, cst.Name):
            chain: tuple[str, ...] | None = (func.value,)
        elif isinstance(func, cst.Attribute):
            chain = chain_of(func)
        else:
            return None
        if chain is None:
            return None
        key = (len(self.ctx.bindings),) + chain  # bindings are only ever appended or updated
        if key not in self._memo:
            self._memo[key] = self._resolve(chain)
        return self._memo[key]

    def _resolve(self, chain: tuple[str, ...]) -> ClassInfo | None:
        binding = self.ctx.binding_for(chain[0])
        if binding is None or binding.removed:
            return None
        return class_for_chain(self.ctx.schema, binding.module, binding.name, chain)


class _SiteTracker:
    """Computes call sites and value sites top-down (mixed into a visitor or a transformer)."""

    def _init_sites(self, ctx, variables: dict[str, Site]) -> None:
        self.ctx = ctx
        self.resolve = Resolver(ctx)
        self.variables = variables
        self.sites: dict[int, Site] = {}
        self.attributes: dict[int, str] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            site = self.variables.get(node.targets[0].target.value)
            if site is not None:
                self.sites[id(node.value)] = site

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Call):
            self.attributes[id(node.value)] = node.attr.value

    def visit_Call(self, node: cst.Call) -> None:
        info = self.resolve(node.func)
        if info is None:
            return
        for arg in node.args:
            if arg.keyword is None:
                continue
            param = info.param(arg.keyword.value)
            if param is not None:
                self.sites[id(arg.value)] = Site(info, param.name, param.type)

    def visit_Dict(self, node: cst.Dict) -> None:
        site = self.sites.get(id(node))
        if site is None or is_any(site.type):
            return
        value_type = map_value_type(site.type)
        if value_type is not None:
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    self.sites[id(element.value)] = Site(site.owner, site.field, value_type, site.variable)
            return
        struct = struct_of(site.type)
        info = self.ctx.schema.class_by_qualified(struct) if struct else None
        if info is None:
            return
        for element in node.elements:
            key = string_key(element)
            if key is None:
                continue
            match = match_field(info, key)
            if match.field is not None:
                param = info.param(match.field)
                self.sites[id(element.value)] = Site(info, match.field, param.type, site.variable)

    def _elements(self, node: cst.List | cst.Tuple) -> None:
        site = self.sites.get(id(node))
        if site is None:
            return
        inner = element_type(site.type)
        if inner is None:
            return
        for element in node.elements:
            if isinstance(element, cst.Element):
                self.sites[id(element.value)] = Site(site.owner, site.field, inner, site.variable)

    def visit_List(self, node: cst.List) -> None:
        self._elements(node)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        site = self.sites.get(id(node))  # both branches of ``a if c else b`` are the value
        if site is not None:
            self.sites[id(node.body)] = self.sites[id(node.orelse)] = site

    def visit_Tuple(self, node: cst.Tuple) -> None:
        self._elements(node)


class _VariableUses(_SiteTracker, cst.CSTVisitor):
    """Finds where variables bound once to a literal are passed, and what is expected there."""

    def __init__(self, ctx, candidates: set[str]) -> None:
        super().__init__()
        self._init_sites(ctx, {})
        self.candidates = candidates
        self.uses: dict[str, list[Site]] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        return not self.ctx.skips(node) and super().on_visit(node)

    def visit_Name(self, node: cst.Name) -> None:
        site = self.sites.get(id(node))
        if site is not None and node.value in self.candidates:
            self.uses.setdefault(node.value, []).append(site)


def variable_sites(ctx, tree: cst.Module) -> dict[str, Site]:
    """Variables bound once to a dict or list literal, every use of which expects one type."""
    facts = ctx.facts
    candidates = facts.literal_variables() & facts.value_names
    if not candidates:
        return {}
    finder = _VariableUses(ctx, candidates)
    tree.visit(finder)
    found = {}
    for name, uses in finder.uses.items():
        types = {repr(site.type) for site in uses}
        if len(types) == 1 and len(uses) == facts.references[name] - facts.binds[name]:  # targets count as references
            site = uses[0]
            found[name] = Site(site.owner, site.field, site.type, name)
    return found


class _ArgumentWalker(_SiteTracker, cst.CSTTransformer):
    def __init__(self, ctx, codemods, variables: dict[str, Site]) -> None:
        super().__init__()
        self._init_sites(ctx, variables)
        self.codemods = codemods
        self.anchor_stack: list[int] = []  # ordinals of the Call/Dict/List nodes we are inside
        self.count = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.ctx.skips(node):
            self.count += self.ctx.anchors_in(node)
            return False
        if type(node) in _ANCHOR_TYPES:
            self.anchor_stack.append(self.count)
            self.count += 1
        return super().on_visit(node)

    def on_leave(self, original_node, updated_node):
        result = super().on_leave(original_node, updated_node)
        anchor = self.anchor_stack.pop() if type(original_node) in _ANCHOR_TYPES else None
        key = id(original_node)
        site = self.sites.get(key)
        if site is None and type(result) not in _HOOKED_TYPES:
            return result  # no hook applies
        if anchor is None:
            anchor = self.anchor_stack[-1] if self.anchor_stack else None
        self.ctx.anchor = anchor
        attribute = self.attributes.get(key)
        call, callee = None, None
        for codemod in self.codemods:
            if self.ctx.suppressions is not None and self.ctx.suppressed(codemod.id, None):
                continue
            if site is not None:
                result = codemod.leave_value(self.ctx, site, result)
            if isinstance(result, cst.Call):
                if result.func is not callee:  # resolved again only when a codemod changed it
                    callee = result.func
                    info = self.resolve(callee)
                    call = CallSite(info, attribute) if info is not None else None
                if call is not None:
                    result = codemod.leave_call(self.ctx, call, result)
            elif isinstance(result, cst.Attribute):
                result = codemod.leave_attribute(self.ctx, result)
        return result


def run_argument_codemods(ctx, tree: cst.Module, codemods) -> cst.Module:
    """One traversal in which every argument-level codemod sees every site."""
    if not any(b.module.startswith(("cdktf", "imports")) for b in ctx.live_bindings()):
        return tree
    walker = _ArgumentWalker(ctx, codemods, variable_sites(ctx, tree))
    ctx.resolve = walker.resolve
    ctx.anchor_tree = tree
    ctx.anchor_positions = None
    new_tree = tree.visit(walker)
    ctx.anchor = None
    return new_tree


def anchor_positions(tree: cst.Module, parsed: ast.Module | None = None) -> list[tuple[int, int]]:
    """(line, column) of every Call, Dict and List in ``tree`` (``parsed``: its ``ast``), in the
    order libcst visits them."""
    if parsed is None:
        try:
            parsed = ast.parse(tree.code)
        except (SyntaxError, ValueError):
            return []
    found: list[tuple[int, int, int]] = []

    def walk(node: ast.AST) -> None:
        if isinstance(node, AST_ANCHORS):
            found.append((node.lineno, node.col_offset + 1, len(found)))
        for child in ast.iter_child_nodes(node):
            walk(child)

    walk(parsed)
    found.sort()
    return [(line, column) for line, column, _ in found]
