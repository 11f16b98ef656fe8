"""kwarg-name: a keyword that the called class does not accept."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from cdktf_fix.engine.arguments import CallSite, Match, match_field, value_fits
from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.facts import Scope
from cdktf_fix.engine.result import Safety
from codemods.base import ArgumentCodemod


@lru_cache(maxsize=1)
def keyword_renames() -> dict[tuple[str, str], dict]:
    """(AWS provider module.class, old keyword) -> the rename entry of ``data/keyword_renames.json``
    (``("eip.Eip", "vpc")``: the AWS provider package of the target is implied)."""
    data = json.loads(resources.files("cdktf_fix").joinpath("data/keyword_renames.json").read_text())
    return {(entry["class"], entry["keyword"]): entry for entry in data["renames"]}


def _rename_entry(schema, info, keyword: str) -> dict | None:
    """The table's rename of ``keyword`` for this class, when the target's schema has its
    new field (the table is about AWS provider majors: in a target that still has the old
    keyword, the call never gets here; in one without the new field, the entry does not apply)."""
    package, _, module = info.module.partition(".")
    if package != schema.aws_package:
        return None
    entry = keyword_renames().get((f"{module}.{info.name}", keyword))
    return entry if entry is not None and info.param(entry["to"]) is not None else None


@dataclass(frozen=True)
class RenameKeywords:
    """Keywords of a call renamed, some with a new value: ((old, new, value code or None), ...)."""

    renames: tuple[tuple[str, str, str | None], ...]

    def apply(self, node):
        import libcst as cst

        table = {old: (new, value) for old, new, value in self.renames}
        args = []
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in table:
                new, value = table[arg.keyword.value]
                changes = {"keyword": cst.Name(new)}
                if value is not None:
                    changes["value"] = cst.parse_expression(value).with_changes(lpar=arg.value.lpar, rpar=arg.value.rpar)
                arg = arg.with_changes(**changes)
            args.append(arg)
        return node.with_changes(args=args)


class KwargName(ArgumentCodemod):
    id = "kwarg-name"
    summary = "A keyword the called resource, data source, provider, struct or cdktf class does not accept"
    why = (
        "Python raises TypeError (unexpected keyword argument) before anything is synthesized. "
        "Models write CloudFormation names (buffer_size for buffering_size), camelCase names, "
        "and names the AWS provider removed (Eip vpc, replication_group_description). The keyword "
        "is renamed to the field the schema declares; a keyword with no counterpart is reported "
        "with the valid keywords, never deleted."
    )
    safety = (
        "Safe when the schema leaves one candidate: the snake_case spelling of a camelCase or "
        "PascalCase keyword, or the one close field name not already passed. Renames the schema "
        "cannot infer come from cdktf_fix/data/keyword_renames.json, each with its own safety. "
        "Several close names: unsafe (the closest is picked). None: a finding."
    )

    def check_call(self, ctx: FileContext, call: CallSite, node: ast.Call, scope: Scope) -> None:
        info = call.info
        if info.kind in ("enum", "interface"):
            return
        if info.kind == "struct" and node.args:
            return  # a struct called like a resource: struct-as-resource reports it
        valid = {p.name for p in info.params} | set(info.positional)
        taken = {k.arg for k in node.keywords if k.arg is not None}
        renames: list[tuple[tuple[str, str, str | None], tuple]] = []  # (rename, fix arguments)
        for keyword in node.keywords:
            if keyword.arg is None or keyword.arg in valid:
                continue
            found = self._rename(ctx, info, keyword, frozenset(taken))
            if found is not None:
                renames.append(found)
                taken.add(found[0][1])
        if not renames:
            return
        edit = RenameKeywords(tuple(rename for rename, _ in renames))
        applied = [args for args in (fix for _, fix in renames)]
        # one edit renames every keyword of the call; each rename is its own fix
        if ctx.fix(self.id, *applied[0], [(node, edit)]):
            for args in applied[1:]:
                ctx.fix(self.id, *args)

    def _rename(self, ctx: FileContext, info, keyword: ast.keyword, taken: frozenset[str]):
        """((old, new, value code or None), fix arguments) for a rename that applies, else None
        (a proposal or a finding is recorded)."""
        written = keyword.arg
        entry = _rename_entry(ctx.schema, info, written)
        if entry is not None and entry["to"] not in taken:
            return self._from_table(ctx, info, keyword, entry)
        match = match_field(info, written, taken)
        if match.how == "near" and not value_fits(keyword.value, info.param(match.field).type):
            match = Match(None, "none", match.candidates)  # a close name whose field takes another kind of value
        if match.how == "ambiguous":
            fitting = [c for c in match.candidates if value_fits(keyword.value, info.param(c).type)]
            match = Match(fitting[0], "near", tuple(fitting)) if len(fitting) == 1 else match if fitting else Match(None, "none", match.candidates)
        if match.how in ("spelling", "near"):
            return self._applied(ctx, info, keyword, match.field, None, Safety.SAFE, "the field the schema declares")
        if match.how == "ambiguous":
            reason = f"the closest of {', '.join(match.candidates)}"
            return self._applied(ctx, info, keyword, match.candidates[0], None, Safety.UNSAFE, reason)
        names = [p.name for p in info.params]
        ctx.finding(self.id, f"{info.name} has no keyword '{written}' in {ctx.schema.label_of(info.module)} and no field close to it", list(match.candidates) or names)
        return None

    def _from_table(self, ctx: FileContext, info, keyword: ast.keyword, entry: dict):
        written, target = entry["keyword"], entry["to"]
        value = None
        if "values" in entry:
            value = entry["values"].get(ctx.text(keyword.value).strip())
            if value is None:
                ctx.finding(self.id, f"{info.name}: {written}={ctx.text(keyword.value)} has no counterpart ({entry['why']})", [f"{target}=" + v for v in entry["values"].values()])
                return None
        return self._applied(ctx, info, keyword, target, value, Safety(entry.get("safety", "unsafe")), entry["why"])

    def _applied(self, ctx: FileContext, info, keyword: ast.keyword, field: str, value: str | None, safety: Safety, reason: str):
        written = keyword.arg
        if value is None:
            old, new = f"{written}=", f"{field}="
        else:
            old, new = f"{written}={ctx.text(keyword.value)}", f"{field}={value}"
        fix = (old, new, f"{info.name} has no keyword {written} in {ctx.schema.label_of(info.module)}: {reason}", safety)
        if not ctx.allows(safety):
            ctx.fix(self.id, *fix)  # proposed, not applied
            return None
        return (written, field, value), fix
