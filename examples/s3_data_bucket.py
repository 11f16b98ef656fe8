"""A private data bucket with versioning and default encryption.

Written the way a model writes it (the failures of seed 000): S3 classes without the `A`
suffix they need, the `A` in the wrong place, and the wrong names used again in the code.
Run `cdktf-fix diff examples/` to see the repair.
"""
from constructs import Construct
from cdktf import App, TerraformStack, TerraformOutput
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfiguration,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleAApplyServerSideEncryptionByDefault,
)
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock


class DataBucketStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-1")

        bucket = S3Bucket(self, "data_bucket", bucket_prefix="analytics-data-")

        S3BucketVersioning(
            self,
            "data_bucket_versioning",
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled"},
        )

        S3BucketServerSideEncryptionConfiguration(
            self,
            "data_bucket_encryption",
            bucket=bucket.id,
            rule=[
                S3BucketServerSideEncryptionConfigurationRuleA(
                    bucket_key_enabled=True,
                    apply_server_side_encryption_by_default=S3BucketServerSideEncryptionConfigurationRuleAApplyServerSideEncryptionByDefault(
                        sse_algorithm="AES256",
                    ),
                )
            ],
        )

        S3BucketPublicAccessBlock(
            self,
            "data_bucket_public_access",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )

        TerraformOutput(self, "bucket_name", value=bucket.bucket)


if __name__ == "__main__":
    app = App()
    DataBucketStack(app, "data-bucket")
    app.synth()
