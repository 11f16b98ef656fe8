"""construct-id: a construct's id missing (``AwsProvider(self, region=...)``), or used twice in one scope.

Every construct of the schema (a provider, resource or data source of a provider package, and
the cdktf classes ``TerraformOutput``, ``TerraformVariable``, ``TerraformStack``, ...) is
called ``Class(scope, id, ...)``: the schema says so by its first two positional parameters
(``scope``/``scope_`` and ``id``/``id_``).  The calls are grouped by the scope they pass: the
same plain name, bound once (``self`` in the methods of one class is one scope); the ids the
group uses literally are the ones a new id must not take.

The Terraform type a new id is named after comes from the schema's module of the class: a
prebuilt provider keeps each resource and data source in a module named after its Terraform
type without the provider prefix (``s3_bucket`` for ``aws_s3_bucket``, ``data_aws_region``
for the data source ``aws_region``; a few services are split by one more underscore than in
Terraform: ``s3_control_bucket`` for ``aws_s3control_bucket``), and the provider's Terraform
name is the end of its package name (``cdktf_cdktf_provider_aws`` -> ``aws``).  A class of the
framework core has no Terraform type: its name without ``Terraform`` stands for it
(``TerraformOutput`` -> ``output``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from cdktf_fix.engine.arguments import CallSite
from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.facts import Scope
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import separator_like
from cdktf_fix.engine.values import enclosing_class
from cdktf_fix.schema.model import ClassInfo, name_words
from codemods.base import ArgumentCodemod

_MEMO = "construct-id"
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_UNSAFE_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")


def is_construct(info: ClassInfo) -> bool:
    """A class called ``Class(scope, id, ...)``: its first two positional parameters are the
    scope and the id (jsii writes ``scope_``/``id_`` where a keyword takes the plain name)."""
    positional = info.positional
    return (
        info.kind not in ("struct", "enum", "interface")
        and len(positional) >= 2 and positional[0].rstrip("_") == "scope" and positional[1].rstrip("_") == "id"
    )


def literal_text(node: ast.expr | None) -> str | None:
    """The text of a string literal, or of an f-string without placeholders."""
    if type(node) is ast.Constant:
        return node.value if type(node.value) is str else None
    if type(node) is ast.JoinedStr and all(type(v) is ast.Constant for v in node.values):
        return "".join(v.value for v in node.values)
    return None


def could_be(node: ast.expr, text: str) -> bool:
    """Whether an id written as an expression may be ``text`` when the code runs (an f-string
    whose written beginning or end differ cannot)."""
    if type(node) is ast.JoinedStr:
        values = node.values
        head = values[0].value if values and type(values[0]) is ast.Constant else ""
        tail = values[-1].value if len(values) > 1 and type(values[-1]) is ast.Constant else ""
        return len(text) >= len(head) + len(tail) and text.startswith(head) and text.endswith(tail)
    return True


def _noun(info: ClassInfo) -> str:
    return {"resource": "resource", "data": "data source", "provider": "provider"}.get(info.kind, info.name)


def unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


# -- the edits ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class InsertId:
    """``Class(scope, ...)`` -> ``Class(scope, "id", ...)``: the id goes after the scope, laid
    out like the arguments are (on its own line, indented alike, when they are one a line),
    quoted like the other strings of the call."""

    value: str

    def apply(self, node):
        import libcst as cst

        from cdktf_fix.engine.rewrite import PairingError

        if not isinstance(node, cst.Call) or not node.args or node.args[0].keyword is not None or node.args[0].star:
            raise PairingError("expected a call with its scope first")
        quotes = {a.value.quote for a in node.args if isinstance(a.value, cst.SimpleString) and len(a.value.quote) == 1}
        quote = "'" if quotes == {"'"} else '"'
        new = cst.Arg(cst.SimpleString(f"{quote}{self.value}{quote}"))
        args = list(node.args)
        first = args[0]
        if len(args) > 1:
            args.insert(1, new.with_changes(comma=separator_like(first.comma)))
        elif isinstance(first.comma, cst.Comma):  # ``Class(\n    scope,\n)``: the new one takes the trailing comma
            opening = node.whitespace_before_args
            between = separator_like(cst.Comma(whitespace_after=opening) if isinstance(opening, cst.ParenthesizedWhitespace) else None)
            args = [first.with_changes(comma=between), new.with_changes(comma=first.comma, whitespace_after_arg=first.whitespace_after_arg)]
            args[0] = args[0].with_changes(whitespace_after_arg=cst.SimpleWhitespace(""))
        else:
            args = [first.with_changes(comma=separator_like(None), whitespace_after_arg=cst.SimpleWhitespace("")), new.with_changes(whitespace_after_arg=first.whitespace_after_arg)]
        return node.with_changes(args=args)


@dataclass(frozen=True)
class AppendToString:
    """A string literal (or an f-string without placeholders) with ``text`` added at its end,
    its quotes and prefix kept."""

    text: str

    def apply(self, node):
        import libcst as cst

        from cdktf_fix.engine.rewrite import PairingError

        if isinstance(node, cst.SimpleString):
            quote = node.quote
            return node.with_changes(value=node.value[: -len(quote)] + self.text + quote)
        if isinstance(node, cst.ConcatenatedString):
            return node.with_changes(right=self.apply(node.right))
        if isinstance(node, cst.FormattedString):
            parts = list(node.parts)
            if parts and isinstance(parts[-1], cst.FormattedStringText):
                parts[-1] = parts[-1].with_changes(value=parts[-1].value + self.text)
            else:
                parts.append(cst.FormattedStringText(self.text))
            return node.with_changes(parts=parts)
        raise PairingError(f"expected a string, found {type(node).__name__}")


# -- what the file constructs ------------------------------------------------------------------

@dataclass(eq=False)
class _Construct:
    node: ast.Call
    statement: ast.stmt
    scope: Scope
    info: ClassInfo
    key: tuple | None  # the scope passed: ("self", class), ("name", symbol), ("text", function, text)
    plain: bool  # the scope is a plain name bound once
    id_node: ast.expr | None  # the id as written (second positional argument or its keyword)
    path: tuple | None  # the branches from its function body (or the module) down to it; None in a loop
    value: bool  # the call is its statement's value (``x = C(...)``, ``C(...)``)


@dataclass
class _Action:
    kind: str  # "insert", "rename", "finding"
    value: str = ""
    safety: Safety = Safety.SAFE
    message: str = ""
    suggestions: tuple = ()


def _branches(parent: ast.stmt) -> dict[int, object]:
    """id of each statement of a compound statement -> the branch that holds it (``body``,
    ``orelse``, ``finalbody``, a handler, a case)."""
    found: dict[int, object] = {}
    for name in ("body", "orelse", "finalbody"):
        for statement in getattr(parent, name, ()):
            found[id(statement)] = name
    for index, handler in enumerate(getattr(parent, "handlers", ())):
        for statement in handler.body:
            found[id(statement)] = ("handler", index)
    for index, case in enumerate(getattr(parent, "cases", ())):
        for statement in case.body:
            found[id(statement)] = ("case", index)
    return found


def _path(ctx: FileContext, statement: ast.stmt, scope: Scope, branches: dict) -> tuple | None:
    """(compound statement, branch) pairs from the body of the function (or module) that holds
    ``statement`` down to it; None when it may run more than once (a loop, a comprehension, a
    lambda) or is not a statement of a function body or the module.  ``branches`` caches
    ``_branches`` of each compound statement met."""
    if scope.kind not in ("function", "module") or isinstance(statement, _LOOPS):
        return None
    parents = ctx.facts.parents
    path = []
    child, parent = statement, parents.get(id(statement))
    while parent is not None and not isinstance(parent, _BOUNDARIES):
        if isinstance(parent, _LOOPS):
            return None
        held = branches.get(id(parent))
        if held is None:
            held = branches[id(parent)] = _branches(parent)
        branch = held.get(id(child))
        if branch is None:
            return None
        path.append((id(parent), branch))
        child, parent = parent, parents.get(id(parent))
    if isinstance(parent, ast.ClassDef):
        return None  # a class body
    return tuple(reversed(path))


def _alternatives(first: tuple, second: tuple) -> bool:
    """Whether two statements sit in different branches of one compound statement (an if and
    its else, a try and its handler, two cases): they may never both run."""
    for (node_a, branch_a), (node_b, branch_b) in zip(first, second):
        if node_a != node_b:
            return False
        if branch_a != branch_b:
            return True
    return False


def _scope_key(ctx: FileContext, node: ast.expr, call_scope: Scope, statement: ast.stmt) -> tuple[tuple | None, bool]:
    facts = ctx.facts
    if type(node) is ast.Name:
        symbol = facts.symbol_of_name(node)
        if symbol is not None and symbol.binds == 1 and not symbol.imports:
            if node.id == "self" and symbol.scope.kind == "function":
                owner = enclosing_class(facts, statement)
                if owner is not None:
                    return ("self", id(owner)), True
            return ("name", id(symbol)), True
        return ("unsure", id(call_scope), node.id), False
    if type(node) is ast.Attribute:
        return ("text", id(call_scope), ctx.text(node)), False
    return None, False


def _id_argument(node: ast.Call, info: ClassInfo) -> tuple[ast.expr | None, tuple | None]:
    positional = [a for a in node.args if type(a) is not ast.Starred]
    if len(positional) >= 2:
        return positional[1], ("arg", 1)
    for keyword in node.keywords:
        if keyword.arg == info.positional[1]:
            return keyword.value, ("keyword", keyword.arg)
    return None, None


def _constructs(ctx: FileContext) -> list[_Construct]:
    found, branches = [], {}
    for call in ctx.facts.calls:
        node = call.node
        if not node.args or type(node.args[0]) in (ast.Starred, ast.Constant):
            continue  # no scope, ``*args``, or a placeholder (``S3BucketVersioningA(...)`` in prose)
        info = ctx.resolve(node.func)
        if info is None or not is_construct(info):
            continue
        key, plain = _scope_key(ctx, node.args[0], call.scope, call.statement)
        id_node, _ = _id_argument(node, info)
        statement = call.statement
        value = type(statement) in (ast.Expr, ast.Assign, ast.AnnAssign) and statement.value is node
        found.append(_Construct(node, statement, call.scope, info, key, plain, id_node, _path(ctx, statement, call.scope, branches), value))
    return found


def _provider_name(ctx: FileContext, info: ClassInfo) -> str:
    """The provider's Terraform name: the end of its package name (``..._provider_aws``)."""
    name = ctx.schema.package_of(info.module).rpartition("_provider_")[2]
    if name:
        return name
    words = [w.lower() for w in name_words(info.name) if w != "Provider"]
    return "_".join(words) or "provider"


