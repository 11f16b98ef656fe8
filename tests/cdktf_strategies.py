"""Hypothesis strategies: CDKTF Python stacks built from the provider schema, with failures injected.

A generated module looks like a model-written stack: imports (``from constructs import
Construct``, ``from cdktf import TerraformStack, TerraformOutput``, provider imports, sometimes
``from __future__ import annotations`` and ``import json``), a ``TerraformStack`` subclass whose
``__init__`` builds resources and data sources ``Class(self, "id", kw=value, ...)`` drawn from
the schema: real classes, every required parameter and up to three optional ones, values of
the shape the schema declares (strings, also ``r_0.id``, f-strings, ``json.dumps({...})`` and
triple-quoted JSON; numbers; bools; lists; maps; struct calls nested two deep).  Classes are
referred to by name, by an alias (``import S3BucketVersioningA as S3BucketVersioning``),
through their module (``from cdktf_cdktf_provider_aws import vpc``, ``vpc.Vpc(...)``) or
through the package (``import cdktf_cdktf_provider_aws as aws``, ``aws.vpc.Vpc(...)``); blocks
are struct calls or dicts in the form jsii reads right (Python names in a single block,
camelCase names in a list of blocks), which correct code may use; a
construction may sit in a ``for``/``if`` block, bind some values to variables first, and be
written on one line, with odd spacing, or one argument (or element) per line with comments.
Filler that a repair must leave alone: comments with unique ``keep-<n>`` markers, blank and
whitespace-only lines, unrelated statements (``x_<n> = compute(<n>)``, continuation lines,
semicolons), docstrings, non-ASCII text; indentation by 4 or 2 spaces or tabs; CRLF line
endings for the whole file; sometimes no newline at the end.

Failures are injected into the clean model, each one a choice hypothesis can shrink away:

- name failures (per class used): ``a-suffix`` (the jsii ``A`` suffix dropped or misplaced),
  ``flat-import`` (``from cdktf_cdktf_provider_aws import Vpc``), ``wrong-module`` (a module
  that does not exist, or a real module that does not define the class), ``missing-import``,
  ``package-alias`` (``import cdktf_cdktf_provider_aws as aws``, then ``aws.Vpc``: the class
  straight from the package, which defines none);
- argument failures (per keyword, at any depth): ``misspell`` (one character), ``camel``
  (camelCase keyword), ``snake-dicts`` (a list of blocks given as dicts with snake_case keys,
  which jsii drops), ``dict-for-single`` (a dict with jsii camelCase keys for a single block,
  which ``Struct(**d)`` rejects), ``list-for-single``
  (a one-element list for a single block), ``single-for-list`` (a single struct for a list of
  blocks), ``num-as-str``, ``bool-for-str``, ``str-for-bool`` (literals of the wrong type).

A ``Stack`` holds the lines of the module, each marked mutable (an import, or a line of a
construction holding a failure) or filler (must come back byte for byte), the markers, the
injected failures and the wrong names a safe repair must remove; ``Stack.source`` is the text.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from functools import cache

from hypothesis import strategies as st

from cdktf_fix.schema import load_index
from cdktf_fix.schema.model import PROVIDER_PACKAGE, Param, name_key, name_words

SCHEMA = load_index()

# meta-arguments every construct takes; and optional ``id`` and ``tags_all``, which realistic
# code does not pass (a struct's required ``id`` is passed)
SKIP_PARAMS = frozenset({"connection", "count", "depends_on", "for_each", "lifecycle", "provider", "provisioners"})
SKIP_OPTIONAL = frozenset({"id", "tags_all"})
MAX_DEPTH = 2  # a resource's keywords are depth 0; structs nest at most two deep
SCALARS = ("str", "number", "bool")

NAME_FAILURES = ("a-suffix", "flat-import", "wrong-module", "missing-import", "package-alias")
ARG_FAILURES = (
    "misspell", "camel", "snake-dicts", "dict-for-single", "list-for-single", "single-for-list",
    "num-as-str", "bool-for-str", "str-for-bool",
)
# the failures the engine fixes with a safe fix whatever else is in the file
SAFE_FAILURES = frozenset({"a-suffix", "flat-import", "package-alias", "snake-dicts"})


# -- the schema side ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Spec:
    """A class the generator can build: its required and optional parameters it can give values."""

    module: str
    name: str
    kind: str
    required: tuple[Param, ...]
    optional: tuple[Param, ...]

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def short_module(self) -> str:
        return self.module.rpartition(".")[2]

    @property
    def param_names(self) -> frozenset[str]:
        info = SCHEMA.class_info(self.module, self.name)
        return frozenset(p.name for p in info.params) if info else frozenset()


def _struct_target(t) -> str | None:
    if isinstance(t, list) and t[0] == "struct" and t[1].startswith(PROVIDER_PACKAGE + "."):
        return t[1]
    return None


def value_ok(t, depth: int) -> bool:
    """Whether the generator can write a value of schema type ``t`` at ``depth``."""
    if t in SCALARS:
        return True
    if not isinstance(t, list):
        return False
    if t[0] == "list":
        if t[1] in SCALARS:
            return True
        target = _struct_target(t[1])
        return target is not None and struct_spec(target, depth + 1) is not None
    if t[0] == "map":
        return t[1] == "str"
    target = _struct_target(t)
    return target is not None and struct_spec(target, depth + 1) is not None


def _spec(module: str, name: str, depth: int) -> Spec | None:
    info = SCHEMA.class_info(module, name)
    if info is None:
        return None
    params = [
        p for p in info.params
        if p.name not in SKIP_PARAMS and (p.required or p.name not in SKIP_OPTIONAL) and not keyword.iskeyword(p.name)
    ]
    required = tuple(p for p in params if p.required)
    if len(required) != sum(p.required for p in info.params):
        return None  # a required parameter the generator leaves out (a struct's own ``provider``)
    if not all(value_ok(p.type, depth) for p in required):
        return None
    optional = tuple(p for p in params if not p.required and value_ok(p.type, depth))
    return Spec(module, name, info.kind, required, optional)


@cache
def struct_spec(qualified: str, depth: int) -> Spec | None:
    if depth > MAX_DEPTH:
        return None
    module, _, name = qualified.rpartition(".")
    if SCHEMA.kind(module, name) != "struct":
        return None
    return _spec(module, name, depth)


def _construct_pool() -> list[Spec]:
    pool = []
    for module in sorted(SCHEMA.provider_modules):
        for name, kind in sorted(SCHEMA.names_in(module).items()):
            if kind in ("resource", "data"):
                spec = _spec(module, name, 0)
                if spec is not None:
                    pool.append(spec)
    return pool


CONSTRUCTS: list[Spec] = _construct_pool()
# a few classes every model writes, so that common shapes come up often
COMMON = [
    s for s in CONSTRUCTS
    if s.name in {
        "S3Bucket", "S3BucketVersioningA", "S3BucketServerSideEncryptionConfigurationA", "Vpc", "Subnet",
        "SecurityGroup", "LbTargetGroup", "DynamodbTable", "CloudwatchMetricAlarm", "IamRole",
        "S3BucketLifecycleConfiguration", "LambdaFunction", "DataAwsAvailabilityZones", "DataAwsIamPolicyDocument",
    }
]
PROVIDER_SPEC = _spec(PROVIDER_PACKAGE + ".provider", "AwsProvider", 0)


def _a_variants(name: str) -> list[str]:
    """Names that differ from ``name`` only by where its ``A`` words are (dropped or moved)."""
    words = name_words(name)
    if "".join(words) != name or "A" not in words:
        return []
    positions = [i for i, w in enumerate(words) if w == "A"]
    out = ["".join(w for w in words if w != "A")]
    for i in positions:
        rest = words[:i] + words[i + 1:]
        for j in range(1, len(rest) + 1):
            if j != i:
                out.append("".join(rest[:j] + ["A"] + rest[j:]))
    return out


@cache
def a_suffix_names(module: str, name: str) -> tuple[str, ...]:
    """Wrong spellings of ``name`` the class-name codemod must fix safely: no such class in the
    module, and ``name`` is the module's only class with the same key."""
    found = []
    for wrong in _a_variants(name):
        if wrong == name or SCHEMA.defines(module, wrong) or not wrong.isidentifier():
            continue
        if name_words(wrong) and name_words(wrong)[0] == "A":
            continue
        same = [n for m, n in SCHEMA.same_key(wrong) if m == module]
        if same == [name] and name_key(wrong) == name_key(name):
            found.append(wrong)
    return tuple(dict.fromkeys(found))


