"""The schema index: static scan, type model, lookups, snapshot and cache."""

from __future__ import annotations

import time

import pytest

from cdktf_fix.schema import build, store
from cdktf_fix.schema.model import Part, SchemaIndex, name_key, shape_of, struct_of
from cdktf_fix.schema.packages import installed_from, running_sites

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
    assert classes["Colour"] == {"kind": "enum", "members": ["RED", "BLUE"], "positional": [], "params": [], "bases": []}


ATTRIBUTES = '''import jsii
import cdktf as _cdktf_9a9027ec


class Cluster(
    _cdktf_9a9027ec.TerraformResource,
    metaclass=jsii.JSIIMeta,
):
    def __init__(self, scope, id_: builtins.str, *, name: builtins.str) -> None:
        pass

    @jsii.member(jsii_name="putLogging")
    def put_logging(
        self,
        *,
        level: typing.Optional[builtins.str] = None,
    ) -> None:
        pass

    @builtins.property
    @jsii.member(jsii_name="identity")
    def identity(self) -> "ClusterIdentityList":
        return typing.cast("ClusterIdentityList", jsii.get(self, "identity"))

    @builtins.property
    @jsii.member(jsii_name="subnetIds")
    def subnet_ids(self) -> typing.List[builtins.str]:
        return typing.cast(typing.List[builtins.str], jsii.get(self, "subnetIds"))

    @subnet_ids.setter
    def subnet_ids(self, value: typing.List[builtins.str]) -> None:
        pass


class _ClusterProxy(Cluster):
    @builtins.property
    @jsii.member(jsii_name="hidden")
    def hidden(self) -> builtins.str:
        pass


class ClusterIdentityList(
    _cdktf_9a9027ec.ComplexList,
    metaclass=jsii.JSIIMeta,
):
    @jsii.member(jsii_name="get")
    def get(
        self,
        index: jsii.Number,
    ) -> "ClusterIdentityOutputReference":
        pass

    @jsii.member(jsii_name="of")
    @builtins.classmethod
    def of(cls, value: typing.Any, times: typing.Optional[jsii.Number] = None) -> jsii.Number:
        pass


class ClusterIdentityOutputReference(
    _cdktf_9a9027ec.ComplexObject,
    metaclass=jsii.JSIIMeta,
):
    @builtins.property
    @jsii.member(jsii_name="issuer")
    def issuer(self) -> builtins.str:
        pass


__all__ = ["Cluster", "ClusterIdentityList", "ClusterIdentityOutputReference"]
'''


def test_scan_reads_attributes_methods_and_bases():
    """A class exposes its properties with their types, its public methods (kind, parameters,
    required count, result) and its bases; setters and private proxy classes add nothing."""
    module = f"{P}.cluster"
    classes = build.scan_module(ATTRIBUTES, module)["classes"]
    assert set(classes) == {"Cluster", "ClusterIdentityList", "ClusterIdentityOutputReference"}
    cluster = classes["Cluster"]
    assert cluster["bases"] == ["cdktf.TerraformResource"]
    assert cluster["attrs"] == [["identity", ["class", f"{module}.ClusterIdentityList"]], ["subnet_ids", ["list", "str"]]]
    assert cluster["methods"] == [["put_logging", "instance", ["level"], 0, None]]  # -> None: no result
    listing = classes["ClusterIdentityList"]
    assert listing["methods"] == [
        ["get", "instance", ["index"], 1, ["class", f"{module}.ClusterIdentityOutputReference"]],
        ["of", "class", ["value", "times"], 1, "number"],
    ]
    assert classes["ClusterIdentityOutputReference"]["attrs"] == [["issuer", "str"]]
    index = SchemaIndex([Part.from_schema({"modules": {module: {"classes": classes}}}), store.load_part("cdktf", "0.21.0")])
    info = index.class_info(module, "Cluster")
    attributes = index.attributes(info)
    assert attributes["identity"] == ["class", f"{module}.ClusterIdentityList"]
    assert "fqn" in attributes and "add_override" in index.methods(info), "inherited from cdktf.TerraformResource"


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


def _small_schema(version: str = "1.0.0") -> dict:
    return {
        "format": build.FORMAT_VERSION,
        "distribution": "cdktf-cdktf-provider-aws",
        "version": version,
        "modules": {f"{P}.widget": build.scan_module(GENERATED, f"{P}.widget")},
    }


def test_cache_round_trip():
    part = Part.from_schema(_small_schema())
    again = Part.from_cache(part.to_cache())
    assert again == part
    index = SchemaIndex([again])
    assert index.names_in(f"{P}.widget") == {"Widget": "resource", "WidgetRule": "struct", "WidgetConfigBlock": "struct", "Colour": "enum"}
    assert index.class_info(f"{P}.widget", "Widget") == SchemaIndex.from_schema(_small_schema()).class_info(f"{P}.widget", "Widget")


def test_snapshot_round_trip(tmp_path):
    path = store.write_snapshot(_small_schema(), tmp_path)
    assert path.name == "cdktf-cdktf-provider-aws-1.0.0.json.gz"
    assert store.read_snapshot(path)["modules"].keys() == {f"{P}.widget"}
    first = path.read_bytes()
    store.write_snapshot(_small_schema(), tmp_path)
    assert path.read_bytes() == first, "snapshots are reproducible"


def test_shipped_snapshots_are_the_default_targets():
    shipped = store.shipped_snapshots()
    for key in (("cdktf-cdktf-provider-aws", "21.22.1"), ("cdktf", "0.21.0"), ("cdktn-provider-aws", "25.8.1"), ("cdktn", "0.24.0"), ("constructs", "10.8.1")):
        assert key in shipped, key
        assert store.read_snapshot(shipped[key])["format"] == build.FORMAT_VERSION


