"""Facts about one file, gathered in a single read-only pass over its ``ast``.

- every import binding of the schema packages (provider, ``imports.aws``, cdktf, constructs),
- every name that is referenced, and every name that is bound anywhere in the file,
- how each name is called (``Name(self, "id", ...)`` is a construct, ``Name(a=...)`` a struct)
  and with which keywords,
- attribute chains that start at a provider module alias (``aws.s3_bucket.S3Bucket``,
  ``kms.KmsKey``).

Scopes are not modelled: a name bound anywhere counts as defined everywhere. That is the
conservative direction for a fixer (it only ever suppresses an edit).
"""

from __future__ import annotations

import ast
import builtins
from collections import Counter, defaultdict
from dataclasses import dataclass, field


from cdktf_fix.schema.model import PROVIDER_PACKAGE

BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__builtins__", "__path__"}
SCHEMA_ROOTS = (PROVIDER_PACKAGE, "imports", "cdktf", "constructs")


@dataclass
class Binding:
    """One name bound by an import of a schema package."""

    statement: int  # ordinal of the import statement in traversal order
    module: str  # the module as written (``cdktf_cdktf_provider_aws.s3_bucket``)
    name: str | None  # the imported name; None for ``import pkg [as alias]``
    local: str  # the name bound in the file
    aliased: bool  # written with ``as``
    node: object  # the ImportFrom / Import statement (``ast``, or libcst for code ``ast`` cannot parse)

@dataclass
class Usage:
    calls: int = 0
    construct_calls: int = 0  # called with positional (scope, id) arguments
    struct_calls: int = 0  # called with keywords only
    keywords: set[str] = field(default_factory=set)

    @property
    def kind(self) -> str:
        if self.construct_calls and not self.struct_calls:
            return "construct"
        if self.struct_calls and not self.construct_calls:
            return "struct"
        return "unknown"


@dataclass
class FileFacts:
    bindings: list[Binding] = field(default_factory=list)
    references: Counter = field(default_factory=Counter)  # name -> count, outside imports
    bound: set[str] = field(default_factory=set)  # names bound other than by schema imports
    usage: dict[str, Usage] = field(default_factory=lambda: defaultdict(Usage))
    chains: Counter = field(default_factory=Counter)  # ("aws", "s3_bucket", "S3Bucket") -> count
    star_import: bool = False
    import_count: int = 0
    binds: Counter = field(default_factory=Counter)  # name -> binding sites other than imports
    literal_assigns: Counter = field(default_factory=Counter)  # name -> ``name = {...}`` / ``[...]``
    value_names: set[str] = field(default_factory=set)  # names passed as keyword values (or in lists)

    def literal_variables(self) -> set[str]:
        """Names bound exactly once, to a dict or list literal."""
        return {n for n, count in self.literal_assigns.items() if count == 1 and self.binds[n] == 1}

    def is_bound(self, name: str) -> bool:
        return name in self.bound or any(b.local == name for b in self.bindings)

    def undefined(self) -> list[str]:
        if self.star_import:
            return []
        return sorted(n for n in self.references if not self.is_bound(n) and n not in BUILTINS)


def is_schema_module(module: str) -> bool:
    return module.split(".")[0] in SCHEMA_ROOTS and (module.split(".")[0] != "imports" or module.startswith("imports.aws"))


# -- collection over ``ast`` -------------------------------------------------------------------
# libcst visits cost as much as a parse; ``ast`` gives the facts of a file in a fraction of it.
# ``cdktf_fix.facts_cst`` collects the same facts from libcst, for code ``ast`` cannot parse
# (newer syntax than this Python's).  Name occurrences are counted as libcst sees them:
# except-handler names, global and nonlocal names, and match-capture names are ``Name`` nodes
# there (references), strings here.


