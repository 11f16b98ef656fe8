"""struct-as-resource: a nested-block struct called like a resource becomes the resource whose
keywords it fits (safe with the same name up to jsii's A suffix, unsafe when a value is added),
or stays a finding."""

from __future__ import annotations

import ast

import pytest

from cdktf_fix.engine.result import Safety, Status

CODEMOD = "struct-as-resource"
HEAD = (
    "from constructs import Construct\n"
    "from cdktf import TerraformStack\n"
)
INGRESS_KEYWORDS = 'security_group_id=web.id, from_port=443, to_port=443, protocol="tcp", cidr_blocks=["0.0.0.0/0"]'


def _stack(imports: str, *lines: str) -> str:
    body = "".join(f"        {line}\n" for line in lines)
    return (
        HEAD + imports + "\n\n"
        "class WebStack(TerraformStack):\n"
        "    def __init__(self, scope: Construct, id: str):\n"
        "        super().__init__(scope, id)\n" + body
    )


def _repaired(repair, source: str, **options):
    result = repair(source, **options)
    assert result.error is None
    ast.parse(result.new_source)
    again = repair(result.new_source, **options)
    assert again.new_source == result.new_source, "a second run changed the output"
    assert not [f for f in again.fixes if f.applied]
    return result


def _imports(code: str) -> set[tuple[str, str, str | None]]:
    """(module, name, alias) of every ``from ... import`` (whatever its layout)."""
    return {(n.module, a.name, a.asname) for n in ast.walk(ast.parse(code)) if type(n) is ast.ImportFrom for a in n.names}


def _mine(result, applied: bool | None = None):
    return [f for f in result.fixes if f.codemod == CODEMOD and (applied is None or f.applied is applied)]


def _findings(result):
    return [f for f in result.findings if f.codemod == CODEMOD]


def _unchanged_with_finding(repair, source: str, says: str, **options):
    result = _repaired(repair, source, **options)
    assert result.new_source == source
    assert not _mine(result)
    findings = _findings(result)
    assert len(findings) == 1 and says in findings[0].message, [f.message for f in findings]
    assert findings[0].suggestions
    return findings[0]


# -- case 2: the same name up to jsii's A suffix (safe) ---------------------------------------------
SSE_MODULE = "cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration"
SSE = _stack(
    "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket, S3BucketServerSideEncryptionConfiguration\n",
    'logs = S3Bucket(self, "logs", bucket="acme-logs")',
    'S3BucketServerSideEncryptionConfiguration(self, "logs-sse", bucket=logs.id, '
    'rule=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}, "bucket_key_enabled": True}])',
)


@pytest.mark.parametrize("unsafe", [False, True])
def test_struct_named_like_a_resource_becomes_it_safely(repair, unsafe):
    result = _repaired(repair, SSE, unsafe_fixes=unsafe)
    out = result.new_source
    assert "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n" in out
    assert (SSE_MODULE, "S3BucketServerSideEncryptionConfigurationA", None) in _imports(out)
    assert 'S3BucketServerSideEncryptionConfigurationA(self, "logs-sse", bucket=logs.id, rule=[' in out
    # the rule is read against the resource's field (a list of RuleA blocks) in the same round:
    # nothing is unwrapped for the struct's single block first
    assert "rule=[S3BucketServerSideEncryptionConfigurationRuleA(" in out
    assert not [f for f in result.fixes if f.codemod == "block-shape"]
    fixes = _mine(result)
    assert [(f.old, f.new, f.safety.value, f.applied) for f in fixes] == [(
        "cdktf_cdktf_provider_aws.s3_bucket.S3BucketServerSideEncryptionConfiguration",
        "cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA",
        "safe", True,
    )]
    assert fixes[0].line == 3  # the import that moves
    assert not result.findings


