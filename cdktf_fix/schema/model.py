"""The schema index: what the installed provider (or its snapshot) defines, and lookups on it.

Modules are keyed by their dotted Python path (``cdktf_cdktf_provider_aws.s3_bucket``,
``cdktf``, ``constructs``).  Each class has a kind (resource, data, provider, struct, enum,
interface, class), its positional parameters, its keyword-only parameters as
``[name, required, type]`` and, for structs, the ``name_mapping`` to jsii camelCase names.

The type model is plain data:

- scalars: ``"str"``, ``"number"``, ``"bool"``, ``"date"``, ``"any"``, ``"resolvable"``
- ``["list", T]``, ``["map", T]``, ``["union", [T, ...]]``
- ``["struct", "module.Name"]``, ``["enum", "module.Name"]``, ``["class", "module.Name"]``,
  ``["ref", "module.Name"]`` (a class of a package that is not in the index)
"""

from __future__ import annotations

import difflib
import marshal
import re
from dataclasses import dataclass
from functools import cached_property

PROVIDER_PACKAGE = "cdktf_cdktf_provider_aws"
PROVIDER_DISTRIBUTION = "cdktf-cdktf-provider-aws"
CONSTRUCT_KINDS = frozenset({"resource", "data", "provider"})

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")


def name_words(name: str) -> list[str]:
    """``S3BucketVersioningA`` -> ``["S3", "Bucket", "Versioning", "A"]``."""
    return _WORD.findall(name)


def name_key(name: str) -> str:
    """A spelling-insensitive key: case, underscores and jsii's ``A`` suffixes removed.

    ``S3BucketServerSideEncryptionConfigurationRuleAApplyServerSideEncryptionByDefault`` and
    ``S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA`` share
    a key, and so do ``TimestreamWriteDatabase`` and ``TimestreamwriteDatabase``.
    """
    return "".join(w for w in name_words(name) if w != "A").lower()


def module_key(module: str) -> str:
    """``timestream_write_database`` and ``timestreamwrite_database`` share a key."""
    return module.rpartition(".")[2].replace("_", "").lower()


_MISSING = object()


@dataclass(frozen=True)
class Param:
    name: str
    required: bool
    type: object


@dataclass(frozen=True)
class Method:
    name: str
    how: str  # "instance", "class" or "static"
    params: tuple[str, ...]  # positional first, then keyword-only
    required: int  # how many positional parameters have no default
    returns: object  # a type of the type model


@dataclass(frozen=True)
class ClassInfo:
    module: str
    name: str
    kind: str
    positional: tuple[str, ...]
    params: tuple[Param, ...]
    mapping: dict
    attrs: tuple[tuple[str, object], ...] = ()  # the properties it exposes: (name, type), its own
    methods: tuple[Method, ...] = ()  # its own public methods
    bases: tuple[str, ...] = ()  # qualified names of the classes it extends

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}"

    def param(self, name: str) -> Param | None:
        for param in self.params:
            if param.name == name:
                return param
        return None


@dataclass
class Part:
    """The schema of one distribution at one version (a provider, a framework core, constructs):
    class names and kinds per module, and each module's details as a marshal blob."""

    distribution: str
    version: str
    names: dict[str, dict[str, str]]
    blobs: dict[str, bytes]

    @classmethod
    def from_schema(cls, schema: dict) -> Part:
        """From what ``build.build_part`` returns (or a snapshot of it)."""
        modules = schema["modules"]
        names = {m: {c: info["kind"] for c, info in data["classes"].items()} for m, data in modules.items()}
        blobs = {m: marshal.dumps(data["classes"]) for m, data in modules.items()}
        return cls(schema.get("distribution", ""), schema.get("version", ""), names, blobs)

    def to_cache(self) -> bytes:
        return marshal.dumps({"distribution": self.distribution, "version": self.version, "names": self.names, "blobs": self.blobs})

    @classmethod
    def from_cache(cls, data: bytes) -> Part:
        loaded = marshal.loads(data)
        return cls(loaded["distribution"], loaded["version"], loaded["names"], loaded["blobs"])

    @property
    def packages(self) -> set[str]:
        return {m.partition(".")[0] for m in self.names}


