"""Where does a class really live, and what is it really called: lookups in the schema index.

``resolve_class`` answers for one (module as written, name as written, how the name is used)
with the real (module, name), whether the answer is safe, and the candidates it weighed.
Safe means the schema leaves one candidate:

1. the name exists in the module: nothing to do;
2. names that differ only by case, underscores or jsii's ``A`` suffixes (``S3BucketVersioning``
   vs ``S3BucketVersioningA``), preferring the module the code names, then the kind of class
   the code needs (a construct for ``X(self, "id")``, a struct for ``X(a=1)``): one left;
3. the name exists exactly in one module of the needed kind (right class, wrong module);
4. a misspelling inside the module the code names: the module's only construct class when the
   code constructs one and passes no keyword it lacks, or the one struct that accepts every
   keyword the code passes;
5. otherwise near spellings are only suggestions (unsafe when there is a single close one).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cdktf_fix.engine.facts import Usage
from cdktf_fix.engine.result import Safety
from cdktf_fix.schema.model import CONSTRUCT_KINDS, SchemaIndex, name_words, struct_of

_DATA = Path(__file__).resolve().parents[1] / "data" / "service_aliases.json"


@lru_cache(maxsize=1)
def service_prefixes() -> list[tuple[str, str]]:
    return [tuple(pair) for pair in json.loads(_DATA.read_text(encoding="utf-8"))["module_prefixes"]]


def _camel(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


@dataclass
class Resolution:
    module: str | None
    name: str | None
    safety: Safety | None  # None: no fix, only suggestions
    reason: str
    candidates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.module is not None and self.name is not None


def _kind_fits(kind: str, usage: Usage | None) -> bool:
    if usage is None or usage.kind == "unknown":
        return True
    if usage.kind == "construct":
        return kind in CONSTRUCT_KINDS
    return kind == "struct"


def _keywords_fit(schema: SchemaIndex, module: str, name: str, usage: Usage | None) -> bool:
    if usage is None or not usage.keywords:
        return False
    info = schema.class_info(module, name)
    if info is None:
        return False
    accepted = {p.name for p in info.params}
    return usage.keywords <= accepted


def _keywords_nearly_fit(schema: SchemaIndex, module: str, name: str, usage: Usage) -> bool:
    """Every keyword is a field of the class, or a close spelling of one (``lenght``): what
    kwarg-name fixes once the class is right."""
    info = schema.class_info(module, name)
    if info is None:
        return False
    fields = [p.name for p in info.params]
    return all(k in fields or difflib.get_close_matches(k, fields, n=1, cutoff=0.8) for k in usage.keywords)


def candidate_modules(schema: SchemaIndex, module: str) -> list[str]:
    """Real provider modules a written module may mean: itself, same key, service aliases."""
    if schema.has_module(module):
        return [module]
    package = schema.package_of(module)
    short = module.rpartition(".")[2] if module.startswith(package + ".") else module
    found = schema.modules_with_key(short, package)
    twin = data_source_twin(schema, package, short)
    if twin is not None and twin not in found:
        found.append(twin)  # ``iam_policy_document`` is the data source ``data_aws_iam_policy_document``
    if package != schema.aws_package:
        return found  # the service aliases are the AWS provider's
    for wrong, right in service_prefixes():
        if short.startswith(wrong):
            real = f"{package}.{right}{short[len(wrong):]}"
            if schema.has_module(real) and real not in found:
                found.append(real)
    return found


def data_source_twin(schema: SchemaIndex, package: str, short: str) -> str | None:
    """The data-source module of a provider whose name is ``short`` behind the provider's data
    prefix (``iam_policy_document`` -> ``data_aws_iam_policy_document``), when it exists and
    ``short`` itself is no module: models drop the prefix Terraform's data sources carry."""
    from cdktf_fix.schema.packages import FRAMEWORKS

    prefix = next((f.provider_prefix.replace("-", "_") for f in FRAMEWORKS.values() if package.startswith(f.provider_prefix.replace("-", "_"))), None)
    if prefix is None or short.startswith("data_") or schema.has_module(f"{package}.{short}"):
        return None
    twin = f"{package}.data_{package[len(prefix):]}_{short}"
    return twin if schema.has_module(twin) else None


