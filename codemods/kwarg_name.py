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
from cdktf_fix.engine.rewrite import separator_like
from cdktf_fix.schema.model import shape_of, struct_of
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
    return entry if entry is not None and all(info.param(t) is not None for t in _targets(entry)) else None


def _targets(entry: dict) -> tuple[str, ...]:
    """The keywords a table entry renames to: one, or several that each get the value."""
    return tuple(entry["to"]) if isinstance(entry["to"], list) else (entry["to"],)


@dataclass(frozen=True)
class RenameKeywords:
    """Keywords of a call renamed, some with a new value: ((old, new, value code or None), ...);
    ``new`` may be a tuple of keywords that each get the value (one keyword split in two)."""

    renames: tuple[tuple[str, str, str | None], ...]

    def apply(self, node):
        import libcst as cst

        table = {old: (new, value) for old, new, value in self.renames}
        args = []
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in table:
                new, value = table[arg.keyword.value]
                if value is not None:
                    arg = arg.with_changes(value=cst.parse_expression(value).with_changes(lpar=arg.value.lpar, rpar=arg.value.rpar))
                names = new if isinstance(new, tuple) else (new,)
                between = separator_like(args[-1].comma if args else None)
                for number, name in enumerate(names):
                    last = number == len(names) - 1
                    args.append(arg.with_changes(keyword=cst.Name(name), comma=arg.comma if last else between))
                continue
            args.append(arg)
        return node.with_changes(args=args)


@dataclass(frozen=True)
class NestKeywords:
    """``block_field=v`` keywords folded into the block they flatten: ``block={"field": v}``, at
    the place of the first one; the values are kept as written.  ((block, ((old, field), ...)), ...)"""

    blocks: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]

    def apply(self, node):
        import libcst as cst

        first = {pairs[0][0]: (block, pairs) for block, pairs in self.blocks}
        folded = {old for _, pairs in self.blocks for old, _ in pairs}
        values = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        args = []
        for arg in node.args:
            name = arg.keyword.value if arg.keyword is not None else None
            if name in first:
                block, pairs = first[name]
                elements = [cst.DictElement(cst.SimpleString(f'"{field}"'), values[old]) for old, field in pairs]
                arg = arg.with_changes(keyword=cst.Name(block), value=cst.Dict(elements))
            elif name in folded:
                continue
            args.append(arg)
        last = node.args[-1]
        if args and args[-1] is not last and not isinstance(last.comma, cst.MaybeSentinel):
            args[-1] = args[-1].with_changes(comma=last.comma)  # the call keeps its trailing comma (or none)
        elif args and args[-1] is not last:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return node.with_changes(args=args)


def flattened_block(schema, info, written: str, value: ast.expr) -> tuple[str, str] | None:
    """``(block, field)`` when ``written`` spells a field of a single block of ``info`` behind
    that block's name (``delete_marker_replication_status``: the ``status`` of the
    ``delete_marker_replication`` block, the way an older provider major or CloudFormation
    flattened it), the value fits that field, and no other split of the name does."""
    found = []
    for param in info.params:
        if not written.startswith(param.name + "_") or shape_of(param.type) not in ("single", "either"):
            continue
        struct = schema.class_by_qualified(struct_of(param.type))
        field = struct.param(written[len(param.name) + 1:]) if struct is not None else None
        if field is not None and value_fits(value, field.type):
            found.append((param.name, field.name))
    return found[0] if len(found) == 1 else None