def test_every_use_of_the_import_is_renamed(repair):
    source = _stack(
        "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket, S3BucketServerSideEncryptionConfiguration\n",
        'for name in ["logs", "assets"]:',
        '    bucket = S3Bucket(self, name, bucket=f"acme-{name}")',
        '    S3BucketServerSideEncryptionConfiguration(self, f"{name}-sse", bucket=bucket.id, rule=[])',
    )
    out = _repaired(repair, source).new_source
    assert "S3BucketServerSideEncryptionConfiguration(" not in out
    assert out.count("S3BucketServerSideEncryptionConfigurationA") == 2  # the import and the call


# -- case 1: a value added from the struct's name (unsafe) ------------------------------------------
INGRESS = _stack(
    "from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress\n",
    'web = SecurityGroup(self, "web", name="web")',
    f'SecurityGroupIngress(self, "web-https", {INGRESS_KEYWORDS})',
)


def test_security_group_ingress_is_proposed_as_security_group_rule(repair):
    result = _repaired(repair, INGRESS)
    assert result.new_source == INGRESS and result.status is Status.UNCHANGED
    proposed = _mine(result, applied=False)
    assert [(f.new, f.safety.value) for f in proposed] == [
        ("cdktf_cdktf_provider_aws.security_group_rule.SecurityGroupRule", "unsafe"),
        ('type="ingress"', "unsafe"),
    ]
    # the code still fails: it stays a finding that names the fix
    (finding,) = _findings(result)
    assert 'maybe SecurityGroupRule with type="ingress"' in finding.message
    assert finding.suggestions[0] == "security_group_rule.SecurityGroupRule"


def test_security_group_ingress_becomes_security_group_rule_with_unsafe_fixes(repair):
    result = _repaired(repair, INGRESS, unsafe_fixes=True)
    out = result.new_source
    assert "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n" in out
    assert "from cdktf_cdktf_provider_aws.security_group_rule import SecurityGroupRule\n" in out
    assert f'SecurityGroupRule(self, "web-https", type="ingress", {INGRESS_KEYWORDS})' in out
    assert [f.safety.value for f in _mine(result, applied=True)] == ["unsafe", "unsafe"]
    assert not result.findings


def test_egress_gets_type_egress_and_both_share_one_import(repair):
    source = _stack(
        "from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupEgress, SecurityGroupIngress\n",
        'web = SecurityGroup(self, "web", name="web")',
        f'SecurityGroupIngress(self, "in", {INGRESS_KEYWORDS})',
        'SecurityGroupEgress(self, "out", security_group_id=web.id, from_port=0, to_port=0, protocol="-1", cidr_blocks=["0.0.0.0/0"])',
    )
    out = _repaired(repair, source, unsafe_fixes=True).new_source
    assert out.count("import SecurityGroupRule\n") == 1
    assert 'SecurityGroupRule(self, "in", type="ingress", ' in out
    assert 'SecurityGroupRule(self, "out", type="egress", ' in out


def test_a_multiline_call_gets_the_new_keyword_on_its_own_line(repair):
    source = _stack(
        "from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress\n",
        'web = SecurityGroup(self, "web", name="web")',
        "SecurityGroupIngress(",
        "    self,",
        '    "web-https",  # the rule',
        "    security_group_id=web.id,",
        "    from_port=443,",
        "    to_port=443,",
        '    protocol="tcp",',
        ")",
    )
    out = _repaired(repair, source, unsafe_fixes=True).new_source
    assert '        "web-https",  # the rule\n            type="ingress",\n            security_group_id=web.id,\n' in out
    assert out.count("# the rule") == 1


def test_a_type_passed_already_makes_the_rule_safe(repair):
    """Every keyword fits SecurityGroupRule, which gets every keyword it requires: nothing is
    added and no other resource named after SecurityGroup fits, so the schema leaves one."""
    source = INGRESS.replace('"web-https", ', '"web-https", type="ingress", ')
    result = _repaired(repair, source)
    assert 'SecurityGroupRule(self, "web-https", type="ingress", security_group_id=web.id' in result.new_source
    assert [f.safety.value for f in _mine(result, applied=True)] == ["safe"]


