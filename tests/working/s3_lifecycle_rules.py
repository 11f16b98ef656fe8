"""Lifecycle, replication, CORS and notification rules for a log archive bucket.

Correct idioms exercised:
- rules built by a helper function that returns a list of dicts, bound to a variable and then
  passed (``rule=rules``), with jsii camelCase keys at every level of the list elements
  (``noncurrentVersionExpiration`` / ``noncurrentDays``), lists of blocks nested in lists;
- a comprehension building correct dicts;
- a Python keyword field (``and_`` in Python) written with its jsii name ``and`` inside a
  dict under a list element;
- single-word keys (``id``, ``status``, ``days``, ``prefix``) in lists of blocks;
- numbers for numeric fields (``days``, ``noncurrentDays``, ``maxAgeSeconds``).
"""

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_cors_configuration import S3BucketCorsConfiguration
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration
from cdktf_cdktf_provider_aws.s3_bucket_notification import S3BucketNotification
from cdktf_cdktf_provider_aws.s3_bucket_replication_configuration import S3BucketReplicationConfigurationA
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue

RETENTION_DAYS = {"app-logs": 90, "audit-logs": 2555, "tmp": 7}


def tiering_rules(prefix: str, expire_after: int) -> list[dict]:
    """Standard -> IA -> Glacier, then expiry; old versions go after 30 days."""
    return [
        {
            "id": f"tiering-{prefix}",
            "status": "Enabled",
            "filter": [{"prefix": f"{prefix}/"}],
            "transition": [
                {"days": 30, "storageClass": "STANDARD_IA"},
                {"days": 90, "storageClass": "GLACIER"},
            ],
            "expiration": [{"days": expire_after}],
            "noncurrentVersionExpiration": [{"noncurrentDays": 30}],
            "abortIncompleteMultipartUpload": [{"daysAfterInitiation": 7}],
        }
    ]


class LogArchiveStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-1")

        archive = S3Bucket(self, "archive", bucket_prefix="log-archive-")
        replica = S3Bucket(self, "archive-replica", bucket_prefix="log-archive-replica-")
        for name, target in (("archive", archive), ("replica", replica)):
            S3BucketVersioningA(
                self,
                f"{name}-versioning",
                bucket=target.id,
                versioning_configuration={"status": "Enabled"},
            )

        rules = []
        for prefix, days in RETENTION_DAYS.items():
            rules.extend(tiering_rules(prefix, days))
        rules.append(
            {
                "id": "tagged-scratch",
                "status": "Enabled",
                "filter": [{"tag": [{"key": "scratch", "value": "true"}]}],
                "expiration": [{"days": 1}],
            }
        )
        S3BucketLifecycleConfiguration(self, "archive-lifecycle", bucket=archive.id, rule=rules)

        replication_role = IamRole(
            self,
            "replication-role",
            name_prefix="s3-replication-",
            assume_role_policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
            '"Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
        )
        S3BucketReplicationConfigurationA(
            self,
            "archive-replication",
            bucket=archive.id,
            role=replication_role.arn,
            rule=[
                {
                    "id": "audit-to-replica",
                    "status": "Enabled",
                    "priority": 1,
                    "filter": {"and": {"prefix": "audit-logs/", "tags": {"replicate": "yes"}}},
                    "deleteMarkerReplication": {"status": "Disabled"},
                    "destination": {"bucket": replica.arn, "storageClass": "STANDARD_IA"},
                }
            ],
        )

        S3BucketCorsConfiguration(
            self,
            "archive-cors",
            bucket=archive.id,
            cors_rule=[
                {
                    "allowedMethods": method_group,
                    "allowedOrigins": ["https://console.example.com"],
                    "allowedHeaders": ["*"],
                    "maxAgeSeconds": 3000,
                }
                for method_group in (["GET", "HEAD"], ["PUT", "POST"])
            ],
        )

        uploads = SqsQueue(self, "uploads", name="log-archive-uploads", message_retention_seconds=86400)
        S3BucketNotification(
            self,
            "archive-notification",
            bucket=archive.id,
            queue=[
                {
                    "queueArn": uploads.arn,
                    "events": ["s3:ObjectCreated:*"],
                    "filterPrefix": "audit-logs/",
                    "filterSuffix": ".gz",
                }
            ],
        )
