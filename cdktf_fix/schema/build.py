"""Build the schema by reading jsii-generated ``__init__.py`` files statically.

Importing the provider starts node and loads a 36 MB bundle, so the generated Python
sources are scanned as text instead.  They are extremely regular: a class header, for data
types a ``@jsii.data_type(... name_mapping={...})`` decorator, a keyword-only ``__init__``
signature with type annotations, and an ``__all__`` list after which only type-checking
stubs follow.  Only the class headers, decorators and ``__init__`` signatures are handed to
``ast``; everything else is skipped line by line.

The result is plain data (dicts, lists, strings, bools) so that it can be written as JSON
(the shipped snapshot) or marshal (the local cache).
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator

from cdktf_fix.schema.packages import PackageFiles, distribution_of

# Aliases the generated code uses for other jsii packages, e.g. ``_cdktf_9a9027ec``.
_FOREIGN_PREFIXES = {"_cdktf_": "cdktf", "_cdktn_": "cdktn", "_constructs_": "constructs"}

_SCALARS = {
    "builtins.str": "str",
    "builtins.bool": "bool",
    "builtins.int": "number",
    "builtins.float": "number",
    "jsii.Number": "number",
    "datetime.datetime": "date",
    "typing.Any": "any",
    "builtins.object": "any",
}


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


class _TypeReader:
    """Turns an annotation AST into the small type model described in ``model.py``."""

    def __init__(self, module: str, aliases: dict[str, str]):
        self.module = module
        self.aliases = aliases  # local alias -> package name

    def read(self, node: ast.expr | None):
        if node is None:
            return "any"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            # forward reference: "S3BucketVersioningVersioningConfiguration"
            return self.read(ast.parse(node.value, mode="eval").body)
        if isinstance(node, ast.Constant) and node.value is None:
            return None
        if isinstance(node, ast.Subscript):
            head = _dotted(node.value)
            args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if head == "typing.Optional":
                return self.read(args[0])
            if head == "typing.Union":
                return self._union([self.read(a) for a in args])
            if head in ("typing.Sequence", "typing.List"):
                return ["list", self.read(args[0])]
            if head in ("typing.Mapping", "typing.Dict"):
                return ["map", self.read(args[-1])]
            if head == "typing.Callable":
                return "any"
            return "any"
        name = _dotted(node)
        if name is None:
            return "any"
        if name in _SCALARS:
            return _SCALARS[name]
        if "." not in name:
            return ["ref", f"{self.module}.{name}"]
        prefix, _, rest = name.partition(".")
        for alias_prefix, package in _FOREIGN_PREFIXES.items():
            if prefix.startswith(alias_prefix):
                if rest == "IResolvable":
                    return "resolvable"
                return ["ref", f"{package}.{rest}"]
        if prefix in self.aliases:
            return ["ref", f"{self.aliases[prefix]}.{rest}"]
        return "any"

    @staticmethod
    def _union(members: list):
        flat: list = []
        for member in members:
            if member is None:
                continue
            for item in member[1] if isinstance(member, list) and member[0] == "union" else [member]:
                if item not in flat:
                    flat.append(item)
        has_ref = any(isinstance(m, list) and m[0] == "ref" for m in flat)
        if has_ref:
            # ``Union[Struct, Dict[str, Any]]``: the dict is jsii's "struct as dict" form.
            flat = [m for m in flat if m != ["map", "any"]]
        if len(flat) > 1 and "resolvable" in flat:
            flat = [m for m in flat if m != "resolvable"]
        if len(flat) == 1:
            return flat[0]
        return ["union", flat]


def _signature_end(lines: list[str], i: int) -> int:
    """The line after a ``def`` signature that starts at line ``i`` (its brackets balanced and
    its last line ending with ``:``)."""
    depth, j = 0, i
    while j < len(lines):
        line = lines[j]
        depth += sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")
        if depth <= 0 and line.rstrip().endswith(":"):
            return j + 1
        j += 1
    return j


def _iter_blocks(lines: list[str]) -> Iterator[tuple[str, int, int]]:
    """Yield (kind, start, end) line ranges of decorators, class headers, class-level ``def``
    signatures (with the decorators above them) and enum members."""
    n = len(lines)
    # Skip the module docstring: it may hold code examples that look like classes.
    i = next((k for k, line in enumerate(lines) if line == "import jsii"), 0)
    while i < n:
        line = lines[i]
        if line.startswith("__all__ = ["):
            j = i
            while j + 1 < n and not lines[j].rstrip().endswith("]"):
                j += 1
            yield "all", i, j + 1
            return
        if line.startswith("@jsii.data_type("):
            j = i
            while not lines[j].startswith(")"):
                j += 1
            yield "data_type", i, j + 1
            i = j + 1
            continue
        if line.startswith("class "):
            j = i
            while not lines[j].rstrip().endswith(":"):
                j += 1
            yield "class", i, j + 1
            i = j + 1
            continue
        if line.startswith("    def "):
            start = i
            while start > 0 and lines[start - 1].startswith("    @"):
                start -= 1  # its decorators: ``@builtins.property``, ``@builtins.classmethod``
            end = _signature_end(lines, i)
            yield "def", start, end
            i = end
            continue
        if line.startswith("    ") and line.strip() and "=" in line and line.lstrip()[0].isupper():
            # enum member, e.g. ``    FILE = "FILE"``
            yield "member", i, i + 1
        i += 1


def _class_kind(bases: list[str], decorated_struct: bool) -> str:
    if decorated_struct:
        return "struct"
    joined = " ".join(bases)
    if "TerraformResource" in joined and "Lifecycle" not in joined:
        return "resource"
    if "TerraformDataSource" in joined:
        return "data"
    if "TerraformProvider" in joined:
        return "provider"
    if "enum.Enum" in joined:
        return "enum"
    if "Protocol" in joined:
        return "interface"
    return "class"


def _scan_def(current: dict, text: str, reader: _TypeReader) -> None:
    """One class-level ``def``: the constructor's parameters, a property (an attribute the
    class exposes, with its type), or a public method (its kind, parameters and result)."""
    tree = ast.parse(textwrap.dedent(text) + "\n    pass")
    func = tree.body[0]
    decorators = {_dotted(d) or "" for d in func.decorator_list}
    args = func.args
    if func.name == "__init__":
        if "params" in current:
            return
        current["positional"] = [a.arg for a in args.posonlyargs + args.args][1:]  # drop self
        defaults = [None] * (len(args.kwonlyargs) - len(args.kw_defaults)) + list(args.kw_defaults)
        current["params"] = [
            [a.arg, default is None, reader.read(a.annotation)]
            for a, default in zip(args.kwonlyargs, defaults)
        ]
        return
    if func.name.startswith("_") or any(d.endswith(".setter") for d in decorators):
        return
    if "builtins.property" in decorators:
        current.setdefault("attrs", []).append([func.name, reader.read(func.returns)])
        return
    how = "class" if "builtins.classmethod" in decorators else "static" if "builtins.staticmethod" in decorators else "instance"
    positional = args.posonlyargs + args.args
    if how != "static":
        positional = positional[1:]  # self or cls
    required = len(positional) - len(args.defaults)
    names = [a.arg for a in positional] + [a.arg for a in args.kwonlyargs]
    current.setdefault("methods", []).append([func.name, how, names, required, reader.read(func.returns)])


def scan_module(source: str, module: str) -> dict:
    """Scan one generated module; return {class name: class info} plus its ``__all__``."""
    lines = source.splitlines()
    aliases = {}
    for line in lines[:80]:
        if line.startswith("import ") and " as " in line:
            target, _, alias = line[len("import "):].partition(" as ")
            aliases[alias.strip()] = target.strip()
    reader = _TypeReader(module, aliases)
    classes: dict[str, dict] = {}
    exported: list[str] = []
    pending_mapping: dict | None = None
    pending_struct = False
    current: dict | None = None
    for kind, start, end in _iter_blocks(lines):
        text = "\n".join(lines[start:end])
        if kind == "all":
            exported = ast.literal_eval(text.partition("=")[2].strip())
        elif kind == "data_type":
            call = ast.parse(text[1:], mode="eval").body
            pending_struct = True
            pending_mapping = {}
            for keyword in call.keywords:
                if keyword.arg == "name_mapping":
                    pending_mapping = ast.literal_eval(keyword.value)
        elif kind == "class":
            header = ast.parse(text + "\n    pass").body[0]
            if header.name.startswith("_"):
                current = None  # a private proxy class: what follows is none of the last class's
                pending_mapping, pending_struct = None, False
                continue
            bases = [_dotted(b) or "" for b in header.bases]
            current = {"kind": _class_kind(bases, pending_struct)}
            if pending_struct:
                current["mapping"] = pending_mapping or {}
            inherited = [reader.read(b) for b in header.bases]
            current["bases"] = [t[1] for t in inherited if isinstance(t, list) and t[0] == "ref"]
            classes[header.name] = current
            pending_mapping, pending_struct = None, False
        elif kind == "def" and current is not None:
            _scan_def(current, text, reader)
        elif kind == "member" and current is not None and current["kind"] == "enum":
            current.setdefault("members", []).append(lines[start].split("=")[0].strip())
    for info in classes.values():
        info.setdefault("positional", [])
        info.setdefault("bases", [])
        info.setdefault("params", [])
    _resolve_refs(classes, module)
    return {"classes": classes, "all": exported}


def _retype(t, kind_of):
    """Give ``ref`` types whose class ``kind_of`` knows their kind (struct, enum or class)."""
    if not isinstance(t, list):
        return t
    if t[0] == "ref":
        kind = kind_of(t[1])
        if kind is None:
            return t
        return ["struct" if kind == "struct" else "enum" if kind == "enum" else "class", t[1]]
    if t[0] == "union":
        return ["union", [_retype(m, kind_of) for m in t[1]]]
    return [t[0], _retype(t[1], kind_of)]


def _retype_params(classes: dict[str, dict], kind_of) -> None:
    """Every type a class holds (parameters, attributes, method results) gets its kind."""
    for info in classes.values():
        for param in info["params"]:
            param[2] = _retype(param[2], kind_of)
        for attr in info.get("attrs", ()):
            attr[1] = _retype(attr[1], kind_of)
        for method in info.get("methods", ()):
            method[4] = _retype(method[4], kind_of)


def _resolve_refs(classes: dict[str, dict], module: str) -> None:
    """Same-module refs get their kind; refs to other packages stay for ``_resolve_foreign``."""

    def kind_of(qualified: str) -> str | None:
        mod, _, name = qualified.rpartition(".")
        return classes[name]["kind"] if mod == module and name in classes else None

    _retype_params(classes, kind_of)


def _resolve_foreign(modules: dict[str, dict]) -> None:
    """Refs into other scanned packages (``cdktf.TerraformResourceLifecycle``) get their kind."""

    def kind_of(qualified: str) -> str | None:
        mod, _, name = qualified.rpartition(".")
        info = modules.get(mod, {}).get("classes", {}).get(name)
        return info["kind"] if info else None

    for data in modules.values():
        _retype_params(data["classes"], kind_of)


class UnsupportedLayout(ValueError):
    """A package whose layout the builder cannot read (prebuilt providers before cdktf 0.13)."""


def build_part(files: PackageFiles, version: str) -> dict:
    """Scan one package (a framework core, constructs, or a prebuilt provider) into a schema
    part: ``{"format", "distribution", "version", "modules"}``.

    A provider is read module by module (``<package>.<resource>``); it must have the
    per-resource layout of cdktf 0.13 and later (``<package>.provider`` defines the provider
    class).  Older releases kept every class of a service in one namespace module, or every
    class in the package itself: those are refused, not misread.
    """
    package = files.package
    modules: dict[str, dict] = {}
    if package in ("cdktf", "cdktn", "constructs"):
        text = files.init()
        if text is None:
            raise UnsupportedLayout(f"{files.origin}: no {package}/__init__.py")
        modules[package] = scan_module(text, package)
    else:
        for sub in files.submodules():
            text = files.init(sub)
            if text is not None:
                modules[f"{package}.{sub}"] = scan_module(text, f"{package}.{sub}")
        provider = modules.get(f"{package}.provider", {}).get("classes", {})
        if not any(info["kind"] == "provider" for info in provider.values()):
            raise UnsupportedLayout(
                f"{distribution_of(package)} {version}: a layout before cdktf 0.13 (no {package}.provider module); "
                "only the per-resource layout of cdktf 0.13 and later is supported"
            )
    _resolve_foreign(modules)
    return {"format": FORMAT_VERSION, "distribution": distribution_of(package), "version": version, "modules": modules}


FORMAT_VERSION = 3