PROVIDER_MODULES = sorted(SCHEMA.provider_modules)
A_CLASSES = [s for s in CONSTRUCTS if a_suffix_names(s.module, s.name)]
POOLS = (COMMON, A_CLASSES, CONSTRUCTS)  # common classes, classes with an A suffix, any class


@cache
def flat_importable(name: str) -> bool:
    """Defined in exactly one provider module (a flat import has one place to go)."""
    return len([m for m in SCHEMA.where(name) if m.startswith(PROVIDER_PACKAGE + ".")]) == 1


@cache
def missing_importable(name: str) -> bool:
    return len(SCHEMA.where(name)) == 1


# -- the code model -------------------------------------------------------------------------------
@dataclass
class Lit:
    """A literal (number, bool, string); the literal failures replace it."""

    text: str


@dataclass
class Expr:
    """Any other value: ``r_1.id``, ``f"{id}-logs"``, ``json.dumps({...})``."""

    text: str


@dataclass
class ListV:
    items: list


@dataclass
class DictV:
    entries: list  # (key source text, value)


@dataclass
class Kw:
    param: Param
    value: object
    written: str = ""  # the keyword as written, when a failure changed it
    failure: str | None = None

    @property
    def text(self) -> str:
        return self.written or self.param.name


@dataclass
class CallV:
    spec: Spec
    kwargs: list[Kw]


