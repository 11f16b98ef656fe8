"""The import planner: writes the import bindings of a FileContext back into the tree, once.

For each import statement with a changed binding it keeps the untouched names as written,
renames names in place, drops removed ones, and moves names whose module changed to a
statement for the new module: an existing one when the file has it (merge), else a new one
put where the old statement stood.  Imports added by codemods (no old statement) join an
existing statement for their module, else go after the last top-level import (after the
docstring and ``from __future__`` when the file has no imports).  Statements without changes
are not touched, so their formatting and comments stay byte-identical.
"""

from __future__ import annotations

import ast

from collections import defaultdict

import libcst as cst
from libcst.helpers import get_full_name_for_node

from cdktf_fix.engine.context import ImportBinding

LINE_LENGTH = 88


def _alias(name: str, local: str) -> cst.ImportAlias:
    asname = cst.AsName(name=cst.Name(local)) if local != name else None
    return cst.ImportAlias(name=cst.Name(name), asname=asname)


def _dotted(module: str) -> cst.Attribute | cst.Name:
    parts = module.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def new_import(module: str, aliases: list[cst.ImportAlias], line_length: int = LINE_LENGTH) -> cst.SimpleStatementLine:
    """``from module import A, B``, or one name per line in parentheses when too long."""
    separated = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in aliases[:-1]]
    flat = cst.ImportFrom(module=_dotted(module), names=separated + [aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    line = cst.SimpleStatementLine(body=[flat])
    if len(cst.Module(body=[line]).code.rstrip("\n")) <= line_length:
        return line
    indent = cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(), indent=True, last_line=cst.SimpleWhitespace("    ")
    )
    closing = cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), indent=True, last_line=cst.SimpleWhitespace(""))
    names = [
        a.with_changes(comma=cst.Comma(whitespace_after=indent if i < len(aliases) - 1 else closing))
        for i, a in enumerate(aliases)
    ]
    statement = cst.ImportFrom(
        module=_dotted(module),
        names=names,
        lpar=cst.LeftParen(whitespace_after=indent),
        rpar=cst.RightParen(),
    )
    return cst.SimpleStatementLine(body=[statement])


def _relist(original: list[cst.ImportAlias], new: list[cst.ImportAlias], opening: cst.LeftParen | None = None) -> list[cst.ImportAlias]:
    """Lay out ``new`` aliases with the separators and trailing comma style of ``original``
    (``opening``: the statement's parenthesis, whose line break a lone name sits after)."""
    separators = [a.comma for a in original[:-1] if isinstance(a.comma, cst.Comma)]
    separator = separators[-1] if separators else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if not separators and opening is not None and isinstance(opening.whitespace_after, cst.ParenthesizedWhitespace):
        separator = cst.Comma(whitespace_after=opening.whitespace_after)  # one name per line
    trailing = original[-1].comma if original else cst.MaybeSentinel.DEFAULT
    own = {id(a): a.comma for a in original[:-1]}
    out = []
    for i, alias in enumerate(new):
        if i == len(new) - 1:
            out.append(alias.with_changes(comma=trailing))
        else:
            out.append(alias.with_changes(comma=own.get(id(alias), separator)))
    return out


def file_line_length(tree: cst.Module) -> int:
    """The file's own limit: 88, or its longest single-line import if that is longer."""
    longest = LINE_LENGTH
    for statement in tree.body:
        if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.ImportFrom):
            if not statement.body[0].lpar:
                longest = max(longest, len(tree.code_for_node(statement.body[0])))
    return longest


class _Plan:
    """Which import statements change, and where moved and added names go.

    A name whose module changed goes to a statement for its new module in the same scope that
    comes before it (merge), else to a new statement in its old statement's place; names moved
    out of one statement share the new statements.  A name the same scope already imports
    unchanged is dropped.  Added names (no old statement) join a module-level statement for
    their module, else go after the last top-level import.
    """

    def __init__(self, bindings: list[ImportBinding]) -> None:
        self.by_statement: dict[int, list[ImportBinding]] = defaultdict(list)
        self.statement_module: dict[int, str] = {}
        for b in bindings:
            if b.origin is not None:
                self.by_statement[b.origin.statement].append(b)
                self.statement_module[b.origin.statement] = b.origin.module
        self.changed_statements = {s for s, bs in self.by_statement.items() if any(b.changed for b in bs)}
        # statements whose module keeps at least one name, by (scope, module): new names join them
        merge_target: dict[tuple[int, str], int] = {}
        for statement, bs in sorted(self.by_statement.items()):
            module = self.statement_module[statement]
            if isinstance(bs[0].origin.node, (cst.ImportFrom, ast.ImportFrom)) and any(not b.removed and b.module == module for b in bs):
                merge_target.setdefault((id(bs[0].scope), module), statement)
        self.appends: dict[int, list[cst.ImportAlias]] = defaultdict(list)
        self.new_after: dict[int, dict[str, list[cst.ImportAlias]]] = defaultdict(dict)
        self.unanchored: dict[str, list[cst.ImportAlias]] = {}
        self.plain: list[str] = []  # ``import module`` statements to add
        seen = {(id(b.scope), b.module, b.name, b.local) for b in bindings if b.origin is not None and not b.removed and not b.changed}
        written: dict[tuple[int, str], int] = {}  # (scope, module) -> the first new statement for it
        for b in bindings:
            if b.origin is None and b.name is None and not b.removed and b.module not in self.plain:
                self.plain.append(b.module)  # an added ``import module``
            if b.removed or not b.changed or b.name is None:
                continue
            if b.origin is not None and b.module == b.origin.module:
                continue  # renamed in place
            origin = b.origin.statement if b.origin is not None else b.anchor
            key = (id(b.scope), b.module, b.name, b.local)
            if key in seen:
                continue
            seen.add(key)
            alias = _alias(b.name, b.local)
            target = merge_target.get((id(b.scope), b.module))
            if target is not None and (origin is None or target < origin):
                self.appends[target].append(alias)
                self.changed_statements.add(target)
            elif origin is not None:
                self.new_after[origin].setdefault(b.module, []).append(alias)
                self.changed_statements.add(origin)
                written.setdefault((id(b.scope), b.module), origin)
            elif (id(b.scope), b.module) in written:
                # an added name joins a statement being written for its module
                self.new_after[written[(id(b.scope), b.module)]][b.module].append(alias)
            else:
                self.unanchored.setdefault(b.module, []).append(alias)


