"""terraform-asset: ``TerraformAsset(type=AssetType.ARCHIVE)`` on a file that is already an archive."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from cdktf_fix.engine.arguments import CallSite
from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.facts import Scope
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import SetAttribute
from cdktf_fix.engine.values import bound_value
from codemods.base import ArgumentCodemod

# the last path component names a file: ``processor.zip``, ``handler.py``, ``layer.tar.gz``
_FILE_NAME = re.compile(r"[^/\\]*\.[A-Za-z][A-Za-z0-9]{0,4}$")


def _last_text(ctx: FileContext, node: ast.expr, depth: int = 0) -> str | None:
    """The last string piece of a path expression: a literal, ``os.path.join(..., "x.zip")``,
    ``Path(...) / "x.zip"``, an f-string's last text, or a name bound once to one of these."""
    kind = type(node)
    if kind is ast.Name:
        value = bound_value(ctx, node) if depth < 4 else None
        return _last_text(ctx, value, depth + 1) if value is not None else None
    if kind is ast.Constant:
        return node.value if isinstance(node.value, str) else None
    if kind is ast.JoinedStr:
        last = node.values[-1] if node.values else None
        return last.value if type(last) is ast.Constant and isinstance(last.value, str) else None
    if kind is ast.Call and node.args:
        return _last_text(ctx, node.args[-1], depth)
    if kind is ast.BinOp and type(node.op) in (ast.Div, ast.Add):
        return _last_text(ctx, node.right, depth)
    return None


def names_a_file(ctx: FileContext, path: ast.expr) -> bool:
    text = _last_text(ctx, path)
    return text is not None and _FILE_NAME.search(text) is not None


def _argument(node: ast.Call, keyword: str, position: int) -> ast.expr | None:
    for each in node.keywords:
        if each.arg == keyword:
            return each.value
    positional = [a for a in node.args if type(a) is not ast.Starred]
    return positional[position] if len(positional) > position else None


@dataclass(frozen=True)
class PlainPath:
    """``TerraformAsset(..., path=P, ...).path`` -> ``P``."""

    def apply(self, node):
        call = node.value
        path = None
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "path":
                path = arg.value
        if path is None:
            positional = [a for a in call.args if a.keyword is None and not a.star]
            path = positional[2].value
        return path.with_changes(lpar=node.lpar, rpar=node.rpar) if node.lpar else path


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

    def _archive_of_file(self, ctx: FileContext, node: ast.Call) -> ast.Attribute | None:
        """The ``AssetType.ARCHIVE`` value of ``type=`` when the path names a file."""
        kind = _argument(node, "type", 3)
        path = _argument(node, "path", 2)
        if kind is None or path is None or not names_a_file(ctx, path):
            return None
        if not (type(kind) is ast.Attribute and kind.attr == "ARCHIVE"):
            return None
        enum = ctx.resolve(kind.value)
        return kind if enum is not None and enum.qualified == "cdktf.AssetType" else None

    def check_call(self, ctx: FileContext, call: CallSite, node: ast.Call, scope: Scope) -> None:
        if call.info.qualified != "cdktf.TerraformAsset":
            return
        kind = self._archive_of_file(ctx, node)
        if kind is None:
            return
        place = ctx.places[id(node)]
        attribute = call.attribute
        if attribute is not None and attribute.attr == "path":
            path = ctx.text(_argument(node, "path", 2), 60)
            message = "the asset only served its .path, and the path is an archive already"
            if ctx.fix(self.id, "TerraformAsset(...).path", path, message, Safety.UNSAFE, [(attribute, PlainPath(), Place(place.unit))]):
                for used in (node.func, kind.value):
                    if type(used) is ast.Name:
                        ctx.forget_use(ctx.facts.symbol_of_name(used))
                return
        old = ctx.text(kind)
        new = old[: -len("ARCHIVE")] + "FILE"
        ctx.fix(self.id, old, new, "the path is a file (an archive already): a FILE asset copies it", Safety.SAFE, [(kind, SetAttribute("FILE"), Place(place.unit))])