def ast_chain(node: ast.expr) -> tuple[str, ...] | None:
    """``aws.s3_bucket.S3Bucket`` -> ("aws", "s3_bucket", "S3Bucket"); None if not a plain chain."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return tuple(reversed(parts))


def _ast_targets(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [n for element in node.elts for n in _ast_targets(element)]
    if isinstance(node, ast.Starred):
        return _ast_targets(node.value)
    return []


@dataclass
class StatementIndex:
    """Where things are, by statement (the innermost ``ast.stmt`` holding them), for the scan."""

    calls: list[tuple[ast.Call, ast.stmt]] = field(default_factory=list)
    name_statements: dict[str, list[ast.stmt]] = field(default_factory=lambda: defaultdict(list))
    literal_assign_statements: dict[str, list[ast.stmt]] = field(default_factory=lambda: defaultdict(list))


class _AstCollector:
    def __init__(self) -> None:
        self.facts = FileFacts()
        self.index = StatementIndex()
        self.module_locals: set[str] = set()
        self.attributes: list[ast.Attribute] = []  # outermost attribute chains, for the chain count

    def bind(self, names: list[str]) -> None:
        self.facts.bound.update(names)
        self.facts.binds.update(names)

    def import_from(self, node: ast.ImportFrom) -> None:
        facts = self.facts
        ordinal = facts.import_count
        facts.import_count += 1
        module = node.module
        if any(a.name == "*" for a in node.names):
            facts.star_import = True
            return
        if node.level or module is None or not is_schema_module(module):
            for alias in node.names:
                facts.bound.add(alias.asname or alias.name.split(".")[0])
            return
        for alias in node.names:
            local = alias.asname or alias.name
            if module == PROVIDER_PACKAGE or (module == "imports.aws" and alias.name[:1].islower()):
                self.module_locals.add(local)  # ``from cdktf_cdktf_provider_aws import kms``: a (pseudo) module
            facts.bindings.append(Binding(ordinal, module, alias.name, local, alias.asname is not None, node))

    def import_(self, node: ast.Import) -> None:
        facts = self.facts
        ordinal = facts.import_count
        facts.import_count += 1
        for alias in node.names:
            module = alias.name
            local = alias.asname or module.split(".")[0]
            if is_schema_module(module) and module.startswith((PROVIDER_PACKAGE, "imports.aws")):
                facts.bindings.append(Binding(ordinal, module, None, local, alias.asname is not None, node))
                self.module_locals.add(local)
            else:
                facts.bound.add(local)

    def call(self, node: ast.Call) -> None:
        callee = node.func
        if isinstance(callee, ast.Name):
            name = callee.id
        else:
            chain = ast_chain(callee) if isinstance(callee, ast.Attribute) else None
            if chain is None:
                return
            name = ".".join(chain)
        usage = self.facts.usage[name]
        usage.calls += 1
        starred = any(isinstance(a, ast.Starred) for a in node.args)
        positional = len(node.args) - sum(isinstance(a, ast.Starred) for a in node.args)
        if positional >= 2:
            usage.construct_calls += 1
        elif not positional and not starred and all(k.arg is not None for k in node.keywords):
            usage.struct_calls += 1
        usage.keywords.update(k.arg for k in node.keywords if k.arg is not None)

    def walk(self, root: ast.Module) -> None:
        facts = self.facts
        references = facts.references
        name_statements = self.index.name_statements
        calls = self.index.calls
        stmt = ast.stmt
        stack: list[tuple[ast.AST, ast.AST]] = [(root, root)]
        pop, push = stack.pop, stack.extend
        while stack:
            node, statement = pop()
            kind = type(node)
            if kind is ast.Name:
                references[node.id] += 1
                name_statements[node.id].append(statement)
                continue
            if isinstance(node, stmt):
                statement = node
            if kind is ast.ImportFrom:
                self.import_from(node)
                continue
            if kind is ast.Import:
                self.import_(node)
                continue
            if kind is ast.Call:
                self.call(node)
                calls.append((node, statement))
            elif kind is ast.Attribute:
                self.attributes.append(node)
            elif kind is ast.Assign:
                for target in node.targets:
                    self.bind(_ast_targets(target))
                if len(node.targets) == 1 and type(node.targets[0]) is ast.Name and type(node.value) in (ast.Dict, ast.List):
                    facts.literal_assigns[node.targets[0].id] += 1
                    self.index.literal_assign_statements[node.targets[0].id].append(statement)
            elif kind is ast.keyword:
                value = node.value
                if node.arg is not None:
                    if type(value) is ast.Name:
                        facts.value_names.add(value.id)
                    elif type(value) in (ast.List, ast.Tuple):
                        for element in value.elts:
                            if type(element) is ast.Starred:
                                element = element.value
                            if type(element) is ast.Name:
                                facts.value_names.add(element.id)
            elif kind in (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.comprehension, ast.NamedExpr):
                self.bind(_ast_targets(node.target))
            elif kind is ast.withitem:
                if node.optional_vars is not None:
                    self.bind(_ast_targets(node.optional_vars))
            elif kind is ast.ExceptHandler or kind is getattr(ast, "TryStar", None):
                if getattr(node, "name", None):
                    self.bind([node.name])
                    references[node.name] += 1
            elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                facts.bound.add(node.name)
            elif kind is ast.arg:
                facts.bound.add(node.arg)
                facts.binds[node.arg] += 1
            elif kind is ast.Global or kind is ast.Nonlocal:
                facts.bound.update(node.names)
                references.update(node.names)
            elif kind is ast.MatchAs or kind is ast.MatchStar:
                if node.name is not None:
                    facts.bound.add(node.name)
                    references[node.name] += 1
            elif kind is ast.MatchMapping:
                if node.rest is not None:
                    references[node.rest] += 1
            elif kind is ast.MatchClass:
                references.update(node.kwd_attrs)
            push([(child, statement) for child in reversed(list(ast.iter_child_nodes(node)))])


def collect_facts_ast(tree: ast.Module) -> tuple[FileFacts, StatementIndex]:
    collector = _AstCollector()
    collector.walk(tree)
    facts = collector.facts
    roots = collector.module_locals
    if roots:
        inner: set[int] = set()
        for node in collector.attributes:  # pre-order: an outer chain comes before the ones it holds
            if id(node) in inner:
                continue
            chain = ast_chain(node)
            if chain and chain[0] in roots:
                for end, part in enumerate(chain[1:], start=2):
                    if part[:1].isupper():
                        chain = chain[:end]
                        break
                facts.chains[chain] += 1
                value = node.value
                while isinstance(value, ast.Attribute):
                    inner.add(id(value))
                    value = value.value
                # everything else under this attribute is skipped too, as libcst's counter does
                for sub in ast.walk(node):
                    inner.add(id(sub))
    return facts, collector.index
