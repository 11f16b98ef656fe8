"""struct-as-resource: a nested-block struct called like a resource becomes the resource whose
keywords it fits, or is reported.

A struct called like a resource has its values checked by the argument walk against the
struct's fields (a list for ``rule=`` is a single block there).  An imported name is pointed at
the resource before the walk reads the calls after the first value it shows this codemod, so
those are checked against the resource's fields in the same round.  A call read through a
module (``s3_bucket.S3BucketServerSideEncryptionConfiguration``), or read before that point,
can get fixes for the struct's fields in that round that the next round undoes (the result
is the same, the reports show both).
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass

from cdktf_fix.engine.arguments import CallSite
from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.facts import Scope
from cdktf_fix.engine.result import Safety
from cdktf_fix.schema.model import CONSTRUCT_KINDS, ClassInfo, accepted, name_key, struct_of
from codemods._shared import retarget
from codemods.base import ArgumentCodemod


def resource_names(schema) -> dict[str, tuple[str, str]]:
    """name key -> (module, class) of every provider resource (memoized on the index)."""
    found = schema.memo.get("resource-names")
    if found is None:
        found = {}
        for module in schema.provider_modules:
            for name, kind in schema.names_in(module).items():
                if kind == "resource":
                    found[name_key(name)] = (module, name)
        schema.memo["resource-names"] = found
    return found


def likely_resources(schema, struct: str, n: int = 3) -> list[str]:
    """Resources a struct name probably meant: ``SecurityGroupIngress`` ->
    ``vpc_security_group_ingress_rule.VpcSecurityGroupIngressRule``, ``security_group_rule...``."""
    names = resource_names(schema)
    key = name_key(struct)
    close = difflib.get_close_matches(key, list(names), n=n, cutoff=0.6)
    containing = [k for k in names if k.startswith(key) or key in k]
    ordered = sorted(set(containing), key=len)[:n] + close
    seen, result = set(), []
    for k in ordered:
        if k not in seen:
            seen.add(k)
            module, name = names[k]
            result.append(f"{module.rpartition('.')[2]}.{name}")
    return result[:n] or [f"{m.rpartition('.')[2]}.{c}" for m, c in list(names.values())[:1]]


# -- which resource a struct call stands for (the schema only) ------------------------------------

@dataclass(frozen=True)
class _Resource:
    """What a resource class takes: its keyword-only params, the required ones, its positionals."""

    module: str
    name: str
    params: frozenset[str]
    required: frozenset[str]
    positional: int
    str_params: frozenset[str]  # params that take a plain string (and nothing else)


def _resource(info: ClassInfo) -> _Resource:
    return _Resource(
        info.module, info.name,
        frozenset(p.name for p in info.params),
        frozenset(p.name for p in info.params if p.required),
        len(info.positional),
        frozenset(p.name for p in info.params if accepted(p.type) == {"str"}),
    )


def package_resources(schema, package: str) -> list[_Resource]:
    """Every resource class of one provider package (memoized on the index: read once)."""
    key = ("struct-as-resource", "resources", package)
    found = schema.memo.get(key)
    if found is None:
        found = []
        for module in schema.provider_modules:
            if module.partition(".")[0] != package:
                continue
            for name, kind in schema.names_in(module).items():
                if kind == "resource":
                    info = schema.class_info(module, name)
                    if info is not None:
                        found.append(_resource(info))
        schema.memo[key] = found
    return found


@dataclass(frozen=True)
class Block:
    """Where the struct is a block: ``SecurityGroupIngress`` is ``SecurityGroup.ingress``; its
    family are the fields of the owner whose blocks take the same fields (``ingress``, ``egress``)."""

    owner: str
    field: str
    family: frozenset[str]


def block_of(schema, struct: ClassInfo) -> Block | None:
    """The field of a class of the struct's module that declares the struct (memoized)."""
    key = ("struct-as-resource", "block", struct.qualified)
    if key in schema.memo:
        return schema.memo[key]
    found = None
    fields = {p.name for p in struct.params}
    # the construct classes first: ``SecurityGroupConfig`` repeats ``SecurityGroup``'s fields
    names = schema.names_in(struct.module)
    for name in sorted(names, key=lambda n: names[n] not in CONSTRUCT_KINDS):
        owner = schema.class_info(struct.module, name)
        if owner is None or owner.name == struct.name:
            continue
        for param in owner.params:
            if struct_of(param.type) != struct.qualified:
                continue
            family = set()
            for other in owner.params:
                sibling = struct_of(other.type)
                sibling_info = schema.class_by_qualified(sibling) if sibling else None
                if sibling_info is not None and {p.name for p in sibling_info.params} == fields:
                    family.add(other.name)
            found = Block(owner.name, param.name, frozenset(family))
            break
        if found is not None:
            break
    schema.memo[key] = found
    return found