def test_shipped_snapshot_matches_installed_provider_scan():
    """The shipped 21.22.1 part is what ``schema build`` reads from the installed 21.22.1."""
    installed = installed_from(running_sites()).get("cdktf-cdktf-provider-aws")
    if installed is None or installed.version != "21.22.1":
        pytest.skip("provider 21.22.1 is not installed")
    shipped = store.read_snapshot(store.shipped_snapshots()[("cdktf-cdktf-provider-aws", "21.22.1")])
    module = f"{P}.s3_bucket_versioning"
    scanned = build.scan_module((installed.files().folder / "s3_bucket_versioning" / "__init__.py").read_text(), module)
    assert scanned["classes"] == shipped["modules"][module]["classes"]


def test_parts_of_other_packages_get_their_kinds_on_loading():
    """A provider's ``cdktf.TerraformResourceLifecycle`` is a struct once the core part is there."""
    provider = store.load_part("cdktf-cdktf-provider-aws", "21.22.1")
    alone = SchemaIndex([provider])
    assert alone.field_type(f"{P}.s3_bucket", "S3Bucket", "lifecycle") == ["ref", "cdktf.TerraformResourceLifecycle"]
    both = SchemaIndex([provider, store.load_part("cdktf", "0.21.0")])
    assert both.field_type(f"{P}.s3_bucket", "S3Bucket", "lifecycle") == ["struct", "cdktf.TerraformResourceLifecycle"]


def test_a_snapshot_is_used_and_cached(monkeypatch, tmp_path):
    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(tmp_path))
    part = store.load_part("cdktn-provider-aws", "25.8.1")
    assert part.names["cdktn_provider_aws.s3_bucket_versioning"]["S3BucketVersioningA"] == "resource"
    assert store.part_cache_path("cdktn-provider-aws", "25.8.1").is_file()
    start = time.perf_counter()
    again = store.load_part("cdktn-provider-aws", "25.8.1")
    assert again.names == part.names
    assert time.perf_counter() - start < 1.0, "a cached part loads in well under a second"
    assert store.cached_versions("cdktn-provider-aws") == ["25.8.1"]


def test_an_installed_package_of_another_version_is_built_once(monkeypatch, tmp_path):
    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    _fake_provider(site, "99.0.0")
    installed = installed_from([site])["cdktf-cdktf-provider-aws"]
    assert installed.version == "99.0.0"
    built = []
    real_build = store.build_part
    monkeypatch.setattr(store, "build_part", lambda files, version: built.append(version) or real_build(files, version))
    part = store.load_part("cdktf-cdktf-provider-aws", "99.0.0", installed)
    assert f"{P}.provider" in part.names and built == ["99.0.0"]
    store.load_part("cdktf-cdktf-provider-aws", "99.0.0", installed)
    assert built == ["99.0.0"], "the second load comes from the cache"


def test_an_installed_package_of_another_version_is_never_used(monkeypatch, tmp_path):
    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(tmp_path / "cache"))
    _fake_provider(tmp_path / "site", "99.0.0")
    installed = installed_from([tmp_path / "site"])["cdktf-cdktf-provider-aws"]
    with pytest.raises(store.SchemaUnavailable, match="fetching is off"):
        store.load_part("cdktf-cdktf-provider-aws", "98.0.0", installed, fetch=False)


def test_an_old_layout_is_unsupported_not_misread(monkeypatch, tmp_path):
    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    package = site / P
    (package / "s3").mkdir(parents=True)
    (package / "__init__.py").write_text("import jsii\n")
    (package / "s3" / "__init__.py").write_text(GENERATED)  # a service namespace: before cdktf 0.13
    (site / "cdktf_cdktf_provider_aws-9.0.0.dist-info").mkdir()
    (site / "cdktf_cdktf_provider_aws-9.0.0.dist-info" / "METADATA").write_text("Name: cdktf-cdktf-provider-aws\nVersion: 9.0.0\n")
    installed = installed_from([site])["cdktf-cdktf-provider-aws"]
    with pytest.raises(store.SchemaUnavailable, match="layout before cdktf 0.13"):
        store.load_part("cdktf-cdktf-provider-aws", "9.0.0", installed)


def test_damaged_cache_is_rebuilt(monkeypatch, tmp_path):
    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(tmp_path))
    store.load_part("cdktf-cdktf-provider-aws", "21.22.1")
    path = store.part_cache_path("cdktf-cdktf-provider-aws", "21.22.1")
    path.write_bytes(b"garbage")
    assert "S3Bucket" in store.load_part("cdktf-cdktf-provider-aws", "21.22.1").names[f"{P}.s3_bucket"]


def _fake_provider(site, version: str) -> None:
    """A tiny installed provider package with the per-resource layout."""
    package = site / P
    for module in ("widget", "provider"):
        (package / module).mkdir(parents=True)
    (package / "__init__.py").write_text("import jsii\n")
    (package / "widget" / "__init__.py").write_text(GENERATED)
    (package / "provider" / "__init__.py").write_text(
        "import jsii\nimport cdktf as _cdktf_9a9027ec\n\n\nclass AwsProvider(\n    _cdktf_9a9027ec.TerraformProvider,\n    metaclass=jsii.JSIIMeta,\n):\n"
        "    def __init__(\n        self,\n        scope,\n        id,\n        *,\n        region: typing.Optional[builtins.str] = None,\n    ) -> None:\n        pass\n"
    )
    info = site / f"cdktf_cdktf_provider_aws-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: cdktf-cdktf-provider-aws\nVersion: {version}\n\nbody\n")
