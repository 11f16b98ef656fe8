"""backend-lockfile: ``add_override("terraform.backend.s3.use_lockfile", True)``, a policy choice."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

from cdktf_fix.io.config import parse_version
from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.result import Safety
from codemods.base import Codemod

OVERRIDE = "terraform.backend.s3.use_lockfile"
NATIVE_LOCKING = (1, 10)  # the first Terraform that knows the S3 backend's use_lockfile


def _is_override(statement: ast.stmt) -> bool:
    """``x.add_override("terraform.backend.s3.use_lockfile", ...)`` as a statement of its own."""
    call = statement.value if type(statement) is ast.Expr else None
    if not (type(call) is ast.Call and type(call.func) is ast.Attribute and call.func.attr == "add_override" and call.args):
        return False
    first = call.args[0]
    return type(first) is ast.Constant and first.value == OVERRIDE


def _is_s3_backend(call: ast.Call) -> bool:
    func = call.func
    return (type(func) is ast.Name and func.id == "S3Backend") or (type(func) is ast.Attribute and func.attr == "S3Backend")


@dataclass(frozen=True)
class AppendKeyword:
    """``call`` with ``name=value`` added last, laid out like the arguments before it."""

    name: str
    value: str

    def apply(self, call):
        import libcst as cst

        args = list(call.args)
        new = cst.Arg(value=cst.parse_expression(self.value), keyword=cst.Name(self.name), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
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

    def check(self, ctx: FileContext) -> None:
        if "use_lockfile" not in ctx.source:
            return
        statements = {id(c.statement): c.statement for c in ctx.facts.calls if _is_override(c.statement)}
        overrides = sorted(statements.values(), key=lambda s: (s.lineno, s.col_offset))
        if not overrides or any(ctx.suppressed(self.id, s) for s in overrides):
            return  # a suppressed override keeps the file as it is, for all of them
        options = ctx.options
        version = parse_version(options.terraform_version) if options.terraform_version else None
        native = version is not None and version >= NATIVE_LOCKING
        if options.use_lockfile == "keep" and (version is None or native):
            return
        if options.use_lockfile is None and native:
            return
        if options.use_lockfile == "dynamodb":
            backends = [c for c in ctx.facts.calls if _is_s3_backend(c.node)]
            if len(backends) == 1 and not any(k.arg == "dynamodb_table" for k in backends[0].node.keywords):
                backend = backends[0]
                table = json.dumps(options.lock_table)
                message = "use_lockfile replaced by a DynamoDB lock table ([tool.cdktf-fix] use-lockfile = \"dynamodb\")"
                edit = [(backend.node, AppendKeyword("dynamodb_table", json.dumps(options.lock_table or "")), Place(backend.statement))]
                for index, statement in enumerate(overrides):
                    if ctx.fix(self.id, ctx.text(statement.value), f"S3Backend(..., dynamodb_table={table})", message, Safety.SAFE, edit if not index else [], at=statement.value):
                        ctx.remove_statement(statement)
                return
            for statement in overrides:
                ctx.finding(
                    self.id,
                    "use-lockfile = \"dynamodb\" is configured, but this file does not have exactly one S3Backend(...) without dynamodb_table: not replaced",
                    [f"S3Backend(..., dynamodb_table={options.lock_table!r})"], at=statement.value,
                )
            return
        if version is not None:
            message = f"use_lockfile needs Terraform >= 1.10, and terraform-version is {options.terraform_version}"
        else:
            message = "use_lockfile needs Terraform >= 1.10; say which you run in [tool.cdktf-fix]"
        for statement in overrides:
            ctx.finding(
                self.id, message,
                ["use-lockfile = \"keep\" (Terraform >= 1.10)", "use-lockfile = \"dynamodb\" and lock-table = \"<table>\""], at=statement.value,
            )
