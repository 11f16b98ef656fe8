"""Provider modules imported as modules, then used as ``module.Class``.

Correct idioms exercised:
- ``from cdktf_cdktf_provider_aws import s3_bucket, s3_bucket_versioning, ...`` followed
  by ``s3_bucket.S3Bucket(...)`` and ``s3_bucket_versioning.S3BucketVersioningA(...)``
  (the A-suffixed class reached through its real module);
- a module imported under an alias (``dynamodb_table as ddb``) and struct classes reached
  through modules (``s3_bucket_versioning.S3BucketVersioningVersioningConfiguration``,
  ``ddb.DynamodbTableAttribute``);
- ``import cdktf`` with ``cdktf.TerraformStack``, ``cdktf.TerraformOutput``, ``cdktf.Fn``,
  ``cdktf.S3Backend``; ``import constructs`` with ``constructs.Construct``.
"""

import constructs
import cdktf
from cdktf_cdktf_provider_aws import (
    iam_policy,
    provider,
    s3_bucket,
    s3_bucket_public_access_block,
    s3_bucket_server_side_encryption_configuration,
    s3_bucket_versioning,
)
from cdktf_cdktf_provider_aws import dynamodb_table as ddb


class StateStoreStack(cdktf.TerraformStack):
    """The bucket and lock table that hold Terraform state for the other stacks."""

    def __init__(self, scope: constructs.Construct, id: str):
        super().__init__(scope, id)

        cdktf.S3Backend(
            self,
            bucket="acme-bootstrap-state",
            key="state-store/terraform.tfstate",
            region="us-east-1",
            encrypt=True,
            dynamodb_table="acme-bootstrap-locks",
        )
        provider.AwsProvider(self, "aws", region="us-east-1", default_tags=[{"tags": {"Stack": "state-store"}}])

        state = s3_bucket.S3Bucket(self, "state", bucket="acme-terraform-state", force_destroy=False)
        s3_bucket_versioning.S3BucketVersioningA(
            self,
            "state-versioning",
            bucket=state.id,
            versioning_configuration=s3_bucket_versioning.S3BucketVersioningVersioningConfiguration(status="Enabled"),
        )
        s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA(
            self,
            "state-sse",
            bucket=state.id,
            rule=[
                s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleA(
                    apply_server_side_encryption_by_default=s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                        sse_algorithm="AES256"
                    )
                )
            ],
        )
        s3_bucket_public_access_block.S3BucketPublicAccessBlock(
            self,
            "state-public-access",
            bucket=state.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )

        locks = ddb.DynamodbTable(
            self,
            "locks",
            name="acme-terraform-locks",
            billing_mode="PAY_PER_REQUEST",
            hash_key="LockID",
            attribute=[ddb.DynamodbTableAttribute(name="LockID", type="S")],
            point_in_time_recovery=ddb.DynamodbTablePointInTimeRecovery(enabled=True),
        )

        iam_policy.IamPolicy(
            self,
            "state-access",
            name="terraform-state-access",
            policy=cdktf.Fn.jsonencode(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": state.arn},
                        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{state.arn}/*"},
                        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], "Resource": locks.arn},
                    ],
                }
            ),
        )

        cdktf.TerraformOutput(self, "state_bucket", value=state.bucket)
        cdktf.TerraformOutput(self, "lock_table", value=locks.name)
