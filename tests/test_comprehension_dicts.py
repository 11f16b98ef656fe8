"""Dicts built in comprehensions passed to lists of blocks: the same key check and struct
conversion as dict literals in a literal list (the comprehension stays, its element changes)."""

from __future__ import annotations

import ast

import pytest

HEAD = (
    "from cdktf import Fn\n"
    "from cdktf_cdktf_provider_aws.lb import Lb\n"
    "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
    "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration\n"
    "\n\n"
    "def build(self, subnets, ports, prefixes, vpc):\n"
)

INGRESS = '{"from_port": p, "to_port": p, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}'
RULE = '{"id": p, "status": "Enabled", "filter": {"prefix": p}, "noncurrent_version_expiration": {"noncurrent_days": 30}}'


def _body(*lines: str) -> str:
    return HEAD + "".join(f"    {line}\n" for line in lines)


def _repaired(repair, source: str):
    result = repair(source)
    assert result.error is None
    ast.parse(result.new_source)
    again = repair(result.new_source)
    assert again.new_source == result.new_source, "a second run changed the output"
    assert not [f for f in again.fixes if f.applied]
    assert [(f.codemod, f.message) for f in again.findings] == [(f.codemod, f.message) for f in result.findings]
    return result


def _fixes(result, codemod="nested-block-struct"):
    return [f for f in result.fixes if f.codemod == codemod and f.applied]


def test_list_comprehension_element_becomes_the_struct(repair):
    result = _repaired(repair, _body(
        'Lb(self, "nlb", load_balancer_type="network", subnet_mapping=[{"subnet_id": s.id} for s in subnets])',
        f'SecurityGroup(self, "web", ingress=[{INGRESS} for p in ports])',
    ))
    out = result.new_source
    assert "subnet_mapping=[LbSubnetMapping(subnet_id=s.id) for s in subnets]" in out
    assert 'ingress=[SecurityGroupIngress(from_port=p, to_port=p, protocol="tcp", cidr_blocks=["0.0.0.0/0"]) for p in ports]' in out
    assert "from cdktf_cdktf_provider_aws.lb import Lb, LbSubnetMapping\n" in out
    assert "from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress\n" in out
    assert len(_fixes(result)) == 2 and not result.findings


def _literal_twin(repair, element: str, comprehension_tail: str, field: str, call: str):
    """The repair of ``field=[element <tail>]`` and of ``field=[element]``: the element must
    come out the same (the one walk visits both)."""
    comprehension = _repaired(repair, _body(f"{call}{field}=[{element} {comprehension_tail}])"))
    literal = _repaired(repair, _body(f"{call}{field}=[{element}])"))
    assert literal.new_source.count("])\n") == 1
    assert comprehension.new_source == literal.new_source.replace("])\n", f" {comprehension_tail}])\n")
    summary = [(f.codemod, f.old, f.new, f.applied) for f in comprehension.fixes]
    assert summary == [(f.codemod, f.old, f.new, f.applied) for f in literal.fixes]
    assert [(f.codemod, f.message) for f in comprehension.findings] == [(f.codemod, f.message) for f in literal.findings]
    return comprehension


def test_nested_dict_inside_the_element_is_handled_as_in_a_literal_list(repair):
    result = _literal_twin(repair, RULE, "for p in prefixes", "rule", 'S3BucketLifecycleConfiguration(self, "l", bucket="b", ')
    out = result.new_source
    # the element is the rule struct; what is under it is a single block again, shaped as the fields declare
    assert "rule=[S3BucketLifecycleConfigurationRule(id=p, " in out
    assert "S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(noncurrent_days=30)" in out
    assert " for p in prefixes])" in out
    assert {f.codemod for f in result.fixes} == {"nested-block-struct", "block-shape"}


def test_conditional_comprehension(repair):
    result = _repaired(repair, _body(
        'Lb(self, "nlb", subnet_mapping=[{"subnet_id": s.id, "allocation_id": s.eip} for s in subnets if s.public])',
    ))
    assert "subnet_mapping=[LbSubnetMapping(subnet_id=s.id, allocation_id=s.eip) for s in subnets if s.public]" in result.new_source
    assert len(_fixes(result)) == 1


def test_comprehension_over_a_token_list_is_converted(repair):
    result = _repaired(repair, _body(
        'Lb(self, "nlb", subnet_mapping=[{"subnet_id": s} for s in Fn.tolist(vpc.subnet_ids)])',
    ))
    assert "subnet_mapping=[LbSubnetMapping(subnet_id=s) for s in Fn.tolist(vpc.subnet_ids)]" in result.new_source