def test_several_fitting_resources_pick_the_one_named_like_the_struct_unsafely(repair):
    source = INGRESS.replace(INGRESS_KEYWORDS, 'security_group_id=web.id, from_port=443, to_port=443, ip_protocol="tcp", cidr_ipv4="0.0.0.0/0"')
    assert _repaired(repair, source).new_source == source
    out = _repaired(repair, source, unsafe_fixes=True).new_source
    assert ("cdktf_cdktf_provider_aws.vpc_security_group_ingress_rule", "VpcSecurityGroupIngressRule", None) in _imports(out)
    assert 'VpcSecurityGroupIngressRule(self, "web-https", security_group_id=web.id' in out


# -- findings that stay -------------------------------------------------------------------------------
@pytest.mark.parametrize("unsafe", [False, True])
def test_no_resource_takes_every_keyword(repair, unsafe):
    source = INGRESS.replace('cidr_blocks=["0.0.0.0/0"]', "security_groups=[web.id]")
    finding = _unchanged_with_finding(repair, source, "no resource named after SecurityGroup takes every keyword", unsafe_fixes=unsafe)
    assert "security_group_rule.SecurityGroupRule" in finding.suggestions


def test_a_block_field_left_to_its_default_is_no_fix(repair):
    """NetworkAclRule takes every keyword of a NetworkAclEgress, but its egress would default to
    false: an ingress rule."""
    source = _stack(
        "from cdktf_cdktf_provider_aws.network_acl import NetworkAcl, NetworkAclEgress\n",
        'acl = NetworkAcl(self, "acl", vpc_id="vpc-123")',
        'NetworkAclEgress(self, "out", network_acl_id=acl.id, rule_number=100, protocol="tcp", rule_action="allow", cidr_block="0.0.0.0/0", from_port=443, to_port=443)',
    )
    _unchanged_with_finding(repair, source, "but its own egress would be left to its default", unsafe_fixes=True)
    out = _repaired(repair, source.replace("rule_number=100, ", "rule_number=100, egress=True, ")).new_source
    assert 'NetworkAclRule(self, "out", network_acl_id=acl.id, rule_number=100, egress=True' in out


@pytest.mark.parametrize("unsafe", [False, True])
def test_a_struct_also_used_as_a_block_keeps_its_import_and_the_call_gets_the_resource(repair, unsafe):
    source = _stack(
        "from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress\n",
        'web = SecurityGroup(self, "web", name="web", ingress=[SecurityGroupIngress(from_port=80, to_port=80, protocol="tcp")])',
        'SecurityGroupIngress(self, "web-https", type="ingress", ' + INGRESS_KEYWORDS + ")",
    )
    result = _repaired(repair, source, unsafe_fixes=unsafe)
    out = result.new_source
    assert ("cdktf_cdktf_provider_aws.security_group", "SecurityGroupIngress", None) in _imports(out)
    assert ("cdktf_cdktf_provider_aws.security_group_rule", "SecurityGroupRule", None) in _imports(out)
    assert "ingress=[SecurityGroupIngress(from_port=80" in out
    assert 'SecurityGroupRule(self, "web-https", type="ingress", ' in out
    assert [f.safety for f in _mine(result, applied=True)] == [Safety.SAFE]
    assert not _findings(result)


def test_a_struct_also_used_as_a_block_without_its_type_is_an_unsafe_fix(repair):
    source = _stack(
        "from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress\n",
        'web = SecurityGroup(self, "web", name="web", ingress=[SecurityGroupIngress(from_port=80, to_port=80, protocol="tcp")])',
        'SecurityGroupIngress(self, "web-https", ' + INGRESS_KEYWORDS + ")",
    )
    result = _repaired(repair, source)
    assert result.new_source == source
    assert [(f.safety, f.applied) for f in _mine(result)] == [(Safety.UNSAFE, False)] * len(_mine(result)) and _mine(result)
    assert len(_findings(result)) == 1 and "an unsafe fix" in _findings(result)[0].message
    out = _repaired(repair, source, unsafe_fixes=True).new_source
    assert ("cdktf_cdktf_provider_aws.security_group", "SecurityGroupIngress", None) in _imports(out)
    assert 'SecurityGroupRule(self, "web-https", type="ingress", ' in out


