"""A VPC with two subnets across the zones the region has."""

import cdktf
from constructs import Construct
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_aws import subnet
from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones


class NetworkStack(cdktf.TerraformStack):
    def __init__(self, scope: Construct, name: str, region: str):
        super().__init__(scope, name)
        AwsProvider(self, "aws", region=region)
        cdktf.S3Backend(self, bucket="acme-terraform-state", key=f"{name}.tfstate", region=region)
        zones = DataAwsAvailabilityZones(self, "zones", state="available")
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", enable_dns_hostnames=True, tags={"Name": name})
        self.subnets = [
            subnet.Subnet(
                self,
                f"private-{number}",
                vpc_id=self.vpc.id,
                cidr_block=f"10.0.{number}.0/24",
                availability_zone=cdktf.Fn.element(zones.names, number),
            )
            for number in range(2)
        ]
        cdktf.TerraformOutput(self, "vpc_id", value=self.vpc.id)
