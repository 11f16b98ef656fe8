"""The schema: what the target's framework and provider packages define, read statically from
a shipped snapshot, the cache, an installed package or a downloaded wheel."""

from cdktf_fix.schema.model import ClassInfo, Param, SchemaIndex, name_key, shape_of, struct_of
from cdktf_fix.schema.store import SchemaUnavailable


def load_index(target=None, fetch: bool = False) -> SchemaIndex:
    """The index of ``target`` (default: cdktf 0.21.0 + cdktf-cdktf-provider-aws 21.22.1);
    SchemaUnavailable when a package of it has no schema here."""
    from cdktf_fix.schema.target import default_target, schema_for

    loaded = schema_for(target or default_target(), fetch)
    if loaded.missing:
        raise SchemaUnavailable("; ".join(loaded.missing.values()))
    return loaded.index


__all__ = ["ClassInfo", "Param", "SchemaIndex", "SchemaUnavailable", "load_index", "name_key", "shape_of", "struct_of"]
