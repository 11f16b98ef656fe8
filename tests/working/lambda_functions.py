"""Lambda functions in a VPC, fed by SQS, with an alias, a function URL and async destinations.

Correct idioms exercised:
- single nested blocks as snake_case dicts: ``vpc_config`` (two multi-word keys),
  ``environment`` with its ``variables`` map, ``tracing_config``, ``dead_letter_config``,
  ``ephemeral_storage``, ``logging_config``, a function URL ``cors`` block;
- nested single blocks in a single block (``destination_config`` -> ``on_failure``);
- ``TerraformAsset`` of a directory with ``AssetType.ARCHIVE`` (zips the folder), its
  ``.path`` passed as ``filename``, and ``Fn.filebase64sha256`` for a prebuilt zip;
- a parameter of a helper function named like the provider module (``lambda_function``);
- numbers for ``memory_size``, ``timeout``, ``batch_size``.
"""

import os

from constructs import Construct
from cdktf import AssetType, Fn, TerraformAsset, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.lambda_alias import LambdaAlias
from cdktf_cdktf_provider_aws.lambda_event_source_mapping import LambdaEventSourceMapping
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.lambda_function_event_invoke_config import LambdaFunctionEventInvokeConfig
from cdktf_cdktf_provider_aws.lambda_function_url import LambdaFunctionUrl
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue

ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets")
LAMBDA_TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
    '"Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
)


def attach_managed(scope: Construct, name: str, role: IamRole, *arns: str) -> None:
    for index, arn in enumerate(arns):
        IamRolePolicyAttachment(scope, f"{name}-policy-{index}", role=role.name, policy_arn=arn)


def log_group_for(scope: Construct, lambda_function: str) -> CloudwatchLogGroup:
    return CloudwatchLogGroup(
        scope, f"{lambda_function}-logs", name=f"/aws/lambda/{lambda_function}", retention_in_days=14
    )


class LambdaStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")

        role = IamRole(self, "worker-role", name="thumbnail-worker", assume_role_policy=LAMBDA_TRUST)
        attach_managed(
            self,
            "worker",
            role,
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
        )

        sg = SecurityGroup(self, "worker-sg", name="thumbnail-worker", vpc_id="vpc-0a1b2c3d4e5f67890")
        dlq = SqsQueue(self, "worker-dlq", name="thumbnail-dlq", message_retention_seconds=1209600)
        jobs = SqsQueue(
            self,
            "jobs",
            name="thumbnail-jobs",
            visibility_timeout_seconds=180,
            redrive_policy=Fn.jsonencode({"deadLetterTargetArn": dlq.arn, "maxReceiveCount": 5}),
        )

        code = TerraformAsset(self, "thumbnailer-code", path=os.path.join(ASSETS, "thumbnailer"), type=AssetType.ARCHIVE)
        logs = log_group_for(self, "thumbnailer")

        worker = LambdaFunction(
            self,
            "thumbnailer",
            function_name="thumbnailer",
            role=role.arn,
            runtime="nodejs20.x",
            handler="index.handler",
            filename=code.path,
            source_code_hash=code.asset_hash,
            memory_size=1024,
            timeout=60,
            publish=True,
            architectures=["arm64"],
            vpc_config={
                "subnet_ids": ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"],
                "security_group_ids": [sg.id],
            },
            environment={"variables": {"OUTPUT_PREFIX": "thumbs/", "LOG_LEVEL": "info"}},
            tracing_config={"mode": "Active"},
            dead_letter_config={"target_arn": dlq.arn},
            ephemeral_storage={"size": 2048},
            logging_config={"log_format": "JSON", "log_group": logs.name, "application_log_level": "INFO"},
            depends_on=[logs],
        )

        live = LambdaAlias(
            self,
            "thumbnailer-live",
            name="live",
            function_name=worker.function_name,
            function_version=worker.version,
        )

        LambdaEventSourceMapping(
            self,
            "jobs-to-worker",
            event_source_arn=jobs.arn,
            function_name=live.arn,
            batch_size=10,
            maximum_batching_window_in_seconds=5,
            function_response_types=["ReportBatchItemFailures"],
            scaling_config={"maximum_concurrency": 20},
        )

        LambdaFunctionEventInvokeConfig(
            self,
            "thumbnailer-async",
            function_name=worker.function_name,
            qualifier=live.name,
            maximum_retry_attempts=1,
            destination_config={"on_failure": {"destination": dlq.arn}},
        )

        LambdaFunctionUrl(
            self,
            "thumbnailer-url",
            function_name=worker.function_name,
            qualifier=live.name,
            authorization_type="AWS_IAM",
            cors={"allow_origins": ["https://app.example.com"], "allow_methods": ["GET"], "max_age": 300},
        )

        reporter_logs = log_group_for(self, "thumbnail-reporter")
        LambdaFunction(
            self,
            "reporter",
            function_name="thumbnail-reporter",
            role=role.arn,
            runtime="python3.12",
            handler="app.handler",
            filename="build/reporter.zip",
            source_code_hash=Fn.filebase64sha256("build/reporter.zip"),
            timeout=30,
            environment={"variables": {"QUEUE_URL": jobs.url}},
            depends_on=[reporter_logs],
        )