def _history(ctx: FileContext, info, keyword: str) -> str:
    """``; eks_addon.EksAddon keyword resolve_conflicts was removed by ...`` when the AWS
    provider's history says it was (the API of an older major), else nothing."""
    if info.module.partition(".")[0] != ctx.schema.aws_package:
        return ""
    from cdktf_fix.schema.history import removed_keyword

    removal = removed_keyword(info.module, info.name, keyword)
    return f"; {removal.describe()}" if removal is not None else ""


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
        "Several close names: unsafe (the closest is picked). A keyword the AWS provider removed "
        "in a later major says so in its finding (cdktf_fix/data/provider_history.json). A keyword that spells a block and "
        "one of its fields (delete_marker_replication_status) becomes that block holding the "
        "value (delete_marker_replication={\"status\": ...}): safe when the block is single, "
        "not passed already, and no other split of the name names a field. None: a finding."
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
                new = found[0][1]
                taken.update(new if isinstance(new, tuple) else (new,))
        if not renames:
            self._nest(ctx, info, node, taken)
            return
        edit = RenameKeywords(tuple(rename for rename, _ in renames))
        applied = [args for args in (fix for _, fix in renames)]
        # one edit renames every keyword of the call; each rename is its own fix
        if ctx.fix(self.id, *applied[0], [(node, edit)]):
            for args in applied[1:]:
                ctx.fix(self.id, *args)

    def _nest(self, ctx: FileContext, info, node: ast.Call, taken: set[str]) -> None:
        """Keywords that flatten a block (``delete_marker_replication_status=``) folded into it,
        once the other keywords are right (a call is edited by one fix a round)."""
        blocks: dict[str, list[tuple[str, str]]] = {}
        for keyword in node.keywords:
            if keyword.arg is None or info.param(keyword.arg) is not None or keyword.arg in info.positional:
                continue
            found = flattened_block(ctx.schema, info, keyword.arg, keyword.value)
            if found is not None and found[0] not in taken:
                blocks.setdefault(found[0], []).append((keyword.arg, found[1]))
        if not blocks:
            return
        edit = NestKeywords(tuple((block, tuple(pairs)) for block, pairs in blocks.items()))
        for block, pairs in blocks.items():
            old = ", ".join(f"{written}=" for written, _ in pairs)
            new = f"{block}={{" + ", ".join(f'"{field}": ...' for _, field in pairs) + "}"
            message = f"{info.name} has no keyword {pairs[0][0]} in {ctx.schema.label_of(info.module)}: it is the {pairs[0][1]} of its {block} block"
            if not ctx.fix(self.id, old, new, message, Safety.SAFE, [(node, edit)] if edit is not None else ()):
                return
            edit = None  # one edit folds every block; each block is its own fix

    def _rename(self, ctx: FileContext, info, keyword: ast.keyword, taken: frozenset[str]):
        """((old, new, value code or None), fix arguments) for a rename that applies, else None
        (a proposal or a finding is recorded)."""
        written = keyword.arg
        entry = _rename_entry(ctx.schema, info, written)
        if entry is not None and not taken.intersection(_targets(entry)):
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
        nested = flattened_block(ctx.schema, info, written, keyword.value)
        if nested is not None and nested[0] not in taken:
            return None  # folded into its block by _nest
        names = [p.name for p in info.params]
        ctx.finding(self.id, f"{info.name} has no keyword '{written}' in {ctx.schema.label_of(info.module)} and no field close to it{_history(ctx, info, written)}", list(match.candidates) or names)
        return None

    def _from_table(self, ctx: FileContext, info, keyword: ast.keyword, entry: dict):
        written, targets = entry["keyword"], _targets(entry)
        target = targets[0] if len(targets) == 1 else targets
        value = None
        if "values" in entry:
            value = entry["values"].get(ctx.text(keyword.value).strip())
            if value is None:
                shown = ", ".join(f"{t}=..." for t in targets)
                suggestions = [", ".join(f"{t}={v}" for t in targets) for v in entry["values"].values()] or [shown]
                ctx.finding(self.id, f"{info.name}: {written}={ctx.text(keyword.value, 40)} has no counterpart written here ({entry['why']}; {entry['source']})", suggestions)
                return None
        return self._applied(ctx, info, keyword, target, value, Safety(entry.get("safety", "unsafe")), entry["why"])

    def _applied(self, ctx: FileContext, info, keyword: ast.keyword, field: str, value: str | None, safety: Safety, reason: str):
        written = keyword.arg
        fields = field if isinstance(field, tuple) else (field,)
        if value is None:
            old, new = f"{written}=", ", ".join(f"{f}=" for f in fields)
        else:
            old, new = f"{written}={ctx.text(keyword.value)}", ", ".join(f"{f}={value}" for f in fields)
        fix = (old, new, f"{info.name} has no keyword {written} in {ctx.schema.label_of(info.module)}: {reason}", safety)
        if not ctx.allows(safety):
            ctx.fix(self.id, *fix)  # proposed, not applied
            return None
        return (written, field, value), fix
