"""Applies a round's planned edits to the libcst tree: the only place that rewrites code.

The units (statements) of the ``ast`` a round read are paired with the libcst statements
(``pair_units``); the transformer visits only the units that hold an edit and the statements
around them, counts the nodes of each kind in every unit it enters the way
``cdktf_fix.engine.units`` counts them on the ``ast``, and applies each edit at its address
bottom-up (an edit on a value before one on the dict or call that holds it).  A node whose
fingerprint, or a unit whose counts, differ from the ``ast``'s raises ``PairingError``: the
file is then left as it was, never edited in the wrong place.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

from cdktf_fix.engine.context import FileContext, PlannedEdit

_UNITS = (cst.BaseSmallStatement, cst.BaseCompoundStatement)
_STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
_CONSTANT_NAMES = frozenset({"True", "False", "None"})
_KINDS = {cst.Call: "call", cst.Dict: "dict", cst.List: "list", cst.IfExp: "ifexp", cst.Attribute: "attribute", cst.Subscript: "subscript"}


class PairingError(Exception):
    """The libcst tree does not match the ``ast`` where an edit goes."""


# -- edits every codemod may use ---------------------------------------------------------------

@dataclass(frozen=True)
class SetName:
    """A name, renamed."""

    new: str

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        if not isinstance(node, cst.Name):
            raise PairingError(f"expected a name, found {type(node).__name__}")
        return node.with_changes(value=self.new)


@dataclass(frozen=True)
class SetAttribute:
    """``a.B`` -> ``a.C``: the attribute read, renamed."""

    new: str

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        if not isinstance(node, cst.Attribute):
            raise PairingError(f"expected an attribute, found {type(node).__name__}")
        return node.with_changes(attr=node.attr.with_changes(value=self.new))


@dataclass(frozen=True)
class ReplaceWithName:
    """An expression (``kms.KmsKey``) replaced by a name (``KmsKey``), keeping its parentheses."""

    name: str

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        return cst.Name(self.name, lpar=node.lpar, rpar=node.rpar)


@dataclass(frozen=True)
class SplitAttribute:
    """``a.identity_get`` -> ``a.identity.get``: one attribute read becomes two; ``a`` keeps its
    own edits."""

    first: str
    second: str

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        if not isinstance(node, cst.Attribute):
            raise PairingError(f"expected an attribute, found {type(node).__name__}")
        inner = cst.Attribute(value=node.value, attr=cst.Name(self.first))
        return node.with_changes(value=inner, attr=node.attr.with_changes(value=self.second))


_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


@dataclass(frozen=True)
class IndexAsCall:
    """``a[i]`` -> ``Fn.element(a, i)`` (``function``), or ``a.get(i)`` (``method``); ``a`` and
    ``i`` keep their own edits."""

    function: str | None = None
    method: str | None = None

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        if not isinstance(node, cst.Subscript) or len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            raise PairingError("expected a subscript with one index")
        value, index = node.value, node.slice[0].slice.value
        if self.method:
            call = cst.Call(func=cst.Attribute(value=value, attr=cst.Name(self.method)), args=[cst.Arg(index)])
        else:
            call = cst.Call(func=cst.parse_expression(self.function), args=[cst.Arg(value, comma=_COMMA), cst.Arg(index)])
        return call.with_changes(lpar=node.lpar, rpar=node.rpar)


@dataclass(frozen=True)
class IndexAsAttribute:
    """``block["address"]`` -> ``block.address``; ``block`` keeps its own edits."""

    name: str

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        if not isinstance(node, cst.Subscript):
            raise PairingError(f"expected a subscript, found {type(node).__name__}")
        return cst.Attribute(value=node.value, attr=cst.Name(self.name), lpar=node.lpar, rpar=node.rpar)


@dataclass(frozen=True)
class AttributeAsCall:
    """``x.password`` -> ``Fn.lookup(x, "password")``; ``x`` keeps its own edits."""

    function: str

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        if not isinstance(node, cst.Attribute):
            raise PairingError(f"expected an attribute, found {type(node).__name__}")
        key = cst.SimpleString(f'"{node.attr.value}"')
        call = cst.Call(func=cst.parse_expression(self.function), args=[cst.Arg(node.value, comma=_COMMA), cst.Arg(key)])
        return call.with_changes(lpar=node.lpar, rpar=node.rpar)


@dataclass(frozen=True)
class CallAsFunction:
    """``len(x)`` -> ``Fn.length_of(x)``; with ``receiver_last``, ``x.split(sep)`` ->
    ``Fn.split(sep, x)``.  The arguments keep their own edits."""

    function: str
    receiver_last: bool = False

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        if not isinstance(node, cst.Call):
            raise PairingError(f"expected a call, found {type(node).__name__}")
        args = list(node.args)
        if self.receiver_last:
            if not isinstance(node.func, cst.Attribute):
                raise PairingError("expected a method call")
            if args:
                args[-1] = args[-1].with_changes(comma=_COMMA)
            args.append(cst.Arg(node.func.value))
        return node.with_changes(func=cst.parse_expression(self.function), args=args)


@dataclass(frozen=True)
class CallAsDict:
    """``Block(a=1, b=x)`` -> ``{"a": 1, "b": x}``: a call of keywords becomes the dict of
    them, its layout kept (the values keep their own edits)."""

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        if not isinstance(node, cst.Call) or any(a.keyword is None for a in node.args):
            raise PairingError("expected a call of keywords")
        elements = [
            cst.DictElement(
                key=cst.SimpleString(f'"{arg.keyword.value}"'), value=arg.value, comma=arg.comma,
                whitespace_before_colon=cst.SimpleWhitespace(""), whitespace_after_colon=cst.SimpleWhitespace(" "),
            )
            for arg in node.args
        ]
        closing = node.args[-1].whitespace_after_arg if node.args else cst.SimpleWhitespace("")
        return cst.Dict(
            elements=elements, lbrace=cst.LeftCurlyBrace(whitespace_after=node.whitespace_before_args),
            rbrace=cst.RightCurlyBrace(whitespace_before=closing), lpar=node.lpar, rpar=node.rpar,
        )


@dataclass(frozen=True)
class RenameInString:
    """A string annotation (``"S3BucketVersioning"``) naming a renamed class."""

    old: str
    new: str

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        if not isinstance(node, cst.SimpleString):
            raise PairingError(f"expected a string, found {type(node).__name__}")
        prefix, quote = node.prefix, node.quote
        body = node.value[len(prefix) + len(quote): -len(quote)]
        tree = ast.parse(f"({body})", mode="eval")
        spans = sorted(((n.col_offset - 1, n.end_col_offset - 1) for n in ast.walk(tree) if type(n) is ast.Name and n.id == self.old), reverse=True)
        for start, end in spans:
            body = body[:start] + self.new + body[end:]
        return node.with_changes(value=f"{prefix}{quote}{body}{quote}")


# -- pairing -------------------------------------------------------------------------------------

def pair_units(module: cst.Module, tree: ast.Module) -> dict[int, cst.CSTNode]:
    """id of each ``ast`` statement -> its libcst statement (small or compound)."""
    found: dict[int, cst.CSTNode] = {}
    _zip(module.body, tree.body, found)
    return found


def _zip(body, statements: list[ast.stmt], found: dict) -> None:
    at = 0
    for node in body:
        smalls = node.body if isinstance(node, cst.SimpleStatementLine) else [node]
        for small in smalls:
            if at >= len(statements):
                raise PairingError("libcst and ast statements do not pair up")
            statement = statements[at]
            at += 1
            found[id(statement)] = small
            if isinstance(small, cst.BaseCompoundStatement):
                for suite, inner in _suites(small, statement):
                    if isinstance(suite, cst.SimpleStatementSuite):
                        if len(suite.body) != len(inner):
                            raise PairingError("one-line suite does not pair up")
                        for cst_small, ast_small in zip(suite.body, inner):
                            found[id(ast_small)] = cst_small
                    else:
                        _zip(suite.body, inner, found)
    if at != len(statements):
        raise PairingError("libcst and ast statements do not pair up")


@dataclass
class _Suite:
    body: list


def _suites(node: cst.CSTNode, statement: ast.stmt):
    """(libcst suite, ast statements) pairs of a compound statement, in order."""
    if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.With)):
        yield node.body, statement.body
    elif isinstance(node, (cst.For, cst.While)):
        yield node.body, statement.body
        if node.orelse is not None:
            yield node.orelse.body, statement.orelse
    elif isinstance(node, cst.If):
        yield node.body, statement.body
        if isinstance(node.orelse, cst.If):  # elif: an If statement in the ast's orelse
            yield _Suite([node.orelse]), statement.orelse
        elif node.orelse is not None:
            yield node.orelse.body, statement.orelse
    elif isinstance(node, (cst.Try, cst.TryStar)):
        yield node.body, statement.body
        if len(node.handlers) != len(statement.handlers):
            raise PairingError("handlers do not pair up")
        for handler, ast_handler in zip(node.handlers, statement.handlers):
            yield handler.body, ast_handler.body
        if node.orelse is not None:
            yield node.orelse.body, statement.orelse
        if node.finalbody is not None:
            yield node.finalbody.body, statement.finalbody
    elif isinstance(node, cst.Match):
        if len(node.cases) != len(statement.cases):
            raise PairingError("match cases do not pair up")
        for case, ast_case in zip(node.cases, statement.cases):
            yield case.body, ast_case.body
    else:
        raise PairingError(f"unknown compound statement {type(node).__name__}")


# -- counting, as units.py counts the ast ----------------------------------------------------

def cst_fingerprint(node: cst.CSTNode, kind: str) -> object:
    if kind == "name":
        return node.value
    if kind == "attribute":
        return node.attr.value
    if kind == "call":
        keywords = tuple(a.keyword.value if a.keyword is not None else None for a in node.args if a.keyword is not None or a.star == "**")
        return (len(node.args), keywords)
    if kind == "dict":
        return len(node.elements)
    if kind in ("list", "tuple"):
        return len(node.elements) if not isinstance(node, cst.SubscriptElement) else None
    if kind == "annstr":
        return node.evaluated_value if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)) else None
    return None


class _Unit:
    __slots__ = ("ast", "edits", "counts")

    def __init__(self, unit: ast.stmt | None, edits: dict | None) -> None:
        self.ast = unit
        self.edits = edits  # (kind, ordinal) -> [PlannedEdit]
        self.counts: dict[str, int] = {}


class _Rewriter(cst.CSTTransformer):
    def __init__(self, ctx: FileContext, units: dict[int, ast.stmt], visit: set[int], edits: dict[int, dict], removed: set[int]) -> None:
        self.ctx = ctx
        self.units = units  # id(libcst unit) -> its ast statement, for every unit to visit
        self.visit = visit
        self.edits = edits  # id(ast unit) -> {(kind, ordinal): [PlannedEdit]}
        self.removed = removed  # ids of libcst small statements to remove
        self.stack: list[_Unit] = []
        self.pushed: set[int] = set()
        self.marks: dict[int, tuple[str, list[PlannedEdit]]] = {}
        self.skip_names: set[int] = set()
        self.skip_tuples: set[int] = set()
        self.virtual_tuples: set[int] = set()
        self.annotation = 0
        self.strings = 0
        self.fstring_quotes: list[str] = []  # the quotes of the f-strings we are inside

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _UNITS):
            if id(node) not in self.visit:
                return False
            unit = self.units[id(node)]
            self.stack.append(_Unit(unit, self.edits.get(id(unit))))
            self.pushed.add(id(node))
        self._exclude(node)
        kind = self._kind(node)
        if kind is not None and self.stack:
            top = self.stack[-1]
            ordinal = top.counts.get(kind, 0)
            top.counts[kind] = ordinal + 1
            if top.edits is not None:
                found = top.edits.get((kind, ordinal))
                if found:
                    self.marks[id(node)] = (kind, found)
        if isinstance(node, cst.Annotation):
            self.annotation += 1
        if isinstance(node, _STRINGS):
            self.strings += 1
        if isinstance(node, cst.FormattedString):
            self.fstring_quotes.append(node.end)
        return True

    def _kind(self, node: cst.CSTNode) -> str | None:
        kind = type(node)
        found = _KINDS.get(kind)
        if found is not None:
            return found
        if kind is cst.Name:
            return "name" if id(node) not in self.skip_names and node.value not in _CONSTANT_NAMES else None
        if kind is cst.Tuple:
            return None if id(node) in self.skip_tuples else "tuple"
        if kind is cst.SubscriptElement:
            return "tuple" if id(node) in self.virtual_tuples else None
        if kind in (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString):
            return "annstr" if self.annotation and not self.strings else None
        return None

    def _exclude(self, node: cst.CSTNode) -> None:
        """Names that are no ``ast.Name``, tuples that are no ``ast.Tuple`` and the reverse."""
        skip = self.skip_names.add
        kind = type(node)
        if kind is cst.Attribute:
            skip(id(node.attr))
        elif kind is cst.Arg:
            if node.keyword is not None:
                skip(id(node.keyword))
        elif kind is cst.Param:
            skip(id(node.name))
        elif kind in (cst.FunctionDef, cst.ClassDef):
            skip(id(node.name))
        elif kind is cst.ExceptHandler or kind is cst.ExceptStarHandler:
            if node.name is not None:
                skip(id(node.name.name))
        elif kind is cst.NameItem:
            skip(id(node.name))
        elif kind in (cst.MatchAs, cst.MatchStar):
            if node.name is not None:
                skip(id(node.name))
        elif kind is cst.MatchMapping:
            if node.rest is not None:
                skip(id(node.rest))
        elif kind is cst.MatchKeywordElement:
            skip(id(node.key))
        elif kind in (cst.TypeVar, cst.TypeVarTuple, cst.ParamSpec):
            skip(id(node.name))
        elif kind is cst.Del:
            if isinstance(node.target, cst.Tuple) and not node.target.lpar:
                self.skip_tuples.add(id(node.target))
        elif kind is cst.Subscript:
            elements = node.slice
            if len(elements) > 1 or (elements and isinstance(elements[0].comma, cst.Comma)):
                self.virtual_tuples.add(id(elements[0]))

    def on_leave(self, original_node, updated_node):
        if isinstance(original_node, cst.Annotation):
            self.annotation -= 1
        if isinstance(original_node, _STRINGS):
            self.strings -= 1
        if isinstance(original_node, cst.FormattedString):
            self.fstring_quotes.pop()
        mark = self.marks.pop(id(original_node), None)
        if mark is not None:
            updated_node = self._apply(original_node, updated_node, *mark)
            if self.fstring_quotes:
                updated_node = _fit_quotes(updated_node, self.fstring_quotes)
        if isinstance(updated_node, (cst.IndentedBlock, cst.Module)) and self.removed:
            updated_node = _without_removed(updated_node, self.removed)
        if id(original_node) in self.pushed:
            top = self.stack.pop()
            if top.edits is not None:
                expected = self.ctx.plan.units.counts(top.ast)
                if any(top.counts.get(kind, 0) != count for kind, count in expected.items()):
                    raise PairingError(f"the nodes of a statement do not pair up (line {getattr(top.ast, 'lineno', '?')})")
        return updated_node

    def _apply(self, original, updated, kind: str, edits: list[PlannedEdit]):
        for edit in edits:
            if cst_fingerprint(original, kind) != edit.expected:
                raise PairingError(f"a {kind} does not pair up")
        for edit in edits:
            if edit.slot is not None:
                updated = at_slot(updated, edit.slot, edit.edit)
        for edit in edits:
            if edit.slot is None:
                updated = edit.edit.apply(updated)
        return updated


class _Requote(cst.CSTTransformer):
    def __init__(self, quote: str, other: str) -> None:
        self.quote, self.other = quote, other

    def leave_SimpleString(self, original_node, updated_node):
        if updated_node.quote != self.quote:
            return updated_node
        body = updated_node.value[len(updated_node.prefix) + len(self.quote): -len(self.quote)]
        if self.other in body or "\\" in body:
            raise PairingError("a string written inside an f-string cannot take other quotes")
        return updated_node.with_changes(value=f"{updated_node.prefix}{self.other}{body}{self.other}")


def _fit_quotes(node: cst.CSTNode, quotes: list[str]) -> cst.CSTNode:
    """Before Python 3.12 an expression inside an f-string cannot use the f-string's own quote:
    strings an edit wrote there take the other one."""
    for quote in quotes:
        if len(quote) == 1 and quote in cst.Module([]).code_for_node(node):
            node = node.visit(_Requote(quote, "'" if quote == '"' else '"'))
    return node


def at_slot(node: cst.CSTNode, slot: tuple, edit) -> cst.CSTNode:
    """``node`` with ``edit`` applied to the child in ``slot``."""
    kind = slot[0]
    if kind == "keyword" and isinstance(node, cst.Call):
        args = list(node.args)
        for index, arg in enumerate(args):
            if arg.keyword is not None and arg.keyword.value == slot[1]:
                args[index] = arg.with_changes(value=edit.apply(arg.value))
                return node.with_changes(args=args)
    elif kind == "arg" and isinstance(node, cst.Call):
        positional = [i for i, a in enumerate(node.args) if a.keyword is None and not a.star]
        if slot[1] < len(positional):
            args = list(node.args)
            index = positional[slot[1]]
            args[index] = args[index].with_changes(value=edit.apply(args[index].value))
            return node.with_changes(args=args)
    elif kind == "element" and isinstance(node, (cst.List, cst.Tuple)):
        elements = list(node.elements)
        if slot[1] < len(elements) and isinstance(elements[slot[1]], cst.Element):
            elements[slot[1]] = elements[slot[1]].with_changes(value=edit.apply(elements[slot[1]].value))
            return node.with_changes(elements=elements)
    elif kind == "value" and isinstance(node, cst.Dict):
        elements = list(node.elements)
        if slot[1] < len(elements) and isinstance(elements[slot[1]], cst.DictElement):
            elements[slot[1]] = elements[slot[1]].with_changes(value=edit.apply(elements[slot[1]].value))
            return node.with_changes(elements=elements)
    elif kind in ("body", "orelse") and isinstance(node, cst.IfExp):
        return node.with_changes(**{kind: edit.apply(getattr(node, kind))})
    raise PairingError(f"no {slot} in a {type(node).__name__}")


def _without_removed(block, removed: set[int]):
    """The block without the removed statements; comment lines above them move to the next
    statement (or the end of the block), and an emptied block gets ``pass``."""
    body, carried, changed = [], [], False
    for statement in block.body:
        if isinstance(statement, cst.SimpleStatementLine) and any(id(s) in removed for s in statement.body):
            changed = True
            kept = [s for s in statement.body if id(s) not in removed]
            if not kept:
                if any(line.comment is not None for line in statement.leading_lines):
                    carried += statement.leading_lines
                continue
            kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            statement = statement.with_changes(body=kept)
        if carried and hasattr(statement, "leading_lines"):
            statement = statement.with_changes(leading_lines=[*statement.leading_lines, *carried])
            carried = []
        body.append(statement)
    if not changed:
        return block
    if not body and isinstance(block, cst.IndentedBlock):
        body = [cst.SimpleStatementLine([cst.Pass()])]
    return block.with_changes(body=body, footer=[*carried, *block.footer])


def apply_plan(tree: cst.Module, parsed: ast.Module, ctx: FileContext) -> cst.Module:
    """``tree`` (the libcst tree of the code ``parsed`` was parsed from) with the round's edits."""
    plan = ctx.plan
    if not plan:
        return tree
    paired = pair_units(tree, parsed)
    parents = ctx.facts.parents
    edits: dict[int, dict] = {}
    visit: set[int] = set()
    units: dict[int, ast.stmt] = {}

    def reach(unit: ast.stmt | None) -> None:
        while unit is not None and id(paired[id(unit)]) not in visit:
            node = paired[id(unit)]
            visit.add(id(node))
            units[id(node)] = unit
            unit = parents.get(id(unit))

    for planned in plan.edits:
        address = planned.address
        edits.setdefault(id(address.unit), {}).setdefault((address.kind, address.ordinal), []).append(planned)
        reach(address.unit)
    removed = set()
    for statement in plan.removed_statements:
        removed.add(id(paired[id(statement)]))
        reach(parents.get(id(statement)))
    return tree.visit(_Rewriter(ctx, units, visit, edits, removed))


