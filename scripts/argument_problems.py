#!/usr/bin/env python3
"""An independent, ``ast``-only checker of argument-level problems in CDKTF Python code.

It is a yardstick for the codemods, so it shares no code with them: it reads the code with
``ast`` and the types from the schema index, and never imports the provider package.

Problem kinds (the jsii rules, checked by real synth):

- ``keyword``: a keyword argument to a known class (resource, data source, provider, struct,
  cdktf class) that is neither one of its parameters nor one of its positional names.
- ``dict-key``: a plain dict passed for a struct with a key jsii will not read.  A dict passed
  for a *single* struct parameter is converted in Python (``S(**d)``), so its keys are the
  snake_case parameter names; a dict inside a *list* of structs (or anywhere below one, or in a
  map) is sent to JavaScript as it is, so its keys are the jsii camelCase names, and a
  snake_case multi-word key is silently dropped.
- ``shape``: a list where a single block is expected, or a single block (dict or struct
  instance) where a list of blocks is expected.
- ``struct-class``: an instance of a known class other than the struct the field expects.
- ``literal-type``: a str literal for a number or bool field, a number or bool literal for a
  str field, a bool literal for a number field.

Values are followed through dict keys, list elements and map values, and through a bare name
assigned exactly once in the module to a dict or list literal (checked once per variable and
type).  Unknown classes, keys and fields stop the descent; fields typed ``any`` are not entered.

    python scripts/argument_problems.py FILE.py ...
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PROVIDER_PACKAGE = "cdktf_cdktf_provider_aws"
ROOT_MODULES = (PROVIDER_PACKAGE, "cdktf", "constructs")
KINDS = ("keyword", "dict-key", "shape", "struct-class", "literal-type")
CALLABLE_KINDS = frozenset({"resource", "data", "provider", "struct", "class"})
_SCALARS = frozenset({"str", "number", "bool"})


@dataclass(frozen=True)
class Problem:
    kind: str
    line: int
    name: str
    detail: str


def argument_problems(code: str, schema, callees: set[str] | None = None) -> list[Problem]:
    """Every argument-level problem in ``code``, in source order; [] when it does not parse.

    ``callees``: when given, only calls whose callee text (``ast.unparse`` of the function) is
    in it count as calls to known classes (see ``known_callees``).
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return _Checker(tree, schema, callees).run()


def known_callees(code: str, schema) -> set[str]:
    """The callee texts of ``code`` that resolve to a known class.

    Checking a repaired file with the callees of the original separates the problems a
    repair left or made from those it uncovered by making a broken import resolve.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    checker = _Checker(tree, schema)
    return {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call) and checker.known(node)}


# -- literals ------------------------------------------------------------------------------------
def _literal_kind(node: ast.AST) -> str | None:
    """"str", "number" or "bool" for a literal constant; None for anything else (None included)."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, (int, float)):
            return "number"
        if isinstance(value, str):
            return "str"
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _literal_kind(node.operand)
        return inner if inner == "number" else None
    return None


_REJECTS = {"str": {"number", "bool"}, "number": {"str", "bool"}, "bool": {"str"}}


def _accepts(t, literal: str) -> bool:
    """Whether a value of type ``t`` may be a literal of kind ``literal`` (unknowns accept)."""
    if isinstance(t, str):
        return literal not in _REJECTS.get(t, ())
    if isinstance(t, list) and t and t[0] == "union":
        return any(_accepts(member, literal) for member in t[1])
    return True  # lists, maps, structs, classes, enums: not judged here


def _type_text(t) -> str:
    if isinstance(t, str):
        return t
    if t[0] == "union":
        return " | ".join(_type_text(m) for m in t[1])
    if t[0] in ("list", "map"):
        return f"{t[0]}[{_type_text(t[1])}]"
    return t[1].rpartition(".")[2]


def _type_key(t) -> str:
    return repr(t)