@dataclass
class Construction:
    call: CallV
    var: str | None
    cid: str
    style: str  # "line", "spaced" or "multi"
    trailing_comma: bool = False
    hoisted: dict[int, str] = field(default_factory=dict)  # kwarg index -> variable bound before


@dataclass
class Naming:
    """How the code refers to one class: ``Name``, ``Alias`` (``import Name as Alias``) or
    ``module.Name`` (``from cdktf_cdktf_provider_aws import module``)."""

    qualified: str
    mode: str = "plain"  # "plain", "alias", "module", or "package" (aws.module.Name, aws.Name)
    written: str = ""  # the class name as the import (or attribute) writes it
    alias: str | None = None
    source: str | None = ""  # module the import names; None: not imported

    def __post_init__(self) -> None:
        module, _, name = self.qualified.rpartition(".")
        self.written = self.written or name
        if self.source == "":
            self.source = module

    @property
    def ref(self) -> str:
        if self.mode == "package":
            return self.written
        if self.mode == "module":
            return f"{self.qualified.rpartition('.')[0].rpartition('.')[2]}.{self.written}"
        return self.alias or self.written


def pick(draw, seq):
    """One element of ``seq``, drawn by index (``sampled_from`` would hash every element to
    label the strategy, on every draw: slow for specs and code models)."""
    return seq[draw(st.integers(0, len(seq) - 1))]


def _exposes_id(spec) -> bool:
    """Whether instances of the class have an ``id`` attribute (some provider 6 resources have none:
    code reading ``x.id`` of them is broken, not clean)."""
    info = SCHEMA.class_by_qualified(spec.qualified)
    return info is not None and "id" in SCHEMA.attributes(info)


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


STRINGS = st.sampled_from([
    "web", "app-logs", "10.0.0.0/16", "us-east-1", "Enabled", "AES256", "données-équipe", "日本語のテキスト",
    "ünïcödé", "a b c", "it's", "x_1", "PAY_PER_REQUEST", "arn:aws:iam::123456789012:role/x", "",
])
NUMBERS = st.one_of(st.integers(min_value=0, max_value=65535).map(str), st.sampled_from(["0.5", "1.25", "300"]))
BOOLS = st.sampled_from(["True", "False"])
MAP_KEYS = st.sampled_from(["Env", "Team", "Name", "Projet", "Owner"])
JSON_DUMPS = 'json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"]}]})'
TRIPLE_QUOTED = '"""{\n  "Version": "2012-10-17",\n  "Statement": []\n}"""'


def values(draw, t, depth: int, refs: list[str]):
    if t == "str":
        kind = draw(st.integers(0, 9))
        if kind == 0 and refs:
            return Expr(pick(draw, refs) + ".id")
        if kind == 1:
            return Expr(f'f"{{id}}-{pick(draw, ["logs", "données", "web"])}"')
        if kind == 2:
            return Expr(JSON_DUMPS)
        if kind == 3:
            return Lit(TRIPLE_QUOTED)
        return Lit(q(draw(STRINGS)))
    if t == "number":
        return Lit(draw(NUMBERS))
    if t == "bool":
        return Lit(draw(BOOLS))
    if t[0] == "map":
        keys = draw(st.lists(MAP_KEYS, min_size=1, max_size=2, unique=True))
        return DictV([(q(k), Lit(q(draw(STRINGS)))) for k in keys])
    if t[0] == "list":
        if t[1] in SCALARS:
            return ListV([values(draw, t[1], depth, refs) for _ in range(draw(st.integers(1, 3)))])
        spec = struct_spec(t[1][1], depth + 1)
        return ListV([calls(draw, spec, depth + 1, refs) for _ in range(draw(st.integers(1, 2)))])
    return calls(draw, struct_spec(t[1], depth + 1), depth + 1, refs)


def calls(draw, spec: Spec, depth: int, refs: list[str], max_optional: int = 3) -> CallV:
    chosen = list(spec.required)
    if spec.optional:
        cap = max_optional if depth == 0 else min(max_optional, 2)
        picked = draw(st.lists(st.integers(0, len(spec.optional) - 1), max_size=cap, unique=True))
        chosen += [spec.optional[i] for i in picked]
    return CallV(spec, [Kw(p, values(draw, p.type, depth, refs)) for p in chosen])


def walk_calls(call: CallV):
    yield call
    for kw in call.kwargs:
        yield from _walk_value(kw.value)


def _walk_value(value):
    if isinstance(value, CallV):
        yield from walk_calls(value)
    elif isinstance(value, ListV):
        for item in value.items:
            yield from _walk_value(item)
    elif isinstance(value, DictV):
        for _, item in value.entries:
            yield from _walk_value(item)