# what the planner walks: statements, their blocks and the lines between them
_STATEMENT_LEVEL = frozenset(
    (cst.Module, cst.SimpleStatementLine, cst.Import, cst.ImportFrom, cst.IndentedBlock, cst.SimpleStatementSuite, cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler, cst.MatchCase)
    + tuple(c for c in vars(cst).values() if isinstance(c, type) and issubclass(c, cst.BaseCompoundStatement))
)


class _Planner(cst.CSTTransformer):
    def __init__(self, plan: _Plan, line_length: int) -> None:
        self.plan = plan
        self.line_length = line_length
        self.ordinal = 0
        self.replacements: dict[int, list[cst.SimpleStatementLine]] = {}
        self._line_ordinals: list[int] = []
        # comment lines above a removed import statement move to the statement after it
        self._carried: list[cst.EmptyLine] = []
        self._carry_to: tuple[int, list[cst.EmptyLine]] | None = None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) not in _STATEMENT_LEVEL:
            return False  # imports are statements: nothing below a statement is visited
        if self._carried and self._carry_to is None and isinstance(node, cst.BaseStatement):
            self._carry_to = (id(node), self._carried)
            self._carried = []
        return super().on_visit(node)

    def on_leave(self, original_node, updated_node):
        if self._carry_to is not None and self._carry_to[0] == id(original_node):
            carried = self._carry_to[1]
            self._carry_to = None
            if isinstance(updated_node, cst.BaseStatement):
                updated_node = updated_node.with_changes(leading_lines=[*carried, *updated_node.leading_lines])
        elif self._carried and isinstance(updated_node, (cst.Module, cst.IndentedBlock)):
            updated_node = updated_node.with_changes(footer=[*self._carried, *updated_node.footer])
            self._carried = []
        return super().on_leave(original_node, updated_node)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._line_ordinals = []

    def visit_Import(self, node: cst.Import) -> bool:
        self._line_ordinals.append(self.ordinal)
        self.ordinal += 1
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        self._line_ordinals.append(self.ordinal)
        self.ordinal += 1
        return False

    def _rewrite(self, statement: int, node: cst.Import | cst.ImportFrom) -> cst.BaseSmallStatement | None:
        bindings = self.plan.by_statement.get(statement, [])
        if isinstance(node, cst.Import):
            removed = {b.origin.local for b in bindings if b.removed}
            kept = [a for a in node.names if _local_of_import(a) not in removed]
            if not kept:
                return None
            return node.with_changes(names=_relist(list(node.names), kept)) if len(kept) != len(node.names) else node
        assert not isinstance(node.names, cst.ImportStar)
        module = self.plan.statement_module.get(statement, get_full_name_for_node(node.module) or "")
        by_local = {b.origin.local: b for b in bindings}
        kept: list[cst.ImportAlias] = []
        for alias in node.names:
            local = alias.asname.name.value if alias.asname else get_full_name_for_node(alias.name)
            b = by_local.get(local)
            if b is None or not b.changed:
                kept.append(alias)
            elif b.removed or b.module != module:
                continue
            else:
                asname = alias.asname if b.origin.aliased else None
                if not b.origin.aliased and b.local != b.name:
                    asname = cst.AsName(name=cst.Name(b.local))
                kept.append(alias.with_changes(name=cst.Name(b.name), asname=asname))
        appended = sorted(self.plan.appends.get(statement, []), key=lambda a: get_full_name_for_node(a.name) or "")
        kept.extend(appended)
        if not kept:
            return None
        rewritten = node.with_changes(names=_relist(list(node.names), kept, node.lpar))
        if appended and node.lpar is None:
            # names joined a one-line statement: wrap it the way a new one is when too long
            wrapped = new_import(module, kept, self.line_length).body[0]
            if wrapped.lpar is not None:
                return wrapped.with_changes(relative=node.relative, module=node.module)
        return rewritten

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine):
        ordinals = self._line_ordinals
        self._line_ordinals = []
        touched = [o for o in ordinals if o in self.plan.changed_statements]
        if not touched:
            return updated_node
        body: list[cst.BaseSmallStatement] = []
        after: list[cst.SimpleStatementLine] = []
        imports = [s for s in updated_node.body if isinstance(s, (cst.Import, cst.ImportFrom))]
        ordinal_of = {id(s): o for s, o in zip(imports, ordinals)}
        for small in updated_node.body:
            ordinal = ordinal_of.get(id(small))
            if ordinal is None or ordinal not in self.plan.changed_statements:
                body.append(small)
                continue
            if ordinal in self.plan.moved_roots:
                small = moved_to(small, self.plan.moved_roots[ordinal])
                if ordinal not in self.plan.by_statement:
                    body.append(small)
                    continue
            rewritten = self._rewrite(ordinal, small)
            if rewritten is not None:
                body.append(rewritten)
            for module, aliases in self.plan.new_after.get(ordinal, {}).items():
                after.append(new_import(module, aliases, self.line_length))
        lines: list[cst.SimpleStatementLine] = []
        if body:
            last = body[-1]
            if isinstance(last, (cst.Import, cst.ImportFrom)) or len(body) == 1:
                body[-1] = last.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            lines.append(updated_node.with_changes(body=body))
        lines.extend(after)
        if not lines:
            if any(line.comment is not None for line in updated_node.leading_lines):
                self._carried += updated_node.leading_lines
            return cst.RemoveFromParent()
        if not body:
            # the statement is gone: its comments (above it and at its end) go to its replacement
            lines[0] = lines[0].with_changes(leading_lines=updated_node.leading_lines, trailing_whitespace=updated_node.trailing_whitespace)
        return cst.FlattenSentinel(lines) if len(lines) > 1 else lines[0]