def type_suffix(ctx: FileContext, info: ClassInfo) -> str:
    """The Terraform type of a construct without its provider prefix, snake_case
    (``S3Bucket`` -> ``s3_bucket``, ``DataAwsRegion`` -> ``region``, ``AwsProvider`` -> ``aws``,
    ``TerraformOutput`` -> ``output``)."""
    schema = ctx.schema
    if info.kind == "provider":
        return _provider_name(ctx, info)
    module = schema.as_provider_module(info.module)
    package, _, tail = module.partition(".")
    if schema.is_provider_module(module) and tail and "." not in tail:
        prefix = f"data_{_provider_name(ctx, info)}_"
        if info.kind == "data" and tail.startswith(prefix) and len(tail) > len(prefix):
            return tail[len(prefix):]
        return tail
    words = [w.lower() for w in name_words(info.name) if w != "Terraform"]
    return "_".join(words) or info.name.lower()


def _bound_name(construct: _Construct) -> str | None:
    """The name the call's result is bound to: ``bucket = C(...)``, ``self.logs_bucket = C(...)``."""
    statement = construct.statement
    if not construct.value:
        return None
    if type(statement) is ast.Assign and len(statement.targets) == 1:
        target = statement.targets[0]
    elif type(statement) is ast.AnnAssign:
        target = statement.target
    else:
        return None
    if type(target) is ast.Name:
        name = target.id
    elif type(target) is ast.Attribute and type(target.value) is ast.Name and target.value.id == "self":
        name = target.attr
    else:
        return None
    return name.strip("_") or None


