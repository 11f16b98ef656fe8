"""The fast path: which statements of a file may need a codemod, decided on ``ast``.

A libcst parse costs ten times an ``ast`` parse, and every libcst pass over a tree about as much
as the parse.  So the engine first parses with ``ast``, collects the file's facts from it, and
asks ``scan`` which statements might hold something a codemod fixes or reports:

- an import binding a codemod would touch (a module or a name the schema does not define, a
  module alias whose uses are rewritten, ``imports.aws``), every statement that uses it, and
  every statement using an undefined class name (missing-import);
- a call of a schema class with a keyword it does not declare, a required keyword missing,
  ``*args``/``**kwargs``, positional arguments to a struct, or a value of the wrong shape or
  literal type for its field (recursively through lists, maps and ``a if c else b``);
- a use, or the binding, of a variable bound once to a dict or list literal and passed inside a
  keyword value of a schema call (the argument pass may convert the literal);
- ``TerraformAsset`` calls, and the backend override and ``S3Backend`` when ``use_lockfile``
  is in the file.

The scan is conservative: what it cannot prove clean is flagged.  A file with nothing flagged
is clean and libcst never parses it; otherwise libcst passes visit only the flagged statements
(``cdktf_fix.statements.StatementMap`` pairs them with the libcst tree).  ``tests/test_fast_path.py`` checks both
against the full path (every statement visited) on fixtures, examples, the corpus and generated
stacks.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from cdktf_fix.facts import FileFacts, StatementIndex, ast_chain
from cdktf_fix.schema.model import (
    PROVIDER_PACKAGE, ClassInfo, SchemaIndex, accepted, class_for_chain, element_type, is_any, map_value_type, shape_of, struct_of,
)


@dataclass
class Scan:
    import_work: bool = False  # an import-level codemod has something to do
    flagged: list[ast.stmt] = field(default_factory=list)  # statements a codemod may change or report

    @property
    def clean(self) -> bool:
        return not self.import_work and not self.flagged


def _binding_is_clean(schema: SchemaIndex, module: str, name: str | None, local_packages: frozenset[str]) -> bool:
    """No import-level codemod acts on this binding (mirrors module-path, class-name, no-equivalent)."""
    if module.startswith("imports"):
        return "imports" in local_packages
    if name is None:
        return module.startswith(PROVIDER_PACKAGE + ".") and schema.has_module(module)
    if module == PROVIDER_PACKAGE:
        return name[:1].islower() and schema.has_module(f"{module}.{name}")
    return schema.has_module(module) and schema.defines(module, name)


def _literal_kind(node: ast.expr) -> str | None:
    """As ``codemods.literal_type.literal_kind`` sees the same expression."""
    kind = type(node)
    if kind is ast.Constant:
        value = node.value
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, (int, float)):
            return "number"
        return "str" if isinstance(value, str) else None
    if kind is ast.UnaryOp and type(node.op) is ast.USub and type(node.operand) is ast.Constant:
        value = node.operand.value
        return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if kind is ast.JoinedStr:
        return "str-expr"
    if kind is ast.Call and type(node.func) is ast.Name and node.func.id == "str":
        return "str-expr"
    return None


class _Scanner:
    def __init__(self, schema: SchemaIndex, facts: FileFacts, local_packages: frozenset[str]) -> None:
        self.schema = schema
        self.bindings = {b.local: b for b in facts.bindings}
        self.variables = facts.literal_variables() & facts.value_names
        self.local_packages = local_packages
        self._memo: dict[tuple[str, ...], ClassInfo | None] = {}

    def resolve(self, func: ast.expr) -> ClassInfo | None:
        """As ``arguments.Resolver`` resolves a callee through the file's bindings."""
        chain = (func.id,) if type(func) is ast.Name else ast_chain(func) if type(func) is ast.Attribute else None
        if chain is None:
            return None
        if chain in self._memo:
            return self._memo[chain]
        binding = self.bindings.get(chain[0])
        info = class_for_chain(self.schema, binding.module, binding.name, chain) if binding is not None else None
        self._memo[chain] = info
        return info

    def call_needs_work(self, info: ClassInfo, call: ast.Call) -> bool:
        if info.qualified == "cdktf.TerraformAsset":
            return True
        if any(type(a) is ast.Starred for a in call.args) or any(k.arg is None for k in call.keywords):
            return True
        if info.kind == "struct" and call.args:
            return True
        given = {k.arg for k in call.keywords}
        valid = {p.name for p in info.params} | set(info.positional)
        if not given <= valid or any(p.required and p.name not in given for p in info.params):
            return True
        for keyword in call.keywords:
            param = info.param(keyword.arg)
            if param is not None and self.value_needs_work(keyword.value, param.type):
                return True
        return False

    def variable_uses(self, info: ClassInfo, call: ast.Call, passed: dict[str, list]) -> None:
        for keyword in call.keywords:
            names = [n.id for n in ast.walk(keyword.value) if type(n) is ast.Name and n.id in self.variables]
            if not names:
                continue
            param = info.param(keyword.arg) if keyword.arg else None
            value = keyword.value
            direct: list[tuple[str, object]] = []
            if param is not None and type(value) is ast.Name:
                direct = [(value.id, param.type)]
            elif param is not None and type(value) in (ast.List, ast.Tuple) and all(type(e) is ast.Name for e in value.elts):
                inner = element_type(param.type)
                direct = [(e.id, inner) for e in value.elts if inner is not None and e.id in self.variables]
            if len(direct) == len(names):
                for name, t in direct:
                    passed.setdefault(name, []).append(t)
            else:
                for name in names:
                    passed.setdefault(name, []).append(None)

    def value_needs_work(self, node: ast.expr, t) -> bool:
        """Whether a codemod may act on ``node`` passed where ``t`` is expected (as the
        argument pass propagates sites: map values, list elements, both branches of an IfExp)."""
        if is_any(t):
            return False
        kind = type(node)
        if kind is ast.IfExp:
            return self.value_needs_work(node.body, t) or self.value_needs_work(node.orelse, t)
        if kind is ast.Name:
            return False  # a literal variable passed here is flagged where it is bound and used
        struct = struct_of(t)
        if kind is ast.Dict:
            if struct is not None:
                return True  # a dict for a block: nested-block-struct or block-shape
            value_type = map_value_type(t)
            return value_type is not None and any(
                k is not None and self.value_needs_work(v, value_type) for k, v in zip(node.keys, node.values)
            )
        if kind is ast.List or kind is ast.Tuple:
            if struct is not None and shape_of(t) == "single":
                return True
            inner = element_type(t)
            return inner is not None and any(type(e) is not ast.Starred and self.value_needs_work(e, inner) for e in node.elts)
        if kind is ast.Call and struct is not None:
            called = self.resolve(node.func)
            return called is not None and not (shape_of(t) in ("single", "either") and called.qualified == struct)
        literal = _literal_kind(node)
        if literal is None:
            return False
        want = accepted(t)
        if not want or want & {"any", "resolvable"}:
            return False
        return not (literal in want or (literal == "str-expr" and "str" in want) or (literal == "bool" and "number" in want))


