"""What every codemod is: an id tied to one failure class, its documentation, and a run step."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

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
