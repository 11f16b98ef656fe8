"""The schema: what the target's framework and provider packages define, read statically from
a shipped snapshot, the cache, an installed package or a downloaded wheel."""

from cdktf_fix.schema.model import ClassInfo, Param, SchemaIndex, name_key, shape_of, struct_of
from cdktf_fix.schema.store import SchemaUnavailable


def load_index(target=None, fetch: bool = False) -> SchemaIndex:
    """The index of ``target``: a Target, or requirement strings (``["cdktn"]``,
    ``["cdktf-cdktf-provider-aws==19.50.0"]``) read as ``--target`` with no project; default
    cdktf 0.21.0 + cdktf-cdktf-provider-aws 21.22.1.  SchemaUnavailable when a package of it
    has no schema here."""
    from cdktf_fix.schema.target import Target, Targets, default_target, schema_for

    if target is not None and not isinstance(target, Target):
        target = Targets(tuple(target), offline=not fetch).target_for(None, fetch=fetch)
    loaded = schema_for(target or default_target(), fetch)
    if loaded.missing:
        raise SchemaUnavailable("; ".join(loaded.missing.values()))
    return loaded.index


__all__ = ["ClassInfo", "Param", "SchemaIndex", "SchemaUnavailable", "load_index", "name_key", "shape_of", "struct_of"]