@dataclass(frozen=True)
class Target:
    """The resource a struct call becomes."""

    module: str
    name: str
    safety: Safety
    added: tuple[tuple[str, str], ...]  # (keyword, value code) the call gets
    reason: str  # why this resource
    why_added: str = ""  # why those values


@dataclass(frozen=True)
class NoTarget:
    """Why the call stays a finding, with the resources to suggest."""

    reason: str
    suggestions: tuple[str, ...] = ()


def _short(module: str, name: str) -> str:
    return f"{module.rpartition('.')[2]}.{name}"


def find_target(schema, struct: ClassInfo, positional: int, keywords: frozenset[str]) -> Target | NoTarget:
    """The resource of the struct's provider package that takes every keyword as written
    (memoized on the index per struct and keywords)."""
    key = ("struct-as-resource", "target", struct.qualified, positional, keywords)
    found = schema.memo.get(key)
    if found is None:
        found = schema.memo[key] = _find_target(schema, struct, positional, keywords)
    return found


def _find_target(schema, struct: ClassInfo, positional: int, keywords: frozenset[str]) -> Target | NoTarget:
    package = struct.module.partition(".")[0]

    def fits(resource: _Resource) -> bool:
        return resource.positional == positional and keywords <= resource.params

    # 1. the resource with the struct's own name, up to jsii's A suffix
    same = [p for p in schema.same_key(struct.name) if p[0].partition(".")[0] == package and schema.kind(*p) == "resource"]
    same_fitting = [r for r in (_resource(schema.class_info(*p)) for p in same) if fits(r)]
    if len(same_fitting) == 1:
        r = same_fitting[0]
        return Target(r.module, r.name, Safety.SAFE, (), f"{r.name} has its name up to jsii's A suffix and takes every keyword it is given")

    # 2. the resources named after the struct or its owner (``SecurityGroupRule`` and
    # ``VpcSecurityGroupIngressRule`` for ``SecurityGroup.ingress``) that take every keyword as
    # written and get every keyword they require
    block = block_of(schema, struct)
    owner = [block.owner] if block is not None and name_key(block.owner) not in ("", name_key(struct.name)) else []
    if owner and name_key(owner[0]) in name_key(struct.name):
        keys, named_after = {name_key(owner[0])}, owner[0]  # what holds the struct's name holds its owner's
    else:
        keys, named_after = {name_key(n) for n in [struct.name, *owner]}, " or ".join([struct.name, *owner])
    complete, completed, defaulted = [], [], []
    for r in package_resources(schema, package):
        if not fits(r) or not any(k in name_key(r.name) for k in keys):
            continue
        left = sorted(f for f in block.family if f in r.params and f not in keywords) if block is not None else []
        if left:
            defaulted.append((r, left))  # a field named after the block (NetworkAclRule's egress) would take its default
            continue
        missing = r.required - keywords
        if not missing:
            complete.append((r, ()))
        elif block is not None and _names_block(struct, block) and len(block.family) > 1 and len(missing) == 1 and missing <= r.str_params:
            # one resource for several blocks of the owner (SecurityGroupRule for ingress and
            # egress), told apart by one required string: the block's field name
            completed.append((r, ((next(iter(missing)), f'"{block.field}"'),)))
    why_added = f"it tells apart the blocks of {block.owner} it stands for ({', '.join(sorted(block.family))}), and {struct.name} is {block.field}" if block else ""
    candidates = complete + completed
    names = tuple(_short(r.module, r.name) for r, _ in candidates)
    if not candidates and defaulted:
        r, left = defaulted[0]
        return NoTarget(f"{r.name} takes every keyword it is given, but its own {' and '.join(left)} would be left to its default", (_short(r.module, r.name),))
    if not candidates:
        return NoTarget(f"no resource named after {named_after} takes every keyword it is given")
    if len(candidates) == 1:
        r, added = candidates[0]
        if added:
            return Target(r.module, r.name, Safety.UNSAFE, added, f"{r.name} is the one resource named after {named_after} that takes every keyword it is given, and it requires {added[0][0]}", why_added)
        return Target(r.module, r.name, Safety.SAFE, (), f"{r.name} is the one resource named after {named_after} that takes every keyword it is given and gets every keyword it requires")
    # a choice: the one whose name holds the struct's
    key = name_key(struct.name)
    named = [(r, added) for r, added in candidates if key in name_key(r.name)]
    if len(named) == 1:
        r, added = named[0]
        choice = " and ".join(c.name for c, _ in candidates)
        return Target(r.module, r.name, Safety.UNSAFE, added, f"{choice} take every keyword it is given; {r.name} is named like it", why_added if added else "")
    return NoTarget(f"several resources take every keyword it is given ({', '.join(names)})", names)