@dataclass(frozen=True)
class ReplaceWithCode:
    """An expression replaced by the expression ``code`` (a literal of another type, a value a
    renamed keyword takes), keeping its parentheses."""

    code: str

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        return cst.parse_expression(self.code).with_changes(lpar=node.lpar, rpar=node.rpar)


@dataclass(frozen=True)
class WrapInCall:
    """``x`` -> ``callee(keyword=x)``, or ``callee(keyword=[x])``; ``x`` kept as it is
    (a block of a nested level passed where its parent block belongs)."""

    callee: str
    keyword: str
    in_list: bool

    def apply(self, node: cst.CSTNode) -> cst.CSTNode:
        inner = node.with_changes(lpar=[], rpar=[])
        value = cst.List([cst.Element(inner)]) if self.in_list else inner
        no_space = cst.SimpleWhitespace("")
        argument = cst.Arg(value=value, keyword=cst.Name(self.keyword), equal=cst.AssignEqual(whitespace_before=no_space, whitespace_after=no_space))
        return cst.Call(func=cst.parse_expression(self.callee), args=[argument], lpar=node.lpar, rpar=node.rpar)


def separator_like(comma) -> cst.Comma:
    """A comma to put between two arguments laid out like ``comma`` (the one before them): its
    line break and indentation, without the comment its line may end with (that stays where it
    is).  No comma: ``, ``."""
    if not isinstance(comma, cst.Comma):
        return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    comma = comma.with_changes(whitespace_before=cst.SimpleWhitespace(""))
    layout = comma.whitespace_after
    if isinstance(layout, cst.ParenthesizedWhitespace):
        return comma.with_changes(whitespace_after=layout.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[]))
    return comma