def _alias(node: ast.Call) -> str | None:
    for keyword in node.keywords:
        if keyword.arg == "alias":
            text = literal_text(keyword.value)
            return (_UNSAFE_CHARACTERS.sub("_", text).strip("_") or None) if text else None
    return None


class _Group:
    """The constructs passed one scope: the ids they use literally, and those written as
    expressions (which may be anything when the code runs)."""

    def __init__(self, members: list[_Construct], plain: bool) -> None:
        self.members = members
        self.plain = plain
        self.taken = {t for t in (literal_text(m.id_node) for m in members) if t is not None}
        self.dynamic = [m.id_node for m in members if m.id_node is not None and literal_text(m.id_node) is None]

    def take(self, base: str) -> tuple[str, bool]:
        """A new id from ``base``, and whether it is sure to be free (the scope is a plain name
        and no id written as an expression may be it)."""
        new = unique(base, self.taken)
        self.taken.add(new)
        return new, self.plain and not any(could_be(d, new) for d in self.dynamic)


def _plan(ctx: FileContext) -> dict[int, list[_Action]]:
    """What to do at each call (keyed by id of the call), memoized per round."""
    found = ctx.memo.get(_MEMO)
    if found is not None:
        return found
    found = ctx.memo[_MEMO] = {}
    constructs = _constructs(ctx)
    if not constructs:
        return found
    groups: dict[tuple, list[_Construct]] = {}
    for construct in constructs:
        if construct.key is not None:
            groups.setdefault(construct.key, []).append(construct)
    # the literal ids of other calls passed the same scope first (a construct class the schema
    # does not know: ``NetworkConstruct(self, "network")``) are taken as well
    known = {id(c.node) for c in constructs}
    for call in ctx.facts.calls:
        node = call.node
        if id(node) in known or len(node.args) < 2 or type(node.args[0]) is ast.Starred:
            continue
        text = literal_text(node.args[1])
        if text is not None:
            key, _ = _scope_key(ctx, node.args[0], call.scope, call.statement)
            if key in groups:
                groups[key].append(_Construct(node, call.statement, call.scope, None, key, False, node.args[1], None, False))
    for key, members in groups.items():
        group = _Group(members, plain=all(m.plain for m in members if m.info is not None))
        kept: dict[tuple[int, str], list[tuple]] = {}  # (id of the function scope, id) -> paths of the calls keeping it
        ordered = sorted((m for m in members if m.info is not None), key=lambda m: (m.node.lineno, m.node.col_offset))
        for construct in ordered:
            action = _missing(ctx, construct, group) if construct.id_node is None else _duplicate(ctx, construct, group, kept)
            if action is not None:
                found.setdefault(id(construct.node), []).append(action)
    for construct in constructs:
        if construct.key is None and construct.id_node is None:
            action = _missing(ctx, construct, None)
            if action is not None:
                found.setdefault(id(construct.node), []).append(action)
    return found


