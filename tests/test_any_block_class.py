"""any-block-class: the data table of blocks under Any-typed fields, checked against the schema."""

from __future__ import annotations

from codemods.any_block_class import any_blocks, block_arguments, spelled_block

P = "cdktf_cdktf_provider_aws"


def test_every_field_of_the_table_is_typed_any_in_the_schema(schema):
    data = any_blocks()
    assert data["fields"]
    for key, entry in data["fields"].items():
        module, owner, field = key.split(".")
        info = schema.class_info(f"{P}.{module}", owner)
        assert info is not None, key
        assert info.param(field) is not None and info.param(field).type == "any", f"{key} is not typed Any"
        assert entry["source"] and entry["reason"] and block_arguments(entry["block"]), key


def test_every_block_named_in_the_table_is_reachable_and_no_struct_exists_for_it(schema):
    data = any_blocks()
    for block in [*data["blocks"], *data["same_as"]]:
        assert block_arguments(block) is not None, block
    names = schema.names_in(f"{P}.wafv2_web_acl")
    assert not [n for n in names if n.startswith("Wafv2WebAclRuleStatement")], "the provider now has statement structs: the table is not needed"


def test_class_names_spell_block_paths(schema):
    module = f"{P}.wafv2_web_acl"
    assert spelled_block(schema, module, "Wafv2WebAclRuleStatement") == ("Wafv2WebAclRule.statement", ["statement"])
    assert spelled_block(schema, module, "Wafv2WebAclRuleStatementRateBasedStatement") == ("Wafv2WebAclRule.statement", ["statement", "rate_based_statement"])
    assert spelled_block(schema, module, "Wafv2WebAclRuleStatementRateBasedStatementScopeDownStatement") == (
        "Wafv2WebAclRule.statement", ["statement", "rate_based_statement", "scope_down_statement"])
    assert spelled_block(schema, module, "Wafv2WebAclRuleStatementNoSuchStatement") is None
    assert spelled_block(schema, module, "Wafv2WebAclRuleActionBlock") is None  # action is a real struct field, not Any