# -- the checker ---------------------------------------------------------------------------------
class _Checker:
    def __init__(self, tree: ast.Module, schema, callees: set[str] | None = None) -> None:
        self.tree = tree
        self.schema = schema
        self.callees = callees
        self.problems: list[tuple[tuple[int, int, int], Problem]] = []
        self.bindings: dict[str, tuple] = {}  # local name -> ("module", M) or ("class", M, N)
        self.literals: dict[str, ast.AST] = {}  # names assigned once to a dict/list literal
        self.seen_literals: set[tuple] = set()
        self._collect_bindings()
        self._collect_literals()

    # -- name resolution -------------------------------------------------------------------------
    def _collect_bindings(self) -> None:
        schema = self.schema
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                module = node.module
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    local = alias.asname or alias.name
                    if module == PROVIDER_PACKAGE:
                        sub = f"{PROVIDER_PACKAGE}.{alias.name}"
                        if schema.has_module(sub):
                            self.bindings[local] = ("module", sub)
                    elif module.startswith(PROVIDER_PACKAGE + ".") or module in ("cdktf", "constructs"):
                        if schema.class_info(module, alias.name) is not None or local not in self.bindings:
                            self.bindings[local] = ("class", module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.name
                    if name.split(".")[0] not in ROOT_MODULES:
                        continue
                    if alias.asname:
                        if name == PROVIDER_PACKAGE or schema.has_module(name):
                            self.bindings[alias.asname] = ("module", name)
                    else:
                        # ``import a.b`` binds ``a``; attribute chains resolve from it
                        self.bindings[name.split(".")[0]] = ("module", name.split(".")[0])
        # a name the code also defines or assigns is not (only) the import
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.bindings.pop(node.name, None)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.bindings.pop(node.id, None)
            elif isinstance(node, ast.arg):
                self.bindings.pop(node.arg, None)

    def resolve(self, func: ast.AST) -> tuple[str, str] | None:
        """(module, name) of the class a call's callee names, or None."""
        target = self._resolve_expr(func)
        if target and target[0] == "class":
            return target[1], target[2]
        return None

    def _resolve_expr(self, node: ast.AST) -> tuple | None:
        if isinstance(node, ast.Name):
            return self.bindings.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._resolve_expr(node.value)
            if not base or base[0] != "module":
                return None
            module = base[1]
            sub = f"{module}.{node.attr}"
            if self.schema.has_module(sub):
                return ("module", sub)
            if self.schema.defines(module, node.attr):
                return ("class", module, node.attr)
        return None

    def known(self, call: ast.Call):
        if self.callees is not None and ast.unparse(call.func) not in self.callees:
            return None
        target = self.resolve(call.func)
        return self.schema.class_info(*target) if target else None

    # -- variables bound once to a literal ---------------------------------------------------------
    def _collect_literals(self) -> None:
        stores: Counter = Counter()
        single: dict[str, ast.AST] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                stores[node.id] += 1
            elif isinstance(node, ast.arg):
                stores[node.arg] += 1
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stores[node.name] += 1
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    stores[(alias.asname or alias.name).split(".")[0]] += 1
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = node.value
                if isinstance(value, (ast.Dict, ast.List, ast.Tuple)):
                    single[node.targets[0].id] = value
            elif isinstance(node, ast.AnnAssign) and node.simple and isinstance(node.target, ast.Name) and node.value is not None:
                if isinstance(node.value, (ast.Dict, ast.List, ast.Tuple)):
                    single[node.target.id] = node.value
        self.literals = {name: value for name, value in single.items() if stores[name] == 1}

    def _literal_for(self, node: ast.AST, t, raw: bool) -> ast.AST | None:
        """The literal a bare name stands for, the first time it is checked against ``t``."""
        if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in self.literals):
            return None
        key = (node.id, _type_key(t), raw)
        if key in self.seen_literals:
            return None
        self.seen_literals.add(key)
        return self.literals[node.id]

    # -- reporting ---------------------------------------------------------------------------------
    def report(self, kind: str, node: ast.AST, name: str, detail: str) -> None:
        position = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0), len(self.problems))
        self.problems.append((position, Problem(kind, position[0], name, detail)))

    # -- the walk ----------------------------------------------------------------------------------
    def run(self) -> list[Problem]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                self.check_call(node)
        return [problem for _, problem in sorted(self.problems, key=lambda item: item[0])]

    def check_call(self, call: ast.Call) -> None:
        info = self.known(call)
        if info is None or info.kind not in CALLABLE_KINDS:
            return
        for kw in call.keywords:
            if kw.arg is None:
                continue
            param = info.param(kw.arg)
            if param is None:
                if kw.arg not in info.positional:
                    self.report("keyword", kw, kw.arg, f"{info.name} has no parameter {kw.arg!r}")
                continue
            self.check_value(kw.value, param.type, kw.arg, raw=False)

    def check_value(self, node: ast.AST, t, field: str, raw: bool) -> None:
        """Check ``node`` against type ``t``; ``raw``: the value reaches jsii as plain data (camelCase)."""
        if t is None or t in ("any", "resolvable"):
            return
        if isinstance(node, ast.IfExp):
            self.check_value(node.body, t, field, raw)
            self.check_value(node.orelse, t, field, raw)
            return
        literal = self._literal_for(node, t, raw)
        if literal is not None:
            node = literal
        if isinstance(t, str):
            kind = _literal_kind(node)
            if kind is not None and not _accepts(t, kind):
                self.report("literal-type", node, field, f"{field} expects {t}, got a {kind} literal")
            return
        head = t[0]
        struct = _struct_of(t)
        shape = _shape_of(t)
        if struct and shape:
            self.check_struct(node, struct, shape, field, raw)
            return
        if head == "union":
            kind = _literal_kind(node)
            if kind is not None and not _accepts(t, kind):
                self.report("literal-type", node, field, f"{field} expects {_type_text(t)}, got a {kind} literal")
            return
        if head == "list" and isinstance(node, (ast.List, ast.Tuple)):
            for element in node.elts:
                if not isinstance(element, ast.Starred):
                    self.check_value(element, t[1], field, raw)
        elif head == "map" and isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is not None:
                    self.check_value(value, t[1], field, raw=True)

    def check_struct(self, node: ast.AST, struct: str, shape: str, field: str, raw: bool) -> None:
        module, _, name = struct.rpartition(".")
        info = self.schema.class_info(module, name)
        if info is None:
            return
        if isinstance(node, ast.Call):
            other = self.known(node)
            if other is None:
                return
            if other.qualified != struct:
                self.report("struct-class", node, other.name, f"{field} expects {name}, not {other.name}")
            if shape == "list" and other.kind == "struct":
                self.report("shape", node, field, f"{field} expects a list of {name}, got one {other.name}")
            return  # the call's own keywords are checked where the walk meets the call
        if isinstance(node, ast.Dict):
            if shape == "list":
                self.report("shape", node, field, f"{field} expects a list of {name}, got one dict")
            # a dict for a single block is converted in Python (snake_case keys) unless it is
            # already inside plain data; a misplaced dict for a list is judged as a single block
            self.check_dict(node, info, camel=raw)
            return
        if isinstance(node, (ast.List, ast.Tuple)):
            if shape == "single":
                self.report("shape", node, field, f"{field} expects one {name}, got a list")
                for element in node.elts:
                    if not isinstance(element, ast.Starred):
                        self.check_struct(self._element(element, struct, "single", raw), struct, "single", field, raw)
                return
            for element in node.elts:
                if not isinstance(element, ast.Starred):
                    self.check_element(self._element(element, struct, "element", True), info, field)

    def _element(self, node: ast.AST, struct: str, shape: str, raw: bool) -> ast.AST:
        literal = self._literal_for(node, ["struct", struct, shape], raw)
        return literal if literal is not None else node

    def check_element(self, node: ast.AST, info, field: str) -> None:
        """One element of a list of structs: a struct instance, or plain data with camelCase keys."""
        if isinstance(node, ast.Call):
            other = self.known(node)
            if other is not None and other.qualified != info.qualified:
                self.report("struct-class", node, other.name, f"{field} expects {info.name}, not {other.name}")
        elif isinstance(node, ast.Dict):
            self.check_dict(node, info, camel=True)

    def check_dict(self, node: ast.Dict, info, camel: bool) -> None:
        if camel:
            names = {jsii: python for python, jsii in info.mapping.items()} if info.mapping else {p.name: p.name for p in info.params}
        else:
            names = {p.name: p.name for p in info.params}
        for key, value in zip(node.keys, node.values):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue  # ``**spread`` or a computed key
            python = names.get(key.value)
            if python is None:
                self.report("dict-key", key, key.value, _key_detail(key.value, info, camel))
                continue
            param = info.param(python)
            if param is not None:
                self.check_value(value, param.type, key.value, raw=camel)


