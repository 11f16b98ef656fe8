"""nested-block-struct: a dict literal passed for a nested block, instead of its struct class."""

from __future__ import annotations

import libcst as cst

from cdktf_fix.arguments import Site, is_any, match_field, string_key
from cdktf_fix.context import FileContext
from cdktf_fix.result import Safety
from cdktf_fix.schema.model import struct_of
from codemods.base import ArgumentCodemod

_NO_SPACE = cst.SimpleWhitespace("")


def map_entries_for(info, node: cst.Dict) -> bool:
    """``node`` holds plain map entries for a struct whose only field is a map
    (``default_tags={"Env": "dev"}`` for ``AwsProviderDefaultTags.tags``, Lambda
    ``environment={"K": "v"}`` for ``variables``): no key names a field, and ``**spread``
    entries are entries too."""
    only_map = len(info.params) == 1 and isinstance(info.params[0].type, list) and info.params[0].type[0] == "map"
    if not only_map or not node.elements:
        return False
    keys = [string_key(e) for e in node.elements if isinstance(e, cst.DictElement)]
    return None not in keys and all(match_field(info, k).field is None for k in keys)


def dict_to_call(node: cst.Dict, callee: str, fields: list[str]) -> cst.Call:
    """``{"a": 1, "b": 2}`` -> ``callee(a=1, b=2)``, keeping comments and line breaks."""
    args = []
    last = len(node.elements) - 1
    for index, (element, field) in enumerate(zip(node.elements, fields)):
        before, after = element.whitespace_before_colon, element.whitespace_after_colon
        equal = cst.AssignEqual(
            whitespace_before=before if isinstance(before, cst.ParenthesizedWhitespace) else _NO_SPACE,
            whitespace_after=after if isinstance(after, cst.ParenthesizedWhitespace) else _NO_SPACE,
        )
        arg = cst.Arg(value=element.value, keyword=cst.Name(field), equal=equal, comma=element.comma)
        if index == last:
            arg = arg.with_changes(whitespace_after_arg=node.rbrace.whitespace_before)
        args.append(arg)
    return cst.Call(
        func=cst.Name(callee),
        args=args,
        whitespace_before_args=node.lbrace.whitespace_after,
        lpar=node.lpar,
        rpar=node.rpar,
    )


class NestedBlockStruct(ArgumentCodemod):
    id = "nested-block-struct"
    summary = "A dict literal passed for a nested block instead of its typed struct class"
    why = (
        "jsii reads a list of dicts (rule=[{...}], ingress=[{...}]) with the JS camelCase names: a "
        "snake_case key with two or more words is silently dropped with everything under it, and "
        "a single dict only takes snake_case keys. The dict becomes the struct the field declares, "
        "recursively, so every key is mapped by jsii and none can vanish. Keys are matched to "
        "fields by snake_case, camelCase and nearest name. Fields typed Any stay dicts."
    )
    safety = (
        "Safe: the field declares the struct, and each key matches one field (exactly, by its "
        "camelCase or PascalCase spelling, or as the one close field name). A key that is close "
        "to several fields is an unsafe pick; a key that matches no field leaves the dict as it "
        "is, with a finding."
    )

    def leave_value(self, ctx: FileContext, site: Site, node: cst.BaseExpression) -> cst.BaseExpression:
        if not isinstance(node, cst.Dict) or not node.elements or is_any(site.type):
            return node
        struct = struct_of(site.type)
        info = ctx.schema.class_by_qualified(struct) if struct else None
        if info is None:
            return node
        keys = [string_key(element) for element in node.elements]
        if None in keys:
            return node  # ``**spread`` or a computed key: nothing can be checked
        if map_entries_for(info, node):
            return node  # plain entries for the struct's one map: block-shape moves them inside
        matches = [match_field(info, key) for key in keys]
        fields, safety, renamed, unknown, close = [], Safety.SAFE, [], [], []
        for key, match in zip(keys, matches):
            field = match.field
            if match.how == "ambiguous" and ctx.allows(Safety.UNSAFE):
                field, safety = match.candidates[0], Safety.UNSAFE
            if field is None:
                unknown.append(key)
                close.extend(c for c in match.candidates if c not in close)
                continue
            if field != key:
                renamed.append(f"{key} -> {field}")
            fields.append(field)
        if unknown:
            # keys that belong one level up: ``deployment_configuration={"maximum_percent": ...}``
            # is ``EcsService(deployment_maximum_percent=...)``
            upper = [f"{site.owner.name}({p.name}=...)" for p in site.owner.params for key in unknown if p.name.endswith("_" + key)]
            listed = ", ".join(f"'{k}'" for k in unknown)
            ctx.add_finding(
                self.id, None,
                f"{site.where}: {listed} {'is not a field' if len(unknown) == 1 else 'are not fields'} of {info.name}; the dict is left as it is",
                upper + close or [p.name for p in info.params],
            )
            return node
        if len(set(fields)) != len(fields):
            ctx.add_finding(self.id, None, f"{site.where}: two keys name the same field of {info.name}", [info.name])
            return node
        callee = ctx.class_reference(info.qualified)
        if callee is None:
            ctx.add_finding(self.id, None, f"{site.where}: the dict should be {info.name}, but that name is bound to something else in this file", [info.qualified])
            return node
        via = f" (through {site.variable})" if site.variable else ""
        detail = f"; keys {', '.join(renamed)}" if renamed else ""
        ctx.add_fix(
            self.id, None, f"{{{', '.join(repr(k) for k in keys[:3])}{', ...' if len(keys) > 3 else ''}}}", f"{info.name}(...)",
            f"{site.where}{via}: dict converted to {info.name} so jsii maps every key{detail}", safety,
        )
        return dict_to_call(node, callee, fields)
