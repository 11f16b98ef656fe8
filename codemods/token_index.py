"""token-index: a Terraform list token used like a Python list."""

from __future__ import annotations

import ast
import re

from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import AttributeAsCall, CallAsFunction, IndexAsAttribute, IndexAsCall, ReplaceWithCode
from cdktf_fix.engine.values import Read, is_complex_list, is_list_token, reads
from codemods.base import Codemod

# a hand-written Terraform expression around a pasted list token: ``${element(<list>, <i>)}``
# or ``${<list>[<i>]}`` (the list and the index are formatted values; the index may be a number)
_ELEMENT = re.compile(r"\$\{element\(\x00L\x00,\s*(\x00I\x00|\d+)\s*\)\}")
_INDEXED = re.compile(r"\$\{\x00L\x00\[(\x00I\x00|\d+)\]\}")


class TokenIndex(Codemod):
    id = "token-index"
    summary = "A Terraform list token indexed, measured, split or iterated like a Python list"
    why = (
        "An attribute such as DataAwsAvailabilityZones.names is a list only at apply time: in "
        "Python it is one token. azs.names[0] hands the whole list to a string field, azs.names[1] "
        "raises IndexError, len() is 1, and a for loop runs once; jsii or Terraform then fails "
        "(\"Learn more about iterators\"). The index becomes Fn.element(list, i), len(list) "
        "Fn.length_of(list), s.split(sep) Fn.split(sep, s), and a hand-written \"${element(...)}\" "
        "or \"${list[i]}\" f-string around the token Fn.element. A complex list attribute "
        "(EksCluster.identity) is read with .get(i), never [i], and a nested block by attribute, "
        "never [\"key\"]. A key read on the token an Fn function gives (Fn.jsondecode(s)[\"password\"] "
        "or .password) is Fn.lookup(result, \"password\"). A for loop over a token is "
        "reported with the two ways out: a count loop with Fn.element, or TerraformIterator."
    )
    safety = (
        "Safe: the schema types the attribute as a list token (or a complex list), and each "
        "rewrite is the one meaning Python's spelling had. Negative indexes, slices, and "
        "f-strings of any other shape are findings."
    )

    def check(self, ctx: FileContext) -> None:
        holder = ctx.facts.holder
        for read in reads(ctx):
            kind = read.type
            if read.missing:
                continue
            around = holder.get(id(read.node))
            if is_list_token(kind):
                self._list_token(ctx, read, around)
            elif is_complex_list(ctx, kind):
                self._complex_list(ctx, read, around)
            elif kind == "str":
                self._split(ctx, read)
            elif isinstance(kind, list) and kind[0] == "class" and type(around) is ast.Subscript and around.value is read.node:
                self._object_key(ctx, read, kind, around)
        self._function_results(ctx)

    # -- a list of strings or numbers -------------------------------------------------------
    def _list_token(self, ctx: FileContext, read: Read, around) -> None:
        node, where = read.node, ctx.text(read.node)
        kind = type(around)
        if kind is ast.Subscript and around.value is node:
            index = around.slice
            if type(index) is ast.Slice or _negative(index):
                ctx.finding(self.id, f"{where} is a list token: a slice or negative index of it has no meaning in Python", [f"Fn.slice({where}, start, end)", f"Fn.element({where}, i)"], at=around)
                return
            fn = self._fn(ctx, read)
            if fn:
                new = f"{fn}.element({where}, {ctx.text(index)})"
                if ctx.fix(self.id, ctx.text(around), new, f"{where} is a list token: index it with Fn.element", Safety.SAFE, [(around, IndexAsCall(function=f"{fn}.element"), Place(read.statement))], at=around):
                    self._import(ctx, read)
        elif kind is ast.Call and around.args and around.args[0] is node and around.func.id != "len":
            ctx.finding(
                self.id, f"{around.func.id}({where}) treats a list token as a Python list: it holds one element",
                [f"for i in range(count): ... {self._fn_name(ctx)}.element({where}, i)", f"TerraformIterator.from_list({where}) with for_each"],
                at=around,
            )
        elif kind is ast.Call and around.args and around.args[0] is node:
            fn = self._fn(ctx, read)
            if fn and ctx.fix(self.id, ctx.text(around), f"{fn}.length_of({where})", f"{where} is a list token: len() is 1; Fn.length_of counts at apply time", Safety.SAFE, [(around, CallAsFunction(f"{fn}.length_of"), Place(read.statement))], at=around):
                self._import(ctx, read)
        elif kind in (ast.For, ast.comprehension):
            ctx.finding(
                self.id, f"a Python loop over {where} runs once: it is one list token",
                [f"for i in range(count): ... {self._fn_name(ctx)}.element({where}, i)", f"TerraformIterator.from_list({where}) with for_each"],
                at=around if kind is ast.For else node,
            )
        elif kind is ast.JoinedStr:
            self._pasted(ctx, read, around)

    def _pasted(self, ctx: FileContext, read: Read, string: ast.JoinedStr) -> None:
        """``f"${{element({azs.names}, {i})}}"`` -> ``Fn.element(azs.names, i)``."""
        where = ctx.text(read.node)
        parts, index = [], None
        for part in string.values:
            if type(part) is ast.Constant:
                parts.append(str(part.value).replace("\x00", ""))
            elif part.value is read.node and part.conversion == -1 and part.format_spec is None:
                parts.append("\x00L\x00")
            elif index is None and part.conversion == -1 and part.format_spec is None:
                parts.append("\x00I\x00")
                index = part.value
            else:
                parts.append("\x00?\x00")
        template = "".join(parts)
        match = _ELEMENT.fullmatch(template) or _INDEXED.fullmatch(template)
        place = ctx.places.get(id(string))
        fn = self._fn_name(ctx)
        if match is None or place is None:
            ctx.finding(self.id, f"{where} is a list token pasted into a string: Terraform reads it back as a string", [f"{fn}.element({where}, i)", f"{fn}.join(\",\", {where})"], at=string)
            return
        chosen = ctx.text(index) if match.group(1) == "\x00I\x00" else match.group(1)
        if not self._fn(ctx, read):
            return
        new = f"{fn}.element({where}, {chosen})"
        if ctx.fix(self.id, ctx.text(string), new, f"{where} is a list token: a hand-written ${{...}} around it is Fn.element", Safety.SAFE, [(string, ReplaceWithCode(new), place)], at=string):
            self._import(ctx, read)

    # -- a list of blocks: ``.get(i)`` ----------------------------------------------------------
    def _complex_list(self, ctx: FileContext, read: Read, around) -> None:
        node, where = read.node, ctx.text(read.node)
        if type(around) is ast.Subscript and around.value is node:
            if type(around.slice) is ast.Slice or _negative(around.slice):
                ctx.finding(self.id, f"{where} is a list of blocks: read one with .get(i)", [f"{where}.get(0)"], at=around)
                return
            new = f"{where}.get({ctx.text(around.slice)})"
            ctx.fix(self.id, ctx.text(around), new, f"{where} is a list of blocks: read one with .get(i)", Safety.SAFE, [(around, IndexAsCall(method="get"), Place(read.statement))], at=around)
        elif type(around) in (ast.For, ast.comprehension):
            ctx.finding(self.id, f"a Python loop over {where} runs once: it is one list token", [f"{where}.get(i) for each index", f"TerraformIterator.from_complex_list({where}, key)"], at=around if type(around) is ast.For else node)

    # -- ``endpoint.get(0)["address"]``: a nested block read like a dict --------------------------
    def _object_key(self, ctx: FileContext, read: Read, kind, around: ast.Subscript) -> None:
        key = around.slice
        info = ctx.schema.class_by_qualified(kind[1])
        if info is None or type(key) is not ast.Constant or type(key.value) is not str:
            return
        where = ctx.text(read.node)
        attributes = ctx.schema.attributes(info)
        if key.value in attributes:
            ctx.fix(self.id, ctx.text(around), f"{where}.{key.value}", f"{where} is a block ({info.name}), not a dict: read {key.value} as an attribute", Safety.SAFE,
                    [(around, IndexAsAttribute(key.value), Place(read.statement))], at=around)
        else:
            ctx.finding(self.id, f"{where} is a block ({info.name}), not a dict, and has no attribute {key.value!r}", sorted(attributes)[:5], at=around)

    # -- ``Fn.jsondecode(s)["password"]``: a key read on the token a function gives -----------------
    def _function_results(self, ctx: FileContext) -> None:
        """An ``Fn`` function's result typed Any (``jsondecode``, ``lookup``) is one token in
        Python: a key read on it, ``["k"]`` or ``.k``, is Terraform's ``Fn.lookup(result, "k")``."""
        facts, schema = ctx.facts, ctx.schema
        for binding in ctx.imports.live():
            if binding.origin is None or binding.name != "Fn" or binding.module != schema.framework:
                continue
            info = schema.class_info(binding.module, "Fn")
            methods = schema.methods(info) if info is not None else {}
            for load in binding.origin.symbol.loads:
                attribute = facts.attribute_of.get(id(load.node))
                method = methods.get(attribute.attr) if attribute is not None else None
                call = facts.holder.get(id(attribute)) if attribute is not None else None
                if method is None or method.returns != "any" or type(call) is not ast.Call or call.func is not attribute:
                    continue
                around = facts.holder.get(id(call))
                read = facts.attribute_of.get(id(call))
                if type(around) is ast.Subscript and around.value is call and type(around.slice) is ast.Constant and type(around.slice.value) is str:
                    node, edit = around, IndexAsCall(function="Fn.lookup")
                elif read is not None and type(read.ctx) is ast.Load and not (type(facts.holder.get(id(read))) is ast.Call and facts.holder[id(read)].func is read):
                    node, edit = read, AttributeAsCall("Fn.lookup")
                else:
                    continue
                key = around.slice.value if node is around else read.attr
                if ctx.taken("Fn", load.scope, (schema.framework, "Fn")):
                    continue
                new = f'Fn.lookup({ctx.text(call)}, "{key}")'
                ctx.fix(self.id, ctx.text(node), new, f"Fn.{attribute.attr}(...) is one token in Python: read its key {key!r} with Fn.lookup", Safety.SAFE,
                        [(node, edit, Place(load.statement))], at=node)

    # -- ``s.split(sep)`` on a string attribute ---------------------------------------------------
    def _split(self, ctx: FileContext, read: Read) -> None:
        attribute = ctx.facts.attribute_of.get(id(read.node))
        if attribute is None or attribute.attr != "split":
            return
        call = ctx.facts.holder.get(id(attribute))
        if type(call) is not ast.Call or call.func is not attribute or len(call.args) != 1 or call.keywords:
            return
        where = ctx.text(read.node)
        fn = self._fn(ctx, read)
        new = f"{fn}.split({ctx.text(call.args[0])}, {where})"
        if fn and ctx.fix(self.id, ctx.text(call), new, f"{where} is a token: str.split cuts the token text, Fn.split the value", Safety.SAFE, [(call, CallAsFunction(f"{fn}.split", receiver_last=True), Place(read.statement))], at=call):
            self._import(ctx, read)

    # -- Fn -------------------------------------------------------------------------------------
    @staticmethod
    def _fn_name(ctx: FileContext) -> str:
        return "Fn"

    def _fn(self, ctx: FileContext, read: Read) -> str | None:
        """``Fn`` where the read is, when it is free or already the framework's Fn; else a finding."""
        if ctx.taken("Fn", read.scope, (ctx.schema.framework, "Fn")):
            ctx.finding(self.id, f"{ctx.text(read.node)} needs {ctx.schema.framework}.Fn, but Fn is bound to something else here", [f"from {ctx.schema.framework} import Fn"], at=read.node)
            return None
        return "Fn"

    def _import(self, ctx: FileContext, read: Read) -> None:
        framework = ctx.schema.framework
        if not any(b.module == framework and b.name == "Fn" for b in ctx.imports.live()):
            ctx.imports.add(framework, "Fn", ctx.facts.module)


def _negative(index: ast.expr) -> bool:
    return type(index) is ast.UnaryOp and type(index.op) is ast.USub