def _as_dicts(value, camel: bool = False):
    """The value with every struct call turned into a dict with snake_case keys, or jsii's
    camelCase names (a call without keywords stays a call: an empty dict has no key jsii could
    drop)."""
    if isinstance(value, CallV) and value.kwargs:
        return DictV([(q(_jsii_name(value.spec, kw.param.name) if camel else kw.param.name), _as_dicts(kw.value, camel)) for kw in value.kwargs])
    if isinstance(value, ListV):
        return ListV([_as_dicts(item, camel) for item in value.items])
    return value


def _jsii_name(spec: Spec, field: str) -> str:
    info = SCHEMA.class_by_qualified(spec.qualified)
    return (info.mapping.get(field) if info is not None else None) or _camel(field)


def _as_correct_dicts(value, raw: bool):
    """The value with its struct calls written as the dicts jsii reads right: Python names where
    the dict becomes the struct through ``Struct(**d)`` (a single block), jsii camelCase names
    where it goes to jsii as it is (in a list of blocks, and anywhere under such a dict)."""
    if isinstance(value, CallV) and value.kwargs and value.spec.kind == "struct":
        return DictV([(q(_jsii_name(value.spec, kw.param.name) if raw else kw.param.name), _as_correct_dicts(kw.value, raw)) for kw in value.kwargs])
    if isinstance(value, ListV):
        return ListV([_as_correct_dicts(item, True) for item in value.items])
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _misspellings(name: str) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    for i in range(len(name)):
        out.append(name[:i] + name[i + 1:])  # deletion
        out.append(name[:i] + name[i] + name[i:])  # doubled letter
        if i + 1 < len(name) and name[i] != name[i + 1]:
            out.append(name[:i] + name[i + 1] + name[i] + name[i + 2:])  # swap
        for c in letters[(ord(name[i]) - 97) % 26 + 1:][:2]:  # a substitution or two
            out.append(name[:i] + c + name[i + 1:])
    return [m for m in dict.fromkeys(out) if m.isidentifier() and not keyword.iskeyword(m) and m != name]


def _list_of_struct(t) -> bool:
    return isinstance(t, list) and t[0] == "list" and _struct_target(t[1]) is not None


def arg_failure_options(call: CallV, kw: Kw) -> list[str]:
    t, value = kw.param.type, kw.value
    options = ["misspell"]
    if "_" in kw.param.name.strip("_"):
        options.append("camel")
    if _list_of_struct(t) and isinstance(value, ListV) and value.items and isinstance(value.items[0], CallV):
        options += ["snake-dicts", "single-for-list"]
    if _struct_target(t) and isinstance(value, CallV):
        options.append("list-for-single")
        if value.kwargs and any("_" in kw.param.name.strip("_") for kw in value.kwargs):
            options.append("dict-for-single")
    if isinstance(value, Lit):
        if t == "number" and value.text.isdigit():
            options.append("num-as-str")
        if t == "str":
            options.append("bool-for-str")
        if t == "bool":
            options.append("str-for-bool")
    return options


_KIND_TYPES = {
    "snake-dicts": _list_of_struct,
    "single-for-list": _list_of_struct,
    "list-for-single": lambda t: _struct_target(t) is not None,
    "dict-for-single": lambda t: _struct_target(t) is not None,
    "num-as-str": lambda t: t == "number",
    "bool-for-str": lambda t: t == "str",
    "str-for-bool": lambda t: t == "bool",
}


def inject_arg_failure(draw, call: CallV, kw: Kw, kind: str) -> bool:
    taken = {k.text for k in call.kwargs}
    if kind == "misspell":
        params = call.spec.param_names
        options = [m for m in _misspellings(kw.param.name) if m not in params and m not in taken]
        if not options:
            return False
        kw.written = pick(draw, options)
    elif kind == "camel":
        kw.written = _camel(kw.param.name)
        if kw.written in taken:
            return False
    elif kind == "snake-dicts":
        kw.value = _as_dicts(kw.value)
    elif kind == "dict-for-single":
        kw.value = _as_dicts(kw.value, camel=True)
    elif kind == "single-for-list":
        kw.value = kw.value.items[0]
    elif kind == "list-for-single":
        kw.value = ListV([kw.value])
    elif kind == "num-as-str":
        kw.value = Lit(q(kw.value.text))
    elif kind == "bool-for-str":
        kw.value = Lit(draw(BOOLS))
    elif kind == "str-for-bool":
        kw.value = Lit(q(kw.value.text.lower()))
    kw.failure = kind
    return True


# -- rendering --------------------------------------------------------------------------------------
def render_value(value, names: dict[str, Naming]) -> str:
    if isinstance(value, (Lit, Expr)):
        return value.text
    if isinstance(value, ListV):
        return "[" + ", ".join(render_value(v, names) for v in value.items) + "]"
    if isinstance(value, DictV):
        return "{" + ", ".join(f"{k}: {render_value(v, names)}" for k, v in value.entries) + "}"
    return render_call(value, names, [])


