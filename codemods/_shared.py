"""What the import-level codemods share: which import bindings are broken, and how one is
pointed at another class."""

from __future__ import annotations

from cdktf_fix.engine.context import FileContext, ImportBinding
from cdktf_fix.engine.facts import Symbol
from cdktf_fix.engine.result import Safety
from cdktf_fix.schema.resolve import Resolution

MODULE_PROBLEMS = frozenset({"imports", "flat", "module", "pseudo-module"})  # module-path's


def missing(ctx: FileContext, what: str, module: str) -> str:
    """``s3_bucket_versioning.S3BucketVersioning does not exist in cdktn-provider-aws 25.8.1``:
    what does not exist is said of the package version it was looked up in, and when the AWS
    provider removed it in a later major, which release did (``provider_history.json``)."""
    return f"{what} does not exist in {ctx.schema.label_of(module)}{removed_by(ctx, what, module)}"


def removed_by(ctx: FileContext, what: str, module: str) -> str:
    """``; db_security_group was removed by cdktf-cdktf-provider-aws 16.0.9 (aws 5.13.1); ...``
    for a module or class (``module.Class``) of the AWS provider that an older major had."""
    if module.partition(".")[0] != ctx.schema.aws_package:
        return ""
    from cdktf_fix.schema.history import removed_class, removed_module

    name = what.rpartition(".")[2]
    removal = removed_class(module, name) if name[:1].isupper() else removed_module(module)
    return f"; {removal.describe()}" if removal is not None else ""


def qualified(module: str | None, name: str | None) -> str:
    return f"{module}.{name}" if module and name else (module or name or "")


def suggestions(resolution: Resolution) -> list[str]:
    return [qualified(m, n) for m, n in resolution.candidates]


def binding_problem(ctx: FileContext, binding: ImportBinding) -> str | None:
    """Why importing this binding fails, or None:

    - ``imports``: ``imports.aws...`` that nothing generates for this project;
    - ``flat``: a class imported from the provider package's root (it defines none);
    - ``module``: a provider module that does not exist;
    - ``pseudo-module``: ``from cdktf_cdktf_provider_aws import kms`` (no such module);
    - ``name``: a name the (existing) module does not define.
    """
    module, name, schema = binding.module, binding.name, ctx.schema
    root = module.partition(".")[0]
    if root == "imports":
        return None if ctx.generated(module) else "imports"
    provider = root in schema.provider_packages
    if name is None:
        return None if module == root or schema.has_module(module) or not provider else "pseudo-module"
    if provider and module == root:
        if name[:1].islower():
            return None if schema.has_module(f"{module}.{name}") else "pseudo-module"
        return "flat"
    if not schema.has_module(module):
        return "module" if provider else None
    return None if schema.defines(module, name) else "name"


def broken_groups(ctx: FileContext, problems: frozenset[str] | set[str]) -> list[list[ImportBinding]]:
    """Live import bindings with one of ``problems``, a group per symbol and import (a name
    imported twice the same way is fixed the same way twice).

    A ``try``/``except ImportError`` shim is judged whole: an import in its body that fails is
    fine when a fallback in its handler imports the name; when none does, the body's import is
    fixed.  Fallback imports are never touched (they are meant for other versions).
    """
    groups: dict[int, list[ImportBinding]] = {}
    for binding in ctx.imports.live():
        origin = binding.origin
        if origin is None or origin.guard == "fallback":
            continue
        groups.setdefault(id(origin.symbol), []).append(binding)
    found = []
    for bindings in groups.values():
        same: dict[tuple, list[ImportBinding]] = {}
        for binding in bindings:
            same.setdefault((binding.module, binding.name), []).append(binding)
        for group in same.values():
            if binding_problem(ctx, group[0]) in problems and not _shim_works(ctx, group[0]):
                found.append(group)
    return found


def _shim_works(ctx: FileContext, binding: ImportBinding) -> bool:
    """An import in a shim's body whose name a fallback of the same shim imports."""
    origin = binding.origin
    if origin.guard != "shim":
        return False
    return any(
        b.origin is not None and b.origin.guard == "fallback" and b.origin.shim is origin.shim and b.local == binding.local
        and binding_problem(ctx, b) is None
        for b in ctx.imports.live()
    )


def retarget(ctx: FileContext, codemod: str, bindings: list[ImportBinding], module: str, name: str, message: str, safety: Safety) -> bool:
    """Point a group of bindings of one symbol at (module, name); rename the symbol's uses when
    its local name changes.  When the new name is taken where the symbol is used (or the symbol
    is bound otherwise too), the import keeps its local name as an alias
    (``import S3BucketVersioningA as S3BucketVersioning``) and no use changes.  False when not
    applied (unsafe, suppressed, or its nodes are taken this round)."""
    first = bindings[0]
    node = first.origin.node if first.origin else None
    old, new = qualified(first.module, first.name), qualified(module, name)
    new_local = first.local if (first.origin and first.origin.aliased) or first.name is None else name
    edits = []
    if new_local != first.local:
        symbol = first.origin.symbol
        others = [b for b in ctx.imports.of_symbol(symbol) if b not in bindings]
        scopes = {symbol.scope, *(o.scope for o in (*symbol.loads, *symbol.stores))}
        shimmed = all(b.origin is not None and b.origin.guard == "fallback" for b in others)
        if not (symbol.only_imports or shimmed) or (others and not shimmed) or any(ctx.taken(new_local, s, (module, name)) for s in scopes):
            new_local = first.local
            message += f" (imported as {new_local}: {name} means something else where it is used)"
        else:
            edits = ctx.rename_edits(symbol, new_local)
    if not ctx.fix(codemod, old, new, message, safety, edits, at=node):
        if not ctx.allows(safety):
            ctx.imports.proposed.add(id(first))
        return False
    ctx.imports.handled.add(id(first))
    for binding in bindings:
        binding.module, binding.name, binding.local = module, name, new_local
    return True


def class_chains(ctx: FileContext, symbol: Symbol) -> dict[tuple[str, ...], list]:
    """The class chains read through ``symbol`` (``kms.KmsKey``, ``aws.s3_bucket.S3Bucket``),
    each with its uses: (occurrence, outermost attribute node)."""
    found: dict[tuple[str, ...], list] = {}
    for occurrence in symbol.loads:
        chain, node = ctx.facts.chain_at(occurrence)
        if len(chain) > 1 and chain[-1][:1].isupper():
            found.setdefault(chain, []).append((occurrence, node))
    return found


def rename_member(ctx: FileContext, codemod: str, node, statement, written: str, names: dict, owner: str, where: str, kind: str) -> None:
    """``owner.written`` does not exist: rename the read (an ``ast.Attribute``) to the one member
    of ``names`` (name -> type) it stands for, or report the close ones."""
    import difflib

    from cdktf_fix.engine.context import Place
    from cdktf_fix.engine.rewrite import SetAttribute
    from cdktf_fix.schema.resolve import one_member, snake_case

    found = one_member(written, list(names), owner, names)
    if found is not None:
        name, safety, how = found
        ctx.fix(codemod, f".{written}", f".{name}", f"{where} does not exist: it is {owner}.{name} ({how})", safety,
                [(node, SetAttribute(name), Place(statement))], at=node)
        return
    close = difflib.get_close_matches(written, list(names), n=5, cutoff=0.6)
    stem = [n for n in names if n.startswith(snake_case(written).split("_")[0])]
    ctx.finding(codemod, f"{where} does not exist: {owner} has no {kind} close to it", close or stem[:5] or sorted(names)[:8], at=node)