def test_generator_in_list_and_several_for_clauses(repair):
    result = _repaired(repair, _body(
        'Lb(self, "nlb", subnet_mapping=list({"subnet_id": s.id} for s in subnets))',
        'SecurityGroup(self, "web", ingress=[{"from_port": p, "to_port": p, "protocol": "tcp", "cidr_blocks": [c]} for p in ports for c in prefixes])',
    ))
    out = result.new_source
    assert "subnet_mapping=list(LbSubnetMapping(subnet_id=s.id) for s in subnets)" in out
    assert 'ingress=[SecurityGroupIngress(from_port=p, to_port=p, protocol="tcp", cidr_blocks=[c]) for p in ports for c in prefixes]' in out


def test_list_that_is_not_the_builtin_is_left_alone(repair):
    source = _body(
        "list = tuple",
        'Lb(self, "nlb", subnet_mapping=list({"subnet_id": s.id} for s in subnets))',
    )
    result = _repaired(repair, source)
    assert result.new_source == source and not result.fixes


def test_unknown_key_is_a_finding_as_in_a_literal_list(repair):
    element = '{"subnet_id": s.id, "availability_zone": s.zone}'
    result = _literal_twin(repair, element, "for s in subnets", "subnet_mapping", 'Lb(self, "nlb", ')
    assert not result.fixes
    assert [f.codemod for f in result.findings] == ["nested-block-struct"]
    assert "'availability_zone' is not a field of LbSubnetMapping" in result.findings[0].message


def test_struct_name_shadowed_by_the_comprehension_variable(repair):
    """A ``for`` variable named like the struct: the conversion would call the variable, so the
    dict stays, with the finding the literal path reports where the name is bound."""
    source = _body('Lb(self, "nlb", subnet_mapping=[{"subnet_id": LbSubnetMapping.id} for LbSubnetMapping in subnets])')
    result = _repaired(repair, source)
    assert result.new_source == source and not result.fixes
    assert [f.codemod for f in result.findings] == ["nested-block-struct"]
    assert "bound to something else here" in result.findings[0].message
    # the literal path, where the same name is bound in the function: the same finding
    literal = _repaired(repair, _body("LbSubnetMapping = subnets[0]", 'Lb(self, "nlb", subnet_mapping=[{"subnet_id": LbSubnetMapping.id}])'))
    assert not literal.fixes and [f.message for f in literal.findings] == [f.message for f in result.findings]


def test_comprehension_variable_does_not_block_a_conversion_outside_it(repair):
    result = _repaired(repair, _body(
        'ids = [LbSubnetMapping for LbSubnetMapping in subnets]',
        'Lb(self, "nlb", subnet_mapping=[{"subnet_id": s.id} for s in ids])',
    ))
    assert "subnet_mapping=[LbSubnetMapping(subnet_id=s.id) for s in ids]" in result.new_source
    assert "import Lb, LbSubnetMapping\n" in result.new_source


def test_already_correct_comprehensions_are_left_alone(repair):
    source = (
        "from cdktf_cdktf_provider_aws.lb import Lb, LbSubnetMapping\n"
        "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n\n\n"
        "def build(self, subnets, ports):\n"
        '    Lb(self, "nlb", subnet_mapping=[LbSubnetMapping(subnet_id=s.id) for s in subnets], subnets=[s.id for s in subnets])\n'
        '    SecurityGroup(self, "web", ingress=[{"fromPort": p, "toPort": p, "protocol": "tcp"} for p in ports])\n'
    )
    result = _repaired(repair, source)
    assert result.new_source == source and not result.fixes and not result.findings


@pytest.mark.parametrize("element", [
    "{k: v for k, v in s.items()}",  # a dict comprehension: its keys are not known
    "dict(subnet_id=s.id)",  # a call of no schema class
    "s",  # a name
])
def test_elements_that_are_no_dict_literal_are_left_alone(repair, element):
    source = _body(f'Lb(self, "nlb", subnet_mapping=[{element} for s in subnets])')
    result = _repaired(repair, source)
    assert result.new_source == source and not result.fixes and not result.findings


def test_dict_comprehension_for_a_single_block_is_left_alone(repair):
    source = _body('Lb(self, "nlb", access_logs={k: v for k, v in vpc.items()})')
    result = _repaired(repair, source)
    assert result.new_source == source and not result.fixes and not result.findings


def test_wrong_struct_call_in_a_comprehension_is_pointed_at_the_declared_struct(repair):
    """A call element goes through the same visit as in a literal list (struct-class)."""
    result = _literal_twin(
        repair, "SecurityGroupEgress(from_port=p, to_port=p, protocol='tcp')", "for p in ports", "ingress",
        'SecurityGroup(self, "web", ',
    )
    assert "ingress=[SecurityGroupIngress(from_port=p, to_port=p, protocol='tcp') for p in ports]" in result.new_source
