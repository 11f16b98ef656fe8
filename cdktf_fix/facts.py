"""Facts about one file, gathered in a single read-only pass over the libcst tree.

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

import libcst as cst
from libcst.helpers import get_full_name_for_node

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
    node: cst.CSTNode  # the ImportFrom / Import statement

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


def _target_names(node: cst.CSTNode) -> list[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for element in node.elements for n in _target_names(element.value)]
    if isinstance(node, cst.StarredElement):
        return _target_names(node.value)
    return []


def chain_of(node: cst.Attribute) -> tuple[str, ...] | None:
    """``aws.s3_bucket.S3Bucket`` -> ("aws", "s3_bucket", "S3Bucket"); None if not a plain chain."""
    parts: list[str] = []
    current: cst.BaseExpression = node
    while isinstance(current, cst.Attribute):
        parts.append(current.attr.value)
        current = current.value
    if not isinstance(current, cst.Name):
        return None
    parts.append(current.value)
    return tuple(reversed(parts))


class _Collector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.facts = FileFacts()
        self._not_references: set[int] = set()
        self._module_locals: set[str] = set()

    # imports --------------------------------------------------------------------------
    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        ordinal = self.facts.import_count
        self.facts.import_count += 1
        module = get_full_name_for_node(node.module) if node.module is not None else None
        if node.relative or module is None:
            self._bind_plain(node)
            return False
        if isinstance(node.names, cst.ImportStar):
            self.facts.star_import = True
            return False
        if not is_schema_module(module):
            self._bind_plain(node)
            return False
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            binding = Binding(ordinal, module, name, local, alias.asname is not None, node)
            if module == PROVIDER_PACKAGE or (module == "imports.aws" and name[:1].islower()):
                # ``from cdktf_cdktf_provider_aws import kms``: a (pseudo) module
                self._module_locals.add(local)
            self.facts.bindings.append(binding)
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        ordinal = self.facts.import_count
        self.facts.import_count += 1
        for alias in node.names:
            module = get_full_name_for_node(alias.name) or ""
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else module.split(".")[0]
            if is_schema_module(module) and module.startswith((PROVIDER_PACKAGE, "imports.aws")):
                self.facts.bindings.append(Binding(ordinal, module, None, local, alias.asname is not None, node))
                self._module_locals.add(local)
            else:
                self.facts.bound.add(local)
        return False

    def _bind_plain(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            self.facts.star_import = True
            return
        for alias in node.names:
            if alias.asname and isinstance(alias.asname.name, cst.Name):
                self.facts.bound.add(alias.asname.name.value)
            else:
                self.facts.bound.add((get_full_name_for_node(alias.name) or "").split(".")[0])

    # bindings that are not imports ----------------------------------------------------
    def _bind_target(self, node: cst.CSTNode) -> None:
        names = _target_names(node)
        self.facts.bound.update(names)
        self.facts.binds.update(names)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target)
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) and isinstance(node.value, (cst.Dict, cst.List)):
            self.facts.literal_assigns[node.targets[0].target.value] += 1

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind_target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_target(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind_target(node.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.facts.bound.add(node.name.value)
        self._not_references.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.facts.bound.add(node.name.value)
        self._not_references.add(id(node.name))

    def visit_Param(self, node: cst.Param) -> None:
        self.facts.bound.add(node.name.value)
        self.facts.binds[node.name.value] += 1
        self._not_references.add(id(node.name))

    def visit_Global(self, node: cst.Global) -> None:
        self.facts.bound.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.facts.bound.update(item.name.value for item in node.names)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.facts.bound.add(node.name.value)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self.facts.bound.add(node.name.value)

    # references ----------------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_references.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._not_references.add(id(node.keyword))
            value = node.value
            if isinstance(value, cst.Name):
                self.facts.value_names.add(value.value)
            elif isinstance(value, (cst.List, cst.Tuple)):
                self.facts.value_names.update(e.value.value for e in value.elements if isinstance(e.value, cst.Name))

    def visit_Call(self, node: cst.Call) -> None:
        callee = node.func
        name = None
        if isinstance(callee, cst.Name):
            name = callee.value
        elif isinstance(callee, cst.Attribute):
            chain = chain_of(callee)
            name = ".".join(chain) if chain else None
        if name is None:
            return
        usage = self.facts.usage[name]
        usage.calls += 1
        positional = [a for a in node.args if a.keyword is None and not a.star]
        if len(positional) >= 2:
            usage.construct_calls += 1
        elif not positional and not any(a.star for a in node.args):
            usage.struct_calls += 1
        usage.keywords.update(a.keyword.value for a in node.args if a.keyword is not None)

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._not_references:
            self.facts.references[node.value] += 1


class _ChainCounter(cst.CSTVisitor):
    """Counts attribute chains rooted at module aliases, cut after the first class name.

    ``aws.s3_bucket.S3Bucket(...)`` counts ("aws", "s3_bucket", "S3Bucket"), and
    ``kms.KmsKey.generate_config_for_import`` counts ("kms", "KmsKey").
    """

    def __init__(self, roots: set[str], facts: FileFacts) -> None:
        self.roots = roots
        self.facts = facts

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        chain = chain_of(node)
        if chain and chain[0] in self.roots:
            for end, part in enumerate(chain[1:], start=2):
                if part[:1].isupper():
                    chain = chain[:end]
                    break
            self.facts.chains[chain] += 1
            return False
        return True

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False


def collect_facts(module: cst.Module) -> FileFacts:
    collector = _Collector()
    module.visit(collector)
    facts = collector.facts
    facts.chains.clear()
    if collector._module_locals:
        module.visit(_ChainCounter(collector._module_locals, facts))
    return facts


# -- the same facts from ``ast`` ------------------------------------------------------------
# libcst visits cost as much as a parse; ``ast`` gives the facts of a file in a fraction of it.
# Name occurrences are counted as libcst would see them: except-handler names, global and
# nonlocal names, and match-capture names are ``Name`` nodes there (references), strings here.


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
