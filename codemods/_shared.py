"""Helpers the codemods share."""

from __future__ import annotations

import libcst as cst

from cdktf_fix.context import FileContext, ImportBinding
from cdktf_fix.resolve import Resolution
from cdktf_fix.result import Safety


def qualified(module: str | None, name: str | None) -> str:
    return f"{module}.{name}" if module and name else (module or name or "")


def suggestions(resolution: Resolution) -> list[str]:
    return [qualified(m, n) for m, n in resolution.candidates]


def unresolved_bindings(ctx: FileContext) -> list[ImportBinding]:
    """Live bindings of a name that the (existing) module they import from does not define."""
    found = []
    for binding in ctx.live_bindings():
        module, name = binding.module, binding.name
        if name is None or not ctx.schema.has_module(module) or ctx.schema.defines(module, name):
            continue
        if module.startswith("imports") and "imports" in ctx.options.local_packages:
            continue
        found.append(binding)
    return found


def retarget(ctx: FileContext, codemod: str, binding: ImportBinding, module: str, name: str, message: str, safety: Safety) -> bool:
    """Point a binding at (module, name); rename its uses when the local name changes.

    Returns False (and records nothing) when the new local name is taken by something else in
    the file.  An unsafe change that is not enabled is recorded as a proposal only.
    """
    node = binding.origin.node if binding.origin else None
    if ctx.suppressed(codemod, node):
        return False
    old = qualified(binding.module, binding.name)
    new = qualified(module, name)
    new_local = binding.local if (binding.origin and binding.origin.aliased) or binding.name is None else name
    if new_local != binding.local:
        other = ctx.binding_for(new_local)
        taken_by_code = ctx.facts is not None and new_local in ctx.facts.bound
        if taken_by_code or (other is not None and (other.module, other.name) != (module, name)):
            ctx.add_finding(codemod, node, f"{old} should be {new}, but {new_local} is already bound in this file", [new])
            return False
    if not ctx.allows(safety):
        ctx.add_fix(codemod, node, old, new, message, safety, applied=False)
        return False
    ctx.add_fix(codemod, node, old, new, message, safety)
    if new_local != binding.local:
        if ctx.facts is not None and ctx.facts.references.get(binding.local):
            ctx.rename(binding.local, new_local)
        duplicate = ctx.binding_for(new_local)
        if duplicate is not None and duplicate is not binding:
            ctx.update_binding(binding, removed=True)
            return True
    ctx.update_binding(binding, module=module, name=name, local=new_local)
    return True


# -- argument-level helpers ------------------------------------------------------------------

def code_of(node) -> str:
    return cst.Module([]).code_for_node(node)


class _Comments(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Comment(self, node: cst.Comment) -> None:
        self.found = True


def has_comment(node) -> bool:
    finder = _Comments()
    node.visit(finder)
    return finder.found
