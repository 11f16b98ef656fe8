"""kwarg-name: a keyword that the called class does not accept."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import libcst as cst

from cdktf_fix.arguments import CallSite, match_field
from cdktf_fix.context import FileContext
from cdktf_fix.result import Safety
from cdktf_fix.schema.model import PROVIDER_PACKAGE
from codemods._shared import code_of
from codemods.base import ArgumentCodemod


@lru_cache(maxsize=1)
def keyword_renames() -> dict[tuple[str, str], dict]:
    """(qualified class, old keyword) -> the rename entry of ``data/keyword_renames.json``."""
    data = json.loads(resources.files("cdktf_fix").joinpath("data/keyword_renames.json").read_text())
    table = {}
    for entry in data["renames"]:
        cls = entry["class"]
        qualified = cls if cls.startswith("cdktf") else f"{PROVIDER_PACKAGE}.{cls}"
        table[(qualified, entry["keyword"])] = entry
    return table


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

    def leave_call(self, ctx: FileContext, call: CallSite, node: cst.Call) -> cst.BaseExpression:
        info = call.info
        if info.kind in ("enum", "interface"):
            return node
        if info.kind == "struct" and any(a.keyword is None for a in node.args):
            return node  # a struct called like a resource: struct-as-resource reports it
        valid = {p.name for p in info.params} | set(info.positional)
        taken = {a.keyword.value for a in node.args if a.keyword is not None}
        args = list(node.args)
        for index, arg in enumerate(args):
            if arg.keyword is None or arg.keyword.value in valid:
                continue
            new_arg = self._renamed(ctx, info, arg, frozenset(taken))
            if new_arg is not None:
                args[index] = new_arg
                taken.add(new_arg.keyword.value)
        return node.with_changes(args=args) if args != list(node.args) else node

    def _renamed(self, ctx: FileContext, info, arg: cst.Arg, taken: frozenset[str]) -> cst.Arg | None:
        written = arg.keyword.value
        entry = keyword_renames().get((info.qualified, written))
        if entry is not None and entry["to"] not in taken:
            return self._from_table(ctx, info, arg, entry)
        match = match_field(info, written, taken)
        if match.how in ("spelling", "near"):
            return self._apply(ctx, info, arg, match.field, arg.value, Safety.SAFE, "the field the schema declares")
        if match.how == "ambiguous":
            if ctx.allows(Safety.UNSAFE):
                return self._apply(ctx, info, arg, match.candidates[0], arg.value, Safety.UNSAFE, f"the closest of {', '.join(match.candidates)}")
            ctx.add_fix(self.id, None, f"{written}=", f"{match.candidates[0]}=", f"{info.name} has no keyword {written}; closest of {', '.join(match.candidates)}", Safety.UNSAFE, applied=False)
            return None
        names = [p.name for p in info.params]
        suggestions = list(match.candidates) or names
        ctx.add_finding(self.id, None, f"{info.name} has no keyword '{written}' and no field close to it", suggestions)
        return None

    def _from_table(self, ctx: FileContext, info, arg: cst.Arg, entry: dict) -> cst.Arg | None:
        written, target = entry["keyword"], entry["to"]
        value = arg.value
        if "values" in entry:
            new_value = entry["values"].get(code_of(value).strip())
            if new_value is None:
                ctx.add_finding(self.id, None, f"{info.name}: {written}={code_of(value)} has no counterpart ({entry['why']})", [f"{target}=" + v for v in entry["values"].values()])
                return None
            value = cst.parse_expression(new_value).with_changes(lpar=value.lpar, rpar=value.rpar)
        safety = Safety(entry.get("safety", "unsafe"))
        if not ctx.allows(safety):
            ctx.add_fix(self.id, None, f"{written}=", f"{target}=", f"{info.name}: {entry['why']}", safety, applied=False)
            return None
        return self._apply(ctx, info, arg, target, value, safety, entry["why"])

    def _apply(self, ctx: FileContext, info, arg: cst.Arg, field: str, value, safety: Safety, reason: str) -> cst.Arg:
        written = arg.keyword.value
        if value is arg.value:
            old, new = f"{written}=", f"{field}="
        else:
            old, new = f"{written}={code_of(arg.value)}", f"{field}={code_of(value)}"
        ctx.add_fix(self.id, None, old, new, f"{info.name} has no keyword {written}: {reason}", safety)
        return arg.with_changes(keyword=cst.Name(field), value=value)