def _missing(ctx: FileContext, construct: _Construct, group: _Group | None) -> _Action | None:
    node, info = construct.node, construct.info
    if len(node.args) != 1 or type(node.args[0]) is ast.Starred or any(k.arg is None for k in node.keywords):
        return None  # more positional arguments, or ``*args`` / ``**config`` that may carry the id
    scope_text = ctx.text(node.args[0], 40)
    callee = ctx.text(node.func, 60)
    if info.positional[1] != "id" and any(k.arg == "id" for k in node.keywords):
        given = next(k.value for k in node.keywords if k.arg == "id")
        return _Action("finding", message=(
            f"{info.name} takes its construct id as the second positional argument ({info.positional[1]}); "
            f"id= is the {_noun(info)}'s own argument id"
        ), suggestions=(f"{callee}({scope_text}, {ctx.text(given, 40)}, ...)",))
    if _in_loop(ctx, construct):
        return _Action("finding", message=(
            f"{info.name} is called without its construct id, where it may run more than once: "
            "each run needs an id of its own"
        ), suggestions=(f'{callee}({scope_text}, f"<name>-{{...}}", ...)',))
    if info.kind == "provider":
        name = _provider_name(ctx, info)
        alias = _alias(node)
        base = name if group is None or name not in group.taken or alias is None else f"{name}_{alias}"
        if group is None:
            return _Action("insert", base, Safety.UNSAFE, f"a provider takes its id after the scope; {scope_text} is no plain name: other ids it holds are not known here")
        new, sure = group.take(base)
        safety = Safety.SAFE if sure else Safety.UNSAFE
        why = "a provider's id is not in the synthesized JSON, where providers are keyed by their type and alias"
        if not sure:
            why += f"; another id in this scope is written as an expression and may be {new!r}" if group.plain else f"; {scope_text} is no plain name: other ids it holds are not known here"
        return _Action("insert", new, safety, f"{info.name} takes its construct id after the scope: {why}")
    bound = _bound_name(construct)
    base = bound or type_suffix(ctx, info)
    new, _ = group.take(base) if group is not None else (base, False)
    origin = "named after the name its result is bound to" if bound else "named after its Terraform type"
    return _Action("insert", new, Safety.UNSAFE, f"{info.name} takes its construct id after the scope; {new!r} is {origin}, and it becomes the {_noun(info)}'s name in Terraform")


def _in_loop(ctx: FileContext, construct: _Construct) -> bool:
    """Whether the call may run more than once: in a loop of its function (or the module), a
    comprehension or a lambda."""
    if construct.scope.kind in ("comprehension", "lambda"):
        return True
    parents = ctx.facts.parents
    if isinstance(construct.statement, ast.While):
        return True  # in its condition
    parent = parents.get(id(construct.statement))
    while parent is not None and not isinstance(parent, _BOUNDARIES):
        if isinstance(parent, _LOOPS):
            return True
        parent = parents.get(id(parent))
    return False