def scan(schema: SchemaIndex, facts: FileFacts, index: StatementIndex, source: str, local_packages: frozenset[str] = frozenset()) -> Scan:
    scanner = _Scanner(schema, facts, local_packages)
    result = Scan()
    flagged: dict[int, ast.stmt] = {}

    def flag(statements) -> None:
        for statement in statements:
            if isinstance(statement, ast.stmt):
                flagged[id(statement)] = statement

    touched = [b.local for b in facts.bindings if not _binding_is_clean(schema, b.module, b.name, local_packages)]
    undefined = [n for n in facts.undefined() if n[:1].isupper()]
    if touched or undefined or (facts.star_import and facts.bindings):
        result.import_work = True
        for name in touched + undefined:
            flag(index.name_statements.get(name, ()))
    lockfile = "use_lockfile" in source
    # literal variables passed to a schema call: the types expected where they are passed (None:
    # somewhere deeper in a keyword value, where the argument pass may still reach them)
    passed: dict[str, list] = {}
    for call, statement in index.calls:
        func = call.func
        if lockfile and (
            (type(func) is ast.Attribute and func.attr in ("add_override", "S3Backend"))
            or (type(func) is ast.Name and func.id == "S3Backend")
        ):
            flag([statement])
        seen = id(statement) in flagged
        if seen and not scanner.variables:
            continue
        info = scanner.resolve(func)
        if info is None:
            continue
        if not seen and scanner.call_needs_work(info, call):
            flag([statement])
        if scanner.variables:
            scanner.variable_uses(info, call, passed)
    for name, types in passed.items():  # the argument pass may convert the literal where it is bound
        values = [s.value for s in index.literal_assign_statements.get(name, ()) if isinstance(s, ast.Assign)]
        if None in types or any(scanner.value_needs_work(v, t) for v in values for t in types):
            flag(index.name_statements.get(name, ()))
            flag(index.literal_assign_statements.get(name, ()))
    result.flagged = list(flagged.values())
    return result
