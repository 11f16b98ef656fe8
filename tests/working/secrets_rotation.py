"""Secrets Manager secrets with replicas, a generated initial value and rotation.

Correct idioms exercised:
- ``replica`` as a list of dicts with camelCase keys (``kmsKeyId``) and single-word keys
  (``region``);
- ``rotation_rules`` as a snake_case dict;
- ``secret_string`` built with ``Fn.jsonencode`` over a dict holding a token, and with
  ``json.dumps``;
- ``lifecycle={"ignore_changes": ["secret_string"]}`` so a rotated value is not reverted;
- a resource policy from a policy document; ``recovery_window_in_days`` as a number.
"""

import json

from constructs import Construct
from cdktf import Fn, TerraformStack, TerraformVariable
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import DataAwsIamPolicyDocument
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.secretsmanager_secret import SecretsmanagerSecret
from cdktf_cdktf_provider_aws.secretsmanager_secret_policy import SecretsmanagerSecretPolicy
from cdktf_cdktf_provider_aws.secretsmanager_secret_rotation import SecretsmanagerSecretRotation
from cdktf_cdktf_provider_aws.secretsmanager_secret_version import SecretsmanagerSecretVersion


class SecretsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")

        api_key = TerraformVariable(self, "partner_api_key", type="string", sensitive=True, description="Initial partner API key")
        key = KmsKey(self, "secrets-key", description="application secrets", enable_key_rotation=True, multi_region=True)

        db_secret = SecretsmanagerSecret(
            self,
            "db-credentials",
            name="orders/db-credentials",
            kms_key_id=key.arn,
            recovery_window_in_days=7,
            replica=[
                {"region": "eu-central-1", "kmsKeyId": "alias/orders-secrets"},
                {"region": "us-east-1"},
            ],
        )
        SecretsmanagerSecretVersion(
            self,
            "db-credentials-initial",
            secret_id=db_secret.id,
            secret_string=json.dumps({"username": "orders_app", "password": "change-me-on-first-rotation"}),
            lifecycle={"ignore_changes": ["secret_string"]},
        )
        SecretsmanagerSecretRotation(
            self,
            "db-credentials-rotation",
            secret_id=db_secret.id,
            rotation_lambda_arn="arn:aws:lambda:eu-west-1:111122223333:function:rotate-postgres",
            rotation_rules={"automatically_after_days": 30},
        )

        partner = SecretsmanagerSecret(self, "partner-api", name="orders/partner-api", kms_key_id=key.arn)
        SecretsmanagerSecretVersion(
            self,
            "partner-api-value",
            secret_id=partner.id,
            secret_string=Fn.jsonencode({"apiKey": api_key.string_value, "endpoint": "https://partner.example.com"}),
        )
        SecretsmanagerSecretRotation(
            self,
            "partner-api-rotation",
            secret_id=partner.id,
            rotation_lambda_arn="arn:aws:lambda:eu-west-1:111122223333:function:rotate-partner-key",
            rotation_rules={"schedule_expression": "rate(90 days)", "duration": "2h"},
        )

        read_only = DataAwsIamPolicyDocument(
            self,
            "partner-api-read",
            statement=[
                {
                    "effect": "Allow",
                    "actions": ["secretsmanager:GetSecretValue"],
                    "resources": ["*"],
                    "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::111122223333:role/orders-api-task"]}],
                }
            ],
        )
        SecretsmanagerSecretPolicy(self, "partner-api-policy", secret_arn=partner.arn, policy=read_only.json)