class SchemaIndex:
    """Lookups on the schema of one target: the parts of its framework core, constructs and
    prebuilt providers.  Module details are decoded lazily, on first use."""

    def __init__(self, parts: list[Part], target=None, source: str = "", unchecked: frozenset[str] = frozenset()):
        self.parts = list(parts)
        # packages of the target that have no schema here (not fetched, unsupported layout):
        # their imports are left alone, neither fixed nor reported
        self.unchecked = unchecked
        self.target = target  # the Target this index is for (None: built directly, in tests)
        self.source = source
        self._names: dict[str, dict[str, str]] = {}
        self._blobs: dict[str, bytes] = {}
        for part in self.parts:
            self._names.update(part.names)
            self._blobs.update(part.blobs)
        self._details: dict[str, dict] = {}
        self._classes: dict[tuple[str, str], ClassInfo | None] = {}
        self.memo: dict = {}  # lookups that callers memoize on this index
        packages = {m.partition(".")[0] for m in self._names}
        self.framework = "cdktn" if "cdktn" in packages else "cdktf"
        self.core_packages = frozenset(packages & {"cdktf", "cdktn", "constructs"}) | {self.framework, "constructs"}
        self.provider_packages = tuple(sorted(packages - self.core_packages))
        # the packages a file's imports are looked up in: ``imports.<p>`` are bindings ``cdktf get``
        # generates, read as the prebuilt provider of the same name
        self.roots = frozenset(self.provider_packages) | self.core_packages | {"imports"}

    @property
    def versions(self) -> dict[str, str]:
        return {part.distribution: part.version for part in self.parts}

    @property
    def label(self) -> str:
        """What messages name: ``cdktn-provider-aws 25.8.1``, or the target's providers."""
        providers = [f"{p.distribution} {p.version}" for p in self.parts if p.distribution not in ("cdktf", "cdktn", "constructs")]
        return ", ".join(providers) or ", ".join(f"{p.distribution} {p.version}" for p in self.parts)

    def label_of(self, module: str) -> str:
        """The package version a module is looked up in: ``cdktn-provider-aws 25.8.1``
        (``imports.aws...`` and unknown modules: the AWS provider's)."""
        root = module.partition(".")[0]
        if root not in self.core_packages:
            root = self.package_of(module)
        for part in self.parts:
            if root in part.packages:
                return f"{part.distribution} {part.version}"
        return self.label

    def package_for(self, local: str) -> str | None:
        """The provider package ``imports.<local>`` stands for (``aws`` -> ``cdktn_provider_aws``)."""
        for package in self.provider_packages:
            if package.endswith("_provider_" + local):
                return package
        return None

    @cached_property
    def aws_package(self) -> str:
        return self.package_for("aws") or PROVIDER_PACKAGE

    def is_provider_module(self, module: str) -> bool:
        return module.partition(".")[0] in self.provider_packages

    def is_schema_module(self, module: str) -> bool:
        """A module of a package this index describes: a provider, the framework core,
        constructs, or ``imports.<p>`` of a provider it has."""
        root, _, rest = module.partition(".")
        if root == "imports":
            return self.package_for(rest.partition(".")[0]) is not None
        return root in self.roots

    def is_provider_side(self, module: str) -> bool:
        """A provider module, or ``imports.<p>``: ``import x.y`` of these binds a module path."""
        root = module.partition(".")[0]
        return root == "imports" or root in self.provider_packages

    def package_of(self, module: str) -> str:
        """The provider package a written module belongs to (``imports.aws...`` -> the AWS
        package); the AWS package for modules of no provider."""
        root = module.partition(".")[0]
        if root in self.provider_packages:
            return root
        if root == "imports":
            return self.package_for(module.split(".")[1] if "." in module else "") or self.aws_package
        return self.aws_package

    def as_provider_module(self, module: str) -> str:
        """``imports.aws.s3_bucket`` -> ``<aws package>.s3_bucket``; other modules as they are."""
        root, _, rest = module.partition(".")
        if root == "imports":
            local, _, tail = rest.partition(".")
            package = self.package_for(local)
            if package:
                return f"{package}.{tail}" if tail else package
        return module

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_schema(cls, schema: dict, source: str = "") -> SchemaIndex:
        """One scanned schema dict (``{"modules": ...}``) as an index: tests and tools."""
        return cls([Part.from_schema(schema)], None, source)

    # -- modules -------------------------------------------------------------------------
    def has_module(self, module: str) -> bool:
        return module in self._names

    @property
    def modules(self) -> list[str]:
        return list(self._names)

    @cached_property
    def provider_modules(self) -> list[str]:
        return [m for m in self._names if m.partition(".")[0] in self.provider_packages]

    def names_in(self, module: str) -> dict[str, str]:
        """Class name -> kind for one module (empty when the module does not exist)."""
        return self._names.get(module, {})

    def defines(self, module: str, name: str) -> bool:
        return name in self._names.get(module, ())

    def kind(self, module: str, name: str) -> str | None:
        return self._names.get(module, {}).get(name)

    # -- global lookups ------------------------------------------------------------------
    @cached_property
    def _where(self) -> dict[str, list[str]]:
        where: dict[str, list[str]] = {}
        for module, names in self._names.items():
            for name in names:
                where.setdefault(name, []).append(module)
        return where

    @cached_property
    def _by_key(self) -> dict[str, list[tuple[str, str]]]:
        by_key: dict[str, list[tuple[str, str]]] = {}
        for module, names in self._names.items():
            for name in names:
                by_key.setdefault(name_key(name), []).append((module, name))
        return by_key

    @cached_property
    def _modules_by_key(self) -> dict[tuple[str, str], list[str]]:
        by_key: dict[tuple[str, str], list[str]] = {}
        for module in self.provider_modules:
            by_key.setdefault((module.partition(".")[0], module_key(module)), []).append(module)
        return by_key

    def where(self, name: str) -> list[str]:
        """Modules that define ``name`` exactly."""
        return list(self._where.get(name, ()))

    def same_key(self, name: str) -> list[tuple[str, str]]:
        """(module, name) pairs whose name differs from ``name`` only by case or ``A`` suffixes."""
        return list(self._by_key.get(name_key(name), ()))

    def modules_with_key(self, module: str, package: str | None = None) -> list[str]:
        """Provider modules named like ``module`` up to underscores, in ``package`` (the one
        ``module`` names, else the AWS provider)."""
        if package is None:
            package = self.package_of(module) if "." in module else self.aws_package
        return list(self._modules_by_key.get((package, module_key(module)), ()))

    def closest_names(self, name: str, n: int = 5, cutoff: float = 0.75, module: str | None = None) -> list[tuple[str, str]]:
        """Nearest real (module, class) pairs by spelling, best first."""
        if module is not None:
            matches = difflib.get_close_matches(name, list(self.names_in(module)), n=n, cutoff=cutoff)
            return [(module, m) for m in matches]
        key = name_key(name)
        # compare with names of the same service only (same first letters): 25k names are too many
        keys = self._keys_by_prefix.get(key[:4], [])
        matches = difflib.get_close_matches(key, keys, n=n, cutoff=cutoff)
        found = [pair for k in matches for pair in self._by_key[k]]
        return found[:n]

    @cached_property
    def _keys_by_prefix(self) -> dict[str, list[str]]:
        buckets: dict[str, list[str]] = {}
        for key in self._by_key:
            buckets.setdefault(key[:4], []).append(key)
        return buckets

    # -- class details ---------------------------------------------------------------------
    def _module_details(self, module: str) -> dict:
        details = self._details.get(module)
        if details is None:
            details = marshal.loads(self._blobs[module]) if module in self._blobs else {}
            self._retype_foreign(details)
            self._details[module] = details
        return details

    def _retype_foreign(self, classes: dict) -> None:
        """Refs into another part (a provider's ``cdktf.TerraformResourceLifecycle``) get the
        kind that part gives the class: parts are built apart, so this is done on loading."""

        def retype(t):
            if not isinstance(t, list):
                return t
            if t[0] == "ref":
                module, _, name = t[1].rpartition(".")
                kind = self.kind(module, name)
                if kind is None:
                    return t
                return ["struct" if kind == "struct" else "enum" if kind == "enum" else "class", t[1]]
            if t[0] == "union":
                return ["union", [retype(m) for m in t[1]]]
            return [t[0], retype(t[1])]

        for info in classes.values():
            for param in info["params"]:
                param[2] = retype(param[2])
            for attr in info.get("attrs", ()):
                attr[1] = retype(attr[1])
            for method in info.get("methods", ()):
                method[4] = retype(method[4])

    def class_info(self, module: str, name: str) -> ClassInfo | None:
        """The class ``name`` of ``module`` (built once per index, then shared)."""
        key = (module, name)
        found = self._classes.get(key, _MISSING)
        if found is _MISSING:
            found = self._classes[key] = self._build_class_info(module, name)
        return found

    def _build_class_info(self, module: str, name: str) -> ClassInfo | None:
        raw = self._module_details(module).get(name)
        if raw is None:
            return None
        params = tuple(Param(p[0], bool(p[1]), p[2]) for p in raw["params"])
        attrs = tuple((a[0], a[1]) for a in raw.get("attrs", ()))
        attrs += tuple((member, ["enum", f"{module}.{name}"]) for member in raw.get("members", ()))  # an enum's members
        methods = tuple(Method(m[0], m[1], tuple(m[2]), m[3], m[4]) for m in raw.get("methods", ()))
        return ClassInfo(module, name, raw["kind"], tuple(raw["positional"]), params, raw.get("mapping", {}), attrs, methods, tuple(raw.get("bases", ())))

    def lineage(self, info: ClassInfo) -> list[ClassInfo]:
        """``info`` and the classes it extends that the index knows, nearest first."""
        key = ("lineage", info.qualified)
        found = self.memo.get(key)
        if found is None:
            found, queue, seen = [], [info], set()
            while queue:
                current = queue.pop(0)
                if current.qualified in seen:
                    continue
                seen.add(current.qualified)
                found.append(current)
                queue.extend(b for b in map(self.class_by_qualified, current.bases) if b is not None)
            self.memo[key] = found
        return found

    def attributes(self, info: ClassInfo) -> dict[str, object]:
        """Every attribute an instance of ``info`` exposes (its own and inherited), with its type."""
        out: dict[str, object] = {}
        for cls in self.lineage(info):
            for name, kind in cls.attrs:
                out.setdefault(name, kind)
        return out

    def methods(self, info: ClassInfo) -> dict[str, Method]:
        """Every public method of ``info`` (its own and inherited)."""
        out: dict[str, Method] = {}
        for cls in self.lineage(info):
            for method in cls.methods:
                out.setdefault(method.name, method)
        return out

    def class_by_qualified(self, qualified: str) -> ClassInfo | None:
        module, _, name = qualified.rpartition(".")
        return self.class_info(module, name)

    def field_type(self, module: str, name: str, field: str):
        info = self.class_info(module, name)
        param = info.param(field) if info else None
        return param.type if param else None

    def field_struct(self, module: str, name: str, field: str) -> str | None:
        """The qualified struct a field expects (single or list), or None."""
        return struct_of(self.field_type(module, name, field))

    def field_shape(self, module: str, name: str, field: str) -> str | None:
        """``"single"``, ``"list"``, ``"either"`` or None (unknown field / not a block)."""
        return shape_of(self.field_type(module, name, field))


