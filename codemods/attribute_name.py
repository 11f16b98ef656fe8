"""attribute-name: an attribute or method read on a resource that it does not have."""

from __future__ import annotations

import ast

from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import SplitAttribute
from cdktf_fix.engine.values import is_complex_list, reads
from codemods._shared import rename_member
from codemods.base import Codemod


class AttributeName(Codemod):
    id = "attribute-name"
    summary = "An attribute read on a resource, data source or nested block that the class does not expose"
    why = (
        "Python raises AttributeError before anything is synthesized. Models write attributes "
        "of other tools or of their own invention (azs.names_fqn for azs.names, "
        "cluster.identity_get(0) for cluster.identity.get(0), a camelCase vpcId). The read is "
        "renamed to the attribute the schema declares on the class the value was built from "
        "(x = Cls(...) bound once, or self.x assigned once in its class); with no close "
        "attribute it is reported with the ones there are."
    )
    safety = (
        "Safe when the schema leaves one attribute: the written name is that attribute's "
        "snake_case or camelCase spelling, the attribute after the class's own name "
        "(vpc.vpc_id -> vpc.id), a value attribute plus a suffix no other attribute shares "
        "(names_fqn -> names), <complex list>_get(i) for .get(i), or the one close name. "
        "Several close names: unsafe (the closest is picked). None: a finding."
    )

    def check(self, ctx: FileContext) -> None:
        for read in reads(ctx):
            if read.missing and not read.name.startswith("_"):
                self._missing(ctx, read)

    def _missing(self, ctx: FileContext, read) -> None:
        schema = ctx.schema
        node, written = read.node, read.name
        exposed = {**schema.attributes(read.owner)}
        methods = schema.methods(read.owner)
        where = f"{read.owner.name}.{written}"
        call = ctx.facts.holder.get(id(node))
        called = type(call) is ast.Call and call.func is node
        # ``identity_get(0)``: the complex list ``identity`` read with ``.get(0)``
        if written.endswith("_get") and called and len(call.args) == 1 and is_complex_list(ctx, exposed.get(written[:-4])):
            base = written[:-4]
            ctx.fix(self.id, f"{written}(", f"{base}.get(", f"{where} does not exist: {base} is a list of blocks, read with .get(i)", Safety.SAFE,
                    [(node, SplitAttribute(base, "get"), Place(read.statement))], at=node)
            return
        pool = {n: m.returns for n, m in methods.items()} if called else exposed
        rename_member(ctx, self.id, node, read.statement, written, pool, read.owner.name, where, "method" if called else "attribute")