@pytest.mark.parametrize("unsafe", [False, True])
def test_the_fix_is_skipped_when_the_resource_name_is_bound_to_something_else(repair, unsafe):
    taken = INGRESS.replace("\n\nclass WebStack", '\nSecurityGroupRule = "web-rules"\n\n\nclass WebStack')
    _unchanged_with_finding(repair, taken, "but that name is bound to something else here", unsafe_fixes=unsafe)
    local = _stack(
        "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket, S3BucketServerSideEncryptionConfiguration\n",
        "S3BucketServerSideEncryptionConfigurationA = None",
        'logs = S3Bucket(self, "logs", bucket="acme-logs")',
        'S3BucketServerSideEncryptionConfiguration(self, "logs-sse", bucket=logs.id, rule=[])',
    )
    _unchanged_with_finding(repair, local, "but that name is bound to something else here", unsafe_fixes=unsafe)


def test_a_resource_imported_already_is_not_imported_twice(repair):
    source = INGRESS.replace(
        "import SecurityGroup, SecurityGroupIngress\n",
        "import SecurityGroup, SecurityGroupIngress\nfrom cdktf_cdktf_provider_aws.security_group_rule import SecurityGroupRule\n",
    ).replace('"web-https", ', '"web-https", type="ingress", ') + '        SecurityGroupRule(self, "ssh", type="ingress", from_port=22, to_port=22, protocol="tcp", security_group_id=web.id)\n'
    out = _repaired(repair, source).new_source
    assert out.count("import SecurityGroupRule\n") == 1
    assert "SecurityGroupIngress" not in out


def test_calls_that_do_not_all_fit_keep_the_import_and_the_fitting_ones_are_fixed(repair):
    source = INGRESS + '        SecurityGroupIngress(self, "bad", security_group_id=web.id, security_groups=[web.id])\n'
    result = _repaired(repair, source, unsafe_fixes=True)
    out = result.new_source
    assert ("cdktf_cdktf_provider_aws.security_group", "SecurityGroupIngress", None) in _imports(out)
    assert ("cdktf_cdktf_provider_aws.security_group_rule", "SecurityGroupRule", None) in _imports(out)
    assert 'SecurityGroupIngress(self, "bad", security_group_id=web.id' in out
    assert out.count("SecurityGroupRule(self, ") == 1
    assert len(_findings(result)) == 1


def test_a_suppressed_call_is_left_alone(repair):
    source = SSE.replace("True}])\n", "True}])  # cdktf-fix: ignore[struct-as-resource]\n")
    result = _repaired(repair, source)
    assert "S3BucketServerSideEncryptionConfigurationA" not in result.new_source
    assert not _mine(result) and not _findings(result)


def test_core_framework_structs_are_never_touched(repair):
    source = _stack(
        "from cdktf import TerraformResourceLifecycle\n",
        'TerraformResourceLifecycle(self, "lifecycle", prevent_destroy=True)',
    )
    result = _repaired(repair, source, unsafe_fixes=True)
    assert result.new_source == source
    assert not _mine(result) and not _findings(result)


# -- aliased imports ------------------------------------------------------------------------------------
def test_an_aliased_import_is_moved_and_keeps_its_alias(repair):
    source = _stack(
        "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
        "from cdktf_cdktf_provider_aws.security_group import SecurityGroupIngress as Ingress\n",
        'web = SecurityGroup(self, "web", name="web")',
        f'Ingress(self, "web-https", {INGRESS_KEYWORDS})',
    )
    result = _repaired(repair, source)
    assert result.new_source == source
    assert [f.applied for f in _mine(result)] == [False, False]
    assert "maybe SecurityGroupRule" in _findings(result)[0].message
    out = _repaired(repair, source, unsafe_fixes=True).new_source
    assert "from cdktf_cdktf_provider_aws.security_group_rule import SecurityGroupRule as Ingress\n" in out
    assert f'Ingress(self, "web-https", type="ingress", {INGRESS_KEYWORDS})' in out


