"""terraform-asset: ``TerraformAsset(type=AssetType.ARCHIVE)`` on a file that is already an archive."""

from __future__ import annotations

import re

import libcst as cst

from cdktf_fix.arguments import CallSite
from cdktf_fix.context import FileContext
from cdktf_fix.result import Safety
from codemods._shared import code_of
from codemods.base import ArgumentCodemod

# the last path component names a file: ``processor.zip``, ``handler.py``, ``layer.tar.gz``
_FILE_NAME = re.compile(r"[^/\\]*\.[A-Za-z][A-Za-z0-9]{0,4}$")


def _last_text(node: cst.CSTNode) -> str | None:
    """The last string piece of a path expression: a literal, ``os.path.join(..., "x.zip")``,
    ``Path(...) / "x.zip"``, or an f-string's last text."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        return _last_text(node.right)
    if isinstance(node, cst.FormattedString):
        last = node.parts[-1] if node.parts else None
        return last.value if isinstance(last, cst.FormattedStringText) else None
    if isinstance(node, cst.Call) and node.args:
        return _last_text(node.args[-1].value)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Divide, cst.Add)):
        return _last_text(node.right)
    return None


def names_a_file(path: cst.BaseExpression) -> bool:
    text = _last_text(path)
    return text is not None and _FILE_NAME.search(text) is not None


def _argument(node: cst.Call, keyword: str, position: int) -> cst.Arg | None:
    positional = [a for a in node.args if a.keyword is None and not a.star]
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg
    return positional[position] if len(positional) > position else None


class TerraformAsset(ArgumentCodemod):
    id = "terraform-asset"
    summary = "TerraformAsset of type ARCHIVE on a path that is a file (a .zip already)"
    why = (
        "AssetType.ARCHIVE zips a directory; given a .zip file, synth fails. A file asset copies "
        "the file into the synth output, which is what a pre-built archive needs. Where the "
        "asset only served its .path, the plain path does the same without an asset."
    )
    safety = (
        "Safe: AssetType.ARCHIVE -> AssetType.FILE keeps the asset and its path. Unsafe: "
        "TerraformAsset(...).path -> the plain path (the value Terraform gets changes from the "
        "copied asset to the original file)."
    )

    def _archive_of_file(self, ctx: FileContext, node: cst.Call) -> cst.Arg | None:
        """The ``type=AssetType.ARCHIVE`` argument when the path names a file."""
        kind = _argument(node, "type", 3)
        path = _argument(node, "path", 2)
        if kind is None or path is None or not names_a_file(path.value):
            return None
        value = kind.value
        if not (isinstance(value, cst.Attribute) and value.attr.value == "ARCHIVE"):
            return None
        enum = ctx.resolve(value.value)
        return kind if enum is not None and enum.qualified == "cdktf.AssetType" else None

    def leave_call(self, ctx: FileContext, call: CallSite, node: cst.Call) -> cst.BaseExpression:
        if call.info.qualified != "cdktf.TerraformAsset":
            return node
        kind = self._archive_of_file(ctx, node)
        if kind is None or (call.attribute == "path" and ctx.allows(Safety.UNSAFE)):
            return node
        if call.attribute == "path":
            ctx.add_fix(self.id, None, "TerraformAsset(...).path", code_of(_argument(node, "path", 2).value)[:60], "the asset only serves its .path: the plain path would do", Safety.UNSAFE, applied=False)
        enum = kind.value
        new_value = enum.with_changes(attr=cst.Name("FILE"))
        ctx.add_fix(self.id, None, code_of(enum), code_of(new_value), "the path is a file (an archive already): a FILE asset copies it", Safety.SAFE)
        return node.with_changes(args=[a.with_changes(value=new_value) if a is kind else a for a in node.args])

    def leave_attribute(self, ctx: FileContext, node: cst.Attribute) -> cst.BaseExpression:
        call = node.value
        if node.attr.value != "path" or not isinstance(call, cst.Call) or not ctx.allows(Safety.UNSAFE):
            return node
        info = ctx.resolve(call.func)
        if info is None or info.qualified != "cdktf.TerraformAsset":
            return node
        kind = self._archive_of_file(ctx, call)
        if kind is None:
            return node
        path = _argument(call, "path", 2).value
        ctx.add_fix(self.id, None, "TerraformAsset(...).path", code_of(path)[:60], "the asset only served its .path, and the path is an archive already", Safety.UNSAFE)
        for used in (call.func, kind.value.value):
            if isinstance(used, cst.Name):
                ctx.forget_use(used.value)
        return path.with_changes(lpar=node.lpar, rpar=node.rpar) if node.lpar else path