def render_call(call: CallV, names: dict[str, Naming], head: list[str], sep: str = ", ", eq: str = "=") -> str:
    args = head + [f"{kw.text}{eq}{render_value(kw.value, names)}" for kw in call.kwargs]
    return f"{names[call.spec.qualified].ref}(" + sep.join(args) + ")"


@dataclass
class Line:
    text: str
    mutable: bool = False  # an import, or a line of a construction that holds a failure
    filler: bool = False  # must come back byte for byte, in order


@dataclass
class Stack:
    lines: list[Line]
    eol: str
    final_eol: bool
    body_start: int  # the first line after the imports
    markers: list[str]  # keep-<n> (or the statement x_<n> = compute(<n>)), in order
    failures: list[tuple[str, str]]  # (kind, detail)
    wrong_imports: list[str]  # class names imported wrongly: must not be imported after a safe repair
    wrong_refs: list[str]  # wrong class names used in the code: must be gone after a safe repair

    @property
    def source(self) -> str:
        text = self.eol.join(line.text for line in self.lines)
        return text + self.eol if self.final_eol else text

    def __repr__(self) -> str:  # what hypothesis prints for a falsifying example
        return f"Stack(failures={self.failures!r}, eol={self.eol!r}, source=\n{self.source})"


class _Markers:
    def __init__(self) -> None:
        self.markers: list[str] = []

    def new(self) -> str:
        marker = f"keep-{len(self.markers)}"
        self.markers.append(marker)
        return marker


NOTES = st.sampled_from(["", " note", " réseau privé", " 注意", " TODO: tighten", "   spaced   out"])


def _lines(text: str, mutable: bool = False, filler: bool = False) -> list[Line]:
    return [Line(t, mutable, filler) for t in text.split("\n")]


def filler_statements(draw, marks: _Markers, indent: str, unit: str) -> list[Line]:
    """Blank lines, comments and unrelated statements that the repair must not touch."""
    out: list[Line] = []
    for _ in range(draw(st.integers(0, 2))):
        kind = pick(draw, ["blank", "comment", "stmt", "odd", "paren", "backslash", "semicolons"])
        if kind == "blank":
            out.append(Line(pick(draw, ["", "    ", indent])))
            continue
        marker = marks.new()
        n = marker.split("-")[1]
        if kind == "comment":
            out.append(Line(f"{indent}# {marker}{draw(NOTES)}", filler=True))
        elif kind == "stmt":
            marks.markers[-1] = f"x_{n} = compute({n})"
            out.append(Line(f"{indent}x_{n} = compute({n})", filler=True))
        elif kind == "odd":
            out.append(Line(f"{indent}x_{n}   =  compute( {n} ) # {marker}   ", filler=True))
        elif kind == "paren":
            out += _lines(f"{indent}x_{n} = compute(  # {marker}\n{indent}{unit}{n},\n{indent})", filler=True)
        elif kind == "semicolons":
            out.append(Line(f"{indent}x_{n} = compute({n}); y_{n} = [x_{n}]  # {marker}", filler=True))
        else:
            out += _lines(f"{indent}x_{n} = compute({n}) + \\\n{indent}{unit}compute({n})  # {marker}", filler=True)
    return out


def render_construction(draw, c: Construction, names: dict[str, Naming], indent: str, unit: str, marks: _Markers) -> str:
    """The construction's source (variables it uses bound first), lines joined with ``\\n``."""
    out = []
    kwargs = []
    for i, kw in enumerate(c.call.kwargs):
        if i in c.hoisted:
            out.append(f"{indent}{c.hoisted[i]} = {render_value(kw.value, names)}")
            kwargs.append(Kw(kw.param, Expr(c.hoisted[i]), kw.written, kw.failure))
        else:
            kwargs.append(kw)
    call = CallV(c.call.spec, kwargs)
    lhs = f"{c.var} = " if c.var else ""
    ref = names[call.spec.qualified].ref
    if c.style == "line":
        out.append(indent + lhs + render_call(call, names, ["self", q(c.cid)]))
    elif c.style == "spaced":
        text = render_call(call, names, [" self", q(c.cid)], sep=" ,  ", eq=" = ")
        out.append(indent + lhs + text[:-1] + " , )")
    else:
        inner = indent + unit
        out += [f"{indent}{lhs}{ref}(", f"{inner}self,", f"{inner}{q(c.cid)},"]
        for i, kw in enumerate(kwargs):
            comma = "," if (i < len(kwargs) - 1 or c.trailing_comma) else ""
            comment = f"  # {marks.new()}{draw(NOTES)}" if draw(st.integers(0, 3)) == 0 else ""
            value = kw.value
            if isinstance(value, (ListV, DictV, CallV)) and draw(st.booleans()):
                # one element per line, each maybe with its comment
                if isinstance(value, ListV):
                    opening, closing, items = "[", "]", [render_value(v, names) for v in value.items]
                elif isinstance(value, DictV):
                    opening, closing, items = "{", "}", [f"{k}: {render_value(v, names)}" for k, v in value.entries]
                else:
                    opening, closing = names[value.spec.qualified].ref + "(", ")"
                    items = [f"{k.text}={render_value(k.value, names)}" for k in value.kwargs]
                out.append(f"{inner}{kw.text}={opening}{comment}")
                for item in items:
                    note = f"  # {marks.new()}" if draw(st.integers(0, 3)) == 0 else ""
                    out.append(f"{inner}{unit}{item},{note}")
                out.append(f"{inner}{closing}{comma}")
            else:
                out.append(f"{inner}{kw.text}={render_value(value, names)}{comma}{comment}")
        out.append(f"{indent})")
    return "\n".join(out)


