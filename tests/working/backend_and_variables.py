"""Backend, input variables with validation, locals, outputs and lifecycle conditions.

Correct idioms exercised:
- ``S3Backend`` with ``assume_role`` as a snake_case dict and ``dynamodb_table`` locking;
- TerraformVariable ``validation`` as a list of dicts: a list of cdktf structs is a plain
  map for jsii, so the key is ``errorMessage`` (camelCase), mixed with an explicit
  ``TerraformVariableValidationConfig``;
- ``lifecycle={"precondition": [{"condition": ..., "errorMessage": ...}]}``: the lifecycle
  dict is converted by keyword (snake_case ``precondition``), the list inside it is read by
  jsii (camelCase ``errorMessage``);
- TerraformLocal with a dict expression, ``Fn.merge`` / ``Fn.lookup`` / ``Fn.upper``;
  ``var.fqn`` inside a ``${...}`` condition string;
- TerraformOutput with ``description`` and ``sensitive``; numbers and bools typed as such in
  variable defaults.
"""

from constructs import Construct
from cdktf import (
    Fn,
    S3Backend,
    TerraformLocal,
    TerraformOutput,
    TerraformStack,
    TerraformVariable,
    TerraformVariableValidationConfig,
)
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter


class ConfiguredStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        S3Backend(
            self,
            bucket="acme-terraform-state",
            key="services/catalog/terraform.tfstate",
            region="us-east-1",
            encrypt=True,
            dynamodb_table="acme-terraform-locks",
            assume_role={"role_arn": "arn:aws:iam::111122223333:role/terraform-state", "session_name": "cdktf"},
        )

        environment = TerraformVariable(
            self,
            "environment",
            type="string",
            description="Deployment environment",
            validation=[
                {
                    "condition": '${contains(["dev", "staging", "prod"], var.environment)}',
                    "errorMessage": "environment must be dev, staging or prod",
                }
            ],
        )
        retention = TerraformVariable(
            self,
            "log_retention_days",
            type="number",
            default=30,
            validation=[
                TerraformVariableValidationConfig(
                    condition="${var.log_retention_days >= 7}",
                    error_message="keep logs at least a week",
                )
            ],
        )
        enable_debug = TerraformVariable(self, "enable_debug", type="bool", default=False)
        extra_tags = TerraformVariable(self, "extra_tags", type="map(string)", default={})

        tags = TerraformLocal(
            self,
            "tags",
            Fn.merge([{"Service": "catalog", "Environment": environment.string_value}, extra_tags.value]),
        )

        AwsProvider(self, "aws", region="us-east-1", default_tags=[{"tags": {"Service": "catalog"}}])

        bucket = S3Bucket(
            self,
            "catalog-exports",
            bucket=f"acme-catalog-exports-{environment.string_value}",
            tags=tags.as_string_map,
            lifecycle={
                "prevent_destroy": False,
                "precondition": [
                    {
                        "condition": f"${{{environment.fqn} != \"prod\" || {enable_debug.fqn} == false}}",
                        "errorMessage": "debug mode is not allowed in prod",
                    }
                ],
            },
        )
        logs = CloudwatchLogGroup(
            self,
            "catalog-logs",
            name=f"/services/catalog/{environment.string_value}",
            retention_in_days=retention.number_value,
            tags={"Environment": Fn.upper(environment.string_value)},
        )
        SsmParameter(
            self,
            "catalog-config",
            name=f"/catalog/{environment.string_value}/config",
            type="String",
            value=Fn.jsonencode({"bucket": bucket.bucket, "logGroup": logs.name, "debug": enable_debug.boolean_value}),
            tier="Standard",
        )

        TerraformOutput(self, "exports_bucket", value=bucket.bucket, description="Where catalog exports land")
        TerraformOutput(self, "log_group_arn", value=logs.arn, sensitive=True)
        TerraformOutput(self, "environment_tag", value=Fn.lookup(tags.as_string_map, "Environment", "unknown"))