def _key_detail(key: str, info, camel: bool) -> str:
    if camel:
        jsii = info.mapping.get(key)
        if jsii:
            return f"{info.name} is plain data here (in a list of blocks): jsii reads {jsii!r} and drops {key!r}"
        return f"{info.name} has no field {key!r} (plain data here: jsii camelCase keys)"
    python = {v: k for k, v in info.mapping.items()}.get(key)
    if python:
        return f"{info.name} is built in Python: the key is {python!r}, not {key!r}"
    return f"{info.name} has no field {key!r}"


def _struct_of(t) -> str | None:
    if not isinstance(t, list):
        return None
    if t[0] == "struct":
        return t[1]
    if t[0] == "list":
        return _struct_of(t[1])
    if t[0] == "union":
        found = {s for s in (_struct_of(m) for m in t[1]) if s}
        return found.pop() if len(found) == 1 else None
    return None


def _shape_of(t) -> str | None:
    if not isinstance(t, list):
        return None
    if t[0] == "struct":
        return "single"
    if t[0] == "list" and _struct_of(t[1]):
        return "list"
    if t[0] == "union":
        shapes = {_shape_of(m) for m in t[1]} - {None}
        if len(shapes) == 1:
            return shapes.pop()
    return None  # "either" (a single block or a list): not judged


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from cdktf_fix.schema import load_index

    schema = load_index()
    total = 0
    for path in argv:
        for problem in argument_problems(Path(path).read_text(encoding="utf-8"), schema):
            total += 1
            print(f"{path}:{problem.line}: {problem.kind} {problem.name}: {problem.detail}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
