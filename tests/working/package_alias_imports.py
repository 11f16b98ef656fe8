"""The provider package imported whole, under an alias and by its full name.

Correct idioms exercised:
- ``import cdktf_cdktf_provider_aws as aws`` then ``aws.provider.AwsProvider``,
  ``aws.sqs_queue.SqsQueue``, ``aws.lambda_function.LambdaFunction`` and struct classes
  such as ``aws.lambda_function.LambdaFunctionEnvironment`` (the package root imports every
  submodule, so attribute access works);
- ``import cdktf_cdktf_provider_aws`` then the fully qualified
  ``cdktf_cdktf_provider_aws.sns_topic.SnsTopic``;
- ``import cdktf_cdktf_provider_aws.lambda_event_source_mapping as esm`` (a submodule
  imported under an alias);
- dicts with the right key styles passed through these qualified calls.
"""

import cdktf_cdktf_provider_aws
import cdktf_cdktf_provider_aws as aws
import cdktf_cdktf_provider_aws.lambda_event_source_mapping as esm
from cdktf import TerraformOutput, TerraformStack
from constructs import Construct


class IngestStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        aws.provider.AwsProvider(self, "aws", region="ca-central-1")

        topic = cdktf_cdktf_provider_aws.sns_topic.SnsTopic(self, "ingest-events", name="ingest-events")
        queue = aws.sqs_queue.SqsQueue(
            self,
            "ingest-queue",
            name="ingest",
            visibility_timeout_seconds=300,
            sqs_managed_sse_enabled=True,
        )
        role = aws.iam_role.IamRole(
            self,
            "ingest-role",
            name="ingest-handler",
            assume_role_policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
        )
        handler = aws.lambda_function.LambdaFunction(
            self,
            "ingest-handler",
            function_name="ingest-handler",
            role=role.arn,
            runtime="python3.12",
            handler="handler.main",
            s3_bucket="acme-artifacts",
            s3_key="ingest/handler-1.2.0.zip",
            timeout=60,
            environment=aws.lambda_function.LambdaFunctionEnvironment(variables={"TOPIC_ARN": topic.arn}),
            tracing_config={"mode": "PassThrough"},
        )
        esm.LambdaEventSourceMapping(
            self,
            "ingest-trigger",
            event_source_arn=queue.arn,
            function_name=handler.arn,
            batch_size=25,
            filter_criteria={"filter": [{"pattern": '{"body": {"type": ["ingest"]}}'}]},
        )
        aws.cloudwatch_log_group.CloudwatchLogGroup(
            self, "ingest-logs", name="/aws/lambda/ingest-handler", retention_in_days=14
        )

        TerraformOutput(self, "queue_url", value=queue.url)