def test_an_aliased_sse_import_is_fixed_safely(repair):
    source = SSE.replace(
        "import S3Bucket, S3BucketServerSideEncryptionConfiguration\n",
        "import S3Bucket\nfrom cdktf_cdktf_provider_aws.s3_bucket import S3BucketServerSideEncryptionConfiguration as Encryption\n",
    ).replace("S3BucketServerSideEncryptionConfiguration(self", "Encryption(self")
    out = _repaired(repair, source).new_source
    assert (SSE_MODULE, "S3BucketServerSideEncryptionConfigurationA", "Encryption") in _imports(out)
    assert 'Encryption(self, "logs-sse", bucket=logs.id, rule=[S3BucketServerSideEncryptionConfigurationRuleA(' in out


# -- module-attribute calls: fixed or reported the same way ------------------------------------------------
MODULES = "from cdktf_cdktf_provider_aws import s3_bucket, security_group\n"


def _through_modules(*lines: str) -> str:
    return _stack(MODULES, 'web = security_group.SecurityGroup(self, "web", name="web")', 'logs = s3_bucket.S3Bucket(self, "logs", bucket="acme-logs")', *lines)


def test_module_attribute_sse_call_is_fixed_safely(repair):
    source = _through_modules('s3_bucket.S3BucketServerSideEncryptionConfiguration(self, "logs-sse", bucket=logs.id, rule=[])')
    result = _repaired(repair, source)
    out = result.new_source
    assert 'S3BucketServerSideEncryptionConfigurationA(self, "logs-sse", bucket=logs.id, rule=[])' in out
    assert (SSE_MODULE, "S3BucketServerSideEncryptionConfigurationA", None) in _imports(out)
    assert MODULES in out  # both modules are still used
    assert [(f.old, f.new, f.safety.value) for f in _mine(result, applied=True)] == [
        ("s3_bucket.S3BucketServerSideEncryptionConfiguration", "S3BucketServerSideEncryptionConfigurationA", "safe"),
    ]


def test_module_attribute_ingress_call_is_proposed_then_fixed_with_unsafe_fixes(repair):
    source = _through_modules(f'security_group.SecurityGroupIngress(self, "web-https", {INGRESS_KEYWORDS})')
    result = _repaired(repair, source)
    assert result.new_source == source
    assert [(f.new, f.applied) for f in _mine(result)] == [("SecurityGroupRule", False), ('type="ingress"', False)]
    assert 'maybe SecurityGroupRule with type="ingress"' in _findings(result)[0].message
    out = _repaired(repair, source, unsafe_fixes=True).new_source
    assert f'SecurityGroupRule(self, "web-https", type="ingress", {INGRESS_KEYWORDS})' in out
    assert "from cdktf_cdktf_provider_aws.security_group_rule import SecurityGroupRule\n" in out


def test_module_attribute_call_that_fits_no_resource_is_reported(repair):
    source = _through_modules('security_group.SecurityGroupIngress(self, "r", security_group_id=web.id, security_groups=[web.id])')
    _unchanged_with_finding(repair, source, "no resource named after SecurityGroup takes every keyword", unsafe_fixes=True)


def test_module_attribute_call_with_the_resource_name_taken_is_reported(repair):
    source = _through_modules(
        "S3BucketServerSideEncryptionConfigurationA = None",
        's3_bucket.S3BucketServerSideEncryptionConfiguration(self, "logs-sse", bucket=logs.id, rule=[])',
    )
    _unchanged_with_finding(repair, source, "but that name is bound to something else here")


def test_a_module_import_no_longer_used_goes(repair):
    source = _stack(
        "from cdktf_cdktf_provider_aws import security_group\n"
        "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n",
        'web = SecurityGroup(self, "web", name="web")',
        f'security_group.SecurityGroupIngress(self, "web-https", type="ingress", {INGRESS_KEYWORDS})',
    )
    out = _repaired(repair, source).new_source
    assert "from cdktf_cdktf_provider_aws import security_group\n" not in out
    assert f'SecurityGroupRule(self, "web-https", type="ingress", {INGRESS_KEYWORDS})' in out
