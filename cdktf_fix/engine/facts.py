"""Facts about one file, from one walk over its ``ast``: scopes and the symbols they bind.

Python resolves a name in the scope that binds it: the function (or lambda, or comprehension)
it is used in when that binds it anywhere, else the enclosing functions, else the module;
class bodies are not seen from the functions inside them.  A *symbol* is one name bound in
one scope.  Every use of a name (an ``ast.Name``, an *occurrence*) belongs to exactly one
symbol, so a parameter ``rds`` of one function is another symbol than the module-level
``from cdktf_cdktf_provider_aws import rds`` used in the next function.

Collected here:

- every import of a schema package (the provider, ``imports.<provider>``, cdktf, constructs)
  as a ``Binding`` of a symbol, with the guard it sits under (a ``try``/``except ImportError``
  shim, an ``if TYPE_CHECKING:`` block);
- every occurrence of every name, and the symbol it resolves to;
- every call, with the statement and scope it sits in; string annotations;
- the statement around every statement (``parents``), for the rewrite pass.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections import Counter
from dataclasses import dataclass, field

BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__builtins__", "__path__", "__class__", "__loader__", "__package__"}
_FRAMEWORK_PACKAGE = re.compile(r"(?:cdktf|cdktn|cdktf_cdktf_provider_\w+|cdktn_provider_\w+)(?:\.|$)")
# builtins that treat their first argument as a Python sequence (``len(tok)``, ``enumerate(tok)``)
_LIST_BUILTINS = frozenset({"len", "enumerate", "list", "tuple", "sorted", "reversed", "set", "zip", "sum", "min", "max", "any", "all"})
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


class Scope:
    """A module, function, lambda, class body or comprehension, and the names it binds."""

    __slots__ = ("kind", "parent", "bound", "declared_global", "declared_nonlocal")

    def __init__(self, kind: str, parent: Scope | None) -> None:
        self.kind = kind
        self.parent = parent
        self.bound: Counter = Counter()  # name -> binding sites in this scope
        self.declared_global: set[str] = set()
        self.declared_nonlocal: set[str] = set()

    @property
    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def owner(self, name: str) -> Scope:
        """The scope whose binding of ``name`` a use of ``name`` here refers to (the module
        when nothing binds it: a global, a builtin, or undefined)."""
        scope = self
        if name in scope.declared_global:
            return scope.module
        if name not in scope.declared_nonlocal and name in scope.bound:
            return scope
        scope = scope.parent
        while scope is not None and scope.parent is not None:
            if scope.kind != "class":  # class bodies are not enclosing scopes
                if name in scope.declared_global:
                    return scope.module
                if name in scope.bound and name not in scope.declared_nonlocal:
                    return scope
            scope = scope.parent
        return scope if scope is not None else self

    def __repr__(self) -> str:
        return f"<Scope {self.kind}>"


@dataclass(eq=False)
class Binding:
    """One name bound by an import of a schema package."""

    statement: int  # ordinal of the import statement among the file's imports (traversal order)
    module: str  # the module as written (``cdktf_cdktf_provider_aws.s3_bucket``)
    name: str | None  # the imported name; None for ``import pkg [as alias]``
    local: str  # the name bound in the file
    aliased: bool  # written with ``as``
    node: ast.Import | ast.ImportFrom
    scope: Scope  # where the import statement is
    # "shim": in the body of a ``try`` whose handler catches ImportError; "fallback": in that
    # handler; "type-checking": under ``if TYPE_CHECKING:``
    guard: str | None = None
    shim: ast.Try | None = None  # the ``try`` statement of a shim or fallback import
    symbol: Symbol | None = None


@dataclass(eq=False)
class Occurrence:
    node: ast.Name
    scope: Scope  # the scope the name is used in
    statement: ast.stmt
    symbol: Symbol | None = None


@dataclass(eq=False)
class Symbol:
    """One name bound in one scope, with its import bindings and every use."""

    scope: Scope
    name: str
    imports: list[Binding] = field(default_factory=list)
    loads: list[Occurrence] = field(default_factory=list)
    stores: list[Occurrence] = field(default_factory=list)  # assignment and ``del`` targets
    literal: ast.Assign | None = None  # ``name = {...}`` / ``[...]``, when that is its only binding

    @property
    def binds(self) -> int:
        """Binding sites of this name in its scope (imports included)."""
        return self.scope.bound[self.name]

    @property
    def only_imports(self) -> bool:
        """Every binding of the name is an import of a schema package."""
        return self.binds == len(self.imports)


@dataclass
class Usage:
    """How a class name is called: ``Name(self, "id", ...)`` is a construct, ``Name(a=...)`` a struct."""

    calls: int = 0
    construct_calls: int = 0
    struct_calls: int = 0
    keywords: set[str] = field(default_factory=set)

    @property
    def kind(self) -> str:
        if self.construct_calls and not self.struct_calls:
            return "construct"
        if self.struct_calls and not self.construct_calls:
            return "struct"
        return "unknown"

    def add(self, call: ast.Call) -> None:
        self.calls += 1
        starred = any(type(a) is ast.Starred for a in call.args)
        positional = len(call.args) - sum(type(a) is ast.Starred for a in call.args)
        if positional >= 2:
            self.construct_calls += 1
        elif not positional and not starred and all(k.arg is not None for k in call.keywords):
            self.struct_calls += 1
        self.keywords.update(k.arg for k in call.keywords if k.arg is not None)


@dataclass
class Call:
    node: ast.Call
    statement: ast.stmt
    scope: Scope


@dataclass
class AnnotationString:
    node: ast.Constant
    statement: ast.stmt
    scope: Scope  # where the annotation is evaluated


@dataclass
class FileFacts:
    module: Scope
    bindings: list[Binding] = field(default_factory=list)
    symbols: dict[tuple[Scope, str], Symbol] = field(default_factory=dict)
    occurrences: dict[int, Occurrence] = field(default_factory=dict)  # id(ast.Name) -> occurrence
    calls: list[Call] = field(default_factory=list)
    annotation_strings: list[AnnotationString] = field(default_factory=list)
    attribute_of: dict[int, ast.Attribute] = field(default_factory=dict)  # id(value) -> the Attribute reading it
    # id(expr) -> what holds it, for reading values: the Subscript indexing it, the Call it is
    # the callee of (``x.split(...)``, ``Cls(...)``), ``len(expr)``, the f-string it is formatted
    # into, the ``for`` (or comprehension) iterating it
    holder: dict[int, ast.AST] = field(default_factory=dict)
    parents: dict[int, ast.stmt | None] = field(default_factory=dict)  # id(statement) -> enclosing statement
    star_import: bool = False
    import_count: int = 0
    # imports of framework or prebuilt provider packages the target's schema does not describe
    # (``cdktn_provider_aws`` in a cdktf project): (module, the import statement)
    foreign_imports: list[tuple[str, ast.stmt, int]] = field(default_factory=list)  # (module, statement, its ordinal)
    _usage: dict | None = None

    # -- symbols -----------------------------------------------------------------------------
    def symbol(self, scope: Scope, name: str) -> Symbol:
        key = (scope, name)
        found = self.symbols.get(key)
        if found is None:
            found = self.symbols[key] = Symbol(scope, name)
        return found

    def symbol_of_name(self, node: ast.AST) -> Symbol | None:
        occurrence = self.occurrences.get(id(node))
        return occurrence.symbol if occurrence is not None else None

    def resolves_to(self, name: str, scope: Scope) -> Symbol | None:
        """The symbol ``name`` would refer to if used in ``scope`` (None: nothing binds it)."""
        owner = scope.owner(name)
        return self.symbol(owner, name) if name in owner.bound else None

    def undefined(self) -> list[str]:
        """Names used where nothing binds them (not builtins), in order of first use."""
        if self.star_import:
            return []
        module = self.module
        found: dict[str, None] = {}
        for (scope, name), symbol in self.symbols.items():
            if scope is module and symbol.loads and name not in module.bound and name not in BUILTINS:
                found[name] = None
        return sorted(found)

    # -- chains and calls --------------------------------------------------------------------
    def chain_at(self, occurrence: Occurrence) -> tuple[tuple[str, ...], ast.expr]:
        """The attribute chain read through a name (``aws.s3_bucket.S3Bucket``) up to and
        including its first capitalized part, and the outermost node of it."""
        parts = [occurrence.node.id]
        node: ast.expr = occurrence.node
        while True:
            attribute = self.attribute_of.get(id(node))
            if attribute is None:
                break
            parts.append(attribute.attr)
            node = attribute
            if attribute.attr[:1].isupper():
                break
        return tuple(parts), node

    def usage(self, symbol: Symbol, rest: tuple[str, ...] = ()) -> Usage | None:
        """How ``symbol`` (or ``symbol.rest...``) is called."""
        if self._usage is None:
            self._usage = {}
            for call in self.calls:
                chain = _chain(call.node.func)
                if chain is None:
                    continue
                root, parts = chain
                found = self.symbol_of_name(root)
                if found is not None:
                    self._usage.setdefault((id(found), parts), Usage()).add(call.node)
        return self._usage.get((id(symbol), rest))


def _chain(node: ast.expr) -> tuple[ast.Name, tuple[str, ...]] | None:
    """``a.b.C`` -> (Name a, ("b", "C")); None when not a plain chain."""
    parts: list[str] = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    return node, tuple(reversed(parts))


def ast_chain(node: ast.expr) -> tuple[str, ...] | None:
    """``aws.s3_bucket.S3Bucket`` -> ("aws", "s3_bucket", "S3Bucket"); None if not a plain chain."""
    found = _chain(node)
    return None if found is None else (found[0].id,) + found[1]


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    kind = handler.type
    if kind is None:
        return True
    names = kind.elts if type(kind) is ast.Tuple else [kind]
    return any((type(n) is ast.Name and n.id in _IMPORT_ERRORS) or (type(n) is ast.Attribute and n.attr in _IMPORT_ERRORS) for n in names)


def _is_type_checking(test: ast.expr) -> bool:
    return (type(test) is ast.Name and test.id == "TYPE_CHECKING") or (type(test) is ast.Attribute and test.attr == "TYPE_CHECKING")


def _parameters(args: ast.arguments) -> list[ast.arg]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if args.vararg is not None:
        found.append(args.vararg)
    if args.kwarg is not None:
        found.append(args.kwarg)
    return found


class _Walker:
    """One iterative walk; each stack entry is (node, scope, statement, guard, annotation)."""

    def __init__(self, tree: ast.Module, schema) -> None:
        self.schema = schema
        self.module = Scope("module", None)
        self.facts = FileFacts(self.module)
        self.names: list[Occurrence] = []
        self.literal_assigns: list[tuple[ast.Assign, Scope]] = []
        self.declared_binds: list[tuple[Scope, str]] = []

    def bind(self, scope: Scope, name: str) -> None:
        if name in scope.declared_global or name in scope.declared_nonlocal:
            self.declared_binds.append((scope, name))  # binds an outer scope's name: counted at the end
        else:
            scope.bound[name] += 1

    def run(self, tree: ast.Module) -> FileFacts:
        facts = self.facts
        stack: list[tuple] = [(s, self.module, None, None, False) for s in reversed(tree.body)]
        push = stack.append
        names = self.names
        calls = facts.calls
        attribute_of = facts.attribute_of
        holder = facts.holder
        parents = facts.parents
        stmt = ast.stmt
        while stack:
            node, scope, statement, guard, annotation = stack.pop()
            kind = type(node)
            if kind is ast.Name:
                occurrence = Occurrence(node, scope, statement)
                names.append(occurrence)
                if type(node.ctx) is not ast.Load:
                    self.bind(scope, node.id)
                continue
            if isinstance(node, stmt):
                parents[id(node)] = statement
                statement = node
            if kind is ast.Attribute:
                attribute_of[id(node.value)] = node
            elif kind is ast.Call:
                calls.append(Call(node, statement, scope))
                func = node.func
                holder[id(func)] = node
                if type(func) is ast.Name and func.id in _LIST_BUILTINS and node.args:
                    holder[id(node.args[0])] = node
            elif kind is ast.Subscript:
                holder[id(node.value)] = node
            elif kind is ast.JoinedStr:
                for part in node.values:
                    if type(part) is ast.FormattedValue:
                        holder[id(part.value)] = node
            elif kind is ast.For or kind is ast.AsyncFor:
                holder[id(node.iter)] = node
            elif kind is ast.Constant:
                if annotation and type(node.value) is str:
                    facts.annotation_strings.append(AnnotationString(node, statement, scope))
                continue
            elif kind is ast.ImportFrom or kind is ast.Import:
                self.imports(node, scope, guard)
                continue
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.Lambda:
                self.function(node, scope, statement, guard, push)
                continue
            elif kind is ast.ClassDef:
                self.bind(scope, node.name)
                inner = Scope("class", scope)
                for child in reversed(node.body):
                    push((child, inner, statement, guard, False))
                for child in reversed([*node.decorator_list, *node.bases, *node.keywords]):
                    push((child, scope, statement, guard, False))
                continue
            elif kind in _COMPREHENSIONS:
                self.comprehension(node, scope, statement, guard, push)
                continue
            elif kind is ast.NamedExpr:
                target = scope
                while target.kind == "comprehension" and target.parent is not None:
                    target = target.parent
                push((node.value, scope, statement, guard, annotation))
                push((node.target, target, statement, guard, annotation))
                continue
            elif kind is ast.Assign:
                if len(node.targets) == 1 and type(node.targets[0]) is ast.Name and type(node.value) in (ast.Dict, ast.List):
                    self.literal_assigns.append((node, scope))
            elif kind is ast.AnnAssign:
                push((node.value, scope, statement, guard, False)) if node.value is not None else None
                push((node.annotation, scope, statement, guard, True))
                push((node.target, scope, statement, guard, False))
                continue
            elif kind is ast.Global:
                scope.declared_global.update(node.names)
                continue
            elif kind is ast.Nonlocal:
                scope.declared_nonlocal.update(node.names)
                continue
            elif kind is ast.ExceptHandler:
                if node.name:
                    self.bind(scope, node.name)
            elif kind is ast.MatchAs or kind is ast.MatchStar:
                if node.name:
                    self.bind(scope, node.name)
            elif kind is ast.MatchMapping:
                if node.rest:
                    self.bind(scope, node.rest)
            elif kind is ast.Try or kind is getattr(ast, "TryStar", None):
                shim = any(_catches_import_error(h) for h in node.handlers)
                for child in reversed(node.finalbody):
                    push((child, scope, statement, guard, False))
                for child in reversed(node.orelse):
                    push((child, scope, statement, guard, False))
                for handler in reversed(node.handlers):
                    push((handler, scope, statement, ("fallback", node) if _catches_import_error(handler) else guard, False))
                for child in reversed(node.body):
                    push((child, scope, statement, ("shim", node) if shim else guard, False))
                continue
            elif kind is ast.If and _is_type_checking(node.test):
                for child in reversed(node.orelse):
                    push((child, scope, statement, guard, False))
                for child in reversed(node.body):
                    push((child, scope, statement, "type-checking", False))
                push((node.test, scope, statement, guard, False))
                continue
            for child in reversed(list(ast.iter_child_nodes(node))):
                push((child, scope, statement, guard, annotation))
        return self.finish()

    def function(self, node, scope: Scope, statement, guard, push) -> None:
        """Decorators, defaults and annotations are evaluated where the function is defined;
        the parameters and the body belong to the function's own scope."""
        inner = Scope("lambda" if type(node) is ast.Lambda else "function", scope)
        args = node.args
        for parameter in _parameters(args):
            self.bind(inner, parameter.arg)
        if type(node) is ast.Lambda:
            push((node.body, inner, statement, guard, False))
        else:
            self.bind(scope, node.name)
            for child in reversed(node.body):
                push((child, inner, statement, guard, False))
            if node.returns is not None:
                push((node.returns, scope, statement, guard, True))
            for parameter in reversed(_parameters(args)):
                if parameter.annotation is not None:
                    push((parameter.annotation, scope, statement, guard, True))
        for default in reversed([*args.defaults, *(d for d in args.kw_defaults if d is not None)]):
            push((default, scope, statement, guard, False))
        if type(node) is not ast.Lambda:
            for decorator in reversed(node.decorator_list):
                push((decorator, scope, statement, guard, False))

    def comprehension(self, node, scope: Scope, statement, guard, push) -> None:
        """The first iterable is evaluated in the enclosing scope, the rest in the comprehension's."""
        inner = Scope("comprehension", scope)
        parts = [node.key, node.value] if type(node) is ast.DictComp else [node.elt]
        for index, generator in enumerate(node.generators):
            self.facts.holder[id(generator.iter)] = generator
            parts += [generator.target, *generator.ifs]
            if index:
                parts.append(generator.iter)
        for part in reversed(parts):
            push((part, inner, statement, guard, False))
        push((node.generators[0].iter, scope, statement, guard, False))

    def imports(self, node, scope: Scope, guard) -> None:
        guard, shim = guard if isinstance(guard, tuple) else (guard, None)
        facts = self.facts
        ordinal = facts.import_count
        facts.import_count += 1
        if type(node) is ast.ImportFrom:
            module = node.module
            if any(a.name == "*" for a in node.names):
                facts.star_import = True
                return
            schema = not node.level and module is not None and self.schema.is_schema_module(module)
            if not schema and not node.level and module is not None and _FRAMEWORK_PACKAGE.match(module):
                facts.foreign_imports.append((module, node, ordinal))
            for alias in node.names:
                local = alias.asname or alias.name
                self.bind(scope, local)
                if schema:
                    facts.bindings.append(Binding(ordinal, module, alias.name, local, alias.asname is not None, node, scope, guard, shim))
            return
        for alias in node.names:
            local = alias.asname or alias.name.split(".")[0]
            self.bind(scope, local)
            if self.schema.is_schema_module(alias.name):
                if self.schema.is_provider_side(alias.name):
                    facts.bindings.append(Binding(ordinal, alias.name, None, local, alias.asname is not None, node, scope, guard, shim))
            elif _FRAMEWORK_PACKAGE.match(alias.name):
                facts.foreign_imports.append((alias.name, node, ordinal))

    def finish(self) -> FileFacts:
        facts = self.facts
        for scope, name in self.declared_binds:
            scope.owner(name).bound[name] += 1
        occurrences = facts.occurrences
        for occurrence in self.names:
            name = occurrence.node.id
            symbol = facts.symbol(occurrence.scope.owner(name), name)
            occurrence.symbol = symbol
            occurrences[id(occurrence.node)] = occurrence
            (symbol.loads if type(occurrence.node.ctx) is ast.Load else symbol.stores).append(occurrence)
        for binding in facts.bindings:
            symbol = facts.symbol(binding.scope.owner(binding.local), binding.local)
            binding.symbol = symbol
            symbol.imports.append(binding)
        for assign, scope in self.literal_assigns:
            name = assign.targets[0].id
            owner = scope.owner(name)
            if owner.bound[name] == 1:
                facts.symbol(owner, name).literal = assign
        return facts


def collect_facts(tree: ast.Module, schema) -> FileFacts:
    """The facts of ``tree``; imports of the packages of ``schema`` (its target) are bindings."""
    return _Walker(tree, schema).run(tree)
