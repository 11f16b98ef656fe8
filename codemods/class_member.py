"""class-member: a method or constant read on a cdktf or provider class that it does not have."""

from __future__ import annotations

import ast

from cdktf_fix.engine.context import FileContext
from codemods._shared import rename_member
from codemods.base import Codemod


class ClassMember(Codemod):
    id = "class-member"
    summary = "A method or constant read on a cdktf or provider class (Fn.sub, Fn.lengthOf) that the class does not have"
    why = (
        "Python raises AttributeError before anything is synthesized. Models call functions "
        "of other tools on cdktf's Fn (Fn.sub and Fn.data are CloudFormation's), write "
        "Terraform's or TypeScript's spelling (Fn.lengthOf, Fn.jsonencode for Fn.jsonencode's "
        "real name), or invent static helpers. The read is renamed to the member the schema "
        "declares (inherited ones included: Fn's functions live in FnGenerated); with no close "
        "member it is reported with the close ones there are."
    )
    safety = (
        "Safe when the schema leaves one member: the written name is its snake_case or "
        "camelCase spelling, or the one close name. Several close names: unsafe (the closest is "
        "picked). None: a finding."
    )

    def check(self, ctx: FileContext) -> None:
        facts, schema = ctx.facts, ctx.schema
        for binding in ctx.imports.live():
            if binding.origin is None or binding.name is None or not binding.name[:1].isupper():
                continue
            symbol = binding.origin.symbol
            if not symbol.only_imports:
                continue
            for load in symbol.loads:
                attribute = facts.attribute_of.get(id(load.node))
                if attribute is None or type(attribute.ctx) is not ast.Load or attribute.attr.startswith("_"):
                    continue
                info = ctx.resolve(load.node)
                if info is None:
                    continue
                members = {**schema.attributes(info), **{name: m.returns for name, m in schema.methods(info).items()}}
                if attribute.attr in members:
                    continue
                self._missing(ctx, info, attribute, members, load)

    def _missing(self, ctx: FileContext, info, attribute: ast.Attribute, members: dict, load) -> None:
        where = f"{info.name}.{attribute.attr}"
        rename_member(ctx, self.id, attribute, load.statement, attribute.attr, members, info.name, where, "member")
