"""Regional WAFv2 web ACL with managed rule groups, a rate limit and an IP block list.

Correct idioms exercised:
- ``statement`` is typed Any in the schema: it is a plain dict with Terraform snake_case
  keys (``managed_rule_group_statement``, ``rate_based_statement``, ``vendor_name``,
  ``ip_set_reference_statement``, ``rule_action_override``) even inside a rule written
  with jsii camelCase keys (``overrideAction``, ``visibilityConfig``,
  ``cloudwatchMetricsEnabled``);
- empty dicts for blocks without fields (``{"none": {}}``, ``{"allow": {}}``,
  ``{"block": {}}``);
- rules built by a helper function and a list comprehension, bound to a variable;
- ``default_action`` / ``visibility_config`` as snake_case dicts on the resource;
- numbers for ``priority`` and ``limit``.
"""

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.lb import Lb
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.wafv2_ip_set import Wafv2IpSet
from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAcl
from cdktf_cdktf_provider_aws.wafv2_web_acl_association import Wafv2WebAclAssociation

MANAGED_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"]


def visibility(metric_name: str) -> dict:
    return {"cloudwatchMetricsEnabled": True, "metricName": metric_name, "sampledRequestsEnabled": True}


def managed_rule(name: str, priority: int) -> dict:
    statement = {"managed_rule_group_statement": {"name": name, "vendor_name": "AWS"}}
    if name == "AWSManagedRulesCommonRuleSet":
        statement["managed_rule_group_statement"]["rule_action_override"] = [
            {"name": "SizeRestrictions_BODY", "action_to_use": {"count": {}}}
        ]
    return {
        "name": name,
        "priority": priority,
        "overrideAction": {"none": {}},
        "statement": statement,
        "visibilityConfig": visibility(name),
    }


class WafStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")

        blocked = Wafv2IpSet(
            self,
            "blocked-ips",
            name="blocked-ips",
            scope="REGIONAL",
            ip_address_version="IPV4",
            addresses=["203.0.113.0/24", "198.51.100.7/32"],
        )

        rules = [managed_rule(name, 10 + index) for index, name in enumerate(MANAGED_GROUPS)]
        rules.append(
            {
                "name": "block-listed-ips",
                "priority": 1,
                "action": {"block": {}},
                "statement": {"ip_set_reference_statement": {"arn": blocked.arn}},
                "visibilityConfig": visibility("block-listed-ips"),
            }
        )
        rules.append(
            {
                "name": "rate-limit",
                "priority": 2,
                "action": {"block": {}},
                "statement": {
                    "rate_based_statement": {
                        "limit": 2000,
                        "aggregate_key_type": "IP",
                        "scope_down_statement": {
                            "byte_match_statement": {
                                "search_string": "/login",
                                "positional_constraint": "STARTS_WITH",
                                "field_to_match": {"uri_path": {}},
                                "text_transformation": [{"priority": 0, "type": "NONE"}],
                            }
                        },
                    }
                },
                "visibilityConfig": visibility("rate-limit"),
            }
        )

        acl = Wafv2WebAcl(
            self,
            "web-acl",
            name="orders-web-acl",
            scope="REGIONAL",
            default_action={"allow": {}},
            visibility_config={
                "cloudwatch_metrics_enabled": True,
                "metric_name": "orders-web-acl",
                "sampled_requests_enabled": True,
            },
            rule=rules,
        )

        alb = Lb(self, "alb", name="orders-waf-alb", subnets=["subnet-0f0f0f0f0f0f0f0f0", "subnet-0e0e0e0e0e0e0e0e0"])
        Wafv2WebAclAssociation(self, "web-acl-alb", resource_arn=alb.arn, web_acl_arn=acl.arn)
