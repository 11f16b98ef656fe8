"""Three-tier VPC: public, private and isolated subnets across availability zones.

Correct idioms exercised:
- subnets created in a loop from a module-level plan dict, availability zones picked with
  ``Fn.element`` on the token list (never ``azs.names[i]``);
- route tables with inline routes as a list of dicts with jsii camelCase keys
  (``cidrBlock``, ``gatewayId``, ``natGatewayId``);
- ``Eip(domain="vpc")`` (the current argument), NAT gateway with ``depends_on``;
- a VPC endpoint with a single nested block as a snake_case dict (``dns_options``) and a
  flow log with ``destination_options`` as a snake_case dict;
- tags merged from a shared dict with ``{**COMMON_TAGS, ...}``.
"""

from constructs import Construct
from cdktf import Fn, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones
from cdktf_cdktf_provider_aws.eip import Eip
from cdktf_cdktf_provider_aws.flow_log import FlowLog
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
from cdktf_cdktf_provider_aws.nat_gateway import NatGateway
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.route_table import RouteTable
from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint

COMMON_TAGS = {"Project": "orders", "ManagedBy": "cdktf"}

# tier -> list of CIDR blocks, one per availability zone
SUBNET_PLAN = {
    "public": ["10.20.0.0/24", "10.20.1.0/24"],
    "private": ["10.20.10.0/24", "10.20.11.0/24"],
    "isolated": ["10.20.20.0/24", "10.20.21.0/24"],
}


class NetworkStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-central-1")
        azs = DataAwsAvailabilityZones(self, "azs", state="available")

        vpc = Vpc(
            self,
            "vpc",
            cidr_block="10.20.0.0/16",
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={**COMMON_TAGS, "Name": "orders-vpc"},
        )
        igw = InternetGateway(self, "igw", vpc_id=vpc.id, tags={**COMMON_TAGS, "Name": "orders-igw"})

        subnets: dict[str, list[Subnet]] = {}
        for tier, cidrs in SUBNET_PLAN.items():
            subnets[tier] = [
                Subnet(
                    self,
                    f"{tier}-{index}",
                    vpc_id=vpc.id,
                    cidr_block=cidr,
                    availability_zone=Fn.element(azs.names, index),
                    map_public_ip_on_launch=tier == "public",
                    tags={**COMMON_TAGS, "Name": f"orders-{tier}-{index}", "Tier": tier},
                )
                for index, cidr in enumerate(cidrs)
            ]

        public_rt = RouteTable(
            self,
            "public-rt",
            vpc_id=vpc.id,
            route=[{"cidrBlock": "0.0.0.0/0", "gatewayId": igw.id}],
            tags={**COMMON_TAGS, "Name": "orders-public"},
        )
        for index, subnet in enumerate(subnets["public"]):
            RouteTableAssociation(self, f"public-assoc-{index}", subnet_id=subnet.id, route_table_id=public_rt.id)

        nat_eip = Eip(self, "nat-eip", domain="vpc", tags=COMMON_TAGS)
        nat = NatGateway(
            self,
            "nat",
            allocation_id=nat_eip.id,
            subnet_id=subnets["public"][0].id,
            depends_on=[igw],
            tags={**COMMON_TAGS, "Name": "orders-nat"},
        )
        private_rt = RouteTable(
            self,
            "private-rt",
            vpc_id=vpc.id,
            route=[{"cidrBlock": "0.0.0.0/0", "natGatewayId": nat.id}],
            tags={**COMMON_TAGS, "Name": "orders-private"},
        )
        isolated_rt = RouteTable(self, "isolated-rt", vpc_id=vpc.id, tags={**COMMON_TAGS, "Name": "orders-isolated"})
        for tier, table in (("private", private_rt), ("isolated", isolated_rt)):
            for index, subnet in enumerate(subnets[tier]):
                RouteTableAssociation(self, f"{tier}-assoc-{index}", subnet_id=subnet.id, route_table_id=table.id)

        VpcEndpoint(
            self,
            "s3-endpoint",
            vpc_id=vpc.id,
            service_name="com.amazonaws.eu-central-1.s3",
            vpc_endpoint_type="Gateway",
            route_table_ids=[private_rt.id, isolated_rt.id],
        )
        VpcEndpoint(
            self,
            "sts-endpoint",
            vpc_id=vpc.id,
            service_name="com.amazonaws.eu-central-1.sts",
            vpc_endpoint_type="Interface",
            subnet_ids=[s.id for s in subnets["private"]],
            private_dns_enabled=True,
            dns_options={"dns_record_ip_type": "ipv4"},
        )

        flow_logs = CloudwatchLogGroup(self, "flow-logs", name="/vpc/orders/flow-logs", retention_in_days=30)
        flow_role = IamRole(
            self,
            "flow-logs-role",
            name="orders-vpc-flow-logs",
            assume_role_policy=Fn.jsonencode(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )
        IamRolePolicy(
            self,
            "flow-logs-policy",
            role=flow_role.id,
            policy=Fn.jsonencode(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            "Resource": f"{flow_logs.arn}:*",
                        }
                    ],
                }
            ),
        )
        FlowLog(
            self,
            "vpc-flow-log",
            vpc_id=vpc.id,
            traffic_type="ALL",
            log_destination=flow_logs.arn,
            log_destination_type="cloud-watch-logs",
            iam_role_arn=flow_role.arn,
            max_aggregation_interval=60,
        )
        FlowLog(
            self,
            "vpc-flow-log-s3",
            vpc_id=vpc.id,
            traffic_type="REJECT",
            log_destination="arn:aws:s3:::orders-flow-logs-archive",
            log_destination_type="s3",
            destination_options={"file_format": "parquet", "per_hour_partition": True},
        )

        TerraformOutput(self, "vpc_id", value=vpc.id)
        TerraformOutput(self, "private_subnet_ids", value=[s.id for s in subnets["private"]])