def class_aliases(name: str) -> list[str]:
    """``EventbridgeRule`` -> ``CloudwatchEventRule``, ``SchedulerRule`` (service aliases)."""
    out = []
    for wrong, right in service_prefixes():
        prefix = _camel(wrong)
        if name.startswith(prefix):
            out.append(_camel(right) + name[len(prefix):])
    return out


def resolve_class(schema: SchemaIndex, hint_modules: list[str], name: str, usage: Usage | None, package: str | None = None) -> Resolution:
    """Memoized per schema: the same wrong name recurs across iterations, files and samples.

    Candidates come from one provider package (``package``, else the one the hint modules
    are in, else the AWS provider) and the framework core: a name written for one provider is
    never moved into another."""
    if package is None:
        package = schema.package_of(hint_modules[0]) if hint_modules else schema.aws_package
    key = (tuple(hint_modules), name, usage.kind if usage else None, frozenset(usage.keywords) if usage else frozenset(), package)
    found = schema.memo.get(key)
    if found is None:
        found = schema.memo[key] = _resolve_class(schema, hint_modules, name, usage, package)
    return found


def _within(schema: SchemaIndex, package: str):
    """Keeps (module, name) pairs of ``package`` or of the core (one provider's names only)."""
    allowed = {package} | set(schema.core_packages)

    def keep(pairs):
        return [p for p in pairs if p[0].partition(".")[0] in allowed]

    return keep


def _resolve_class(schema: SchemaIndex, hint_modules: list[str], name: str, usage: Usage | None, package: str) -> Resolution:
    keep = _within(schema, package)
    for module in hint_modules:
        if schema.defines(module, name):
            return Resolution(module, name, Safety.SAFE, "exists")
        data_name = "Data" + _camel(module.rpartition(".")[2].split("_")[1]) + name if module.rpartition(".")[2].startswith("data_") else None
        if data_name and schema.defines(module, data_name) and _kind_fits("data", usage):
            # ``IamPolicyDocument`` from the data-source twin module: its class carries the prefix too
            return Resolution(module, data_name, Safety.SAFE, "the data source the name stands for, without its Data prefix")

    # 2./3. same spelling key (case, underscores, A suffixes), then exact name elsewhere
    keyed = keep(schema.same_key(name))
    for alias in class_aliases(name) if package == schema.aws_package else ():
        keyed.extend(p for p in keep(schema.same_key(alias)) if p not in keyed)
    if keyed:
        pool = [p for p in keyed if p[0] in hint_modules] or keyed
        fitting = [p for p in pool if _kind_fits(schema.kind(*p) or "", usage)] or pool
        if len(fitting) == 1:
            return Resolution(*fitting[0], Safety.SAFE, "same name up to case and A suffix", keyed)
        exact = [p for p in fitting if p[1] == name]
        if len(exact) == 1:
            return Resolution(*exact[0], Safety.SAFE, "same name in another module", keyed)
        by_keywords = [p for p in fitting if _keywords_fit(schema, p[0], p[1], usage)]
        if len(by_keywords) == 1:
            return Resolution(*by_keywords[0], Safety.SAFE, "the one candidate that takes these keywords", keyed)
        return Resolution(*fitting[0], Safety.UNSAFE, "several classes share this spelling", fitting)

    # 4. misspelling inside the module the code names
    for module in hint_modules:
        names = schema.names_in(module)
        if usage is not None and usage.kind == "construct":
            constructs = [n for n, k in names.items() if k in CONSTRUCT_KINDS]
            # the module's one construct class, when it takes every keyword the code passes
            # (``rds_cluster.RdsClusterSubnetGroup(name=, subnet_ids=)`` is no RdsCluster)
            if len(constructs) == 1 and (not usage.keywords or _keywords_nearly_fit(schema, module, constructs[0], usage)):
                return Resolution(module, constructs[0], Safety.SAFE, "the only resource class of the module", [(module, constructs[0])])
        close = difflib.get_close_matches(name, [n for n, k in names.items() if _kind_fits(k, usage)], n=5, cutoff=0.8)
        if close:
            fitting = [n for n in close if _keywords_fit(schema, module, n, usage)]
            candidates = [(module, n) for n in close]
            if len(fitting) == 1:
                return Resolution(module, fitting[0], Safety.SAFE, "the one close name that takes these keywords", candidates)
            ratio = difflib.SequenceMatcher(None, name, close[0]).ratio()
            if len(close) == 1 or ratio - difflib.SequenceMatcher(None, name, close[1]).ratio() > 0.08:
                return Resolution(module, close[0], Safety.UNSAFE, "closest name in the module", candidates)
            return Resolution(None, None, None, "several close names in the module", candidates)

    # 5. suggestions from everywhere; one close class of the needed kind is an unsafe pick
    suggestions = keep(schema.closest_names(name, n=8))[:5]
    if usage is not None and usage.kind != "unknown":
        fitting = [p for p in suggestions if _kind_fits(schema.kind(*p) or "", usage)]
        if len(fitting) == 1:
            return Resolution(*fitting[0], Safety.UNSAFE, "the one close class of this kind", suggestions)
    for module in hint_modules:
        suggestions.extend(p for p in schema.closest_names(name, n=3, cutoff=0.6, module=module) if p not in suggestions)
    return Resolution(None, None, None, "no such class", suggestions[:5])


