"""What every codemod is: an id tied to one failure class, its documentation, and its check."""

from __future__ import annotations

import ast
from typing import ClassVar

from cdktf_fix.engine.arguments import CallSite, Site, run_argument_codemods
from cdktf_fix.engine.context import FileContext
from cdktf_fix.engine.facts import Scope


class Codemod:
    """One failure class.  ``check`` reads the round's facts (the file's ``ast``) and records
    what it finds in the context: a fix with the edits that make it (``ctx.fix``), a change of
    import bindings (the import planner writes them), or a finding (``ctx.finding``).  Codemods
    never touch libcst trees; their edits do, when the engine applies them."""

    id: ClassVar[str]
    summary: ClassVar[str]  # one line: what goes wrong
    why: ClassVar[str]  # why it matters, and what the fix does
    safety: ClassVar[str]  # the fix safety and its reason

    def check(self, ctx: FileContext) -> None:
        raise NotImplementedError


class ArgumentCodemod(Codemod):
    """A codemod on what is passed to schema classes.

    The engine runs all argument codemods in one walk (``cdktf_fix.engine.arguments``): each
    hook gets a node whose values were checked already.
    """

    def converts(self, ctx: FileContext, site: Site, node: ast.Dict, scope: Scope) -> bool:
        """Whether this codemod turns the dict ``node`` into a struct call (asked top-down, before
        the values inside it: what is under a struct call is read as a single block)."""
        return False

    def check_value(self, ctx: FileContext, site: Site, node: ast.expr, scope: Scope) -> None:
        """``node`` is passed where ``site.type`` is expected."""

    def check_call(self, ctx: FileContext, call: CallSite, node: ast.Call, scope: Scope) -> None:
        """``node`` calls the schema class ``call.info``."""

    def check(self, ctx: FileContext) -> None:
        run_argument_codemods(ctx, [self])