def _short(module: str) -> str:
    return module.rpartition(".")[2]


@st.composite
def stacks(
    draw,
    failures: frozenset[str] | None = frozenset(NAME_FAILURES + ARG_FAILURES),
    max_failures: int = 3,
    comments_above_moved_imports: bool = True,
    trailing_blank_lines: bool = True,
) -> Stack:
    """A stack module; ``failures`` are the kinds that may be injected (empty: clean code).

    ``comments_above_moved_imports=False`` writes no comment line right above an import
    statement whose every name is imported from a wrong place (flat or wrong module): the
    import planner drops such a comment when it removes the statement, its names merged into
    another one (``test_comment_above_merged_import_survives``).

    ``trailing_blank_lines=False`` ends the module on a line that is not blank: libcst does
    not give back every module that ends on blank and whitespace-only lines as it was, and
    when a fix applies the repair hands that on (``test_trailing_blank_lines_survive_a_fix``).
    """
    failures = failures or frozenset()
    marks = _Markers()
    unit = pick(draw, ["    ", "    ", "  ", "\t"])
    body = unit * 2
    refs: list[str] = []
    constructions: list[Construction] = []
    used_names: dict[str, str] = {}  # class name -> qualified (one class per name in a file)

    def claim(call: CallV) -> bool:
        specs = [sub.spec for sub in walk_calls(call)]
        if any(used_names.get(spec.name, spec.qualified) != spec.qualified for spec in specs):
            return False
        for spec in specs:
            used_names[spec.name] = spec.qualified
        return True

    if draw(st.booleans()):
        call = CallV(PROVIDER_SPEC, [Kw(_param(PROVIDER_SPEC, "region"), Lit(q("us-east-1")))])
        claim(call)
        constructions.append(Construction(call, None, "aws", "line"))
    for i in range(draw(st.integers(1, 4))):
        spec = pick(draw, pick(draw, POOLS))
        call = calls(draw, spec, 0, refs)
        if not claim(call):
            continue
        var = f"r_{i}" if draw(st.booleans()) else None
        style = pick(draw, ["line", "spaced", "multi", "multi"])
        c = Construction(call, var, f"{spec.short_module.replace('_', '-')}-{i}", style)
        c.trailing_comma = draw(st.booleans())
        constructions.append(c)
        if var and _exposes_id(spec):
            refs.append(var)  # read as ``r_0.id``: only of classes that have an id attribute

    # -- blocks written as dicts in the form jsii reads right (correct code, left as it is) ------------
    for c in constructions:
        for kw in c.call.kwargs:
            if isinstance(kw.value, (CallV, ListV)) and _struct_target(kw.param.type) and draw(st.integers(0, 2)) == 0:
                kw.value = _as_correct_dicts(kw.value, False)

    # -- how each class is referred to ----------------------------------------------------------------
    names: dict[str, Naming] = {}
    locals_taken = set(used_names)
    for qualified in sorted(used_names.values()):
        module, _, name = qualified.rpartition(".")
        mode = pick(draw, ["plain", "plain", "plain", "alias", "module", "package"])
        if mode in ("module", "package") and (qualified == PROVIDER_SPEC.qualified or keyword.iskeyword(_short(module))):
            mode = "plain"
        naming = Naming(qualified, mode)
        if mode == "package":  # ``import cdktf_cdktf_provider_aws as aws``, then ``aws.module.Name``: valid
            naming.written, naming.source = f"aws.{_short(module)}.{name}", None
        if mode == "alias":
            choices = [name + "Cls"] + [v for v in a_suffix_names(module, name)[:1]]
            alias = pick(draw, choices)
            if alias in locals_taken or SCHEMA.where(alias):
                naming.mode = "plain"
            else:
                naming.alias = alias
                locals_taken.add(alias)
        names[qualified] = naming

    # -- failures ------------------------------------------------------------------------------
    injected: list[tuple[str, str]] = []
    wrong_imports: list[str] = []
    wrong_refs: list[str] = []
    faulty_classes: set[str] = set()
    budget = draw(st.integers(1, max_failures)) if failures else 0
    kinds = sorted(failures)
    for _ in range(budget):
        # the kind first, then where: every kind comes up as often as the code allows it
        kind = pick(draw, kinds)
        if kind in NAME_FAILURES:
            targets = [
                q_ for q_ in sorted(used_names.values())
                if q_ not in faulty_classes and name_failure_applies(kind, q_, names[q_].mode)
            ]
            if not targets:
                continue
            qualified = pick(draw, targets)
            naming = names[qualified]
            module, _, name = qualified.rpartition(".")
            if kind == "a-suffix":
                variants = a_suffix_names(module, name)
                wrong = variants[0] if draw(st.booleans()) else pick(draw, variants)
                if wrong in locals_taken or wrong == naming.alias:
                    continue
                naming.written = wrong
                locals_taken.add(wrong)
                wrong_imports.append(wrong)
                if naming.alias is None:
                    wrong_refs.append(wrong)
            elif kind == "flat-import":
                naming.source = PROVIDER_PACKAGE
            elif kind == "package-alias":
                short = _short(module)
                naming.mode, naming.source = "package", None
                naming.written = f"aws.{name}"  # the class straight from the package (``aws.vpc.Vpc`` is valid)
            elif kind == "wrong-module":
                others = sorted({q_.rpartition(".")[0] for q_ in used_names.values()} - {module})
                short = _short(module)
                choices = [f"{PROVIDER_PACKAGE}.{m}" for m in (short + "s", short.replace("_", ""), "aws_" + short)]
                wrong_module = pick(draw, choices + others + [pick(draw, PROVIDER_MODULES)])
                if wrong_module == module or SCHEMA.defines(wrong_module, name):
                    continue
                naming.source = wrong_module
            else:
                naming.source = None
            faulty_classes.add(qualified)
            injected.append((kind, f"{name} -> {naming.written} as {naming.alias} from {naming.source}"))
        else:
            sites = [
                (call, kw) for c in constructions for call in walk_calls(c.call) for kw in call.kwargs
                if not kw.failure and kind in arg_failure_options(call, kw)
            ]
            if not sites:
                grown = _grow_site(draw, constructions, kind, refs, claim, names)
                if grown is None:
                    continue
                sites = [grown]
            call, kw = pick(draw, sites)
            if inject_arg_failure(draw, call, kw, kind):
                injected.append((kind, f"{call.spec.name}({kw.param.name}) -> {kw.text}"))

    def faulty(c: Construction) -> bool:
        return any(
            sub.spec.qualified in faulty_classes or any(kw.failure for kw in sub.kwargs) for sub in walk_calls(c.call)
        )

    # variables bound before the construction, used once (``rules = [...]``, then ``rule=rules``)
    for n, c in enumerate(constructions):
        for i, kw in enumerate(c.call.kwargs):
            if isinstance(kw.value, (ListV, DictV, CallV)) and draw(st.integers(0, 4)) == 0:
                c.hoisted[i] = f"v_{n}_{i}"

    # -- the module -----------------------------------------------------------------------------
    lines: list[Line] = []
    if draw(st.booleans()):
        lines += _lines(f'"""Stack module {marks.new()}: données, 日本.\n\nMore text."""', filler=True)
    if draw(st.booleans()):
        lines.append(Line(f"# {marks.new()}{draw(NOTES)}", filler=True))
    if draw(st.integers(0, 3)) == 0:
        lines.append(Line("from __future__ import annotations", mutable=True))
    rendered = "\n".join(render_value(kw.value, names) for c in constructions for kw in c.call.kwargs)
    if "json.dumps" in rendered:
        lines.append(Line("import json", mutable=True))
    lines.append(Line("from constructs import Construct", mutable=True))
    outputs = [r for r in refs if draw(st.booleans())]
    lines.append(Line(f"from cdktf import TerraformStack{', TerraformOutput' if outputs else ''}", mutable=True))
    if any(n.mode == "package" for n in names.values()):
        # (not right under a comment: see comments_above_moved_imports)
        lines.append(Line("import cdktf_cdktf_provider_aws as aws", mutable=True))
    groups: dict[str, list[str]] = {}
    moved_groups: dict[str, bool] = {}  # every name of the statement is imported from a wrong place
    for qualified in sorted(used_names.values(), key=lambda q_: (q_.count("."), q_)):
        naming = names[qualified]
        if naming.source is None:
            continue
        if naming.mode == "module":
            source, entry, moved = PROVIDER_PACKAGE, _short(qualified.rpartition(".")[0]), False
        else:
            source = naming.source
            entry = naming.written + (f" as {naming.alias}" if naming.alias else "")
            moved = source != qualified.rpartition(".")[0]
        if entry not in groups.setdefault(source, []):
            groups[source].append(entry)
        moved_groups[source] = moved_groups.get(source, True) and moved
    for module in sorted(groups, key=lambda m: (m == PROVIDER_PACKAGE, m)):
        imported = groups[module]
        if draw(st.booleans()) and (comments_above_moved_imports or not moved_groups[module]):
            lines.append(Line(f"# {marks.new()} imports{draw(NOTES)}", filler=True))
        if len(imported) > 1 and draw(st.booleans()):
            lines.append(Line(f"from {module} import (", mutable=True))
            lines += [Line(f"    {n},", mutable=True) for n in imported]
            lines.append(Line(")", mutable=True))
        else:
            lines.append(Line(f"from {module} import {', '.join(imported)}", mutable=True))
    body_start = len(lines)
    lines += [Line(""), Line("")]
    if draw(st.booleans()):
        lines += _lines(f"def compute(n):\n{unit}return n\n\n", filler=True)
    lines += filler_statements(draw, marks, "", unit)
    stack_name = pick(draw, ["Network", "Data", "Storage", "Tap", "Api"]) + "Stack"
    lines.append(Line(f"class {stack_name}(TerraformStack):"))
    if draw(st.booleans()):
        lines.append(Line(f'{unit}"""The {stack_name} ({marks.new()}), é."""', filler=True))
    lines.append(Line(f"{unit}def __init__(self, scope: Construct, id: str):"))
    if draw(st.booleans()):
        lines += _lines(f'{body}"""Build it. {marks.new()}\n\n{body}Second paragraph."""', filler=True)
    lines.append(Line(f"{body}super().__init__(scope, id)"))
    lines += filler_statements(draw, marks, body, unit)
    for n, c in enumerate(constructions):
        wrapper = pick(draw, ["", "", "", "", "for", "if"])
        if wrapper == "for":
            lines.append(Line(f"{body}for i_{n} in range(2):"))
            text = render_construction(draw, c, names, body + unit, unit, marks)
            text = text.replace(q(c.cid), 'f' + q(c.cid + f"-{{i_{n}}}"), 1)
        elif wrapper == "if":
            lines.append(Line(f"{body}if scope is not None:  # {marks.new()}", filler=True))
            text = render_construction(draw, c, names, body + unit, unit, marks)
        else:
            text = render_construction(draw, c, names, body, unit, marks)
        lines += _lines(text, mutable=faulty(c))
        lines += filler_statements(draw, marks, body, unit)
    for ref in outputs:
        lines.append(Line(f'{body}TerraformOutput(self, "{ref}_id", value={ref}.id)'))
    eol = "\r\n" if draw(st.integers(0, 3)) == 0 else "\n"
    while not trailing_blank_lines and lines[-1].text.strip() == "":
        lines.pop()
    final_eol = draw(st.integers(0, 7)) != 0 or lines[-1].text == ""
    return Stack(lines, eol, final_eol, body_start, marks.markers, injected, wrong_imports, wrong_refs)


