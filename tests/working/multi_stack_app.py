"""A complete app module: two stacks in one file, remote state between them, an entry point.

Correct idioms exercised:
- ``App()`` and ``app.synth()`` under ``if __name__ == "__main__":`` (the module is also
  importable), stacks instantiated with ``(app, "name")``;
- DataTerraformRemoteStateS3 read with ``get_string`` and ``Fn.element(get_list(...), 0)``
  (no cross-stack Python references);
- a NetworkAcl with ``ingress`` / ``egress`` lists of dicts in camelCase (``ruleNo``,
  ``fromPort``, ``cidrBlock``) and a VPC peering connection with ``accepter`` /
  ``requester`` snake_case dicts;
- ``S3Backend`` per stack, TerraformOutput values read by the other stack.
"""

from constructs import Construct
from cdktf import App, DataTerraformRemoteStateS3, Fn, S3Backend, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.instance import Instance
from cdktf_cdktf_provider_aws.network_acl import NetworkAcl
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_aws.vpc_peering_connection import VpcPeeringConnection

STATE_BUCKET = "acme-terraform-state"


def nacl_rules(cidr: str) -> list[dict]:
    return [
        {"ruleNo": 100, "action": "allow", "protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlock": "0.0.0.0/0"},
        {"ruleNo": 110, "action": "allow", "protocol": "tcp", "fromPort": 1024, "toPort": 65535, "cidrBlock": "0.0.0.0/0"},
        {"ruleNo": 200, "action": "allow", "protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlock": cidr},
    ]


class CoreNetworkStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        S3Backend(self, bucket=STATE_BUCKET, key="core-network.tfstate", region="eu-west-1")
        AwsProvider(self, "aws", region="eu-west-1")

        vpc = Vpc(self, "core", cidr_block="10.70.0.0/16", enable_dns_hostnames=True)
        app_subnet = Subnet(self, "core-app", vpc_id=vpc.id, cidr_block="10.70.1.0/24")
        NetworkAcl(
            self,
            "core-app-nacl",
            vpc_id=vpc.id,
            subnet_ids=[app_subnet.id],
            ingress=nacl_rules("10.70.0.0/16"),
            egress=[{"ruleNo": 100, "action": "allow", "protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlock": "0.0.0.0/0"}],
        )
        VpcPeeringConnection(
            self,
            "core-to-shared",
            vpc_id=vpc.id,
            peer_vpc_id="vpc-0shared000000000a",
            auto_accept=True,
            accepter={"allow_remote_vpc_dns_resolution": True},
            requester={"allow_remote_vpc_dns_resolution": True},
        )

        TerraformOutput(self, "vpc_id", value=vpc.id)
        TerraformOutput(self, "app_subnet_ids", value=[app_subnet.id])


class AppServersStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        S3Backend(self, bucket=STATE_BUCKET, key="app-servers.tfstate", region="eu-west-1")
        AwsProvider(self, "aws", region="eu-west-1")

        network = DataTerraformRemoteStateS3(
            self, "network", bucket=STATE_BUCKET, key="core-network.tfstate", region="eu-west-1"
        )
        Instance(
            self,
            "bastion",
            ami="ami-0123456789abcdef0",
            instance_type="t4g.nano",
            subnet_id=Fn.element(network.get_list("app_subnet_ids"), 0),
            metadata_options={"http_tokens": "required"},
            root_block_device={"volume_size": 8, "volume_type": "gp3", "encrypted": True},
            tags={"Name": "bastion", "Vpc": network.get_string("vpc_id")},
        )


if __name__ == "__main__":
    app = App()
    CoreNetworkStack(app, "core-network")
    AppServersStack(app, "app-servers")
    app.synth()
