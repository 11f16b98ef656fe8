"""Telemetry ingestion: Kinesis, Timestream, and an alarm topic.

Written the way a model writes it (the import failures of seed 004): Timestream modules and
classes spelt the CloudFormation way, the `A` suffix missing, and service pseudo-modules.
"""
from constructs import Construct
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.kinesis_stream import KinesisStream
from cdktf_cdktf_provider_aws.timestream_write_database import TimestreamWriteDatabase
from cdktf_cdktf_provider_aws.timestream_write_table import TimestreamWriteTable
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning
from cdktf_cdktf_provider_aws import kms, sns


class IotPipelineStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "dev"):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-1")

        key = kms.KmsKey(self, "telemetry_key", description="telemetry", enable_key_rotation=True)

        KinesisStream(
            self,
            "telemetry_stream",
            name=f"telemetry-{environment_suffix}",
            shard_count=2,
            encryption_type="KMS",
            kms_key_id=key.key_id,
        )

        database = TimestreamWriteDatabase(
            self,
            "telemetry_db",
            database_name=f"telemetry_{environment_suffix}",
            kms_key_id=key.arn,
        )
        TimestreamWriteTable(
            self,
            "readings",
            database_name=database.database_name,
            table_name="readings",
        )

        archive = S3Bucket(self, "archive", bucket_prefix=f"telemetry-archive-{environment_suffix}-")
        S3BucketVersioning(
            self,
            "archive_versioning",
            bucket=archive.id,
            versioning_configuration={"status": "Enabled"},
        )

        sns.SnsTopic(self, "alarms", name=f"telemetry-alarms-{environment_suffix}", kms_master_key_id=key.id)


if __name__ == "__main__":
    app = App()
    IotPipelineStack(app, "iot-pipeline")
    app.synth()
