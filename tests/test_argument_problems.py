"""The independent argument checker used by scripts/measure_corpus.py (scripts/argument_problems.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from argument_problems import argument_problems, known_callees  # noqa: E402

HEADER = "from constructs import Construct\nfrom cdktf import App, TerraformStack, TerraformOutput\n"


def problems(schema, code: str) -> list[tuple[str, str]]:
    return [(p.kind, p.name) for p in argument_problems(HEADER + code, schema)]


# -- dict keys ---------------------------------------------------------------------------------------
def test_a_snake_case_multi_word_key_in_a_list_block_is_dropped_by_jsii(schema):
    code = """
from cdktf_cdktf_provider_aws.route_table import RouteTable
RouteTable(scope, "rt", vpc_id="vpc-1", route=[{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-1"}])
"""
    assert problems(schema, code) == [("dict-key", "cidr_block"), ("dict-key", "gateway_id")]


def test_camel_case_and_single_word_keys_in_a_list_block_are_read(schema):
    code = """
from cdktf_cdktf_provider_aws.route_table import RouteTable
RouteTable(scope, "rt", vpc_id="vpc-1", route=[{"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-1"}])
"""
    assert problems(schema, code) == []


def test_a_single_block_dict_takes_snake_case_keys_not_camel_case(schema):
    bad = """
from cdktf_cdktf_provider_aws.kinesis_stream import KinesisStream
KinesisStream(scope, "k", name="k", stream_mode_details={"streamMode": "ON_DEMAND"})
"""
    good = bad.replace("streamMode", "stream_mode")
    assert problems(schema, bad) == [("dict-key", "streamMode")]
    assert problems(schema, good) == []


def test_an_unknown_key_is_reported_and_not_entered(schema):
    code = """
from cdktf_cdktf_provider_aws.kinesis_stream import KinesisStream
KinesisStream(scope, "k", name="k", stream_mode_details={"mode": {"retention_period": "x"}})
"""
    assert problems(schema, code) == [("dict-key", "mode")]


def test_a_single_block_inside_a_list_block_is_plain_data_too(schema):
    # the list goes to jsii as it is, so a nested single block is not converted in Python
    code = """
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate
LaunchTemplate(scope, "lt", block_device_mappings=[{"deviceName": "/dev/xvda", "ebs": {"volume_size": 20, "volumeType": "gp3"}}])
"""
    assert problems(schema, code) == [("dict-key", "volume_size")]


def test_single_blocks_nested_in_a_single_block_dict_stay_snake_case(schema):
    # each level is converted in Python (``S(**d)``), down to the first list
    code = """
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
S3Bucket(scope, "b", server_side_encryption_configuration={"rule": {
    "apply_server_side_encryption_by_default": {"sse_algorithm": "AES256", "kmsMasterKeyId": "k"}, "bucket_key_enabled": "yes"}})
"""
    assert problems(schema, code) == [("dict-key", "kmsMasterKeyId"), ("literal-type", "bucket_key_enabled")]


def test_a_list_block_inside_a_single_block_dict_takes_camel_case_keys(schema):
    code = """
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
S3Bucket(scope, "b", replication_configuration={"role": "r", "rules": [{"status": "Enabled", "delete_marker_replication_status": "Enabled"}]})
"""
    assert problems(schema, code) == [("dict-key", "delete_marker_replication_status")]


# -- shapes ------------------------------------------------------------------------------------------
def test_a_list_for_a_single_block_is_a_shape_problem(schema):
    code = """
from cdktf_cdktf_provider_aws.eks_cluster import EksCluster
EksCluster(scope, "eks", name="e", role_arn="r", vpc_config={"subnet_ids": ["s"]},
           encryption_config=[{"resources": ["secrets"], "provider": {"key_arn": "k"}}])
"""
    assert problems(schema, code) == [("shape", "encryption_config")]


def test_a_list_for_a_single_block_checks_its_elements_as_that_block(schema):
    code = """
from cdktf_cdktf_provider_aws.eks_cluster import EksCluster
EksCluster(scope, "eks", name="e", role_arn="r", vpc_config={"subnet_ids": ["s"]},
           encryption_config=[{"resources": ["secrets"], "providerConfig": {"key_arn": "k"}}])
"""
    assert problems(schema, code) == [("shape", "encryption_config"), ("dict-key", "providerConfig")]


def test_a_dict_for_a_list_block_is_a_shape_problem(schema):
    code = """
from cdktf_cdktf_provider_aws.provider import AwsProvider
AwsProvider(scope, "aws", region="us-east-1", default_tags={"tags": {"Environment": "dev", "Team": "core"}})
"""
    assert problems(schema, code) == [("shape", "default_tags")]


def test_default_tags_as_a_list_is_correct(schema):
    code = """
from cdktf_cdktf_provider_aws.provider import AwsProvider
AwsProvider(scope, "aws", region="us-east-1", default_tags=[{"tags": {"Environment": "dev"}}])
"""
    assert problems(schema, code) == []


def test_one_struct_instance_for_a_list_block_is_a_shape_problem(schema):
    code = """
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule, S3BucketLifecycleConfigurationRuleExpiration)
S3BucketLifecycleConfiguration(scope, "lc", bucket="b", rule=[S3BucketLifecycleConfigurationRule(
    id="r", status="Enabled", expiration=S3BucketLifecycleConfigurationRuleExpiration(days=30))])
"""
    assert problems(schema, code) == [("shape", "expiration")]


# -- struct classes ----------------------------------------------------------------------------------
def test_an_instance_of_another_struct_is_a_struct_class_problem(schema):
    code = """
from cdktf_cdktf_provider_aws.lb_listener import (
    LbListener, LbListenerDefaultAction, LbListenerDefaultActionForwardTargetGroup)
LbListener(scope, "l", load_balancer_arn="arn", default_action=[LbListenerDefaultAction(
    type="forward", forward=LbListenerDefaultActionForwardTargetGroup(arn="tg"))])
"""
    assert problems(schema, code) == [("struct-class", "LbListenerDefaultActionForwardTargetGroup")]


def test_the_top_level_struct_for_a_rule_block_is_a_struct_class_problem(schema):
    code = """
from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAcl, Wafv2WebAclRule, Wafv2WebAclVisibilityConfig
rule = Wafv2WebAclRule(name="r", priority=1, statement={},
    visibility_config=Wafv2WebAclVisibilityConfig(cloudwatch_metrics_enabled=True, metric_name="m", sampled_requests_enabled=True))
"""
    assert problems(schema, code) == [("struct-class", "Wafv2WebAclVisibilityConfig")]


def test_a_wrong_struct_as_an_element_of_a_list_block_is_a_struct_class_problem(schema):
    code = """
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupEgress, SecurityGroupIngress
SecurityGroup(scope, "sg", ingress=[SecurityGroupIngress(from_port=1, to_port=1, protocol="tcp"),
                                    SecurityGroupEgress(from_port=0, to_port=0, protocol="-1")])
"""
    assert problems(schema, code) == [("struct-class", "SecurityGroupEgress")]


# -- literal types -----------------------------------------------------------------------------------
def test_a_number_or_bool_literal_for_a_string_field(schema):
    code = """
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup
LbTargetGroup(scope, "tg", name="tg", port=80, protocol="HTTP", deregistration_delay=30, tags={"Count": 3, "Name": "tg"})
"""
    assert problems(schema, code) == [("literal-type", "deregistration_delay"), ("literal-type", "tags")]


def test_a_string_literal_for_a_number_or_bool_field(schema):
    code = """
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
LbTargetGroup(scope, "tg", name="tg", port="80", protocol="HTTP", deregistration_delay="30")
S3Bucket(scope, "b", bucket="b", force_destroy="true")
LbTargetGroup(scope, "tg2", port=True, deregistration_delay=f"{x}")
"""
    assert problems(schema, code) == [("literal-type", "port"), ("literal-type", "force_destroy"), ("literal-type", "port")]


def test_literals_inside_blocks_and_lists_of_scalars(schema):
    code = """
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
SecurityGroup(scope, "sg", ingress=[{"fromPort": "443", "toPort": 443, "protocol": "tcp", "cidrBlocks": ["10.0.0.0/8", 10]}])
"""
    assert problems(schema, code) == [("literal-type", "fromPort"), ("literal-type", "cidrBlocks")]


def test_negative_numbers_and_none_are_literals_of_their_kind(schema):
    code = """
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup
LbTargetGroup(scope, "tg", name=None, port=-1, deregistration_delay=-1)
"""
    assert problems(schema, code) == [("literal-type", "deregistration_delay")]


# -- keywords ----------------------------------------------------------------------------------------
def test_an_unknown_keyword_is_reported(schema):
    code = """
from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup
ElasticacheSubnetGroup(scope, id_="sg", subnet_group_name="redis", subnet_ids=["a"], **extra)
"""
    assert problems(schema, code) == [("keyword", "subnet_group_name")]


def test_keywords_of_structs_and_cdktf_classes_are_checked(schema):
    code = """
from cdktf_cdktf_provider_aws.s3_bucket import S3BucketVersioning
S3BucketVersioning(enabled=True, status="Enabled")
TerraformOutput(scope, "out", value={"anything": 1}, descriptions="d")
"""
    assert problems(schema, code) == [("keyword", "status"), ("keyword", "descriptions")]


def test_module_imports_resolve(schema):
    code = """
import cdktf_cdktf_provider_aws as aws
import cdktf_cdktf_provider_aws.s3_bucket as sb
from cdktf_cdktf_provider_aws import s3_bucket as s3
aws.s3_bucket.S3Bucket(scope, "a", bucketname="a")
sb.S3Bucket(scope, "b", bucketname="b")
s3.S3Bucket(scope, "c", bucketname="c")
"""
    assert problems(schema, code) == [("keyword", "bucketname")] * 3


def test_unknown_classes_are_not_checked(schema):
    code = """
from imports.aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket import S3BucketTypo
from .local import Thing
S3Bucket(scope, "a", bucketname="a")
S3BucketTypo(scope, "b", bucketname="b")
Thing(bucketname=1)
"""
    assert problems(schema, code) == []


def test_a_name_the_code_redefines_is_not_the_import(schema):
    code = """
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
class S3Bucket:
    def __init__(self, **kwargs): ...
S3Bucket(bucketname="a")
"""
    assert problems(schema, code) == []


# -- variables and any -------------------------------------------------------------------------------
def test_a_literal_bound_once_is_checked_once_per_type(schema):
    code = """
from cdktf_cdktf_provider_aws.route_table import RouteTable
routes = [{"cidr_block": "0.0.0.0/0", "gatewayId": "igw-1"}]
RouteTable(scope, "a", vpc_id="v", route=routes)
RouteTable(scope, "b", vpc_id="v", route=routes)
"""
    found = argument_problems(HEADER + code, schema)
    assert [(p.kind, p.name, p.line) for p in found] == [("dict-key", "cidr_block", 5)]


def test_a_literal_bound_once_is_followed_from_dict_values_and_list_elements(schema):
    code = """
from cdktf_cdktf_provider_aws.route_table import RouteTable
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
default_route = {"cidr_block": "0.0.0.0/0"}
common_tags = {"Cost": 10}
RouteTable(scope, "a", vpc_id="v", route=[default_route], tags=common_tags)
S3Bucket(scope, "b", tags=common_tags)
"""
    assert problems(schema, code) == [("dict-key", "cidr_block"), ("literal-type", "tags")]


def test_a_name_assigned_twice_is_not_followed(schema):
    code = """
from cdktf_cdktf_provider_aws.route_table import RouteTable
routes = [{"cidr_block": "0.0.0.0/0"}]
routes = [{"cidrBlock": "0.0.0.0/0"}]
RouteTable(scope, "a", vpc_id="v", route=routes)
"""
    assert problems(schema, code) == []


def test_fields_typed_any_are_not_entered(schema):
    code = """
from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAclRule, Wafv2WebAclRuleVisibilityConfig
Wafv2WebAclRule(name="r", priority=1,
    statement={"managed_rule_group_statement": {"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS", "x": [1]}},
    visibility_config=Wafv2WebAclRuleVisibilityConfig(cloudwatch_metrics_enabled=True, metric_name="m", sampled_requests_enabled=True))
"""
    assert problems(schema, code) == []


# -- whole files -------------------------------------------------------------------------------------
CORRECT = '''
from constructs import Construct
from cdktf import App, TerraformStack, TerraformOutput
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleExpiration, S3BucketLifecycleConfigurationRuleFilter)
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress
from cdktf_cdktf_provider_aws.kinesis_stream import KinesisStream


class Stack(TerraformStack):
    def __init__(self, scope: Construct, id: str, suffix: str):
        super().__init__(scope, id)
        tags = {"Environment": "dev", "Suffix": suffix}
        AwsProvider(self, "aws", region="us-east-1", default_tags=[{"tags": tags}])
        bucket = S3Bucket(self, "bucket", bucket=f"data-{suffix}", force_destroy=True, tags=tags)
        S3BucketLifecycleConfiguration(self, "lc", bucket=bucket.id, rule=[
            S3BucketLifecycleConfigurationRule(
                id="expire", status="Enabled",
                filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="logs/")],
                expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=30)]),
            {"id": "old", "status": "Enabled", "noncurrentVersionExpiration": [{"noncurrentDays": 7}]},
        ])
        SecurityGroup(self, "sg", name="sg", ingress=[
            SecurityGroupIngress(from_port=443, to_port=443, protocol="tcp", cidr_blocks=["10.0.0.0/8"]),
            {"fromPort": 80, "toPort": 80, "protocol": "tcp", "cidrBlocks": ["10.0.0.0/8"]},
        ])
        KinesisStream(self, "ks", name="ks", stream_mode_details={"stream_mode": "ON_DEMAND"})
        TerraformOutput(self, "bucket_name", value=bucket.bucket, sensitive=False)


app = App()
Stack(app, "stack", suffix="dev")
app.synth()
'''


def test_correct_code_has_no_problems(schema):
    assert argument_problems(CORRECT, schema) == []


def test_code_that_does_not_parse_has_no_problems(schema):
    assert argument_problems("from cdktf import App\nApp(outdir=1\n", schema) == []


def test_problems_carry_lines_and_details(schema):
    code = "from cdktf_cdktf_provider_aws.route_table import RouteTable\nRouteTable(s, 'r', vpc_id='v',\n    route=[{'cidr_block': 'x'}])\n"
    (problem,) = argument_problems(code, schema)
    assert problem.line == 3 and "cidrBlock" in problem.detail


def test_known_callees_separate_problems_a_repair_uncovered(schema):
    broken = "from cdktf_cdktf_provider_aws.elasticache import ElasticacheSubnetGroup\nElasticacheSubnetGroup(s, 'g', subnet_group_name='x')\n"
    repaired = broken.replace(".elasticache ", ".elasticache_subnet_group ")
    assert argument_problems(broken, schema) == []
    assert [p.kind for p in argument_problems(repaired, schema)] == ["keyword"]
    assert argument_problems(repaired, schema, known_callees(broken, schema)) == []
    assert argument_problems(repaired, schema, known_callees(repaired, schema)) == argument_problems(repaired, schema)


@pytest.mark.parametrize("kind", ["keyword", "dict-key", "shape", "struct-class", "literal-type"])
def test_every_kind_is_named_in_kinds(kind):
    from argument_problems import KINDS

    assert kind in KINDS