def _names_block(struct: ClassInfo, block: Block) -> bool:
    """``SecurityGroupIngress`` is ``SecurityGroup`` + ``ingress``: the value comes from the name."""
    return name_key(struct.name) == name_key(block.owner) + block.field.replace("_", "").lower()


# -- the edit --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ToResource:
    """``security_group.SecurityGroupIngress(self, "r", ...)`` -> ``SecurityGroupRule(self, "r",
    type="ingress", ...)``: the callee (when ``callee``) and keywords after the positionals."""

    callee: str | None
    added: tuple[tuple[str, str], ...]

    def apply(self, node):
        import libcst as cst

        if self.callee is not None:
            node = node.with_changes(func=cst.Name(self.callee, lpar=node.func.lpar, rpar=node.func.rpar))
        if not self.added:
            return node
        args = list(node.args)
        at = sum(1 for a in args if a.keyword is None and not a.star)
        # the comma between two arguments, as the call writes it (one a line, or inline)
        between = _separator(args[at - 1].comma if at < len(args) else args[at - 2].comma if at >= 2 else cst.MaybeSentinel.DEFAULT)
        new = [
            cst.Arg(
                value=cst.parse_expression(value),
                keyword=cst.Name(keyword),
                equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
                comma=between,
            )
            for keyword, value in self.added
        ]
        if at == len(args):  # nothing after the positionals: the new last one takes the call's last comma
            last = args[-1].comma
            new[-1] = new[-1].with_changes(comma=_separator(last) if isinstance(last, cst.Comma) else last)
            layout = last.whitespace_after if isinstance(last, cst.Comma) else None
            if isinstance(layout, cst.ParenthesizedWhitespace) and isinstance(between.whitespace_after, cst.ParenthesizedWhitespace):
                # the comment after the id stays after the id
                between = between.with_changes(whitespace_after=between.whitespace_after.with_changes(first_line=layout.first_line, empty_lines=layout.empty_lines))
            # what ends the last argument (the space or line break before ``)``) ends the new one
            new[-1] = new[-1].with_changes(whitespace_after_arg=args[-1].whitespace_after_arg)
            args[-1] = args[-1].with_changes(comma=between, whitespace_after_arg=cst.SimpleWhitespace(""))
        return node.with_changes(args=args[:at] + new + args[at:])


def _separator(comma):
    """A comma to write between two arguments like ``comma`` (without the comment its line may
    end with: that stays where it is)."""
    import libcst as cst

    if not isinstance(comma, cst.Comma):
        return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    layout = comma.whitespace_after
    if isinstance(layout, cst.ParenthesizedWhitespace):
        return comma.with_changes(whitespace_after=layout.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[]))
    return comma


# -- the codemod -----------------------------------------------------------------------------------

_DONE = "done"  # a call converted (or proposed) this round
_PER_CALL = "per call"  # the name stays (it has other uses): each call gets the resource's name


