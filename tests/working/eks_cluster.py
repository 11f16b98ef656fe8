"""EKS cluster with a managed node group, add-ons and an OIDC-ready IAM setup.

Correct idioms exercised:
- ``vpc_config``, ``access_config``, ``kubernetes_network_config`` as snake_case dicts;
- ``encryption_config`` as a dict whose nested block is named ``provider`` (the same word
  as the construct meta-argument) with its own snake_case dict;
- node group ``scaling_config`` / ``update_config`` as snake_case dicts, ``labels`` as a
  map, ``taint`` as a list of single-word-key dicts;
- EksAddon ``configuration_values`` built with ``json.dumps`` (camelCase Kubernetes keys);
- ``depends_on`` listing policy attachments created in a loop.
"""

import json

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.eks_addon import EksAddon
from cdktf_cdktf_provider_aws.eks_cluster import EksCluster
from cdktf_cdktf_provider_aws.eks_node_group import EksNodeGroup
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider

SUBNETS = ["subnet-0aa0aa0aa0aa0aa0a", "subnet-0bb0bb0bb0bb0bb0b", "subnet-0cc0cc0cc0cc0cc0c"]


def service_role(scope: Construct, name: str, service: str, policies: list[str]) -> tuple[IamRole, list]:
    role = IamRole(
        scope,
        f"{name}-role",
        name=f"platform-{name}",
        assume_role_policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
            }
        ),
    )
    attachments = [
        IamRolePolicyAttachment(scope, f"{name}-{index}", role=role.name, policy_arn=f"arn:aws:iam::aws:policy/{policy}")
        for index, policy in enumerate(policies)
    ]
    return role, attachments


class EksStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-west-2")

        cluster_role, cluster_attachments = service_role(self, "eks-cluster", "eks.amazonaws.com", ["AmazonEKSClusterPolicy"])
        node_role, node_attachments = service_role(
            self,
            "eks-nodes",
            "ec2.amazonaws.com",
            ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"],
        )
        secrets_key = KmsKey(self, "eks-secrets", description="EKS secrets envelope encryption", enable_key_rotation=True)

        cluster = EksCluster(
            self,
            "cluster",
            name="platform",
            version="1.30",
            role_arn=cluster_role.arn,
            vpc_config={
                "subnet_ids": SUBNETS,
                "endpoint_private_access": True,
                "endpoint_public_access": True,
                "public_access_cidrs": ["198.51.100.0/24"],
            },
            access_config={"authentication_mode": "API", "bootstrap_cluster_creator_admin_permissions": True},
            kubernetes_network_config={"service_ipv4_cidr": "172.20.0.0/16", "ip_family": "ipv4"},
            encryption_config={"resources": ["secrets"], "provider": {"key_arn": secrets_key.arn}},
            enabled_cluster_log_types=["api", "audit", "authenticator"],
            depends_on=cluster_attachments,
        )

        EksNodeGroup(
            self,
            "general",
            cluster_name=cluster.name,
            node_group_name="general",
            node_role_arn=node_role.arn,
            subnet_ids=SUBNETS,
            instance_types=["m6g.large"],
            ami_type="AL2023_ARM_64_STANDARD",
            capacity_type="ON_DEMAND",
            disk_size=50,
            scaling_config={"desired_size": 3, "min_size": 2, "max_size": 6},
            update_config={"max_unavailable": 1},
            labels={"workload": "general"},
            taint=[{"key": "dedicated", "value": "general", "effect": "NO_SCHEDULE"}],
            lifecycle={"ignore_changes": ["scaling_config[0].desired_size"]},
            depends_on=node_attachments,
        )

        for addon, version in (("vpc-cni", "v1.18.3-eksbuild.1"), ("coredns", "v1.11.1-eksbuild.9")):
            EksAddon(
                self,
                f"addon-{addon}",
                cluster_name=cluster.name,
                addon_name=addon,
                addon_version=version,
                resolve_conflicts_on_update="OVERWRITE",
                configuration_values=json.dumps({"env": {"ENABLE_PREFIX_DELEGATION": "true"}})
                if addon == "vpc-cni"
                else None,
            )

        TerraformOutput(self, "cluster_endpoint", value=cluster.endpoint)
        TerraformOutput(self, "cluster_oidc_issuer", value=cluster.identity.get(0).oidc.get(0).issuer)
