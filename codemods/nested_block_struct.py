"""nested-block-struct: a dict literal whose keys jsii drops or rejects, instead of its struct class."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from cdktf_fix.engine.arguments import Site, dict_struct, match_field, string_keys, value_fits
from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.facts import Scope
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import separator_like
from cdktf_fix.schema.model import ClassInfo, shape_of
from codemods.base import ArgumentCodemod


def map_entries_for(info: ClassInfo, node: ast.Dict) -> bool:
    """``node`` holds plain map entries for a struct whose only field is a map
    (``default_tags={"Env": "dev"}`` for ``AwsProviderDefaultTags.tags``, Lambda
    ``environment={"K": "v"}`` for ``variables``): no key names a field, and ``**spread``
    entries are entries too."""
    only_map = len(info.params) == 1 and isinstance(info.params[0].type, list) and info.params[0].type[0] == "map"
    if not only_map or not node.keys:
        return False
    keys = [k for k, key in zip(string_keys(node), node.keys) if key is not None]
    return None not in keys and all(match_field(info, k).field is None for k in keys)


def reads_as(info: ClassInfo, key: str, raw: bool) -> bool:
    """Whether jsii takes ``key`` for a field: through ``Struct(**d)`` a key must be the Python
    name; as raw data (in a list of blocks) it must be the jsii camelCase name, which is the
    same for one-word fields."""
    if raw:
        return key in info.mapping.values() or (not info.mapping and info.param(key) is not None and "_" not in key)
    return info.param(key) is not None


@dataclass
class _Conversion:
    info: ClassInfo
    keys: list[str]
    fields: list[str | None]
    safety: Safety
    unknown: list[str]
    close: list[str]


@dataclass(frozen=True)
class DictToCall:
    """``{"a": 1, "b": 2}`` -> ``Callee(a=1, b=2)``, keeping comments and line breaks."""

    callee: str
    fields: tuple[str, ...]

    def apply(self, node):
        import libcst as cst

        if not isinstance(node, cst.Dict) or len(node.elements) != len(self.fields):
            from cdktf_fix.engine.rewrite import PairingError

            raise PairingError("expected the dict to convert")
        no_space = cst.SimpleWhitespace("")
        args = []
        last = len(node.elements) - 1
        for index, (element, field) in enumerate(zip(node.elements, self.fields)):
            before, after = element.whitespace_before_colon, element.whitespace_after_colon
            equal = cst.AssignEqual(
                whitespace_before=before if isinstance(before, cst.ParenthesizedWhitespace) else no_space,
                whitespace_after=after if isinstance(after, cst.ParenthesizedWhitespace) else no_space,
            )
            arg = cst.Arg(value=element.value, keyword=cst.Name(field), equal=equal, comma=element.comma)
            if index == last:
                arg = arg.with_changes(whitespace_after_arg=node.rbrace.whitespace_before)
            args.append(arg)
        return cst.Call(func=cst.Name(self.callee), args=args, whitespace_before_args=node.lbrace.whitespace_after, lpar=node.lpar, rpar=node.rpar)


class NestedBlockStruct(ArgumentCodemod):
    id = "nested-block-struct"
    summary = "A dict literal for a nested block with a key jsii drops or rejects"
    why = (
        "How jsii reads a dict depends on where it is. Passed for a single block "
        "(vpc_config={...}) it becomes the struct through Struct(**d): keys must be the Python "
        "snake_case names, and a camelCase key raises TypeError. In a list of blocks "
        "(rule=[{...}], ingress=[{...}]), and anywhere under such a dict, it goes to jsii as it is "
        "and is read with the JS camelCase names: a snake_case key of two or more words is "
        "silently dropped with everything under it. A dict with such a key becomes the struct "
        "the field declares (which maps every name), and what it holds is then read as a single "
        "block again. The dict a list comprehension builds for a list of blocks "
        "(subnet_mapping=[{'subnet_id': s.id} for s in subnets], or list(... for ...)) is read "
        "the same way and converted the same way; the comprehension stays, only its element "
        "becomes the struct call. A dict whose keys jsii reads right stays as written: "
        "single-word keys, camelCase keys in a list, snake_case keys in a single block. Fields "
        "typed Any stay dicts, and so do dict comprehensions (their keys are not known)."
    )
    safety = (
        "Safe: the field declares the struct, and each key matches one field (exactly, by its "
        "camelCase or PascalCase spelling, or as the one close field name); the element of a "
        "comprehension is checked as an element of a literal list is, and its struct's name must "
        "mean that struct inside the comprehension too (a for variable of that name leaves the "
        "dict, with a finding). A key that is close to several fields is an unsafe pick; a key "
        "that matches no field leaves the dict as it is, with a finding, except where every key is a "
        "field of the caller one level up named with the block's first word (EcsService "
        "deployment_configuration={\"maximum_percent\": 200} is deployment_maximum_percent=200): "
        "safe when each key has exactly that one field, not passed already, and the dict is "
        "written in the call."
    )

    def _conversion(self, ctx: FileContext, site: Site, node: ast.expr) -> _Conversion | None:
        """What converting ``node`` takes, when one of its keys is dropped or rejected where it is."""
        if type(node) is not ast.Dict or not node.keys:
            return None
        info = dict_struct(ctx, site)
        keys = string_keys(node)
        if info is None or None in keys or map_entries_for(info, node):
            return None  # ``**spread`` or a computed key: nothing can be checked; map entries are block-shape's
        raw = site.raw or shape_of(site.type) == "list"  # a dict for a list of blocks is read like an element
        if all(reads_as(info, key, raw) for key in keys):
            return None  # jsii reads every key: correct as written
        fields: list[str | None] = []
        safety, unknown, close = Safety.SAFE, [], []
        for key, value in zip(keys, node.values):
            match = match_field(info, key)
            field = match.field
            if match.how == "near" and not value_fits(value, info.param(field).type):
                field = None  # a close name whose field takes another kind of value
            if match.how == "ambiguous":
                field, safety = match.candidates[0], Safety.UNSAFE
            if field is None:
                unknown.append(key)
                close.extend(c for c in match.candidates if c not in close)
            fields.append(field)
        return _Conversion(info, keys, fields, safety, unknown, close)

    def converts(self, ctx: FileContext, site: Site, node: ast.Dict, scope: Scope) -> bool:
        conversion = self._conversion(ctx, site, node)
        return (
            conversion is not None and not conversion.unknown and len(set(conversion.fields)) == len(conversion.fields)
            and ctx.allows(conversion.safety) and not ctx.suppressed(self.id, node)
            and ctx.class_reference(conversion.info.qualified, scope) is not None
        )

    def check_value(self, ctx: FileContext, site: Site, node: ast.expr, scope: Scope) -> None:
        conversion = self._conversion(ctx, site, node)
        if conversion is None:
            return
        info = conversion.info
        if conversion.unknown:
            if self._hoist(ctx, site, node, conversion):
                return
            # keys that belong one level up: ``deployment_configuration={"maximum_percent": ...}``
            # is ``EcsService(deployment_maximum_percent=...)``
            upper = [f"{site.owner.name}({p.name}=...)" for p in site.owner.params for key in conversion.unknown if p.name.endswith("_" + key)]
            listed = ", ".join(f"'{k}'" for k in conversion.unknown)
            verb = "is not a field" if len(conversion.unknown) == 1 else "are not fields"
            ctx.finding(self.id, f"{site.where}: {listed} {verb} of {info.name}; the dict is left as it is", upper + conversion.close or [p.name for p in info.params])
            return
        fields = conversion.fields
        if len(set(fields)) != len(fields):
            ctx.finding(self.id, f"{site.where}: two keys name the same field of {info.name}", [info.name])
            return
        if not ctx.allows(conversion.safety):
            keys = conversion.keys
            ctx.fix(self.id, _summary(keys), f"{info.name}(...)", f"{site.where}: dict to {info.name} (a key is close to several fields)", conversion.safety)
            return
        callee = ctx.class_reference(info.qualified, scope)
        if callee is None:
            ctx.finding(self.id, f"{site.where}: the dict should be {info.name}, but that name is bound to something else here", [info.qualified])
            return
        keys = conversion.keys
        renamed = [f"{k} -> {f}" for k, f in zip(keys, fields) if k != f]
        via = f" (through {site.variable})" if site.variable else ""
        detail = f"; keys {', '.join(renamed)}" if renamed else ""
        if ctx.fix(
            self.id, _summary(keys), f"{info.name}(...)", f"{site.where}{via}: dict converted to {info.name} so jsii maps every key{detail}",
            conversion.safety, [(node, DictToCall(callee, tuple(fields)))],
        ):
            ctx.import_class(info.qualified, scope)


    def _hoist(self, ctx: FileContext, site: Site, node: ast.Dict, conversion: _Conversion) -> bool:
        """Every key of a block given as a keyword is a field of the caller one level up, named
        with the block's first word (``EcsService(deployment_configuration={"maximum_percent":
        200})`` is ``EcsService(deployment_maximum_percent=200)``, CloudFormation's
        DeploymentConfiguration flattened by Terraform): the keyword becomes those fields."""
        call = next((c.node for c in ctx.facts.calls if any(k.value is node for k in c.node.keywords)), None)
        if call is None or site.variable or any(k.arg is None for k in call.keywords):
            return False
        passed = {k.arg for k in call.keywords}
        prefix = site.field.split("_")[0] + "_"
        fields = []
        for key, value in zip(conversion.keys, node.values):
            upper = [p for p in site.owner.params if p.name == prefix + key or (p.name.startswith(prefix) and p.name.endswith("_" + key))]
            if len(upper) != 1 or upper[0].name in passed or upper[0].name in fields or not value_fits(value, upper[0].type):
                return False
            fields.append(upper[0].name)
        old = f"{site.field}={_summary(conversion.keys)}"
        new = ", ".join(f"{f}=..." for f in fields)
        message = f"{site.where}: {', '.join(conversion.keys)} are not fields of {conversion.info.name}; {site.owner.name} has them one level up"
        ctx.fix(self.id, old, new, message, Safety.SAFE, [(call, HoistKeys(site.field, tuple(fields)))], at=node)
        return True


@dataclass(frozen=True)
class HoistKeys:
    """``block={"a": 1, "b": 2}`` in a call -> ``x_a=1, x_b=2`` (``fields``), each value as written,
    each new keyword laid out like the one it replaces."""

    keyword: str
    fields: tuple[str, ...]

    def apply(self, node):
        import libcst as cst

        args = []
        for arg in node.args:
            if arg.keyword is None or arg.keyword.value != self.keyword:
                args.append(arg)
                continue
            if not isinstance(arg.value, cst.Dict) or len(arg.value.elements) != len(self.fields):
                from cdktf_fix.engine.rewrite import PairingError

                raise PairingError("expected the block's dict")
            comma = separator_like(args[-1].comma if args else None)
            for number, (field, element) in enumerate(zip(self.fields, arg.value.elements)):
                last = number == len(self.fields) - 1
                args.append(arg.with_changes(keyword=cst.Name(field), value=element.value, comma=arg.comma if last else comma))
        return node.with_changes(args=args)


def _summary(keys: list[str]) -> str:
    return f"{{{', '.join(repr(k) for k in keys[:3])}{', ...' if len(keys) > 3 else ''}}}"