def struct_of(t) -> str | None:
    if not isinstance(t, list):
        return None
    if t[0] == "struct":
        return t[1]
    if t[0] == "list":
        return struct_of(t[1])
    if t[0] == "union":
        found = {s for s in (struct_of(m) for m in t[1]) if s}
        return found.pop() if len(found) == 1 else None
    return None


def shape_of(t) -> str | None:
    if not isinstance(t, list):
        return None
    if t[0] == "struct":
        return "single"
    if t[0] == "list" and struct_of(t[1]):
        return "list"
    if t[0] == "union":
        shapes = {shape_of(m) for m in t[1]} - {None}
        if shapes == {"single", "list"}:
            return "either"
        return shapes.pop() if len(shapes) == 1 else None
    return None


def element_type(site_type) -> object | None:
    """The type of an element of a list passed where ``site_type`` is expected.

    A list passed to a single-block field gets its struct, so a one-element list can be
    converted and unwrapped.
    """
    if isinstance(site_type, list):
        if site_type[0] == "list":
            return site_type[1]
        if site_type[0] == "struct":
            return site_type
        if site_type[0] == "union":
            for member in site_type[1]:
                if isinstance(member, list) and member[0] == "list":
                    return member[1]
    return None


def map_value_type(site_type) -> object | None:
    if isinstance(site_type, list) and site_type[0] == "map":
        return site_type[1]
    return None


def is_any(site_type) -> bool:
    return site_type == "any"


def accepted(t) -> set[str]:
    """The scalar kinds a type accepts (``str``, ``number``, ``bool``, ``any``, ``resolvable``)."""
    if isinstance(t, str):
        return {t}
    if t[0] == "union":
        return set().union(*(accepted(m) for m in t[1]))
    return set()


def class_for_chain(schema: SchemaIndex, module: str, name: str | None, chain: tuple[str, ...]) -> ClassInfo | None:
    """The class ``chain`` names when ``chain[0]`` is bound to ``module``/``name``:
    ``S3Bucket``, ``s3_bucket.S3Bucket``, ``aws.s3_bucket.S3Bucket``."""
    if len(chain) == 1:
        return schema.class_info(module, name) if name else None
    base = f"{module}.{name}" if name else module
    return schema.class_info(".".join((base,) + chain[1:-1]), chain[-1])
