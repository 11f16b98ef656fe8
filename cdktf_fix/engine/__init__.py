"""The repair engine: rounds of (find on ``ast``, edit with libcst) until nothing is left to fix.

    from cdktf_fix import repair_source
    result = repair_source(code)          # RepairResult: new_source, fixes, findings, status

Each round parses the current code with ``ast``, collects its facts (``facts``) and lets every
codemod check it: what it finds is a fix with its edits, an unsafe fix it proposes, or a
finding.  When the round has edits, libcst applies them to the one libcst tree of the file
(parsed once, on the first round that has edits) and the import planner writes the changed
imports; the next round reads the code that wrote.  The round that finds nothing to apply is
the last: its proposals and findings are what is left, exactly what ``check`` reports on the
repaired file.  So one run reaches the fixed point, and detection exists once, for ``check``
and ``apply`` alike.  A file with nothing to apply never loads libcst.

The engine knows nothing of files, terminals or the CLI.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from itertools import groupby

from cdktf_fix.engine.context import FileContext, PlacementError
from cdktf_fix.engine.facts import collect_facts
from cdktf_fix.engine.lines import LineMap, carry_over
from cdktf_fix.engine.options import Options
from cdktf_fix.engine.result import Finding, Fix, RepairResult, Status
from cdktf_fix.engine.suppression import Suppressions, find_suppressions
from cdktf_fix.schema.model import SchemaIndex

# A file that mentions none of these cannot hold provider code: it is not parsed.
_MAY_HOLD_PROVIDER_CODE = re.compile(r"cdktf|cdktn|imports\.")


def may_hold_provider_code(source: str) -> bool:
    return _MAY_HOLD_PROVIDER_CODE.search(source) is not None


class _Failed(Exception):
    """The round loop stops: the file is left as it was, with this reason."""


def _parse(code: str) -> ast.Module:
    try:
        return ast.parse(code)
    except SyntaxError as error:
        raise _Failed(_syntax_message(code, error)) from None
    except (ValueError, MemoryError, RecursionError) as error:
        raise _Failed(f"cannot parse: {error}") from None


# libcst's native parser overflows its stack on deep nesting and takes the process with it: it
# only ever sees code this Python's ``ast`` read, and none nested deeper than this
MAX_DEPTH = 500


def _syntax_message(code: str, error: SyntaxError) -> str:
    """A syntax error, or syntax newer than this Python's ``ast`` reads (libcst may know it:
    asked only on Python < 3.12, and only for code shallow enough for its parser)."""
    plain = f"syntax error at line {error.lineno}, column {error.offset or 1}"
    if "too many nested" in str(error.msg):
        return f"too deeply nested to parse (line {error.lineno})"
    if sys.version_info >= (3, 12) or _bracket_depth(code) > 100:
        return plain
    import libcst as cst

    try:
        cst.parse_module(code)
    except Exception:  # noqa: BLE001 - any libcst failure means the code does not parse
        return plain
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"uses syntax newer than Python {version} reads (line {error.lineno}); run cdktf-fix with a newer Python"


def _bracket_depth(code: str) -> int:
    """The deepest bracket nesting of the text (strings and comments counted too: an upper bound)."""
    depth = deepest = 0
    for char in code:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


def _depth(tree: ast.AST) -> int:
    """The depth of an ``ast`` tree (iteratively: deep trees are the point)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


