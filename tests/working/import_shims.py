"""Import styles that are valid even though a naive fixer may think otherwise.

Correct idioms exercised:
- ``try: from ... import S3BucketVersioningA / except ImportError:`` a shim for an older
  provider major where the class had no ``A`` (the first branch is the valid one here; the
  fallback is for the other version and must stay as written);
- ``if TYPE_CHECKING:`` imports used only in string annotations (``"SnsTopic"``,
  ``"CloudwatchMetricAlarm"``);
- imports inside functions (lazy provider imports in helpers);
- the same valid import repeated (a module used in two sections that each import what they
  need);
- ``from cdktf_cdktf_provider_aws.sqs_queue import *`` (a provider module's ``__all__``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.sqs_queue import *  # noqa: F403  SqsQueue, SqsQueueTimeouts

try:
    from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA
except ImportError:  # cdktf-cdktf-provider-aws < 13 named it without the A
    from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning as S3BucketVersioningA

if TYPE_CHECKING:
    from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
    from cdktf_cdktf_provider_aws.sns_topic import SnsTopic


def archive_bucket(scope: Construct, name: str) -> S3Bucket:
    return S3Bucket(scope, f"{name}-archive", bucket_prefix=f"{name}-archive-")


def alarm_topic(scope: Construct, name: str) -> "SnsTopic":
    from cdktf_cdktf_provider_aws.sns_topic import SnsTopic

    return SnsTopic(scope, f"{name}-topic", name=name)


def queue_depth_alarm(scope: Construct, queue_name: str, topic: "SnsTopic") -> "CloudwatchMetricAlarm":
    from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm

    return CloudwatchMetricAlarm(
        scope,
        f"{queue_name}-depth",
        alarm_name=f"{queue_name}-depth",
        namespace="AWS/SQS",
        metric_name="ApproximateNumberOfMessagesVisible",
        dimensions={"QueueName": queue_name},
        statistic="Maximum",
        period=300,
        evaluation_periods=2,
        threshold=1000,
        comparison_operator="GreaterThanThreshold",
        alarm_actions=[topic.arn],
    )


class ShimStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-north-1")

        # --- storage -------------------------------------------------------------------
        from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket

        uploads = S3Bucket(self, "uploads", bucket_prefix="uploads-")
        S3BucketVersioningA(
            self, "uploads-versioning", bucket=uploads.id, versioning_configuration={"status": "Suspended"}
        )

        # --- queues --------------------------------------------------------------------
        from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket  # noqa: F811  (section imports)

        archive = S3Bucket(self, "queue-archive", bucket_prefix="queue-archive-")
        archive_bucket(self, "work")
        work = SqsQueue(  # noqa: F405
            self,
            "work",
            name="work",
            delay_seconds=0,
            message_retention_seconds=345600,
            timeouts=SqsQueueTimeouts(create="5m"),  # noqa: F405
            tags={"ArchiveBucket": archive.bucket},
        )
        queue_depth_alarm(self, "work", alarm_topic(self, "queue-alerts"))
        self.queue_arn = work.arn
