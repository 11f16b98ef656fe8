"""SNS -> SQS fan-out with encryption, redrive, subscription filters and queue policies.

Correct idioms exercised:
- KMS key ``policy`` and queue ``redrive_policy`` built with ``json.dumps``; the SNS
  ``filter_policy`` too (its keys are message attributes);
- SqsQueuePolicy from a DataAwsIamPolicyDocument whose statements mix dicts (single-word
  keys, nested ``condition`` list) and are built in a loop over queues;
- numbers for retention, visibility timeout and ``maxReceiveCount``;
- a dict of queues keyed by name, iterated with ``.items()``.
"""

import json

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import DataAwsIamPolicyDocument
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue
from cdktf_cdktf_provider_aws.sqs_queue_policy import SqsQueuePolicy

CONSUMERS = {
    "billing": {"eventType": ["OrderPlaced", "OrderRefunded"]},
    "shipping": {"eventType": ["OrderPlaced"], "region": ["eu", "uk"]},
    "analytics": None,
}


class FanoutStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")
        me = DataAwsCallerIdentity(self, "me")

        key = KmsKey(
            self,
            "messaging-key",
            description="SNS and SQS encryption",
            enable_key_rotation=True,
            policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "AccountAdmin",
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{me.account_id}:root"},
                            "Action": "kms:*",
                            "Resource": "*",
                        },
                        {
                            "Sid": "AllowSns",
                            "Effect": "Allow",
                            "Principal": {"Service": "sns.amazonaws.com"},
                            "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
                            "Resource": "*",
                        },
                    ],
                }
            ),
        )
        KmsAlias(self, "messaging-key-alias", name="alias/orders-messaging", target_key_id=key.key_id)

        topic = SnsTopic(self, "order-events", name="order-events", kms_master_key_id=key.id)

        for name, filter_policy in CONSUMERS.items():
            dlq = SqsQueue(self, f"{name}-dlq", name=f"{name}-dlq", message_retention_seconds=1209600, kms_master_key_id=key.id)
            queue = SqsQueue(
                self,
                f"{name}-queue",
                name=f"{name}-orders",
                visibility_timeout_seconds=120,
                receive_wait_time_seconds=20,
                kms_master_key_id=key.id,
                redrive_policy=json.dumps({"deadLetterTargetArn": dlq.arn, "maxReceiveCount": 5}),
            )
            allow_topic = DataAwsIamPolicyDocument(
                self,
                f"{name}-queue-policy-doc",
                statement=[
                    {
                        "effect": "Allow",
                        "actions": ["sqs:SendMessage"],
                        "resources": [queue.arn],
                        "principals": [{"type": "Service", "identifiers": ["sns.amazonaws.com"]}],
                        "condition": [{"test": "ArnEquals", "variable": "aws:SourceArn", "values": [topic.arn]}],
                    }
                ],
            )
            SqsQueuePolicy(self, f"{name}-queue-policy", queue_url=queue.url, policy=allow_topic.json)
            SnsTopicSubscription(
                self,
                f"{name}-subscription",
                topic_arn=topic.arn,
                protocol="sqs",
                endpoint=queue.arn,
                raw_message_delivery=True,
                filter_policy=json.dumps(filter_policy) if filter_policy else None,
            )

        TerraformOutput(self, "topic_arn", value=topic.arn)
