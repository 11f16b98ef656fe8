"""Escape hatches: raw overrides where the bindings do not reach, written with Terraform names.

Correct idioms exercised:
- ``add_override`` with dict values holding Terraform's own snake_case multi-word keys
  (``dynamic.ingress`` / ``from_port``, ``access_logs``, ``redrive_allow_policy`` JSON),
  which jsii never reads as structs;
- dotted override paths (``environment.variables.FEATURE_FLAGS``,
  ``health_check.matcher``) and stack-level overrides (``terraform.required_version``);
- ``override_logical_id`` to keep the address of a resource imported from HCL;
- ``node.add_dependency`` next to ``depends_on``; ``Token.as_string_map(Fn.merge(...))`` over dicts of tags.
"""

from constructs import Construct
from cdktf import Fn, TerraformStack, Token
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.lb import Lb
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue

BASE_TAGS = {"Team": "edge", "Lifecycle": "long-lived"}


class EscapeHatchStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        self.add_override("terraform.required_version", ">= 1.6.0")
        AwsProvider(self, "aws", region="us-east-2")

        legacy_logs = S3Bucket(self, "legacy-logs", bucket="edge-legacy-logs", tags=Token.as_string_map(Fn.merge([BASE_TAGS, {"Imported": "true"}])))
        legacy_logs.override_logical_id("edge_logs")

        sg = SecurityGroup(self, "edge-sg", name="edge", vpc_id="vpc-0abcdef0123456789")
        sg.add_override(
            "dynamic.ingress",
            {
                "for_each": "${var.edge_ports}",
                "content": {
                    "from_port": "${ingress.value}",
                    "to_port": "${ingress.value}",
                    "protocol": "tcp",
                    "cidr_blocks": ["0.0.0.0/0"],
                },
            },
        )

        alb = Lb(self, "edge-alb", name="edge", subnets=["subnet-0aa0aa0aa0aa0aa0a", "subnet-0bb0bb0bb0bb0bb0b"])
        alb.add_override("access_logs", {"bucket": legacy_logs.bucket, "prefix": "alb", "enabled": True})
        alb.node.add_dependency(legacy_logs)

        tg = LbTargetGroup(
            self,
            "edge-tg",
            name="edge",
            port=443,
            protocol="HTTPS",
            vpc_id="vpc-0abcdef0123456789",
            health_check={"path": "/healthz", "protocol": "HTTPS"},
        )
        tg.add_override("health_check.matcher", "200,204")

        fn = LambdaFunction(
            self,
            "edge-router",
            function_name="edge-router",
            role="arn:aws:iam::111122223333:role/edge-router",
            runtime="nodejs20.x",
            handler="index.handler",
            filename="dist/edge-router.zip",
            environment={"variables": {"STAGE": "prod"}},
            depends_on=[tg],
        )
        fn.add_override("environment.variables.FEATURE_FLAGS", "geo,ab-test")

        dlq = SqsQueue(self, "edge-dlq", name="edge-dlq")
        dlq.add_override(
            "redrive_allow_policy",
            Fn.jsonencode({"redrivePermission": "byQueue", "sourceQueueArns": ["arn:aws:sqs:us-east-2:111122223333:edge"]}),
        )
        dlq.add_override("lifecycle", {"create_before_destroy": True, "ignore_changes": ["tags"]})
