"""A bucket encrypted with the key of another stack, versioned, with its policy."""

import json

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack, S3Backend
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy


class StorageStack(TerraformStack):
    def __init__(self, scope: Construct, name: str, region: str, key_arn: str):
        super().__init__(scope, name)
        AwsProvider(self, "aws", region=region)
        S3Backend(self, bucket="acme-terraform-state", key=f"{name}.tfstate", region=region)
        account = DataAwsCallerIdentity(self, "account")
        bucket = S3Bucket(self, "data", bucket_prefix="acme-data-")
        S3BucketVersioningA(self, "data-versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
        S3BucketServerSideEncryptionConfigurationA(
            self,
            "data-encryption",
            bucket=bucket.id,
            rule=[
                S3BucketServerSideEncryptionConfigurationRuleA(
                    apply_server_side_encryption_by_default=S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                        sse_algorithm="aws:kms", kms_master_key_id=key_arn
                    )
                )
            ],
        )
        S3BucketPolicy(
            self,
            "data-policy",
            bucket=bucket.id,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account.account_id}:root"},
                    "Action": "s3:GetObject",
                    "Resource": f"{bucket.arn}/*",
                }],
            }),
        )
        TerraformOutput(self, "bucket_name", value=bucket.bucket)