class StructAsResource(ArgumentCodemod):
    id = "struct-as-resource"
    summary = "A nested-block struct called like a resource, with a scope and an id"
    why = (
        "SecurityGroupIngress is the ingress block of SecurityGroup, not a resource: called as "
        "SecurityGroupIngress(self, 'r', ...) it raises TypeError. The call becomes the "
        "resource of the same provider whose keywords it fits as written: "
        "S3BucketServerSideEncryptionConfiguration (the block of S3Bucket) becomes "
        "S3BucketServerSideEncryptionConfigurationA, and SecurityGroupIngress becomes "
        "SecurityGroupRule with type='ingress' (its required type names the block). A name "
        "imported for it is moved to the resource's module and renamed with every use; a class "
        "read through a module (security_group.SecurityGroupIngress) is replaced by the "
        "resource's name, with its import. When no resource takes every keyword, the call is "
        "reported with the resources it probably meant."
    )
    safety = (
        "Safe when the schema leaves one resource and nothing is added: the resource with the "
        "struct's name up to jsii's A suffix that takes every keyword as written, or else the "
        "one resource named after the struct or the resource it is a block of (SecurityGroupRule "
        "for SecurityGroupIngress) that takes every keyword as written and gets every keyword it "
        "requires. Unsafe when a value is added (the required string that tells "
        "apart the blocks one resource stands for, SecurityGroupRule's type, gets the block's "
        "name: type='ingress') or when several resources fit and the one named like the struct "
        "is picked. Otherwise a finding: no resource fits, several do, a resource field named "
        "after the block would be left to its default (NetworkAclRule's egress), the resource's "
        "name is bound to something else here. An imported name that is also used otherwise (as "
        "the block it is) keeps its import; each call like a resource gets the resource's name "
        "and its import. A fix offered but not applied keeps the finding "
        "(the call still fails). Structs of the core framework (cdktf) are never touched."
    )

    def check_value(self, ctx: FileContext, site, node: ast.expr, scope: Scope) -> None:
        """Nothing of its own: the first value of a round is the earliest point to prepare."""
        self._prepared(ctx)

    def check_call(self, ctx: FileContext, call: CallSite, node: ast.Call, scope: Scope) -> None:
        outcomes = self._prepared(ctx)
        info = call.info
        if not _struct_call(ctx, info, node):
            return
        found = outcomes.get(id(node))
        if found is _PER_CALL or (found is None and type(node.func) is not ast.Name):
            found = self._target(ctx, info, node)
            if isinstance(found, Target):
                found = self._replace_callee(ctx, info, node, scope, found)
        if not isinstance(found, NoTarget):
            return
        fields = {p.name for p in info.params}
        foreign = [k.arg for k in node.keywords if k.arg is not None and k.arg not in fields]
        extra = f"; {', '.join(foreign)} belong to the resource it stands for" if foreign else ""
        suggestions = list(found.suggestions) or likely_resources(ctx.schema, info.name)
        ctx.finding(
            self.id,
            f"{info.name} is a nested block of another resource, not a resource: it takes no scope and id{extra} ({found.reason})",
            suggestions,
            at=node,
        )

    def _target(self, ctx: FileContext, info: ClassInfo, node: ast.Call) -> Target | NoTarget:
        if any(type(a) is ast.Starred for a in node.args) or any(k.arg is None for k in node.keywords):
            return NoTarget("its arguments are not all written out")
        return find_target(ctx.schema, info, len(node.args), frozenset(k.arg for k in node.keywords))

    # -- ``SecurityGroupIngress(self, ...)`` through ``from ...security_group import SecurityGroupIngress``
    def _prepared(self, ctx: FileContext) -> dict[int, object]:
        """Imported names of structs called like resources are pointed at their resources at
        the first node this codemod is shown in a round, before the walk reads the calls that
        come after it: their values are then checked against the resource's fields, not the
        struct's, in the same round (a call read before that is converted all the same)."""
        outcomes = ctx.memo.get(self.id)  # per round: id(call) -> _DONE or the NoTarget it is reported with
        if outcomes is not None:
            return outcomes
        outcomes = ctx.memo[self.id] = {}
        by_symbol: dict[int, tuple] = {}
        for call in ctx.facts.calls:
            func = call.node.func
            if type(func) is not ast.Name:
                continue
            info = ctx.resolve(func)
            if info is None or not _struct_call(ctx, info, call.node):
                continue
            symbol = ctx.facts.symbol_of_name(func)
            by_symbol.setdefault(id(symbol), (symbol, info, []))[2].append(call)
        for symbol, info, calls in by_symbol.values():
            outcomes.update(self._rename_import(ctx, symbol, info, calls))
        return outcomes

    def _rename_import(self, ctx: FileContext, symbol, info: ClassInfo, calls: list) -> dict[int, object]:
        """The import is pointed at the resource and every use renamed (``retarget``), when every
        use of the name is a call like these that becomes the same resource.  For each call:
        ``_DONE``, the NoTarget it is reported with, or None (nothing this round: the next one
        sees the code as it then is)."""
        targets = [self._target(ctx, info, call.node) for call in calls]

        def each(found) -> dict[int, object]:
            return {id(call.node): found for call in calls}

        fitting = [t for t in targets if isinstance(t, Target)]
        if not fitting:
            return {id(call.node): t for call, t in zip(calls, targets)}
        target = fitting[0]
        suggestion = (_short(target.module, target.name),)
        if len(fitting) < len(targets) or any((t.module, t.name) != (target.module, target.name) for t in fitting):
            # the import cannot be renamed for some calls only: each call that fits gets its resource's name
            return {id(call.node): t if isinstance(t, NoTarget) else _PER_CALL for call, t in zip(calls, targets)}
        bindings = ctx.imports.of_symbol(symbol)
        binding = bindings[0] if len(bindings) == 1 else None
        if binding is None or binding.origin is None or binding.name is None or binding.origin.guard is not None or not symbol.only_imports:
            return each(NoTarget(f"it would be {target.name}, but {symbol.name} is not bound by one plain import", suggestion))
        if binding.changed:
            return each(None)  # another codemod moves it this round
        if len(symbol.loads) != len(calls) or ctx.annotation_uses(symbol):
            return each(_PER_CALL)  # also used as a block (or otherwise): the import stays
        if not binding.origin.aliased:
            scopes = {symbol.scope, *(o.scope for o in symbol.loads)}
            if any(ctx.taken(target.name, s, (target.module, target.name)) for s in scopes):
                return each(NoTarget(f"it would be {target.name}, but that name is bound to something else here", suggestion))
        if any(ctx.suppressed(self.id, call.node) for call in calls):
            return each(NoTarget(f"it would be {target.name}", suggestion))
        safety = Safety.UNSAFE if any(t.safety is Safety.UNSAFE for t in targets) else Safety.SAFE
        message = f"{info.name} is a nested block, not a resource: {target.reason}"
        applied = retarget(ctx, self.id, [binding], target.module, target.name, message, safety)
        if not applied and ctx.allows(safety):
            # suppressed where it is imported: reported; else its nodes are taken this round
            return each(NoTarget(f"it would be {target.name}", suggestion) if ctx.suppressed(self.id, binding.origin.node) else None)
        for call, found in zip(calls, targets):
            if found.added:
                edit = ToResource(None, found.added)
                ctx.fix(self.id, "", _added(found), f"{target.name} requires {_added(found)}: {found.why_added}", found.safety, [(call.node, edit, Place(call.statement))], at=call.node)
        return each(_DONE if applied else _proposed(target))

    # -- ``security_group.SecurityGroupIngress(self, ...)``: a class read through a module
    def _replace_callee(self, ctx: FileContext, info: ClassInfo, node: ast.Call, scope: Scope, target: Target) -> NoTarget | None:
        qualified = f"{target.module}.{target.name}"
        callee = ctx.class_reference(qualified, scope)
        suggestion = (_short(target.module, target.name),)
        if callee is None:
            return NoTarget(f"it would be {target.name}, but that name is bound to something else here", suggestion)
        if ctx.suppressed(self.id, node):
            return NoTarget(f"it would be {target.name}", suggestion)
        message = f"{info.name} is a nested block, not a resource: {target.reason}"
        applied = ctx.fix(self.id, ctx.text(node.func), callee, message, target.safety, [(node, ToResource(callee, target.added))], at=node)
        if applied:
            ctx.import_class(qualified, scope)
            root = node.func
            while type(root) is ast.Attribute:
                root = root.value
            ctx.forget_use(ctx.facts.symbol_of_name(root))
        if target.added and (applied or not ctx.allows(target.safety)):
            ctx.fix(self.id, "", _added(target), f"{target.name} requires {_added(target)}: {target.why_added}", target.safety, at=node)
        return None if applied or ctx.allows(target.safety) else _proposed(target)


def _struct_call(ctx: FileContext, info: ClassInfo, node: ast.Call) -> bool:
    """A provider struct called with a scope and an id (two positional arguments or more)."""
    if info.kind != "struct" or info.module.split(".")[0] in ctx.schema.core_packages:
        return False
    return sum(type(a) is not ast.Starred for a in node.args) >= 2


def _added(target: Target) -> str:
    return ", ".join(f"{k}={v}" for k, v in target.added)


def _proposed(target: Target) -> NoTarget:
    """An unsafe fix not applied: the call still fails, so it stays a finding that names it
    (as no-equivalent does for class-name's unsafe picks)."""
    with_added = f" with {_added(target)}" if target.added else ""
    return NoTarget(f"maybe {target.name}{with_added}, an unsafe fix", (_short(target.module, target.name),))
