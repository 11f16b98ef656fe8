"""What every codemod is: an id tied to one failure class, its documentation, and a run step."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from cdktf_fix.arguments import CallSite, Site, run_argument_codemods
from cdktf_fix.context import FileContext


class Codemod:
    """One failure class.  ``run`` reads the tree and the context, and returns the tree.

    Import-level codemods change bindings in the context (the import planner writes them);
    codemods that edit expressions return a transformed tree.  A codemod records every
    applied fix with ``ctx.add_fix`` and everything it cannot fix with ``ctx.add_finding``.
    """

    id: ClassVar[str]
    summary: ClassVar[str]  # one line: what goes wrong
    why: ClassVar[str]  # why it matters, and what the fix does
    safety: ClassVar[str]  # the fix safety and its reason

    def run(self, ctx: FileContext, tree: cst.Module) -> cst.Module:
        raise NotImplementedError


class ArgumentCodemod(Codemod):
    """A codemod on what is passed to schema classes.

    The engine runs all argument codemods in one traversal (``cdktf_fix.arguments``): each
    hook gets a node whose children are already fixed and returns it, or its replacement.
    """

    def leave_value(self, ctx: FileContext, site: Site, node: cst.BaseExpression) -> cst.BaseExpression:
        """``node`` is passed where ``site.type`` is expected."""
        return node

    def leave_call(self, ctx: FileContext, call: CallSite, node: cst.Call) -> cst.BaseExpression:
        """``node`` calls the schema class ``call.info``."""
        return node

    def leave_attribute(self, ctx: FileContext, node: cst.Attribute) -> cst.BaseExpression:
        """``node`` reads an attribute (``TerraformAsset(...).path``); ``ctx.resolve`` names callees."""
        return node

    def run(self, ctx: FileContext, tree: cst.Module) -> cst.Module:
        return run_argument_codemods(ctx, tree, [self])
