"""The provider schema: built statically from the installed packages or a shipped snapshot."""

from cdktf_fix.schema.model import ClassInfo, Param, SchemaIndex, name_key, shape_of, struct_of
from cdktf_fix.schema.store import SchemaUnavailable, load_index

__all__ = ["ClassInfo", "Param", "SchemaIndex", "SchemaUnavailable", "load_index", "name_key", "shape_of", "struct_of"]
