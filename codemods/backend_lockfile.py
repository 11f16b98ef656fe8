"""backend-lockfile: ``add_override("terraform.backend.s3.use_lockfile", True)``, a policy choice."""

from __future__ import annotations

import ast
import json

import libcst as cst

from cdktf_fix.config import parse_version
from cdktf_fix.context import FileContext
from cdktf_fix.result import Safety
from codemods._shared import code_of
from codemods.base import Codemod

OVERRIDE = "terraform.backend.s3.use_lockfile"
NATIVE_LOCKING = (1, 10)  # the first Terraform that knows the S3 backend's use_lockfile


def _override_call(statement: cst.BaseStatement) -> cst.Call | None:
    """The ``x.add_override("terraform.backend.s3.use_lockfile", ...)`` call a statement is."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    expr = statement.body[0]
    call = expr.value if isinstance(expr, cst.Expr) else None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "add_override"):
        return None
    first = call.args[0].value if call.args else None
    return call if isinstance(first, cst.SimpleString) and first.evaluated_value == OVERRIDE else None


def _is_s3_backend(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Call) and (
        (isinstance(node.func, cst.Name) and node.func.value == "S3Backend")
        or (isinstance(node.func, cst.Attribute) and node.func.attr.value == "S3Backend")
    )


def append_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``name=value`` added last, laid out like the arguments before it."""
    args = list(call.args)
    new = cst.Arg(value=value, keyword=cst.Name(name), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):  # a trailing comma: one argument per line
        between = args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        args[-1] = last.with_changes(comma=between)
        args.append(new.with_changes(comma=last.comma))
    else:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(new)
    return call.with_changes(args=args)


class _Replace(cst.CSTTransformer):
    """Removes the override statements (their comments move to the next statement) and adds
    ``dynamodb_table=`` to the one ``S3Backend(...)``."""

    def __init__(self, table: str, ctx: FileContext) -> None:
        self.table = table
        self.ctx = ctx

    def on_visit(self, node: cst.CSTNode) -> bool:
        return not self.ctx.skips(node) and super().on_visit(node)

    def _without_overrides(self, node):
        """The block without the override statements; their comment lines stay, on the next
        statement or at the end of the block."""
        body, carried = [], []
        for statement in node.body:
            if _override_call(statement) is not None:
                if any(line.comment is not None for line in statement.leading_lines):
                    carried += statement.leading_lines
                continue
            if carried and hasattr(statement, "leading_lines"):
                statement = statement.with_changes(leading_lines=[*statement.leading_lines, *carried])
                carried = []
            body.append(statement)
        if not body:
            body = [cst.SimpleStatementLine([cst.Pass()])]
        return node.with_changes(body=body, footer=[*carried, *node.footer])

    def leave_IndentedBlock(self, original_node, updated_node):
        return self._without_overrides(updated_node)

    def leave_Module(self, original_node, updated_node):
        return self._without_overrides(updated_node)

    def leave_Call(self, original_node, updated_node):
        if _is_s3_backend(original_node):
            return append_keyword(updated_node, "dynamodb_table", cst.SimpleString(json.dumps(self.table)))
        return updated_node


class _Find(cst.CSTVisitor):
    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.overrides: list[cst.Call] = []
        self.backends: list[cst.Call] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return not self.ctx.skips(node) and super().on_visit(node)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        call = _override_call(node)
        if call is not None:
            self.overrides.append(call)

    def visit_Call(self, node: cst.Call) -> None:
        if _is_s3_backend(node):
            self.backends.append(node)


class BackendLockfile(Codemod):
    id = "backend-lockfile"
    summary = "S3 backend state locking through add_override(\"terraform.backend.s3.use_lockfile\", True)"
    why = (
        "Models turn on S3-native state locking with an escape hatch, "
        "`add_override(\"terraform.backend.s3.use_lockfile\", True)`. Terraform knows `use_lockfile` "
        "only from 1.10 on; older versions fail at `terraform init`. Whether it is right depends on "
        "the Terraform CLI you run, which the code cannot tell, so it is a policy in "
        "`[tool.cdktf-fix]`: `use-lockfile = \"keep\"` (or `terraform-version` >= 1.10) keeps it; "
        "`use-lockfile = \"dynamodb\"` with `lock-table = \"<table>\"` replaces it with "
        "`S3Backend(..., dynamodb_table=\"<table>\")`. Without a policy it is reported, never "
        "changed silently."
    )
    safety = (
        "Applied only when `use-lockfile = \"dynamodb\"` is configured (the user chose it), and "
        "only when the file has exactly one `S3Backend(...)` without `dynamodb_table`; otherwise "
        "a finding. Without a policy: a finding naming the two choices."
    )

    def run(self, ctx: FileContext, tree: cst.Module) -> cst.Module:
        if "use_lockfile" not in ctx.source:
            return tree
        finder = _Find(ctx)
        tree.visit(finder)
        positions = override_positions(ctx.source, ctx.source_ast)
        if len(positions) != len(finder.overrides):
            positions = [(0, 0)] * len(finder.overrides)
        suppressions = ctx.suppressions
        overrides = [at for at in positions if suppressions is None or not suppressions.covers(self.id, at[0])]
        if len(overrides) != len(positions):
            return tree  # a suppressed override keeps the file as it is, for all of them
        if not overrides:
            return tree
        options = ctx.options
        version = parse_version(options.terraform_version) if options.terraform_version else None
        native = version is not None and version >= NATIVE_LOCKING
        if options.use_lockfile == "keep" and (version is None or native):
            return tree
        if options.use_lockfile is None and native:
            return tree
        if options.use_lockfile == "dynamodb":
            backends = finder.backends
            if len(backends) == 1 and not any(a.keyword is not None and a.keyword.value == "dynamodb_table" for a in backends[0].args):
                for call, at in zip(finder.overrides, overrides):
                    ctx.add_fix(
                        self.id, None, code_of(call), f"S3Backend(..., dynamodb_table={json.dumps(options.lock_table)})",
                        "use_lockfile replaced by a DynamoDB lock table ([tool.cdktf-fix] use-lockfile = \"dynamodb\")", Safety.SAFE, at=at,
                    )
                return tree.visit(_Replace(options.lock_table or "", ctx))
            for at in overrides:
                ctx.add_finding(
                    self.id, None,
                    "use-lockfile = \"dynamodb\" is configured, but this file does not have exactly one S3Backend(...) without dynamodb_table: not replaced",
                    [f"S3Backend(..., dynamodb_table={options.lock_table!r})"], at=at,
                )
            return tree
        if version is not None:
            message = f"use_lockfile needs Terraform >= 1.10, and terraform-version is {options.terraform_version}"
        else:
            message = "use_lockfile needs Terraform >= 1.10; say which you run in [tool.cdktf-fix]"
        for at in overrides:
            ctx.add_finding(
                self.id, None, message,
                ["use-lockfile = \"keep\" (Terraform >= 1.10)", "use-lockfile = \"dynamodb\" and lock-table = \"<table>\""], at=at,
            )
        return tree


def override_positions(source: str, tree: ast.Module | None = None) -> list[tuple[int, int]]:
    """(line, column) of every use_lockfile override in the original source (``tree``: its ``ast``), in order."""
    if tree is None:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return []
    found = [
        (node.lineno, node.col_offset + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_override"
        and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == OVERRIDE
    ]
    return sorted(found)
