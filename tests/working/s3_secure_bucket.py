"""Secure S3 bucket with the standalone configuration resources.

Correct idioms exercised:
- A-suffixed resource classes (S3BucketVersioningA, S3BucketServerSideEncryptionConfigurationA,
  S3BucketLoggingA) next to S3BucketLifecycleConfiguration, which has no A.
- single nested blocks as dicts with snake_case keys (``versioning_configuration``,
  ``rule`` of S3BucketOwnershipControls);
- lists of blocks as dicts with jsii camelCase keys, with a nested dict under a list element
  written in camelCase too (``applyServerSideEncryptionByDefault`` / ``sseAlgorithm``);
- DataAwsIamPolicyDocument statements as dicts with single-word keys;
- a number where the schema says number, booleans where it says bool.
"""

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import DataAwsIamPolicyDocument
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_logging import S3BucketLoggingA
from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import S3BucketOwnershipControls
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA


class SecureBucketStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")
        account = DataAwsCallerIdentity(self, "account")

        key = KmsKey(
            self,
            "data-key",
            description="Encrypts the data bucket",
            deletion_window_in_days=14,
            enable_key_rotation=True,
        )
        KmsAlias(self, "data-key-alias", name="alias/data-bucket", target_key_id=key.key_id)

        logs = S3Bucket(self, "access-logs", bucket_prefix="access-logs-", force_destroy=False)
        S3BucketOwnershipControls(
            self,
            "access-logs-ownership",
            bucket=logs.id,
            rule={"object_ownership": "BucketOwnerPreferred"},
        )

        bucket = S3Bucket(
            self,
            "data",
            bucket=f"data-{account.account_id}-eu-west-1",
            tags={"Name": "data", "DataClassification": "internal"},
        )

        S3BucketVersioningA(
            self,
            "data-versioning",
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled"},
        )

        S3BucketServerSideEncryptionConfigurationA(
            self,
            "data-sse",
            bucket=bucket.id,
            rule=[
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": "aws:kms",
                        "kmsMasterKeyId": key.arn,
                    },
                    "bucketKeyEnabled": True,
                }
            ],
        )

        S3BucketPublicAccessBlock(
            self,
            "data-public-access",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )

        S3BucketLoggingA(
            self,
            "data-logging",
            bucket=bucket.id,
            target_bucket=logs.id,
            target_prefix="data/",
        )

        tls_only = DataAwsIamPolicyDocument(
            self,
            "tls-only",
            statement=[
                {
                    "sid": "DenyInsecureTransport",
                    "effect": "Deny",
                    "actions": ["s3:*"],
                    "resources": [bucket.arn, f"{bucket.arn}/*"],
                    "principals": [{"type": "*", "identifiers": ["*"]}],
                    "condition": [
                        {"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}
                    ],
                }
            ],
        )
        S3BucketPolicy(self, "data-policy", bucket=bucket.id, policy=tls_only.json)

        TerraformOutput(self, "bucket_name", value=bucket.bucket)
        TerraformOutput(self, "kms_key_arn", value=key.arn)
