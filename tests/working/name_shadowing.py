"""Names that equal provider module or class names, in scopes where they mean something else.

Correct idioms exercised:
- a provider instance bound to ``aws`` (the usual alias of the provider package), a
  module-level settings dict named ``VPC``, a parameter named ``vpc`` holding a Vpc resource
  and one named ``rds`` holding a DbInstance;
- locals named ``bucket``, ``subnet``, ``s3_bucket``, ``security_group``, ``kms_key``
  (module names of the provider) holding resources;
- a helper function named ``lambda_function`` and one named ``iam_role``;
- a class attribute ``self.vpc`` and a method ``subnet_ids``;
- a dict key ``"provider"`` and ``"count"`` in plain data that is not a meta-argument.
"""

from constructs import Construct
from cdktf import Fn, TerraformStack
from cdktf_cdktf_provider_aws.db_instance import DbInstance
from cdktf_cdktf_provider_aws.db_subnet_group import DbSubnetGroup
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_object import S3Object
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc

VPC = {"cidr": "10.60.0.0/16", "subnets": {"a": "10.60.1.0/24", "b": "10.60.2.0/24"}}
SERVICE_CATALOG = {"provider": "internal", "count": 3, "tier": "gold"}


def iam_role(scope: Construct, name: str) -> IamRole:
    return IamRole(
        scope,
        f"{name}-role",
        name=name,
        assume_role_policy=Fn.jsonencode(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )


def lambda_function(scope: Construct, name: str, vpc: Vpc, rds: DbInstance, subnet_ids: list[str]) -> LambdaFunction:
    security_group = SecurityGroup(scope, f"{name}-sg", name=name, vpc_id=vpc.id)
    return LambdaFunction(
        scope,
        name,
        function_name=name,
        role=iam_role(scope, name).arn,
        runtime="python3.12",
        handler="main.handler",
        filename=f"dist/{name}.zip",
        environment={"variables": {"DB_HOST": rds.address, "DB_PORT": Fn.tostring(rds.port)}},
        vpc_config={"subnet_ids": subnet_ids, "security_group_ids": [security_group.id]},
    )


class ShadowingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        aws = AwsProvider(self, "aws", region="eu-west-3")

        self.vpc = Vpc(self, "vpc", cidr_block=VPC["cidr"], provider=aws)
        self.subnets = []
        for zone, cidr in VPC["subnets"].items():
            subnet = Subnet(self, f"subnet-{zone}", vpc_id=self.vpc.id, cidr_block=cidr, availability_zone=f"eu-west-3{zone}")
            self.subnets.append(subnet)

        kms_key = KmsKey(self, "reports-key", description="reports", enable_key_rotation=True)
        s3_bucket = S3Bucket(self, "reports", bucket_prefix="reports-")
        bucket = s3_bucket
        S3Object(
            self,
            "catalog",
            bucket=bucket.id,
            key="catalog.json",
            content=Fn.jsonencode(SERVICE_CATALOG),
            content_type="application/json",
            kms_key_id=kms_key.arn,
        )

        db_subnet_group = DbSubnetGroup(self, "db-subnets", name="reports", subnet_ids=self.subnet_ids())
        rds = DbInstance(
            self,
            "reports-db",
            identifier="reports",
            engine="mysql",
            engine_version="8.0",
            instance_class="db.t4g.micro",
            allocated_storage=20,
            username="reports",
            manage_master_user_password=True,
            db_subnet_group_name=db_subnet_group.name,
            skip_final_snapshot=True,
        )
        lambda_function(self, "report-builder", self.vpc, rds, self.subnet_ids())

    def subnet_ids(self) -> list[str]:
        return [subnet.id for subnet in self.subnets]