class Engine:
    def __init__(self, schema: SchemaIndex, options: Options | None = None, codemods: Iterable | None = None) -> None:
        self.schema = schema
        self.options = options or Options()
        self._chosen = list(codemods) if codemods is not None else None
        self._codemods: list | None = None

    @property
    def target_label(self) -> str:
        """What this engine checks against: ``cdktf 0.21.0 + cdktf-cdktf-provider-aws 21.22.1``."""
        target = self.schema.target
        return target.label if target is not None else self.schema.label

    @property
    def codemods(self) -> list:
        if self._codemods is None:
            from codemods import ALL_CODEMODS

            chosen = self._chosen if self._chosen is not None else list(ALL_CODEMODS)
            select, ignore = self.options.select, self.options.ignore
            self._codemods = [c for c in chosen if (select is None or c.id in select) and c.id not in ignore]
        return self._codemods

    def repair(self, source: str) -> RepairResult:
        if not may_hold_provider_code(source):
            return RepairResult(source, source, status=Status.SKIPPED)
        suppressions = find_suppressions(source)
        if suppressions.whole_file:  # ``# cdktf-fix: ignore-file``
            return RepairResult(source, source, status=Status.SKIPPED)
        codemods = [c for c in self.codemods if c.id not in suppressions.file_ids]
        if source.startswith("\ufeff"):  # a BOM (in a markdown block): the code is what follows it
            result = self.repair(source[1:])
            result.source = source
            result.new_source = "\ufeff" + result.new_source
            return result
        try:
            return self._rounds(source, suppressions, _steps(codemods))
        except _Failed as failure:
            return RepairResult(source, source, status=Status.ERROR, error=str(failure))

    def check_round(self, code: str, parsed: ast.Module, suppressions: Suppressions | None, steps) -> FileContext:
        """One round of detection: every codemod over the facts of ``parsed``."""
        ctx = FileContext(self.schema, self.options, collect_facts(parsed, self.schema), code, suppressions if suppressions else None)
        for step in steps:
            step(ctx)
        return ctx

    def _rounds(self, source: str, suppressions: Suppressions, steps) -> RepairResult:
        code, parsed, tree = source, _parse(source), None
        self._base = None  # libcst's round trip of the source (set when it first parses it)
        applied: list[Fix] = []
        for _ in range(self.options.max_iterations):
            try:
                ctx = self.check_round(code, parsed, suppressions, steps)
            except PlacementError as error:
                raise _Failed(f"internal error: {error}; file left as it was") from None
            if not ctx.plan and not ctx.imports.changed:
                break
            applied += _located(ctx.reports.fixes, source, code)
            tree = self._apply(tree, source, parsed, ctx)
            new_code = tree.code
            if new_code == code:
                raise _Failed("internal error: a fix changed nothing; file left as it was")
            code = new_code
            try:
                parsed = ast.parse(code)
            except (SyntaxError, ValueError) as error:
                raise _Failed(f"internal error: the repaired code does not parse ({error}); file left as it was") from None
            suppressions = find_suppressions(code)
        else:
            raise _Failed(f"fixes did not converge after {self.options.max_iterations} rounds; file left as it was")
        left: list = _located(ctx.reports.proposals, source, code) + _located(ctx.reports.findings, source, code)
        fixes = sorted(applied + [f for f in left if isinstance(f, Fix)], key=lambda f: (f.line, f.column))
        findings = sorted((f for f in left if isinstance(f, Finding)), key=lambda f: (f.line, f.column))
        if not applied:
            return RepairResult(source, source, fixes, findings)
        new_source = carry_over(source, self._base, code)
        try:
            ast.parse(new_source)
        except (SyntaxError, ValueError) as error:
            raise _Failed(f"internal error: the repaired code does not parse ({error}); file left as it was") from None
        return RepairResult(source, new_source, fixes, findings, Status.CHANGED)

    def _apply(self, tree, source: str, parsed: ast.Module, ctx: FileContext):
        import libcst as cst

        from cdktf_fix.engine.imports import plan_imports
        from cdktf_fix.engine.rewrite import PairingError, apply_plan

        if tree is None:
            depth = _depth(parsed)
            if depth > MAX_DEPTH:
                raise _Failed(f"too deeply nested to edit safely (depth {depth}, the limit is {MAX_DEPTH}); file left as it was")
            try:
                tree = cst.parse_module(source)
            except Exception as error:  # noqa: BLE001 - libcst refuses what ast read: leave it
                raise _Failed(f"cannot parse: {error}") from None
            self._base = tree.code
        try:
            tree = apply_plan(tree, parsed, ctx)
        except PairingError as error:
            raise _Failed(f"internal error: an edit could not be placed ({error}); file left as it was") from None
        return plan_imports(tree, ctx.imports.bindings, ctx.imports.moved_roots)


def _located(reports: list, source: str, code: str) -> list:
    """Reports of a later round, their lines moved to where they were in the code as read."""
    if code is source or not reports:
        return list(reports)
    lines = LineMap(source, code)
    for report in reports:
        report.line = lines.old_line(report.line)
    return list(reports)


def _steps(codemods: list) -> list:
    """A round's steps: file-level codemods one by one, runs of argument codemods in one walk."""
    from cdktf_fix.engine.arguments import run_argument_codemods
    from codemods.base import ArgumentCodemod

    steps: list = []
    for batched, group in groupby(codemods, key=lambda c: isinstance(c, ArgumentCodemod)):
        group = tuple(group)
        if batched:
            steps.append(lambda ctx, group=group: run_argument_codemods(ctx, group))
        else:
            steps.extend(c.check for c in group)
    return steps


_DEFAULT_ENGINE: Engine | None = None


def repair_source(source: str, options: Options | None = None, schema: SchemaIndex | None = None) -> RepairResult:
    """Repair one Python source string with every codemod (the public entry point)."""
    global _DEFAULT_ENGINE
    if options is None and schema is None:
        if _DEFAULT_ENGINE is None:
            from cdktf_fix.schema import load_index

            _DEFAULT_ENGINE = Engine(load_index())
        return _DEFAULT_ENGINE.repair(source)
    if schema is None:
        from cdktf_fix.schema import load_index

        schema = load_index()
    return Engine(schema, options).repair(source)
