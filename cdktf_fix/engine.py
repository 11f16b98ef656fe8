"""The repair engine: one parse, every codemod over one tree to a fixed point, imports last.

    from cdktf_fix import repair_source
    result = repair_source(code)          # RepairResult: new_source, fixes, findings, status

The engine knows nothing of files, terminals or the CLI.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from functools import partial
from itertools import groupby

from cdktf_fix.facts import collect_facts_ast
from cdktf_fix.options import Options
from cdktf_fix.result import RepairResult, Status
from cdktf_fix.scan import scan
from cdktf_fix.schema.model import SchemaIndex
from cdktf_fix.suppression import find_suppressions

# libcst (and everything built on it) is imported when a file first needs it: a run whose files
# the scan proves clean never loads it.

# A file that mentions none of these cannot hold provider code: it is not parsed.
_MAY_HOLD_PROVIDER_CODE = re.compile(r"cdktf|imports\.aws")


def may_hold_provider_code(source: str) -> bool:
    return _MAY_HOLD_PROVIDER_CODE.search(source) is not None


def _syntax_message(error: Exception) -> str:
    import libcst as cst

    if isinstance(error, cst.ParserSyntaxError):
        return f"syntax error at line {error.raw_line}, column {error.raw_column + 1}"
    return f"cannot parse: {error}"


def _ast_parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None  # libcst decides: a syntax error, or syntax newer than this Python's


class Engine:
    """``fast``: scan with ``ast`` first (``cdktf_fix.scan``); a clean file is never parsed by
    libcst, and libcst passes visit only the statements the scan flags.  ``fast=False`` visits
    everything (the reference the fast path is tested against)."""

    def __init__(self, schema: SchemaIndex, options: Options | None = None, codemods: Iterable | None = None, fast: bool = True) -> None:
        self.fast = fast
        self.schema = schema
        self.options = options or Options()
        self._chosen = list(codemods) if codemods is not None else None
        self._codemods: list | None = None
        self._steps: list | None = None

    @property
    def codemods(self) -> list:
        if self._codemods is None:
            from codemods import ALL_CODEMODS

            chosen = self._chosen if self._chosen is not None else list(ALL_CODEMODS)
            select, ignore = self.options.select, self.options.ignore
            self._codemods = [c for c in chosen if (select is None or c.id in select) and c.id not in ignore]
        return self._codemods

    @property
    def steps(self) -> list:
        if self._steps is None:
            self._steps = _batched(self.codemods)
        return self._steps

    def repair(self, source: str) -> RepairResult:
        if not may_hold_provider_code(source):
            return RepairResult(source, source, status=Status.SKIPPED)
        suppressions = find_suppressions(source)
        if suppressions.whole_file:  # ``# cdktf-fix: ignore-file``
            return RepairResult(source, source, status=Status.SKIPPED)
        parsed = _ast_parse(source) if self.fast else None
        if parsed is not None:
            facts, index = collect_facts_ast(parsed)
            found = scan(self.schema, facts, index, source, self.options.local_packages)
            if found.clean:
                return RepairResult(source, source)  # nothing for any codemod: libcst never parses it
        else:
            facts = found = None
        return self._rewrite(source, parsed, facts, found, suppressions)

    def _rewrite(self, source: str, parsed: ast.Module | None, facts, found, suppressions) -> RepairResult:
        """The libcst part: one parse, the codemods to a fixed point, imports planned last."""
        import libcst as cst

        from cdktf_fix.context import FileContext
        from cdktf_fix.facts_cst import collect_facts
        from cdktf_fix.imports import plan_imports
        from cdktf_fix.statements import StatementMap

        steps = self.steps
        if suppressions.file_ids:  # ``# cdktf-fix: ignore-file[<ids>]``
            steps = _batched([c for c in self.codemods if c.id not in suppressions.file_ids])
        try:
            tree = cst.parse_module(source)
        except Exception as error:  # libcst raises ParserSyntaxError, and rarely others
            return RepairResult(source, source, status=Status.ERROR, error=_syntax_message(error))
        ctx = FileContext(self.schema, self.options, source=source, suppressions=suppressions if suppressions.lines else None)
        ctx.source_ast = parsed
        for iteration in range(self.options.max_iterations):
            if parsed is not None and iteration:
                code = tree.code
                parsed = _ast_parse(code)
                if parsed is not None:
                    facts, index = collect_facts_ast(parsed)
                    found = scan(self.schema, facts, index, code, self.options.local_packages)
            if parsed is None:
                ctx.begin(tree, collect_facts(tree))
            else:
                ctx.begin(tree, facts)
                try:
                    ctx.prune(StatementMap(tree, parsed), parsed, found.flagged)
                except (ValueError, IndexError, AttributeError):
                    pass  # the trees do not pair up: visit everything
            for step in steps:
                tree = step(ctx, tree)
            tree = ctx.apply_queued(tree)
            if not ctx.changed:
                break
        else:
            return RepairResult(
                source, source, status=Status.ERROR,
                error=f"fixes did not converge after {self.options.max_iterations} iterations; file left as it was",
            )
        tree = plan_imports(tree, ctx.bindings)
        new_source = _with_tail_of(source, tree.code)
        fixes = sorted(ctx.fixes + ctx.proposals, key=lambda f: (f.line, f.column))
        findings = sorted(ctx.findings, key=lambda f: (f.line, f.column))
        if not ctx.fixes:
            new_source = source  # nothing applied: whatever else differs is libcst's, not ours
        result = RepairResult(source, new_source, fixes, findings)
        if new_source == source:
            return result
        try:
            if ctx.source_ast is None:
                cst.parse_module(new_source)
            else:
                ast.parse(new_source)
        except Exception as error:  # never hand back code that does not parse
            return RepairResult(
                source, source, [], findings, Status.ERROR,
                f"internal error: the repaired code does not parse ({_syntax_message(error)}); file left as it was",
            )
        result.status = Status.CHANGED
        return result


def _tail(text: str) -> str:
    """The blank and comment-only lines that end ``text``."""
    lines = text.splitlines(keepends=True)
    start = len(lines)
    while start and (not lines[start - 1].strip() or lines[start - 1].lstrip().startswith("#")):
        start -= 1
    return "".join(lines[start:])


def _with_tail_of(source: str, new_source: str) -> str:
    """``new_source`` ending as ``source`` does: libcst does not always give back the blank and
    comment lines after the last statement (blank lines before a whitespace-only last line),
    and no codemod edits them."""
    old_tail, new_tail = _tail(source), _tail(new_source)
    whitespace_only = any(not line.strip() and line.rstrip("\r\n") for line in old_tail.splitlines(keepends=True))
    if old_tail == new_tail or not whitespace_only:
        return new_source  # the same, or not the case libcst gets wrong (a comment an import left may end the file)
    return new_source[: len(new_source) - len(new_tail)] + old_tail


def _batched(codemods: list) -> list:
    """Steps of one iteration: import codemods one by one, runs of argument codemods batched
    into one traversal."""
    from cdktf_fix.arguments import run_argument_codemods
    from codemods.base import ArgumentCodemod

    steps: list = []
    for batched, group in groupby(codemods, key=lambda c: isinstance(c, ArgumentCodemod)):
        group = tuple(group)
        if batched:
            steps.append(partial(run_argument_codemods, codemods=group))
        else:
            steps.extend(c.run for c in group)
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
