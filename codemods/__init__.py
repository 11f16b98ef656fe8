"""The codemods, one per failure class, in the order the engine runs them.

Import-level codemods come first (they make callees resolvable); the argument-level ones
(``ArgumentCodemod``) run together in one traversal, in this order, on each node.
"""

from __future__ import annotations

from codemods.any_block_class import AnyBlockClass
from codemods.attribute_name import AttributeName
from codemods.backend_lockfile import BackendLockfile
from codemods.base import ArgumentCodemod, Codemod
from codemods.block_shape import BlockShape
from codemods.class_member import ClassMember
from codemods.class_name import ClassName
from codemods.construct_id import ConstructId
from codemods.framework_mix import FrameworkMix
from codemods.kwarg_name import KwargName
from codemods.literal_type import LiteralType
from codemods.missing_import import MissingImport
from codemods.module_path import ModulePath
from codemods.nested_block_struct import NestedBlockStruct
from codemods.no_equivalent import NoEquivalent
from codemods.provider_string import ProviderString
from codemods.required_arg import RequiredArg
from codemods.struct_as_resource import StructAsResource
from codemods.struct_class import StructClass
from codemods.terraform_asset import TerraformAsset
from codemods.token_index import TokenIndex

ALL_CODEMODS: tuple[Codemod, ...] = (
    ModulePath(),
    ClassName(),
    MissingImport(),
    AnyBlockClass(),
    NoEquivalent(),
    FrameworkMix(),
    StructClass(),
    KwargName(),
    NestedBlockStruct(),
    BlockShape(),
    LiteralType(),
    TerraformAsset(),
    RequiredArg(),
    ConstructId(),
    ProviderString(),
    StructAsResource(),
    AttributeName(),
    ClassMember(),
    TokenIndex(),
    BackendLockfile(),
)
BY_ID: dict[str, Codemod] = {c.id: c for c in ALL_CODEMODS}

__all__ = ["ALL_CODEMODS", "BY_ID", "ArgumentCodemod", "Codemod"]
