"""attribute-name: an attribute or method read on a resource that it does not have."""

from __future__ import annotations

import ast
import difflib

from cdktf_fix.engine.context import FileContext, Place
from cdktf_fix.engine.result import Safety
from cdktf_fix.engine.rewrite import SetAttribute, SplitAttribute
from cdktf_fix.engine.values import is_complex_list, reads
from cdktf_fix.schema.model import name_words
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
        pool = methods if called else exposed
        found = _one_attribute(written, list(pool), read.owner.name, exposed)
        if found is not None:
            name, safety, how = found
            ctx.fix(self.id, f".{written}", f".{name}", f"{where} does not exist: it is {name} ({how})", safety,
                    [(node, SetAttribute(name), Place(read.statement))], at=node)
            return
        close = difflib.get_close_matches(written, list(pool), n=5, cutoff=0.6)
        stem = [n for n in pool if n.startswith(_snake(written).split("_")[0])]
        ctx.finding(self.id, f"{where} does not exist: {read.owner.name} has no {'method' if called else 'attribute'} close to it", close or stem[:5] or sorted(pool)[:8], at=node)


def _squash(name: str) -> str:
    return name.replace("_", "").lower()


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def _one_attribute(written: str, names: list[str], owner: str = "", kinds: dict | None = None) -> tuple[str, Safety, str] | None:
    """(name, safety, why) of the attribute ``written`` stands for, when the names leave one."""
    same = [n for n in names if _squash(n) == _squash(written)]
    if len(same) == 1:
        return same[0], Safety.SAFE, "the same name in snake_case"
    snake = _snake(written)
    # ``vpc.vpc_id``, ``bucket.bucket_arn``: the class's own name before a real attribute
    words = [w.lower() for w in name_words(owner)]
    for cut in range(len(words)):
        prefix = "_".join(words[cut:]) + "_"
        if snake.startswith(prefix) and snake[len(prefix):] in names:
            return snake[len(prefix):], Safety.SAFE, f"the attribute after the class's own name {prefix[:-1]}"
    # ``names_fqn``: an attribute (not a nested block) and a suffix, when no other attribute
    # shares that stem (``website_url`` is none of website, website_domain, website_endpoint)
    prefixed = [n for n in names if snake.startswith(n + "_")]
    if prefixed:
        stem = max(prefixed, key=len)
        kind = (kinds or {}).get(stem)
        siblings = [n for n in names if n != stem and n.startswith(stem + "_")]
        if not siblings and not (isinstance(kind, list) and kind[0] in ("class", "struct")):
            return stem, Safety.SAFE, "the attribute the name starts with"
    close = difflib.get_close_matches(written, names, n=3, cutoff=0.8)
    if len(close) == 1:
        return close[0], Safety.SAFE, "the one close name"
    if close:
        return close[0], Safety.UNSAFE, f"the closest of {', '.join(close)}"
    return None
