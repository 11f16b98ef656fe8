"""provider-string: a provider passed as a string (``provider="aws.west"``)."""

from __future__ import annotations

import ast

from cdktf_fix.engine.arguments import Site
from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.facts import Scope
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import ReplaceWithCode
from cdktf_fix.engine.values import enclosing_class, self_attributes
from codemods.base import ArgumentCodemod


class ProviderString(ArgumentCodemod):
    id = "provider-string"
    summary = "A provider passed as a string (provider=\"aws.west\") where the keyword takes the provider object"
    why = (
        "In HCL a resource names its provider as aws.west; in CDKTF the provider keyword takes "
        "the TerraformProvider object, and jsii rejects a string (\"Expected object reference\"). "
        "The string is replaced by the variable (or self attribute) the file binds, once, to the "
        "provider constructed with that alias."
    )
    safety = (
        "Safe when exactly one provider in the file has that alias and is bound once to a name "
        "the call can see; otherwise a finding naming the providers there are."
    )

    def check_value(self, ctx: FileContext, site: Site, node: ast.expr, scope: Scope) -> None:
        if type(node) is not ast.Constant or type(node.value) is not str or not _takes_provider(site.type):
            return
        written = node.value.strip()
        alias = written.rpartition(".")[2]
        providers = _providers(ctx)
        matching = [p for p in providers if p[0] == alias]
        usable = [p for p in matching if p[1] is not None and _visible(ctx, p, scope, ctx.places[id(node)].unit)]
        if len(matching) == 1 and len(usable) == 1:
            code = usable[0][1]
            ctx.fix(self.id, repr(written), code, f"{site.where} takes the provider object: {code} is the provider with alias {alias!r}", Safety.SAFE,
                    [(node, ReplaceWithCode(code))], at=node)
            return
        names = [p[1] or f"the provider with alias {p[0]!r}" for p in providers]
        why = "no provider in this file has that alias" if not matching else "it is not bound to a name this call can see" if not usable else "several providers have that alias"
        ctx.finding(self.id, f"{site.where} takes a provider object, not the string {written!r}: {why}", names or ["AwsProvider(self, \"west\", region=..., alias=\"west\") bound to a variable"], at=node)


def _takes_provider(kind) -> bool:
    return isinstance(kind, list) and kind[0] == "class" and kind[1].rpartition(".")[2] == "TerraformProvider"


def _providers(ctx: FileContext) -> list[tuple[str, str | None, ast.stmt, object]]:
    """(alias, the code naming it or None, its statement, its scope) of every provider the file
    constructs with a literal alias, memoized per round."""
    found = ctx.memo.get("providers")
    if found is not None:
        return found
    found = ctx.memo["providers"] = []
    for call in ctx.facts.calls:
        info = ctx.resolve(call.node.func)
        if info is None or info.kind != "provider":
            continue
        alias = next((k.value.value for k in call.node.keywords if k.arg == "alias" and type(k.value) is ast.Constant and type(k.value.value) is str), None)
        if alias is None:
            continue
        statement = call.statement
        code = None
        if type(statement) is ast.Assign and statement.value is call.node and len(statement.targets) == 1:
            target = statement.targets[0]
            if type(target) is ast.Name:
                code = target.id
            elif type(target) is ast.Attribute and type(target.value) is ast.Name and target.value.id == "self":
                code = f"self.{target.attr}"
        found.append((alias, code, statement, call.scope))
    return found


def _visible(ctx: FileContext, provider, scope, statement: ast.stmt) -> bool:
    """Whether the provider's name means it at ``statement`` (in ``scope``): a name bound once,
    seen from there; ``self.x`` assigned once, read in the same class."""
    _, code, bound_at, _ = provider
    if code.startswith("self."):
        home = enclosing_class(ctx.facts, bound_at)
        stores, _ = self_attributes(ctx)
        attribute = code[len("self."):]
        assigned = sum(len(found) for (_, name), found in stores.items() if name == attribute)  # in any class of the file
        return assigned == 1 and home is not None and enclosing_class(ctx.facts, statement) is home and scope.kind == "function"
    symbol = ctx.facts.resolves_to(code, scope)
    return symbol is not None and symbol.binds == 1 and len(symbol.stores) == 1 and symbol.stores[0].statement is bound_at
