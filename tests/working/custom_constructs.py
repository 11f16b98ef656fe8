"""Custom constructs whose names equal provider classes, and dicts built the long way.

Correct idioms exercised:
- a project construct named ``LambdaFunction`` (a wrapper with its own keywords ``memory``,
  ``source_bucket``, ``env``) while the provider class is reached as
  ``aws_lambda.LambdaFunction`` through a module alias; a project construct named ``Bucket``;
- constructs created with keyword arguments ``scope=`` / ``id_=``;
- a rule dict bound to a variable and then mutated (``rule["expiration"] = [...]``) before
  it is passed: it must stay a dict;
- ``dict(...)`` calls instead of literals (``dict(hashKey=..., projectionType=...)`` in a
  list of blocks);
- TerraformHclModule ``variables`` with the module's own snake_case input names, a
  TerraformOutput whose value is a dict, ``provisioners`` given as dicts
  (``{"type": "local-exec", "command": ...}``).
"""

from constructs import Construct
from cdktf import TerraformHclModule, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws import lambda_function as aws_lambda
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable
from cdktf_cdktf_provider_aws.instance import Instance
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration


class Bucket(Construct):
    """A bucket with the team's lifecycle defaults."""

    def __init__(self, scope: Construct, id: str, *, prefix: str, expire_days: int | None = None):
        super().__init__(scope, id)
        self.resource = S3Bucket(scope=self, id_="bucket", bucket_prefix=prefix)
        rule = {"id": "defaults", "status": "Enabled", "filter": [{"prefix": ""}]}
        if expire_days:
            rule["expiration"] = [{"days": expire_days}]
        rule["abortIncompleteMultipartUpload"] = [{"daysAfterInitiation": 2}]
        S3BucketLifecycleConfiguration(self, "lifecycle", bucket=self.resource.id, rule=[rule])


class LambdaFunction(Construct):
    """The team's Lambda wrapper: fixed runtime, role passed in, code from the artifact bucket."""

    def __init__(self, scope: Construct, id: str, *, role_arn: str, source_bucket: str, memory: int = 512, env=None):
        super().__init__(scope, id)
        self.function = aws_lambda.LambdaFunction(
            self,
            "function",
            function_name=id,
            role=role_arn,
            runtime="python3.12",
            handler="app.handler",
            s3_bucket=source_bucket,
            s3_key=f"{id}/latest.zip",
            memory_size=memory,
            environment={"variables": env or {}},
        )


class CustomConstructStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")

        artifacts = Bucket(self, "artifacts", prefix="artifacts-")
        Bucket(self, "scratch", prefix="scratch-", expire_days=3)

        jobs = DynamodbTable(
            self,
            "jobs",
            name="jobs",
            billing_mode="PAY_PER_REQUEST",
            hash_key="jobId",
            attribute=[dict(name="jobId", type="S"), dict(name="status", type="S")],
            global_secondary_index=[dict(name="by-status", hashKey="status", projectionType="ALL")],
        )

        worker = LambdaFunction(
            self,
            "job-worker",
            role_arn="arn:aws:iam::111122223333:role/job-worker",
            source_bucket=artifacts.resource.bucket,
            memory=1024,
            env={"TABLE": jobs.name},
        )

        TerraformHclModule(
            self,
            "network",
            source="terraform-aws-modules/vpc/aws",
            version="5.8.1",
            variables={
                "name": "jobs",
                "cidr": "10.80.0.0/16",
                "azs": ["eu-west-1a", "eu-west-1b"],
                "private_subnets": ["10.80.1.0/24", "10.80.2.0/24"],
                "public_subnets": ["10.80.101.0/24", "10.80.102.0/24"],
                "enable_nat_gateway": True,
                "single_nat_gateway": True,
            },
        )

        Instance(
            self,
            "runner",
            ami="ami-0123456789abcdef0",
            instance_type="t4g.small",
            provisioners=[{"type": "local-exec", "command": "echo ${self.private_ip} >> runners.txt"}],
        )

        TerraformOutput(
            self,
            "worker",
            value={"function_name": worker.function.function_name, "table_arn": jobs.arn},
        )
