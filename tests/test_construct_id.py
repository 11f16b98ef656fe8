"""construct-id cases the fixtures do not show: loops, branches, layouts, ids that may collide."""

from __future__ import annotations

HEAD = '''from constructs import Construct
from cdktf import App, TerraformStack, TerraformVariable
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion


class Stack(TerraformStack):
    def __init__(self, scope: Construct, id: str, names: list):
        super().__init__(scope, id)
'''


def _body(lines: str) -> str:
    return HEAD + "".join(f"        {line}\n" if line else "\n" for line in lines.split("\n"))


def _ours(result):
    return [f for f in result.fixes if f.codemod == "construct-id"], [f for f in result.findings if f.codemod == "construct-id"]


def test_provider_alone_and_with_a_trailing_comma(repair):
    source = _body('AwsProvider(self)\nAwsProvider(\n    self,\n)\nAwsProvider(self , alias="west")')
    result = repair(source)
    assert 'AwsProvider(self, "aws")\n' in result.new_source
    assert 'AwsProvider(\n            self,\n            "aws_2",\n        )\n' in result.new_source
    assert 'AwsProvider(self , "aws_west", alias="west")' in result.new_source
    fixes, _ = _ours(result)
    assert [f.safety.value for f in fixes] == ["safe"] * 3


def test_a_missing_id_in_a_loop_is_a_finding(repair):
    source = _body('for name in names:\n    AwsProvider(self, region=name)\n    S3Bucket(self, bucket=name)\nregions = [DataAwsRegion(self) for _ in names]')
    result = repair(source, unsafe_fixes=True)
    fixes, findings = _ours(result)
    assert result.new_source == source and not fixes
    assert [f.line for f in findings] == [12, 13, 14]


def test_id_keyword_of_a_class_whose_id_is_id_underscore_is_reported(repair):
    source = _body('S3Bucket(self, id="logs", bucket="example")')
    result = repair(source, unsafe_fixes=True)
    fixes, findings = _ours(result)
    assert result.new_source == source and not fixes
    assert findings and findings[0].suggestions == ['S3Bucket(self, "logs", ...)']


def test_keyword_arguments_may_carry_the_id(repair):
    source = _body('config = {"id": "aws"}\nAwsProvider(self, **config)')
    assert repair(source, unsafe_fixes=True).new_source == source


def test_alternatives_keep_their_ids_and_a_later_call_is_renamed(repair):
    source = _body(
        'if names:\n    DataAwsRegion(self, "r")\nelif names is None:\n    DataAwsRegion(self, "r")\nelse:\n    DataAwsRegion(self, "r")\n'
        'try:\n    TerraformVariable(self, "v")\nexcept ValueError:\n    TerraformVariable(self, "v")\n'
        'DataAwsRegion(self, "r")'
    )
    result = repair(source)
    fixes, _ = _ours(result)
    assert [(f.line, f.new, f.safety.value) for f in fixes] == [(21, '"r_region"', "safe")]


def test_a_literal_id_in_a_loop_is_left(repair):
    source = _body('for name in names:\n    S3Bucket(self, "b", bucket=name)\n    S3Bucket(self, "b", bucket=name)')
    assert repair(source, unsafe_fixes=True).new_source == source


def test_same_id_in_two_methods_or_two_scopes_is_left(repair):
    source = _body(
        'DataAwsRegion(self, "r")\ninner = Construct(self, "inner")\nDataAwsRegion(inner, "r")\n\n'
        'def helper(self):\n    DataAwsRegion(self, "r")'
    )
    assert repair(source, unsafe_fixes=True).new_source == source


def test_an_id_written_as_an_expression_makes_a_new_id_unsafe(repair):
    source = _body('S3Bucket(self, names[0], bucket="a")\nAwsProvider(self, region="us-east-1")\nS3Bucket(self, f"{id}-logs", bucket="b")')
    result = repair(source)
    fixes, _ = _ours(result)
    assert [(f.new, f.safety.value, f.applied) for f in fixes] == [('AwsProvider(self, "aws", ...)', "unsafe", False)]


def test_an_f_string_with_placeholders_that_cannot_be_the_new_id_keeps_it_safe(repair):
    source = _body('S3Bucket(self, f"bucket-{id}", bucket="a")\nAwsProvider(self, region="us-east-1")')
    fixes, _ = _ours(repair(source))
    assert [(f.safety.value, f.applied) for f in fixes] == [("safe", True)]


def test_duplicate_providers_take_their_alias(repair):
    source = _body('AwsProvider(self, "aws", region="a")\nAwsProvider(self, "aws", region="b", alias="west")\nAwsProvider(self, "aws", region="c")')
    result = repair(source)
    assert 'AwsProvider(self, "aws_west", region="b", alias="west")' in result.new_source
    assert 'AwsProvider(self, "aws_2", region="c")' in result.new_source


def test_module_level_scope(repair):
    source = HEAD.split("\n\nclass")[0] + '\n\napp = App()\nstack = TerraformStack(app, "one")\nDataAwsRegion(stack, "r")\nDataAwsRegion(stack, "r")\n'
    result = repair(source)
    assert result.new_source.endswith('DataAwsRegion(stack, "r")\nDataAwsRegion(stack, "r_region")\n')


def test_a_placeholder_call_is_no_construct_call(repair):
    source = _body("S3Bucket(...)\nAwsProvider(...)")
    fixes, findings = _ours(repair(source, unsafe_fixes=True))
    assert not fixes and not findings