def moved_to(statement: cst.Import | cst.ImportFrom, roots) -> cst.Import | cst.ImportFrom:
    """An import statement with its modules' top-level packages renamed (``roots``: pairs)."""
    table = dict(roots)

    def moved(name):
        chain = []
        current = name
        while isinstance(current, cst.Attribute):
            chain.append(current)
            current = current.value
        if not isinstance(current, cst.Name) or current.value not in table:
            return name
        rebuilt = current.with_changes(value=table[current.value])
        for attribute in reversed(chain):
            rebuilt = attribute.with_changes(value=rebuilt)
        return rebuilt

    if isinstance(statement, cst.ImportFrom):
        return statement.with_changes(module=moved(statement.module)) if statement.module is not None else statement
    return statement.with_changes(names=[a.with_changes(name=moved(a.name)) for a in statement.names])


def _local_of_import(alias: cst.ImportAlias) -> str:
    if alias.asname is not None:
        return alias.asname.name.value
    return (get_full_name_for_node(alias.name) or "").split(".")[0]


def _insertion_index(body: list[cst.BaseStatement]) -> int:
    """After the last top-level import; else after the docstring and ``__future__`` imports."""
    last_import = None
    for i, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body):
            last_import = i
    if last_import is not None:
        return last_import + 1
    index = 0
    if body and isinstance(body[0], cst.SimpleStatementLine) and isinstance(body[0].body[0], cst.Expr):
        if isinstance(body[0].body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
            index = 1
    return index


def plan_imports(tree: cst.Module, bindings: list[ImportBinding], moved_roots: dict | None = None) -> cst.Module:
    if not moved_roots and not any(b.changed for b in bindings):
        return tree
    plan = _Plan(bindings)
    plan.moved_roots = moved_roots or {}
    plan.changed_statements |= set(plan.moved_roots)
    line_length = file_line_length(tree)
    if plan.changed_statements:
        tree = tree.visit(_Planner(plan, line_length))
    if plan.unanchored or plan.plain:
        body = list(tree.body)
        index = _insertion_index(body)
        new_lines = [cst.SimpleStatementLine(body=[cst.Import(names=[cst.ImportAlias(name=_dotted(module))])]) for module in plan.plain]
        new_lines += [new_import(module, aliases, line_length) for module, aliases in plan.unanchored.items()]
        if index == 0 and body:
            # nothing above: keep the file's leading comments first
            new_lines[0] = new_lines[0].with_changes(leading_lines=body[0].leading_lines)
            body[0] = body[0].with_changes(leading_lines=[])
        elif index < len(body) and index > 0 and not body[index].leading_lines and not _is_import_line(body[index - 1]):
            body[index] = body[index].with_changes(leading_lines=[cst.EmptyLine()])
        body[index:index] = new_lines
        tree = tree.with_changes(body=body)
    return tree


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body)