def name_failure_applies(kind: str, qualified: str, mode: str) -> bool:
    module, _, name = qualified.rpartition(".")
    if mode == "module":  # ``s3_bucket_versioning.S3BucketVersioning``: the class read through its module
        return kind == "a-suffix" and bool(a_suffix_names(module, name))
    if mode == "package":  # ``aws.s3_bucket.S3Bucket`` is valid code
        return False
    if kind == "a-suffix":
        return bool(a_suffix_names(module, name))
    if kind in ("flat-import", "wrong-module"):
        return flat_importable(name)
    if kind == "package-alias":
        return mode == "plain" and flat_importable(name)
    return mode == "plain" and missing_importable(name)


def _grow_site(draw, constructions, kind, refs, claim, names):
    """Add to a construction an optional keyword that ``kind`` applies to; None when no
    construction has such a parameter left (or its classes clash with the file's)."""
    wants = _KIND_TYPES.get(kind)
    if wants is None:
        return None
    options = [
        (c.call, p) for c in constructions for p in c.call.spec.optional
        if wants(p.type) and p.name not in {k.param.name for k in c.call.kwargs}
    ]
    if not options:
        return None
    call, param = pick(draw, options)
    kw = Kw(param, values(draw, param.type, 0, refs))
    if not claim(CallV(call.spec, [kw])):
        return None
    for sub in _walk_value(kw.value):
        names.setdefault(sub.spec.qualified, Naming(sub.spec.qualified))
    call.kwargs.append(kw)
    return (call, kw) if kind in arg_failure_options(call, kw) else None


def _param(spec: Spec, name: str) -> Param:
    for p in spec.required + spec.optional:
        if p.name == name:
            return p
    raise KeyError(name)


def clean_stacks() -> st.SearchStrategy[Stack]:
    return stacks(failures=frozenset())


def safe_failure_stacks() -> st.SearchStrategy[Stack]:
    return stacks(failures=SAFE_FAILURES, max_failures=3)


@st.composite
def truncated_sources(draw) -> str:
    """A stack module cut short somewhere after its imports (often not parsing any more)."""
    source = draw(stacks()).source
    start = source.index("cdktf") + 5
    return source[: draw(st.integers(start, len(source) - 1))]
