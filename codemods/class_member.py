"""class-member: a method or constant read on a cdktf or provider class that it does not have."""

from __future__ import annotations

import ast

from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import ReplaceWithName
from cdktf_fix.schema.model import CONSTRUCT_KINDS
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
        "member it is reported with the close ones there are. A construct written as a "
        "function of Fn (Fn.data_aws_caller_identity(self, 'current')) becomes the class of the "
        "provider module of that name (DataAwsCallerIdentity(self, 'current'))."
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
        if self._construct_of_module(ctx, info, attribute, load):
            return
        rename_member(ctx, self.id, attribute, load.statement, attribute.attr, members, info.name, where, "member")

    def _construct_of_module(self, ctx: FileContext, info, attribute: ast.Attribute, load) -> bool:
        """``Fn.data_aws_caller_identity(self, "current")``: a construct of the provider module
        of that name, called like one (a scope and an id) -> ``DataAwsCallerIdentity(self, ...)``."""
        call = ctx.facts.holder.get(id(attribute))
        if type(call) is not ast.Call or call.func is not attribute or sum(type(a) is not ast.Starred for a in call.args) < 2:
            return False
        schema = ctx.schema
        found = [
            f"{module}.{name}"
            for module in (f"{package}.{attribute.attr}" for package in schema.provider_packages)
            if schema.has_module(module)
            for name, kind in schema.names_in(module).items() if kind in CONSTRUCT_KINDS
        ]
        if len(found) != 1:
            return False
        callee = ctx.class_reference(found[0], load.scope)
        if callee is None:
            return False
        message = f"{info.name} has no member {attribute.attr}: it is the provider module whose construct is {callee}"
        if ctx.fix(self.id, ctx.text(attribute), callee, message, Safety.SAFE, [(attribute, ReplaceWithName(callee), Place(load.statement))], at=attribute):
            ctx.import_class(found[0], load.scope)
            ctx.forget_use(ctx.facts.symbol_of_name(load.node))
        return True