def hint_modules_for(schema: SchemaIndex, module: str, name: str) -> list[str]:
    """The modules to prefer for a name imported from ``module`` (which may not exist)."""
    root = module.partition(".")[0]
    if root in schema.provider_packages and "." in module:
        found = candidate_modules(schema, module)
    elif root == "imports" and module.count(".") >= 2:
        found = candidate_modules(schema, schema.as_provider_module(module))
    elif module in schema.core_packages:
        found = [module]
    else:
        found = []
    # the module named after the class: ``TimestreamWriteTable`` -> ``timestreamwrite_table``
    snake = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    for extra in schema.modules_with_key(snake, schema.package_of(module)):
        if extra not in found:
            found.append(extra)
    return found


def owner_and_rest(schema: SchemaIndex, module: str, name: str):
    """The real class a class name starts with, and the rest of its words in snake_case:
    ``Wafv2WebAclRuleStatementRateBasedStatement`` -> (``Wafv2WebAclRule``, ``["statement",
    "rate", "based", "statement"]``).  The longest real class first; at most one is yielded."""
    words = name_words(name)
    for cut in range(len(words) - 1, 0, -1):
        owner = "".join(words[:cut])
        info = schema.class_info(module, owner) or schema.class_info(module, owner + "A")
        if info is not None:
            yield info, [w.lower() for w in words[cut:]]
            return


def restructure_hint(schema: SchemaIndex, module: str, name: str) -> str | None:
    """For a name made of a real class plus a field path, say how that field is really typed.

    ``Wafv2WebAclRuleStatementRateBasedStatement`` is ``Wafv2WebAclRule`` + ``statement`` +
    ``rate_based_statement``; ``statement`` is typed Any, so the value is a plain dict with
    Terraform snake_case keys.  Returns None when the name is not of that shape.
    """
    for info, rest in owner_and_rest(schema, module, name):
        for take in range(len(rest), 0, -1):
            param = info.param("_".join(rest[:take]))
            if param is None:
                continue
            inner = "_".join(rest[take:])
            if param.type == "any":
                key = f'{{"{inner}": {{...}}}}' if inner else "{...}"
                return f"{info.name}({param.name}={key}): {param.name} is typed Any, so pass a plain dict with Terraform snake_case keys"
            struct = struct_of(param.type)
            if struct and not inner:
                return f"{info.name}({param.name}=...) takes {struct.rpartition('.')[2]}"
            if isinstance(param.type, str) and not inner:
                extra = " (a JSON document: json.dumps(...))" if param.name.endswith(("_definitions", "_policy", "policy")) else ""
                return f"{info.name}({param.name}=...) is a plain {param.type}{extra}, not a class"
        flattened = [p.name for p in info.params if p.name.startswith(rest[0] + "_")]
        if flattened:
            return f"{info.name} takes this block as flat keywords: {', '.join(flattened)}"
        return None
    return None


# -- attributes and methods -----------------------------------------------------------------


def _squash(name: str) -> str:
    return name.replace("_", "").lower()


def snake_case(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def one_member(written: str, names: list[str], owner: str = "", kinds: dict | None = None) -> tuple[str, Safety, str] | None:
    """(name, safety, why) of the attribute or method of ``owner`` that ``written`` stands for,
    when the names (with their types, ``kinds``) leave one; else None."""
    same = [n for n in names if _squash(n) == _squash(written)]
    if len(same) == 1:
        return same[0], Safety.SAFE, "the same name in snake_case"
    snake = snake_case(written)
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
