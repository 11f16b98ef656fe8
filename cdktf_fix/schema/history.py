"""What successive releases of the prebuilt AWS provider removed: modules, classes, keywords.

Models write the API of older AWS provider majors: a keyword removed in AWS provider 5 or 6
(``EksAddon(resolve_conflicts=...)``, ``Eip(vpc=True)``), a resource that is gone.  The history
in ``cdktf_fix/data/provider_history.json``, built by ``scripts/build_provider_history.py`` from
the schemas of the last release of each major of ``cdktf-cdktf-provider-aws`` (10.0.2, the
first with cdktf 0.13's per-resource layout, to 21.22.1), says what was removed, in which
release, and which Terraform provider versions (``aws 6.25.0``) those releases wrap.

Modules are named as the AWS provider's module without its package (``eks_addon``); a dotted
name (``cdktf_cdktf_provider_aws.eks_addon``, ``cdktn_provider_aws.eks_addon``,
``imports.aws.eks_addon``) is taken by its last part.  CDK Terrain's AWS provider
(``cdktn_provider_aws``) has the same module and class layout, so the same history serves it;
but every release version in it is a ``cdktf-cdktf-provider-aws`` version (cdktn-provider-aws
numbers its releases differently), and the Terraform provider versions are what tie the two.

The history holds one release per major, so a removal is known to a span: the item is in
``last`` and not in ``removed_in`` (the next release of the history), and went somewhere in
between.  An item removed twice records its last removal; one that the newest release has
again is not in the history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from packaging.version import Version

DATA_FILE = "data/provider_history.json"


@dataclass(frozen=True)
class Removal:
    """One removed module, class or keyword parameter."""

    what: str  # "module", "class" or "keyword"
    name: str  # "eks_addon", "eks_addon.EksAddon", "eks_addon.EksAddon.resolve_conflicts"
    removed_in: str  # the first release of the history without it (a cdktf-cdktf-provider-aws version)
    last: str  # the last release of the history with it
    removed_in_terraform: str | None  # the Terraform provider removed_in wraps: "aws 6.25.0"
    last_terraform: str | None  # the one last wraps: "aws 5.100.0"
    added_then: tuple[str, ...] = ()  # keywords: those added to the class in removed_in (rename candidates)
    distribution: str = "cdktf-cdktf-provider-aws"
    # classes: the removed class it was nested in and went with (``wafv2_web_acl.Wafv2WebAclRuleStatement``
    # for ``Wafv2WebAclRuleStatementAndStatement``), when it is known through that one
    family: str | None = None

    def describe(self) -> str:
        """``eks_addon.EksAddon keyword resolve_conflicts was removed by cdktf-cdktf-provider-aws
        21.22.1 (aws 6.25.0); 20.1.0 (aws 5.100.0) still had it``."""
        subject = self.name
        if self.what == "keyword":
            owner, _, keyword = self.name.rpartition(".")
            subject = f"{owner} keyword {keyword}"
        elif self.what == "module":
            subject = f"module {self.name}"
        if self.family:
            subject += f" (with {self.family})"
        now = f" ({self.removed_in_terraform})" if self.removed_in_terraform else ""
        then = f" ({self.last_terraform})" if self.last_terraform else ""
        return f"{subject} was removed by {self.distribution} {self.removed_in}{now}; {self.last}{then} still had it"

    def gone_in(self, version: str) -> bool | None:
        """Whether the item is absent in release ``version`` of the distribution: True from
        ``removed_in`` on, False up to ``last``, None in between (not known)."""
        release = Version(version)
        if release >= Version(self.removed_in):
            return True
        if release <= Version(self.last):
            return False
        return None


@lru_cache(maxsize=1)
def history() -> dict:
    """The history file as loaded (once)."""
    return json.loads(resources.files("cdktf_fix").joinpath(DATA_FILE).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _terraform() -> dict[str, str | None]:
    return {release["version"]: release.get("terraform") for release in history()["releases"]}


def releases() -> list[tuple[str, str | None]]:
    """(release, the Terraform provider it wraps) for every release of the history, oldest first."""
    return [(release["version"], release.get("terraform")) for release in history()["releases"]]


def terraform_of(version: str) -> str | None:
    """The Terraform provider a release of the history wraps (``21.22.1`` -> ``aws 6.25.0``)."""
    return _terraform().get(version)


def _short(module: str) -> str:
    return module.rpartition(".")[2]


def _removal(what: str, name: str, entry: dict, family: str | None = None) -> Removal:
    return Removal(
        what, name, entry["in"], entry["last"], terraform_of(entry["in"]), terraform_of(entry["last"]),
        tuple(entry.get("added_then", ())), history()["distribution"], family,
    )


def removed_module(module: str) -> Removal | None:
    """How ``module`` (``eks_addon``) was removed, or None if the history does not say it was."""
    module = _short(module)
    entry = history()["removed"]["modules"].get(module)
    return _removal("module", module, entry) if entry else None


def removed_class(module: str, class_name: str) -> Removal | None:
    """How class ``class_name`` of ``module`` was removed, or None.

    A removed class whose entry has a ``family`` (a count) went with every class of its module
    whose name extends it by more CamelCase words (its nested blocks' structs, output
    references, lists): those are found through it (``Removal.family`` names it; the 13,000
    nested wafv2 statement classes AWS provider 19 dropped are two entries).  A class of a
    removed module is gone with it: then the module's removal is returned (``what == "module"``).
    """
    module = _short(module)
    classes = history()["removed"]["classes"]
    qualified = f"{module}.{class_name}"
    entry = classes.get(qualified)
    if entry:
        return _removal("class", qualified, entry)
    for end in range(len(class_name) - 1, 0, -1):  # the longest removed family it extends
        if class_name[end].isupper() or class_name[end].isdigit():
            root = f"{module}.{class_name[:end]}"
            entry = classes.get(root)
            if entry and entry.get("family"):
                return _removal("class", qualified, entry, family=root)
    return removed_module(module)


def removed_keyword(module: str, class_name: str, keyword: str) -> Removal | None:
    """How keyword parameter ``keyword`` of ``module.class_name`` (a resource, data source,
    provider or struct class) was removed, or None.  Only keywords of classes present on both
    sides of their removal are recorded: see ``removed_class`` for a class that is gone."""
    module = _short(module)
    entry = history()["removed"]["keywords"].get(f"{module}.{class_name}", {}).get(keyword)
    return _removal("keyword", f"{module}.{class_name}.{keyword}", entry) if entry else None
