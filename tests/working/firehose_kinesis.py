"""Clickstream ingestion: Kinesis stream -> Firehose (with a Lambda transform) -> S3.

Correct idioms exercised:
- ``extended_s3_configuration`` as a snake_case dict holding snake_case single blocks
  (``cloudwatch_logging_options``, ``processing_configuration``,
  ``dynamic_partitioning_configuration``) and, inside ``processing_configuration``, the list
  ``processors`` whose elements are plain maps for jsii: camelCase at every level
  (``parameters`` -> ``parameterName`` / ``parameterValue``);
- ``buffering_size`` / ``buffering_interval`` (the real field names) as numbers;
- ``kinesis_source_configuration`` and ``server_side_encryption`` as snake_case dicts;
- ``stream_mode_details`` as a snake_case dict on the stream.
"""

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.cloudwatch_log_stream import CloudwatchLogStream
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.kinesis_firehose_delivery_stream import KinesisFirehoseDeliveryStream
from cdktf_cdktf_provider_aws.kinesis_stream import KinesisStream
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket

FIREHOSE_TRUST = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole"}
  ]
}"""


class ClickstreamStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-1")

        stream = KinesisStream(
            self,
            "clicks",
            name="clickstream",
            retention_period=48,
            encryption_type="KMS",
            kms_key_id="alias/aws/kinesis",
            stream_mode_details={"stream_mode": "ON_DEMAND"},
            shard_level_metrics=["IncomingBytes", "OutgoingBytes"],
        )
        lake = S3Bucket(self, "lake", bucket_prefix="clickstream-lake-")
        role = IamRole(self, "firehose-role", name="clickstream-firehose", assume_role_policy=FIREHOSE_TRUST)
        logs = CloudwatchLogGroup(self, "firehose-logs", name="/aws/kinesisfirehose/clickstream", retention_in_days=14)
        log_stream = CloudwatchLogStream(self, "firehose-log-stream", name="S3Delivery", log_group_name=logs.name)

        KinesisFirehoseDeliveryStream(
            self,
            "to-lake",
            name="clickstream-to-lake",
            destination="extended_s3",
            kinesis_source_configuration={"kinesis_stream_arn": stream.arn, "role_arn": role.arn},
            extended_s3_configuration={
                "role_arn": role.arn,
                "bucket_arn": lake.arn,
                "buffering_size": 64,
                "buffering_interval": 60,
                "compression_format": "GZIP",
                "prefix": "clicks/site=!{partitionKeyFromLambda:site}/dt=!{timestamp:yyyy-MM-dd}/",
                "error_output_prefix": "errors/!{firehose:error-output-type}/",
                "cloudwatch_logging_options": {
                    "enabled": True,
                    "log_group_name": logs.name,
                    "log_stream_name": log_stream.name,
                },
                "dynamic_partitioning_configuration": {"enabled": True, "retry_duration": 300},
                "processing_configuration": {
                    "enabled": True,
                    "processors": [
                        {
                            "type": "Lambda",
                            "parameters": [
                                {
                                    "parameterName": "LambdaArn",
                                    "parameterValue": "arn:aws:lambda:us-east-1:111122223333:function:enrich-clicks:$LATEST",
                                },
                                {"parameterName": "BufferSizeInMBs", "parameterValue": "1"},
                            ],
                        },
                        {"type": "AppendDelimiterToRecord"},
                    ],
                },
            },
        )

        KinesisFirehoseDeliveryStream(
            self,
            "direct-put",
            name="clickstream-direct-put",
            destination="extended_s3",
            server_side_encryption={"enabled": True, "key_type": "AWS_OWNED_CMK"},
            extended_s3_configuration={"role_arn": role.arn, "bucket_arn": lake.arn, "prefix": "direct/"},
        )
