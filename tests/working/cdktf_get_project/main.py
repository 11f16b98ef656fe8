"""A project that generates its provider bindings with ``cdktf get`` (``imports/aws``).

Correct idioms exercised (the layout of HashiCorp's own Python examples):
- ``cdktf.json`` declares ``"terraformProviders": ["aws@~> 5.0"]`` and ``cdktf get`` writes
  the bindings to ``imports/`` (git-ignored, so absent from a checkout);
- ``from imports.aws.<module> import <Class>`` for every provider class: these imports are
  right for this project and must not be moved to ``cdktf_cdktf_provider_aws``;
- the App entry point at module level, as ``cdktf init`` generates it.

This folder is not synthesized by tests/test_working_synth.py: without ``cdktf get``
(network access and the Terraform CLI) there is no ``imports`` package to import.
"""

from constructs import Construct
from cdktf import App, TerraformOutput, TerraformStack
from imports.aws.dynamodb_table import DynamodbTable
from imports.aws.provider import AwsProvider
from imports.aws.s3_bucket import S3Bucket
from imports.aws.s3_bucket_versioning import S3BucketVersioningA
from imports.aws.sns_topic import SnsTopic


class MyStack(TerraformStack):
    def __init__(self, scope: Construct, ns: str):
        super().__init__(scope, ns)

        AwsProvider(self, "aws", region="eu-central-1")

        bucket = S3Bucket(self, "uploads", bucket_prefix="uploads-")
        S3BucketVersioningA(
            self,
            "uploads-versioning",
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled"},
        )
        DynamodbTable(
            self,
            "uploads-index",
            name="uploads-index",
            billing_mode="PAY_PER_REQUEST",
            hash_key="key",
            attribute=[{"name": "key", "type": "S"}],
            point_in_time_recovery={"enabled": True},
        )
        topic = SnsTopic(self, "uploads-topic", display_name="uploads")

        TerraformOutput(self, "bucket", value=bucket.bucket)
        TerraformOutput(self, "topic_arn", value=topic.arn)


app = App()
MyStack(app, "uploads")
app.synth()
