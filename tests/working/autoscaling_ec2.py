"""EC2 Auto Scaling group with a launch template, mixed instances and target tracking.

Correct idioms exercised:
- ``block_device_mappings`` as a list of dicts with camelCase keys and a nested ``ebs`` dict
  under the list element, also camelCase (``volumeSize``, ``deleteOnTermination``), with
  the string values the schema declares (``encrypted="true"``);
- ``metadata_options`` / ``iam_instance_profile`` / ``monitoring`` as snake_case dicts;
- ``tag_specifications`` list with camelCase ``resourceType``; AutoscalingGroup ``tag`` list
  with ``propagateAtLaunch`` built by a comprehension;
- ``mixed_instances_policy`` as a snake_case dict three levels deep, with the ``override``
  list inside it in camelCase (``instanceType``, ``weightedCapacity``);
- ``instance_refresh`` -> ``preferences`` snake_case; ``target_tracking_configuration`` ->
  ``predefined_metric_specification`` snake_case; DataAwsAmi ``filter`` list;
- ``Fn.base64encode`` for user data.
"""

from constructs import Construct
from cdktf import Fn, TerraformStack
from cdktf_cdktf_provider_aws.autoscaling_group import AutoscalingGroup
from cdktf_cdktf_provider_aws.autoscaling_policy import AutoscalingPolicy
from cdktf_cdktf_provider_aws.data_aws_ami import DataAwsAmi
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate
from cdktf_cdktf_provider_aws.provider import AwsProvider

USER_DATA = """#!/bin/bash
dnf install -y amazon-cloudwatch-agent
systemctl enable --now amazon-cloudwatch-agent
"""
ASG_TAGS = {"Name": "worker", "Team": "platform", "CostCenter": "1234"}


class WorkerFleetStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-1")

        ami = DataAwsAmi(
            self,
            "al2023",
            most_recent=True,
            owners=["amazon"],
            filter=[
                {"name": "name", "values": ["al2023-ami-2023.*-arm64"]},
                {"name": "architecture", "values": ["arm64"]},
            ],
        )

        template = LaunchTemplate(
            self,
            "worker-template",
            name_prefix="worker-",
            image_id=ami.id,
            instance_type="c7g.large",
            update_default_version=True,
            user_data=Fn.base64encode(USER_DATA),
            vpc_security_group_ids=["sg-0123456789abcdef2"],
            iam_instance_profile={"name": "worker-instance-profile"},
            metadata_options={"http_tokens": "required", "http_endpoint": "enabled", "http_put_response_hop_limit": 2},
            monitoring={"enabled": True},
            block_device_mappings=[
                {
                    "deviceName": "/dev/xvda",
                    "ebs": {
                        "volumeSize": 40,
                        "volumeType": "gp3",
                        "encrypted": "true",
                        "deleteOnTermination": "true",
                        "throughput": 250,
                    },
                }
            ],
            tag_specifications=[
                {"resourceType": "instance", "tags": {"Name": "worker"}},
                {"resourceType": "volume", "tags": {"Name": "worker-root"}},
            ],
        )

        fleet = AutoscalingGroup(
            self,
            "workers",
            name="workers",
            min_size=2,
            max_size=12,
            desired_capacity=3,
            vpc_zone_identifier=["subnet-0a9a9a9a9a9a9a9a9", "subnet-0b8b8b8b8b8b8b8b8"],
            health_check_type="EC2",
            health_check_grace_period=120,
            capacity_rebalance=True,
            mixed_instances_policy={
                "instances_distribution": {
                    "on_demand_base_capacity": 1,
                    "on_demand_percentage_above_base_capacity": 25,
                    "spot_allocation_strategy": "price-capacity-optimized",
                },
                "launch_template": {
                    "launch_template_specification": {"launch_template_id": template.id, "version": "$Latest"},
                    "override": [
                        {"instanceType": "c7g.large", "weightedCapacity": "1"},
                        {"instanceType": "c7g.xlarge", "weightedCapacity": "2"},
                    ],
                },
            },
            instance_refresh={
                "strategy": "Rolling",
                "preferences": {"min_healthy_percentage": 75, "instance_warmup": "120"},
                "triggers": ["tag"],
            },
            tag=[{"key": key, "value": value, "propagateAtLaunch": True} for key, value in ASG_TAGS.items()],
            lifecycle={"ignore_changes": ["desired_capacity"]},
        )

        AutoscalingPolicy(
            self,
            "workers-cpu",
            name="cpu-50",
            autoscaling_group_name=fleet.name,
            policy_type="TargetTrackingScaling",
            estimated_instance_warmup=120,
            target_tracking_configuration={
                "target_value": 50,
                "predefined_metric_specification": {"predefined_metric_type": "ASGAverageCPUUtilization"},
            },
        )
