"""The schema index: static scan, type model, lookups, snapshot and cache."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from cdktf_fix.schema import build, store
from cdktf_fix.schema.model import SchemaIndex, name_key, shape_of, struct_of

P = "cdktf_cdktf_provider_aws"

GENERATED = '''r"""
# docs

```python
class NotAClass(TerraformStack):
    pass
```
"""
import abc
import builtins
import typing

import jsii
import typing_extensions

import cdktf as _cdktf_9a9027ec
import constructs as _constructs_77d1e7e8


class Widget(
    _cdktf_9a9027ec.TerraformResource,
    metaclass=jsii.JSIIMeta,
    jsii_type="x.Widget",
):
    def __init__(
        self,
        scope: _constructs_77d1e7e8.Construct,
        id_: builtins.str,
        *,
        name: builtins.str,
        size: typing.Optional[jsii.Number] = None,
        enabled: typing.Optional[typing.Union[builtins.bool, _cdktf_9a9027ec.IResolvable]] = None,
        rule: typing.Optional[typing.Union[_cdktf_9a9027ec.IResolvable, typing.Sequence[typing.Union["WidgetRule", typing.Dict[builtins.str, typing.Any]]]]] = None,
        config: typing.Union["WidgetConfigBlock", typing.Dict[builtins.str, typing.Any]],
        tags: typing.Optional[typing.Mapping[builtins.str, builtins.str]] = None,
        statement: typing.Any = None,
    ) -> None:
        pass


@jsii.data_type(
    jsii_type="x.WidgetRule",
    jsii_struct_bases=[],
    name_mapping={"rule_name": "ruleName"},
)
class WidgetRule:
    def __init__(self, *, rule_name: builtins.str) -> None:
        pass


@jsii.data_type(
    jsii_type="x.WidgetConfigBlock",
    jsii_struct_bases=[],
    name_mapping={"mode": "mode"},
)
class WidgetConfigBlock:
    def __init__(self, *, mode: typing.Optional[builtins.str] = None) -> None:
        pass


class Colour(enum.Enum):
    RED = "RED"
    BLUE = "BLUE"


__all__ = [
    "Colour",
    "Widget",
    "WidgetConfigBlock",
    "WidgetRule",
]

def _typecheckingstub__1(value: builtins.str) -> None:
    pass
'''


def test_scan_generated_module():
    module = f"{P}.widget"
    data = build.scan_module(GENERATED, module)
    classes = data["classes"]
    assert set(classes) == {"Widget", "WidgetRule", "WidgetConfigBlock", "Colour"}
    assert data["all"] == ["Colour", "Widget", "WidgetConfigBlock", "WidgetRule"]
    widget = classes["Widget"]
    assert widget["kind"] == "resource"
    assert widget["positional"] == ["scope", "id_"]
    params = {p[0]: (p[1], p[2]) for p in widget["params"]}
    assert params["name"] == (True, "str")
    assert params["size"] == (False, "number")
    assert params["enabled"] == (False, "bool")
    assert params["rule"] == (False, ["list", ["struct", f"{module}.WidgetRule"]])
    assert params["config"] == (True, ["struct", f"{module}.WidgetConfigBlock"])
    assert params["tags"] == (False, ["map", "str"])
    assert params["statement"] == (False, "any")
    assert classes["WidgetRule"]["kind"] == "struct"
    assert classes["WidgetRule"]["mapping"] == {"rule_name": "ruleName"}
    assert classes["Colour"] == {"kind": "enum", "members": ["RED", "BLUE"], "positional": [], "params": []}


def test_shape_and_struct_helpers():
    assert shape_of(["list", ["struct", "m.S"]]) == "list"
    assert shape_of(["struct", "m.S"]) == "single"
    assert shape_of(["union", [["struct", "m.S"], ["list", ["struct", "m.S"]]]]) == "either"
    assert shape_of("str") is None
    assert struct_of(["list", ["struct", "m.S"]]) == "m.S"


@pytest.mark.parametrize(
    "a, b",
    [
        ("S3BucketVersioning", "S3BucketVersioningA"),
        (
            "S3BucketServerSideEncryptionConfigurationRuleAApplyServerSideEncryptionByDefault",
            "S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA",
        ),
        ("TimestreamWriteDatabase", "TimestreamwriteDatabase"),
        ("CloudWatchLogGroup", "CloudwatchLogGroup"),
    ],
)
def test_name_key_ignores_case_and_a_suffix(a, b):
    assert name_key(a) == name_key(b)


def test_name_key_keeps_real_differences():
    assert name_key("S3Bucket") != name_key("S3BucketPolicy")
    assert name_key("LambdEventSourceMapping") != name_key("LambdaEventSourceMapping")


def test_real_schema_lookups(schema):
    assert schema.has_module(f"{P}.s3_bucket_versioning")
    assert not schema.has_module(f"{P}.timestream_write_database")
    assert schema.defines(f"{P}.s3_bucket_versioning", "S3BucketVersioningA")
    assert schema.where("S3BucketVersioning") == [f"{P}.s3_bucket"]  # the inline block struct
    assert schema.kind(f"{P}.s3_bucket_versioning", "S3BucketVersioningA") == "resource"
    assert schema.kind(f"{P}.data_aws_vpc", "DataAwsVpc") == "data"
    assert schema.kind(f"{P}.provider", "AwsProvider") == "provider"
    assert schema.modules_with_key("timestream_write_database") == [f"{P}.timestreamwrite_database"]
    info = schema.class_info(f"{P}.kinesis_firehose_delivery_stream", "KinesisFirehoseDeliveryStreamExtendedS3Configuration")
    assert info is not None and info.param("buffering_size") is not None and info.param("buffer_size") is None
    # the struct a field expects, and single vs list
    m = f"{P}.s3_bucket_lifecycle_configuration"
    assert schema.field_struct(m, "S3BucketLifecycleConfigurationRule", "expiration") == f"{m}.S3BucketLifecycleConfigurationRuleExpiration"
    assert schema.field_shape(m, "S3BucketLifecycleConfigurationRule", "expiration") == "list"
    assert schema.field_shape(f"{P}.s3_bucket_versioning", "S3BucketVersioningA", "versioning_configuration") == "single"
    mapping = schema.class_info(f"{P}.dynamodb_table", "DynamodbTableGlobalSecondaryIndex").mapping
    assert mapping["hash_key"] == "hashKey"
    # cdktf itself is indexed too
    assert schema.kind("cdktf", "AssetType") == "enum"
    assert schema.class_info("cdktf", "TerraformOutput").param("value").required


def test_closest_names(schema):
    found = schema.closest_names("ElasticacheServerless")
    assert (f"{P}.elasticache_serverless_cache", "ElasticacheServerlessCache") in found


def _small_schema() -> dict:
    return {
        "format": build.FORMAT_VERSION,
        "versions": {"cdktf-cdktf-provider-aws": "1.0.0", "cdktf": "0.1", "constructs": "10"},
        "modules": {f"{P}.widget": build.scan_module(GENERATED, f"{P}.widget")},
    }


def test_cache_round_trip():
    index = SchemaIndex.from_schema(_small_schema())
    again = SchemaIndex.from_cache(index.to_cache())
    assert again.names_in(f"{P}.widget") == index.names_in(f"{P}.widget")
    assert again.class_info(f"{P}.widget", "Widget") == index.class_info(f"{P}.widget", "Widget")


def test_snapshot_round_trip(tmp_path):
    path = tmp_path / "schema-1.0.0.json.gz"
    store.write_snapshot(_small_schema(), path)
    assert store.read_snapshot(path)["modules"].keys() == {f"{P}.widget"}
    assert store.read_snapshot_versions(path)["cdktf-cdktf-provider-aws"] == "1.0.0"
    first = path.read_bytes()
    store.write_snapshot(_small_schema(), path)
    assert path.read_bytes() == first, "snapshots are reproducible"


def test_shipped_snapshot_matches_installed_provider_scan():
    """The snapshot in the package is what ``schema build`` produces from 21.22.1."""
    snapshots = store.shipped_snapshots()
    assert "21.22.1" in snapshots
    with gzip.open(snapshots["21.22.1"], "rt") as handle:
        shipped = json.load(handle)
    assert shipped["format"] == build.FORMAT_VERSION
    installed = store.installed_versions()["cdktf-cdktf-provider-aws"]
    if installed != "21.22.1":
        pytest.skip(f"provider {installed} installed, snapshot is for 21.22.1")
    module = f"{P}.s3_bucket_versioning"
    directory = build.package_dir(P)
    scanned = build.scan_module((directory / "s3_bucket_versioning" / "__init__.py").read_text(), module)
    build._resolve_foreign({module: scanned, **{k: v for k, v in shipped["modules"].items() if k in ("cdktf", "constructs")}})
    assert scanned["classes"] == shipped["modules"][module]["classes"]


def test_snapshot_used_without_provider(monkeypatch, tmp_path):
    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(store, "installed_versions", lambda: {"cdktf-cdktf-provider-aws": None, "cdktf": None, "constructs": None})
    choice = store.choose_source()
    assert choice.source == "snapshot"
    index = store.load_index()
    assert index.defines(f"{P}.s3_bucket_versioning", "S3BucketVersioningA")
    assert list(tmp_path.glob("schema-*.marshal")), "the snapshot was cached"
    start = time.perf_counter()
    again = store.load_index()
    assert again.defines(f"{P}.s3_bucket_versioning", "S3BucketVersioningA")
    assert time.perf_counter() - start < 1.0, "a cached schema loads in well under a second"


def test_other_installed_version_is_built(monkeypatch, tmp_path):
    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(store, "installed_versions", lambda: {"cdktf-cdktf-provider-aws": "99.0.0", "cdktf": "0.21.0", "constructs": "10"})
    built = []

    def fake_build(versions):
        built.append(versions)
        schema = _small_schema()
        schema["versions"] = versions
        return schema

    monkeypatch.setattr(store, "build_schema", fake_build)
    assert store.choose_source().source == "installed"
    index = store.load_index()
    assert index.versions["cdktf-cdktf-provider-aws"] == "99.0.0"
    store.load_index()
    assert len(built) == 1, "the second load comes from the cache"


def test_damaged_cache_is_rebuilt(monkeypatch, tmp_path):
    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(tmp_path))
    store.load_index()
    for path in tmp_path.glob("schema-*.marshal"):
        path.write_bytes(b"garbage")
    assert store.load_index().defines(f"{P}.s3_bucket", "S3Bucket")


def test_no_schema_at_all(monkeypatch):
    monkeypatch.setattr(store, "installed_versions", lambda: {"cdktf-cdktf-provider-aws": None, "cdktf": None, "constructs": None})
    monkeypatch.setattr(store, "shipped_snapshots", lambda: {})
    with pytest.raises(store.SchemaUnavailable):
        store.choose_source()
