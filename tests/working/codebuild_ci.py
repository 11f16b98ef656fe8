"""CI build project on CodeBuild with a webhook, caching and VPC access.

Correct idioms exercised:
- required single blocks as snake_case dicts: ``artifacts``, ``environment``, ``source``;
- a list of blocks inside a single-block dict, written in camelCase:
  ``environment`` -> ``environment_variable`` -> ``[{"name", "value", "type"}]`` (single
  words) built by a comprehension;
- ``logs_config`` -> ``cloudwatch_logs`` / ``s3_logs`` (nested snake_case dicts),
  ``cache`` with a ``modes`` list, ``vpc_config`` snake_case;
- webhook ``filter_group`` -> ``filter`` lists of dicts with camelCase keys
  (``excludeMatchedPattern``) two levels deep;
- ``buildspec`` as a YAML string; numbers for ``build_timeout`` and ``git_clone_depth``.
"""

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.codebuild_project import CodebuildProject
from cdktf_cdktf_provider_aws.codebuild_webhook import CodebuildWebhook
from cdktf_cdktf_provider_aws.provider import AwsProvider

BUILDSPEC = """version: 0.2
phases:
  install:
    runtime-versions:
      python: 3.12
  build:
    commands:
      - pip install -r requirements.txt
      - pytest -q
"""
BUILD_ENV = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "APP_ENV": "ci"}


class CiStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")

        project = CodebuildProject(
            self,
            "tests",
            name="orders-tests",
            description="Unit tests on every pull request",
            service_role="arn:aws:iam::111122223333:role/codebuild-orders",
            build_timeout=20,
            source={
                "type": "GITHUB",
                "location": "https://github.com/example/orders.git",
                "git_clone_depth": 1,
                "buildspec": BUILDSPEC,
                "report_build_status": True,
            },
            artifacts={"type": "NO_ARTIFACTS"},
            environment={
                "compute_type": "BUILD_GENERAL1_SMALL",
                "image": "aws/codebuild/amazonlinux2-aarch64-standard:3.0",
                "type": "ARM_CONTAINER",
                "image_pull_credentials_type": "CODEBUILD",
                "environment_variable": [
                    {"name": name, "value": value, "type": "PLAINTEXT"} for name, value in BUILD_ENV.items()
                ]
                + [{"name": "SONAR_TOKEN", "value": "/ci/sonar-token", "type": "PARAMETER_STORE"}],
            },
            cache={"type": "LOCAL", "modes": ["LOCAL_SOURCE_CACHE", "LOCAL_DOCKER_LAYER_CACHE"]},
            logs_config={
                "cloudwatch_logs": {"group_name": "/codebuild/orders-tests", "status": "ENABLED"},
                "s3_logs": {"status": "DISABLED"},
            },
            vpc_config={
                "vpc_id": "vpc-0123456789abcdef0",
                "subnets": ["subnet-0c3c3c3c3c3c3c3c3"],
                "security_group_ids": ["sg-0ee55ff66aa77bb88"],
            },
        )

        CodebuildWebhook(
            self,
            "tests-webhook",
            project_name=project.name,
            build_type="BUILD",
            filter_group=[
                {
                    "filter": [
                        {"type": "EVENT", "pattern": "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED"},
                        {"type": "BASE_REF", "pattern": "^refs/heads/main$"},
                        {"type": "FILE_PATH", "pattern": "^docs/", "excludeMatchedPattern": True},
                    ]
                }
            ],
        )
