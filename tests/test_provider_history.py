"""The provider history (``cdktf_fix/data/provider_history.json``, built by
``scripts/build_provider_history.py``) and its lookups (``cdktf_fix/schema/history.py``).

No network: the history is checked against the shipped snapshot of the default target, and the
script's diff against made-up summaries.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from packaging.version import Version

from cdktf_fix.schema import history
from cdktf_fix.schema.packages import FRAMEWORKS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "cdktf_fix" / "data" / "provider_history.json"
PACKAGE = "cdktf_cdktf_provider_aws"
DEFAULT = FRAMEWORKS["cdktf"].default_aws  # 21.22.1


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("build_provider_history", ROOT / "scripts" / "build_provider_history.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _items(data: dict):
    """(kind, module, class or None, keyword or None, entry) for every removed item."""
    removed = data["removed"]
    for module, entry in removed["modules"].items():
        yield "module", module, None, None, entry
    for qualified, entry in removed["classes"].items():
        module, _, name = qualified.partition(".")
        yield "class", module, name, None, entry
    for qualified, keywords in removed["keywords"].items():
        module, _, name = qualified.partition(".")
        for keyword, entry in keywords.items():
            yield "keyword", module, name, keyword, entry


# -- the file ----------------------------------------------------------------------------------


def test_shape(data):
    assert set(data) == {"distribution", "source", "releases", "removed"}
    assert data["distribution"] == "cdktf-cdktf-provider-aws"
    versions = [r["version"] for r in data["releases"]]
    assert versions == sorted(versions, key=Version)
    majors = [Version(v).major for v in versions]
    assert len(set(majors)) == len(majors), "one release per major"
    assert majors[0] == 10, "10 is the first major with cdktf 0.13's per-resource layout"
    assert DEFAULT in versions
    assert data["source"] == "built by scripts/build_provider_history.py from " + ", ".join(versions)
    for release in data["releases"]:
        assert set(release) == {"version", "terraform"}
        assert re.fullmatch(r"aws \d+\.\d+\.\d+", release["terraform"]), release
    terraform = [Version(r["terraform"].split()[1]) for r in data["releases"]]
    assert terraform == sorted(terraform), "each release wraps a newer Terraform provider"

    assert set(data["removed"]) == {"modules", "classes", "keywords"}
    position = {v: i for i, v in enumerate(versions)}
    for kind, module, name, keyword, entry in _items(data):
        assert re.fullmatch(r"[a-z0-9_]+", module), module
        assert name is None or re.fullmatch(r"[A-Za-z0-9_]+", name), name
        assert position[entry["in"]] == position[entry["last"]] + 1, (kind, module, name, keyword, entry)
        extra = {"module": set(), "class": {"family"} & set(entry), "keyword": {"added_then"}}[kind]
        assert set(entry) == {"in", "last"} | extra, (kind, module, name, keyword, entry)
        if "family" in entry:
            assert isinstance(entry["family"], int) and entry["family"] > 0
        if kind == "keyword":
            assert entry["added_then"] == sorted(set(entry["added_then"]))
            assert keyword not in entry["added_then"]
    assert all(data["removed"]["keywords"].values()), "no class without keywords"


def test_file_is_small_sorted_and_as_the_script_writes_it(data, script):
    text = DATA.read_text(encoding="utf-8")
    assert len(text.encode()) < 300_000
    assert script.render(data) == text  # sorted keys, one line per item: stable diffs

    def sorted_keys(pairs):
        keys = [k for k, _ in pairs]
        assert keys == sorted(keys), keys[:5]
        return dict(pairs)

    json.loads(text, object_pairs_hook=sorted_keys)


# -- against the default target ------------------------------------------------------------------


def test_every_removed_item_is_absent_from_the_default_target(data, schema):
    assert schema.versions["cdktf-cdktf-provider-aws"] == DEFAULT
    checked = 0
    for kind, module, name, keyword, entry in _items(data):
        if Version(entry["in"]) > Version(DEFAULT):
            continue  # removed after the default target: it may still have it
        qualified = f"{PACKAGE}.{module}"
        if kind == "module":
            assert not schema.has_module(qualified), module
        elif kind == "class":
            assert not schema.defines(qualified, name), f"{module}.{name}"
            if entry.get("family"):
                nested = [n for n in schema.names_in(qualified) if n.startswith(name)]
                assert not [n for n in nested if n[len(name)].isupper() or n[len(name)].isdigit()], f"{module}.{name}"
        else:
            info = schema.class_info(qualified, name)
            assert info is None or info.param(keyword) is None, f"{module}.{name}({keyword}=)"
        checked += 1
    assert checked == sum(1 for _ in _items(data))


def test_kept_classes_of_keyword_removals_exist_in_the_default_target(data, schema):
    """A class whose keyword was removed and that is not itself recorded as removed still
    exists: the history is about one class under one name."""
    removed = data["removed"]
    for qualified in removed["keywords"]:
        module, _, name = qualified.partition(".")
        if module in removed["modules"] or history.removed_class(module, name) is not None:
            continue
        assert schema.defines(f"{PACKAGE}.{module}", name), qualified


# -- spot cases ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("module", "cls", "keyword", "removed_in", "last", "terraform_in", "terraform_last"), [
    # AWS provider 6: resolve_conflicts (replaced by resolve_conflicts_on_create/_on_update in 5)
    ("eks_addon", "EksAddon", "resolve_conflicts", "21.22.1", "20.1.0", "aws 6.25.0", "aws 5.100.0"),
    # AWS provider 5: a route's instance_id
    ("route", "Route", "instance_id", "16.0.9", "15.0.0", "aws 5.13.1", "aws 4.67.0"),
    # deprecated in AWS provider 5 (domain="vpc"), removed in 6
    ("eip", "Eip", "vpc", "21.22.1", "20.1.0", "aws 6.25.0", "aws 5.100.0"),
    # AWS provider 5: name, for db_name
    ("db_instance", "DbInstance", "name", "16.0.9", "15.0.0", "aws 5.13.1", "aws 4.67.0"),
])
def test_spot_cases(data, schema, module, cls, keyword, removed_in, last, terraform_in, terraform_last):
    entry = data["removed"]["keywords"][f"{module}.{cls}"][keyword]
    assert (entry["in"], entry["last"]) == (removed_in, last)
    found = history.removed_keyword(module, cls, keyword)
    assert found is not None
    assert (found.removed_in, found.last) == (removed_in, last)
    assert (found.removed_in_terraform, found.last_terraform) == (terraform_in, terraform_last)
    assert found.what == "keyword" and found.name == f"{module}.{cls}.{keyword}"
    assert schema.class_info(f"{PACKAGE}.{module}", cls).param(keyword) is None


def test_renames_that_are_not_told_by_added_then(schema):
    """db_name and domain existed before name and vpc went: added_then holds only what came in
    the same release (AWS provider 6 added ``region`` to every resource)."""
    name = history.removed_keyword("db_instance", "DbInstance", "name")
    assert "db_name" not in name.added_then
    assert schema.class_info(f"{PACKAGE}.db_instance", "DbInstance").param("db_name") is not None
    vpc = history.removed_keyword("eip", "Eip", "vpc")
    assert vpc.added_then == ("region",)
    assert schema.class_info(f"{PACKAGE}.eip", "Eip").param("domain") is not None


# -- lookups -------------------------------------------------------------------------------------


def test_module_names_with_or_without_a_package():
    plain = history.removed_keyword("eks_addon", "EksAddon", "resolve_conflicts")
    for module in ("cdktf_cdktf_provider_aws.eks_addon", "cdktn_provider_aws.eks_addon", "imports.aws.eks_addon"):
        assert history.removed_keyword(module, "EksAddon", "resolve_conflicts") == plain
    assert history.removed_module("cdktn_provider_aws.opsworks_stack") == history.removed_module("opsworks_stack")


def test_what_exists_or_never_existed_is_not_removed():
    assert history.removed_keyword("s3_bucket", "S3Bucket", "bucket") is None
    assert history.removed_keyword("eks_addon", "EksAddon", "no_such_keyword") is None
    assert history.removed_keyword("no_such_module", "NoSuchClass", "vpc") is None
    assert history.removed_class("s3_bucket", "S3Bucket") is None
    assert history.removed_class("s3_bucket", "S3BucketVersioningA") is None
    assert history.removed_module("s3_bucket") is None
    assert history.removed_module("no_such_module") is None


def test_removed_module_and_its_classes():
    module = history.removed_module("opsworks_stack")
    assert module is not None and module.what == "module"
    assert (module.removed_in, module.last) == ("21.22.1", "20.1.0")
    assert (module.removed_in_terraform, module.last_terraform) == ("aws 6.25.0", "aws 5.100.0")
    assert history.removed_class("opsworks_stack", "OpsworksStack") == module
    assert history.removed_module("data_aws_subnet_ids").removed_in == "16.0.9"  # AWS provider 5
    assert "module opsworks_stack was removed by cdktf-cdktf-provider-aws 21.22.1 (aws 6.25.0)" in module.describe()


def test_removed_class_and_the_classes_nested_in_it():
    root = history.removed_class("wafv2_web_acl", "Wafv2WebAclRuleStatement")
    assert root is not None and root.what == "class" and root.family is None
    assert (root.removed_in, root.last) == ("19.65.1", "18.2.0")
    nested = history.removed_class("wafv2_web_acl", "Wafv2WebAclRuleStatementAndStatementStatementByteMatchStatement")
    assert nested.family == "wafv2_web_acl.Wafv2WebAclRuleStatement"
    assert nested.name == "wafv2_web_acl.Wafv2WebAclRuleStatementAndStatementStatementByteMatchStatement"
    assert (nested.removed_in, nested.last) == (root.removed_in, root.last)
    assert "(with wafv2_web_acl.Wafv2WebAclRuleStatement)" in nested.describe()
    # a name that only shares letters (no CamelCase word boundary) is not in the family
    assert history.removed_class("wafv2_web_acl", "Wafv2WebAclRuleStatements") is None
    # a class removed on its own (no family): names extending it are not found through it
    single = history.removed_class("route53_record", "Route53RecordAliasList")
    assert single is not None and single.removed_in == "12.0.13"
    assert history.removed_class("route53_record", "Route53RecordAliasListOutputReference") is None


def test_removal_details():
    found = history.removed_keyword("eks_addon", "EksAddon", "resolve_conflicts")
    assert found.describe() == (
        "eks_addon.EksAddon keyword resolve_conflicts was removed by cdktf-cdktf-provider-aws 21.22.1 "
        "(aws 6.25.0); 20.1.0 (aws 5.100.0) still had it"
    )
    assert found.distribution == "cdktf-cdktf-provider-aws"
    assert found.gone_in("21.22.1") is True and found.gone_in("22.0.0") is True
    assert found.gone_in("20.1.0") is False and found.gone_in("19.50.0") is False
    assert found.gone_in("21.0.0") is None  # between the two releases of the history
    assert history.terraform_of(DEFAULT) == "aws 6.25.0"
    assert history.terraform_of("0.0.1") is None
    assert history.releases()[-1] == (DEFAULT, "aws 6.25.0")
    assert history.history() is history.history()  # loaded once


# -- the script, without the network -------------------------------------------------------------


def test_last_of_each_major(script):
    versions = ["9.0.52", "10.0.1", "10.0.10", "10.0.2", "11.1.0rc1", "11.0.3", "12.0.0.dev1", "21.22.1", "junk"]
    assert script.last_of_each_major(versions, 10) == ["10.0.10", "11.0.3", "21.22.1"]
    assert script.last_of_each_major(versions, 9, last_major=11) == ["9.0.52", "10.0.10", "11.0.3"]


def test_diff(script):
    def summary(**modules):
        return {m: {c: ("struct" if c.endswith("Block") else "resource", frozenset(p) if p is not None else None) for c, p in classes.items()}
                for m, classes in modules.items()}

    old = summary(
        gone={"Gone": ["a"]},
        thing={"Thing": ["a", "old", "back"], "ThingBlock": ["x"], "ThingBlockOutputReference": None,
               "ThingBlockDeepBlock": ["y"], "ThingSolo": [], "ThingSoloOutputReference": None, "ThingSoloX": []},
    )
    middle = summary(thing={"Thing": ["a", "new"], "ThingSoloOutputReference": None, "ThingSoloX": []})
    newest = summary(thing={"Thing": ["a", "new", "back"], "ThingSoloOutputReference": None, "ThingSoloX": []})
    removed = script.diff([("1.0.0", old), ("2.0.0", middle), ("3.0.0", newest)])
    assert removed["modules"] == {"gone": {"in": "2.0.0", "last": "1.0.0"}}
    assert removed["classes"] == {
        "thing.ThingBlock": {"family": 2, "in": "2.0.0", "last": "1.0.0"},  # with its output reference and DeepBlock
        "thing.ThingSolo": {"in": "2.0.0", "last": "1.0.0"},  # ThingSoloX stays: no family
    }
    # "back" came back in 3.0.0: not removed
    assert removed["keywords"] == {"thing.Thing": {"old": {"added_then": ["new"], "in": "2.0.0", "last": "1.0.0"}}}
    assert script.extends("ThingBlockDeep", "ThingBlock") and not script.extends("ThingBlocks", "ThingBlock")


def test_every_upgrade_guide_rename_is_a_removal_of_that_major_in_the_history():
    """Each keyword_renames.json entry sourced from the AWS provider's upgrade guide (or
    changelog) of major N is checked against both schemas: the history records that the old
    keyword was in a release wrapping an older major and gone from one wrapping N (the new
    keyword is checked against the target's schema in tests/test_arguments.py)."""
    from codemods.kwarg_name import keyword_renames

    checked = 0
    for (qualified, keyword), entry in keyword_renames().items():
        major = re.search(r"version-(\d+)-upgrade|CHANGELOG (\d+)\.0\.0", entry["source"])
        if not major:
            continue
        wanted = int(major.group(1) or major.group(2))
        module, _, name = qualified.partition(".")
        removal = history.removed_keyword(module, name, keyword)
        assert removal is not None, f"{qualified}.{keyword}: the history does not record its removal"
        assert removal.removed_in_terraform.startswith(f"aws {wanted}."), (qualified, keyword, removal.removed_in_terraform)
        assert not removal.last_terraform.startswith(f"aws {wanted}."), (qualified, keyword, removal.last_terraform)
        checked += 1
    assert checked >= 8
