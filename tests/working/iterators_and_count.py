"""Runtime iteration: for_each over variables, dynamic blocks, count and locals.

Correct idioms exercised:
- ``TerraformIterator.from_list`` / ``from_map`` with ``for_each=`` and
  ``iterator.value`` / ``iterator.key`` / ``iterator.get_string(...)``;
- ``iterator.dynamic({...})`` for repeated blocks: its keys are Terraform's own snake_case
  names at every level (``abort_incomplete_multipart_upload`` /
  ``days_after_initiation``, ``from_port``), unlike a plain list of dicts;
- ``Token.as_string`` around iterator values and ``count.index`` used in strings and f-strings;
- ``count`` with ``TerraformCount.of`` and ``count.index``; ``Fn.element``,
  ``Fn.cidrsubnet``, ``Fn.lookup`` and ``Fn.length_of``;
- TerraformLocal holding a map; TerraformVariable of map type with a default dict.
"""

from constructs import Construct
from cdktf import (
    Fn,
    TerraformCount,
    TerraformIterator,
    TerraformLocal,
    TerraformOutput,
    TerraformStack,
    TerraformVariable,
    Token,
)
from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones
from cdktf_cdktf_provider_aws.iam_user import IamUser
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc


class IteratorStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-west-2")

        bucket_names = TerraformVariable(
            self, "bucket_names", type="list(string)", default=["raw", "curated", "published"]
        )
        team_emails = TerraformVariable(
            self,
            "team_emails",
            type="map(string)",
            default={"alice": "alice@example.com", "bob": "bob@example.com"},
        )
        open_ports = TerraformVariable(self, "open_ports", type="list(number)", default=[80, 443])
        settings = TerraformLocal(self, "settings", {"retention": 30, "environment": "staging"})

        names = TerraformIterator.from_list(bucket_names.list_value)
        buckets = S3Bucket(
            self,
            "data-buckets",
            for_each=names,
            bucket=f"acme-{Token.as_string(names.value)}-staging",
            tags={
                "Layer": Token.as_string(names.value),
                "Environment": Fn.lookup(settings.as_any_map, "environment", "dev"),
            },
        )

        bucket_ids = TerraformIterator.from_resources(buckets)
        S3BucketLifecycleConfiguration(
            self,
            "data-lifecycle",
            for_each=bucket_ids,
            bucket=bucket_ids.get_string("id"),
            rule=names.dynamic(
                {
                    "id": names.value,
                    "status": "Enabled",
                    "filter": [{"prefix": f"{Token.as_string(names.value)}/"}],
                    "expiration": [{"days": 30}],
                    "abort_incomplete_multipart_upload": [{"days_after_initiation": 7}],
                }
            ),
        )

        people = TerraformIterator.from_map(Token.as_string_map(team_emails.value))
        IamUser(
            self, "team", for_each=people, name=Token.as_string(people.key), tags={"Email": Token.as_string(people.value)}
        )

        vpc = Vpc(self, "vpc", cidr_block="10.50.0.0/16")
        azs = DataAwsAvailabilityZones(self, "azs", state="available")
        subnet_count = TerraformCount.of(Fn.length_of(azs.names))
        Subnet(
            self,
            "subnets",
            count=subnet_count,
            vpc_id=vpc.id,
            availability_zone=Fn.element(azs.names, subnet_count.index),
            cidr_block=Fn.cidrsubnet(vpc.cidr_block, 8, subnet_count.index),
            tags={"Name": f"staging-{Token.as_string(subnet_count.index)}"},
        )

        ports = TerraformIterator.from_list(open_ports.list_value)
        SecurityGroup(
            self,
            "web",
            name="staging-web",
            vpc_id=vpc.id,
            ingress=ports.dynamic(
                {"from_port": ports.value, "to_port": ports.value, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}
            ),
        )

        TerraformOutput(self, "bucket_arns", value=bucket_ids.pluck_property("arn"))
