"""Security groups for a web tier, an app tier and a database tier.

Correct idioms exercised:
- inline ``ingress`` / ``egress`` lists of dicts with jsii camelCase keys (``fromPort``,
  ``cidrBlocks``, ``securityGroups``, ``selfAttribute``, ``ipv6CidrBlocks``);
- explicit struct classes (SecurityGroupIngress, SecurityGroupEgress) mixed with dicts in the
  same list;
- a module-level constant list of rule dicts and a helper that returns one rule dict;
- standalone rules: SecurityGroupRule (``type="ingress"``) and
  VpcSecurityGroupIngressRule / VpcSecurityGroupEgressRule (``ip_protocol``, ``cidr_ipv4``);
- numbers for ports, ``"-1"`` as the all-protocols string.
"""

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupEgress, SecurityGroupIngress
from cdktf_cdktf_provider_aws.security_group_rule import SecurityGroupRule
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_aws.vpc_security_group_egress_rule import VpcSecurityGroupEgressRule
from cdktf_cdktf_provider_aws.vpc_security_group_ingress_rule import VpcSecurityGroupIngressRule

ALLOW_ALL_EGRESS = [
    {
        "description": "all outbound",
        "fromPort": 0,
        "toPort": 0,
        "protocol": "-1",
        "cidrBlocks": ["0.0.0.0/0"],
        "ipv6CidrBlocks": ["::/0"],
    }
]


def tcp_from(port: int, source_group_id: str, description: str) -> dict:
    return {
        "description": description,
        "fromPort": port,
        "toPort": port,
        "protocol": "tcp",
        "securityGroups": [source_group_id],
    }


class SecurityGroupsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-west-2")
        vpc = Vpc(self, "vpc", cidr_block="10.30.0.0/16")

        web = SecurityGroup(
            self,
            "web-sg",
            name="web",
            description="Public HTTPS",
            vpc_id=vpc.id,
            ingress=[
                {"description": "https", "fromPort": 443, "toPort": 443, "protocol": "tcp", "cidrBlocks": ["0.0.0.0/0"]},
                SecurityGroupIngress(
                    description="http redirect",
                    from_port=80,
                    to_port=80,
                    protocol="tcp",
                    cidr_blocks=["0.0.0.0/0"],
                ),
            ],
            egress=ALLOW_ALL_EGRESS,
            tags={"Name": "web"},
        )

        app = SecurityGroup(
            self,
            "app-sg",
            name="app",
            description="App servers behind the load balancer",
            vpc_id=vpc.id,
            ingress=[
                tcp_from(8080, web.id, "from the load balancer"),
                {"description": "cluster gossip", "fromPort": 7946, "toPort": 7946, "protocol": "tcp", "selfAttribute": True},
            ],
            egress=[
                SecurityGroupEgress(from_port=0, to_port=0, protocol="-1", cidr_blocks=["0.0.0.0/0"]),
            ],
            tags={"Name": "app"},
        )

        db = SecurityGroup(
            self,
            "db-sg",
            name="db",
            description="PostgreSQL from the app tier",
            vpc_id=vpc.id,
            tags={"Name": "db"},
        )
        SecurityGroupRule(
            self,
            "db-from-app",
            type="ingress",
            from_port=5432,
            to_port=5432,
            protocol="tcp",
            security_group_id=db.id,
            source_security_group_id=app.id,
            description="PostgreSQL from app",
        )
        SecurityGroupRule(
            self,
            "db-from-bastion-cidr",
            type="ingress",
            from_port=5432,
            to_port=5432,
            protocol="tcp",
            security_group_id=db.id,
            cidr_blocks=["10.30.250.0/28"],
        )

        monitoring = SecurityGroup(self, "monitoring-sg", name="monitoring", vpc_id=vpc.id)
        for port in (9100, 9090):
            VpcSecurityGroupIngressRule(
                self,
                f"monitoring-{port}",
                security_group_id=monitoring.id,
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                cidr_ipv4="10.30.0.0/16",
                tags={"Port": str(port)},
            )
        VpcSecurityGroupEgressRule(
            self,
            "monitoring-egress",
            security_group_id=monitoring.id,
            ip_protocol="-1",
            cidr_ipv4="0.0.0.0/0",
        )
