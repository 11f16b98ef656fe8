"""The argument pass: sites, variables, matching, safety, and what must be left alone."""

from __future__ import annotations

import libcst as cst
import pytest

from cdktf_fix.engine.arguments import match_field
from codemods.kwarg_name import keyword_renames

HEAD = "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration\n"


def test_every_keyword_rename_in_the_table_is_valid_for_the_schema(schema):
    assert keyword_renames()
    for (qualified, keyword), entry in keyword_renames().items():
        info = schema.class_by_qualified(f"{schema.aws_package}.{qualified}")
        assert info is not None, qualified
        assert info.param(keyword) is None, f"{qualified}.{keyword} exists: no rename needed"
        targets = entry["to"] if isinstance(entry["to"], list) else [entry["to"]]
        for target in targets:
            assert info.param(target) is not None, f"{qualified} has no {target}"
        assert entry["safety"] in ("safe", "unsafe") and entry["why"] and entry["source"]
        for value in entry.get("values", {}).values():
            cst.parse_expression(value)


def test_matching_keys_to_fields(schema):
    rule = schema.class_info("cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration", "S3BucketLifecycleConfigurationRule")
    assert match_field(rule, "noncurrent_version_expiration").how == "exact"
    assert match_field(rule, "noncurrentVersionExpiration").field == "noncurrent_version_expiration"
    assert match_field(rule, "NoncurrentVersionExpiration").how == "spelling"
    assert match_field(rule, "transitions").field == "transition"
    assert match_field(rule, "noncurrent_version").how == "ambiguous"  # two fields start with it
    assert match_field(rule, "storage").how == "none"


def test_variable_used_twice_with_different_types_is_left_alone(repair):
    source = HEAD + (
        "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
        "def f(self):\n"
        "    shared = {'noncurrent_days': 30}\n"
        "    S3BucketLifecycleConfiguration(self, 'a', bucket='b', rule=[{'id': 'x', 'status': 'Enabled', 'noncurrent_version_expiration': [shared]}])\n"
        "    S3Bucket(self, 'b', tags=shared)\n"
    )
    result = repair(source)
    assert "shared = {'noncurrent_days': 30}" in result.new_source
    assert "S3BucketLifecycleConfigurationRule(" in result.new_source


def test_variable_rebound_or_mutated_is_left_alone(repair):
    literal = "rules = [{'id': 'x', 'status': 'Enabled', 'noncurrent_version_expiration': []}]"
    for extra in ("    rules.append({'id': 'y', 'status': 'Enabled'})\n", "    rules = rules + []\n"):
        source = HEAD + (
            "def f(self):\n"
            f"    {literal}\n" + extra +
            "    S3BucketLifecycleConfiguration(self, 'a', bucket='b', rule=rules)\n"
        )
        result = repair(source)
        assert literal in result.new_source, extra
    # bound once and passed once: the literal is converted where it is bound
    source = HEAD + f"def f(self):\n    {literal}\n    S3BucketLifecycleConfiguration(self, 'a', bucket='b', rule=rules)\n"
    assert "rules = [S3BucketLifecycleConfigurationRule(" in repair(source).new_source


def test_spread_and_computed_keys_leave_the_dict(repair):
    source = HEAD + (
        "def f(self, extra, key):\n"
        "    S3BucketLifecycleConfiguration(self, 'a', bucket='b', rule=[{**extra, 'id': 'x'}, {key: 'x', 'status': 'Enabled'}])\n"
    )
    result = repair(source)
    assert result.new_source == source


def test_ambiguous_key_is_an_unsafe_pick(repair):
    source = HEAD + "S3BucketLifecycleConfiguration(None, 'a', bucket='b', rule=[{'id': 'x', 'status': 'Enabled', 'noncurrent_version': []}])\n"
    safe = repair(source)
    assert safe.new_source == source
    assert [(f.safety.value, f.applied) for f in safe.fixes if "noncurrent_version" in f.old] == [("unsafe", False)]
    unsafe = repair(source, unsafe_fixes=True)
    assert "noncurrent_version_expiration=[]" in unsafe.new_source
    assert any(f.safety.value == "unsafe" and f.applied for f in unsafe.fixes)


def test_argument_codemods_never_touch_unknown_calls(repair):
    source = (
        "import cdktf\n"
        "def f(make):\n"
        "    make(rule=[{'apply_server_side_encryption_by_default': {}}], port='80')\n"
        "    dict(vpc_config=[{'subnet_ids': []}])\n"
    )
    assert repair(source).new_source == source


def test_report_lines_point_at_the_call_or_block(repair):
    source = HEAD + "\n\n" + "S3BucketLifecycleConfiguration(\n    None, 'a', bucket='b',\n    rule=[{'id': 'x', 'status': 'Enabled', 'noncurrent_version_expiration': {'noncurrent_days': 1}}],\n)\n"
    result = repair(source)
    lines = {f.codemod: f.line for f in result.fixes}
    assert lines["nested-block-struct"] == 6
    assert lines["block-shape"] == 6


@pytest.mark.parametrize("codemod", ["nested-block-struct", "block-shape", "literal-type", "kwarg-name"])
def test_select_runs_one_argument_codemod(repair, codemod):
    source = HEAD + "S3BucketLifecycleConfiguration(None, 'a', bucket='b', rule=[{'id': 'x', 'status': 'Enabled', 'expiration': {'days': 1}}], bucketName='x')\n"
    result = repair(source, select=frozenset({codemod}))
    assert {f.codemod for f in result.fixes} <= {codemod}
