"""any-block-class: a class invented for a block of a field typed Any."""

from __future__ import annotations

import ast
import json
from functools import lru_cache
from importlib import resources

from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import CallAsDict
from cdktf_fix.schema.resolve import owner_and_rest
from codemods._shared import binding_problem, broken_groups
from codemods.base import Codemod


@lru_cache(maxsize=1)
def any_blocks() -> dict:
    """``cdktf_fix/data/any_blocks.json``: the blocks under Any-typed fields, from the provider docs."""
    return json.loads(resources.files("cdktf_fix").joinpath("data/any_blocks.json").read_text())


def block_arguments(block: str) -> list[str] | None:
    data = any_blocks()
    return data["blocks"].get(data["same_as"].get(block, block))


def spelled_block(schema, module: str, name: str) -> tuple[str, list[str]] | None:
    """(owner.field, the block path) a class name spells: ``Wafv2WebAclRuleStatementRateBasedStatement``
    is ``Wafv2WebAclRule`` + ``statement`` (typed Any) + ``rate_based_statement``."""
    short = module.partition(".")[2]
    for info, rest in owner_and_rest(schema, module, name):
        for take in range(len(rest), 0, -1):
            field = "_".join(rest[:take])
            entry = any_blocks()["fields"].get(f"{short}.{info.name}.{field}")
            param = info.param(field)
            if entry is None or param is None or param.type != "any":
                continue
            path = _path(entry["block"], rest[take:])
            if path is not None:
                return f"{info.name}.{field}", [entry["block"], *path]
    return None


def _path(block: str, words: list[str]) -> list[str] | None:
    """The child blocks ``words`` spell, one after another, from ``block`` (None: they spell none)."""
    if not words:
        return []
    children = block_arguments(block) or []
    for take in range(len(words), 0, -1):
        child = "_".join(words[:take])
        if child in children and block_arguments(child) is not None:
            rest = _path(child, words[take:])
            if rest is not None:
                return [child, *rest]
    return None


class AnyBlockClass(Codemod):
    id = "any-block-class"
    summary = "A class invented for a block of a field the provider types Any (Wafv2WebAclRuleStatement...)"
    why = (
        "Recursive blocks such as a WAFv2 rule's statement have no struct classes: the prebuilt "
        "provider types the field Any, and takes a plain nested dict with Terraform's snake_case "
        "keys. Models invent the classes the name pattern suggests (Wafv2WebAclRuleStatement, "
        "Wafv2WebAclRuleStatementRateBasedStatement), and the import fails. Each call becomes "
        "the dict it spells: {\"rate_based_statement\": {\"limit\": 2000, ...}}. The block names "
        "come from the AWS provider's documentation (cdktf_fix/data/any_blocks.json, with the "
        "source of each field)."
    )
    safety = (
        "Safe when the class name spells a path of known blocks from an Any-typed field and every "
        "keyword of every call is an argument of its block; otherwise no-equivalent's finding stays."
    )

    def check(self, ctx: FileContext) -> None:
        for group in broken_groups(ctx, {"name"}):
            binding = group[0]
            if binding_problem(ctx, binding) != "name" or not ctx.schema.is_provider_module(binding.module):
                continue
            spelled = spelled_block(ctx.schema, binding.module, binding.name)
            if spelled is None:
                continue
            field, path = spelled
            arguments = block_arguments(path[-1]) or []
            symbol = binding.origin.symbol
            calls = [(_keyword_call(ctx, load), load.statement) for load in symbol.loads]
            if not calls or any(c is None for c, _ in calls) or ctx.annotation_uses(symbol):
                continue
            unknown = sorted({k.arg for c, _ in calls for k in c.keywords if k.arg not in arguments})
            if unknown:
                continue
            where = " > ".join(path)
            for call, statement in calls:
                ctx.fix(self.id, f"{binding.name}(...)", "{...}", f"{binding.name} does not exist: {field} is typed Any, so the {where} block is a dict with Terraform's keys", Safety.SAFE,
                        [(call, CallAsDict(), Place(statement))], at=call)


def _keyword_call(ctx: FileContext, load) -> ast.Call | None:
    """The call ``Name(kw=...)`` a use of the name is, or None for any other use."""
    call = ctx.facts.holder.get(id(load.node))
    if type(call) is ast.Call and call.func is load.node and not call.args and all(k.arg for k in call.keywords):
        return call
    return None