def _duplicate(ctx: FileContext, construct: _Construct, group: _Group, kept: dict) -> _Action | None:
    text = literal_text(construct.id_node)
    if text is None or not group.plain or not construct.value or construct.path is None:
        return None
    key = (id(construct.scope), text)
    before = kept.setdefault(key, [])
    if not any(not _alternatives(path, construct.path) for path in before):
        before.append(construct.path)
        return None
    info = construct.info
    if info.kind == "provider":
        alias = _alias(construct.node)
        base = f"{text}_{alias}" if alias else text
    else:
        base = f"{text}_{type_suffix(ctx, info)}"
    new, sure = group.take(base)
    if info.kind in ("data", "provider"):
        safety = Safety.SAFE if sure else Safety.UNSAFE
        why = "a data source keeps no state: its new address changes nothing deployed" if info.kind == "data" else "a provider's id is not in the synthesized JSON"
        if not sure:
            why += f"; another id in this scope is written as an expression and may be {new!r}"
    else:
        safety = Safety.UNSAFE
        why = f"the id is the {_noun(info)}'s name in Terraform (its address in state)"
    return _Action("rename", new, safety, f"the id {text!r} is used already in this scope (construct ids must be unique there): {why}")


class ConstructId(ArgumentCodemod):
    id = "construct-id"
    summary = "A construct called without its id (AwsProvider(self, region=...)), or with an id used already in the same scope"
    why = (
        "Every provider, resource, data source and cdktf construct (TerraformOutput, "
        "TerraformVariable, ...) is called Class(scope, id, ...). Without the id Python raises "
        "TypeError (missing 1 required positional argument: 'id'); an id used twice in one scope "
        "fails the synth (There is already a Construct with name 'current'). A missing id is "
        "inserted after the scope: a provider's Terraform name (aws), else the name the result "
        "is bound to (bucket = S3Bucket(self, ...) gets \"bucket\") or the Terraform type without "
        "the provider prefix. Of calls that use one literal id in one scope (the same plain name, "
        "in one function body, in statements that run one after the other: not in a loop, not in "
        "two branches of one if), the first keeps it and each later one gets <id>_<type> "
        "(DataAwsRegion(self, \"current\") after DataAwsCallerIdentity(self, \"current\") becomes "
        "\"current_region\"), numbered where that is taken too."
    )
    safety = (
        "Safe: the id a provider is missing (its name, aws; aws_<alias> when aws is taken in the "
        "scope and the call gives a literal alias; else numbered) and a new id for a later data "
        "source or provider whose id is used already: a provider's construct id never reaches the "
        "synthesized JSON, where providers are keyed by type and alias, and a data source keeps no "
        "state, so its new address changes nothing deployed. "
        "Unsafe: the id a resource or another construct is missing, and a new id for a later "
        "resource, output or other construct whose id is used already: the id is its name in "
        "Terraform and its address in state. "
        "A new id is unsafe too where it may not be free: the scope is no plain name, or an id in "
        "the same scope is written as an expression that may be it. A call without its id that "
        "may run more than once (in a loop) is a finding: any one literal id would be used twice."
    )

    def check_call(self, ctx: FileContext, call: CallSite, node: ast.Call, scope: Scope) -> None:
        if not is_construct(call.info):
            return
        actions = _plan(ctx).get(id(node))
        if not actions:
            return
        for action in actions:
            if action.kind == "finding":
                ctx.finding(self.id, action.message, action.suggestions, at=node)
            elif action.kind == "insert":
                scope_text = ctx.text(node.args[0], 40)
                callee = ctx.text(node.func, 60)
                ctx.fix(self.id, f"{callee}({scope_text}, ...)", f'{callee}({scope_text}, "{action.value}", ...)', action.message, action.safety, [(node, InsertId(action.value), Place(ctx.places[id(node)].unit))], at=node)
            elif action.kind == "rename":
                id_node, slot = _id_argument(node, call.info)
                added = action.value[len(literal_text(id_node)):]
                written = ctx.text(id_node)
                quote = written[-3:] if written.endswith(('"""', "'''")) else written[-1:]
                ctx.fix(self.id, written, written[: -len(quote)] + added + quote, action.message, action.safety,
                        [(id_node, AppendToString(added), Place(ctx.places[id(node)].unit, node, slot))], at=id_node)
