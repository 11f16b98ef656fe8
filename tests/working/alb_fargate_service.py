"""A Fargate service behind an Application Load Balancer with HTTPS and path routing.

Correct idioms exercised:
- ECS cluster ``setting`` as a list of single-word-key dicts and ``configuration`` as nested
  snake_case dicts (``execute_command_configuration`` -> ``log_configuration``);
- ``container_definitions`` as ``json.dumps`` of camelCase ECS keys (not Terraform fields);
- ECS service ``network_configuration`` / ``deployment_circuit_breaker`` as snake_case
  dicts and ``load_balancer`` / ``capacity_provider_strategy`` as camelCase lists of dicts;
- target group ``health_check`` / ``stickiness`` as snake_case dicts, with
  ``deregistration_delay`` as the string the schema declares;
- listener ``default_action`` lists with a nested dict under a list element in camelCase
  (``redirect`` -> ``statusCode``, ``fixedResponse`` -> ``contentType``) and listener rule
  ``condition`` lists (``pathPattern`` / ``hostHeader`` -> ``values``);
- an ALB ``access_logs`` snake_case dict.
"""

import json

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.ecr_repository import EcrRepository
from cdktf_cdktf_provider_aws.ecs_cluster import EcsCluster
from cdktf_cdktf_provider_aws.ecs_cluster_capacity_providers import EcsClusterCapacityProviders
from cdktf_cdktf_provider_aws.ecs_service import EcsService
from cdktf_cdktf_provider_aws.ecs_task_definition import EcsTaskDefinition
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lb import Lb
from cdktf_cdktf_provider_aws.lb_listener import LbListener
from cdktf_cdktf_provider_aws.lb_listener_rule import LbListenerRule
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider

PUBLIC_SUBNETS = ["subnet-0a1a1a1a1a1a1a1a1", "subnet-0b2b2b2b2b2b2b2b2"]
PRIVATE_SUBNETS = ["subnet-0c3c3c3c3c3c3c3c3", "subnet-0d4d4d4d4d4d4d4d4"]
VPC_ID = "vpc-0123456789abcdef0"
ECS_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


class FargateServiceStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-2")

        repo = EcrRepository(
            self,
            "api-repo",
            name="orders-api",
            image_tag_mutability="IMMUTABLE",
            image_scanning_configuration={"scan_on_push": True},
            encryption_configuration=[{"encryptionType": "KMS"}],
        )
        exec_logs = CloudwatchLogGroup(self, "exec-logs", name="/ecs/orders/exec", retention_in_days=7)
        cluster = EcsCluster(
            self,
            "cluster",
            name="orders",
            setting=[{"name": "containerInsights", "value": "enabled"}],
            configuration={
                "execute_command_configuration": {
                    "logging": "OVERRIDE",
                    "log_configuration": {
                        "cloud_watch_log_group_name": exec_logs.name,
                        "cloud_watch_encryption_enabled": True,
                    },
                }
            },
        )
        EcsClusterCapacityProviders(
            self,
            "cluster-capacity",
            cluster_name=cluster.name,
            capacity_providers=["FARGATE", "FARGATE_SPOT"],
            default_capacity_provider_strategy=[
                {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
                {"capacityProvider": "FARGATE_SPOT", "weight": 3},
            ],
        )

        app_logs = CloudwatchLogGroup(self, "api-logs", name="/ecs/orders/api", retention_in_days=30)
        execution_role = IamRole(
            self,
            "execution-role",
            name="orders-api-execution",
            assume_role_policy=ECS_TRUST,
            managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
        )
        task_role = IamRole(self, "task-role", name="orders-api-task", assume_role_policy=ECS_TRUST)

        containers = [
            {
                "name": "api",
                "image": f"{repo.repository_url}:1.4.2",
                "essential": True,
                "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                "environment": [{"name": "PORT", "value": "8080"}],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": app_logs.name,
                        "awslogs-region": "eu-west-2",
                        "awslogs-stream-prefix": "api",
                    },
                },
                "healthCheck": {
                    "command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                    "interval": 30,
                    "retries": 3,
                },
            }
        ]
        task = EcsTaskDefinition(
            self,
            "api-task",
            family="orders-api",
            cpu="512",
            memory="1024",
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            container_definitions=json.dumps(containers),
            runtime_platform={"cpu_architecture": "ARM64", "operating_system_family": "LINUX"},
        )

        alb = Lb(
            self,
            "alb",
            name="orders-alb",
            load_balancer_type="application",
            internal=False,
            security_groups=["sg-0aa11bb22cc33dd44"],
            subnets=PUBLIC_SUBNETS,
            idle_timeout=120,
            drop_invalid_header_fields=True,
            access_logs={"bucket": "orders-alb-logs", "prefix": "alb", "enabled": True},
        )
        api_tg = LbTargetGroup(
            self,
            "api-tg",
            name="orders-api",
            port=8080,
            protocol="HTTP",
            target_type="ip",
            vpc_id=VPC_ID,
            deregistration_delay="30",
            health_check={
                "path": "/health",
                "matcher": "200-299",
                "interval": 15,
                "healthy_threshold": 2,
                "unhealthy_threshold": 3,
            },
            stickiness={"type": "lb_cookie", "cookie_duration": 3600, "enabled": False},
        )

        LbListener(
            self,
            "http",
            load_balancer_arn=alb.arn,
            port=80,
            protocol="HTTP",
            default_action=[
                {
                    "type": "redirect",
                    "redirect": {"port": "443", "protocol": "HTTPS", "statusCode": "HTTP_301"},
                }
            ],
        )
        https = LbListener(
            self,
            "https",
            load_balancer_arn=alb.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificate_arn="arn:aws:acm:eu-west-2:111122223333:certificate/0f6f5c1e-1111-2222-3333-444455556666",
            default_action=[
                {
                    "type": "fixed-response",
                    "fixedResponse": {"contentType": "application/json", "messageBody": '{"error":"not found"}', "statusCode": "404"},
                }
            ],
        )
        LbListenerRule(
            self,
            "api-rule",
            listener_arn=https.arn,
            priority=10,
            action=[{"type": "forward", "targetGroupArn": api_tg.arn}],
            condition=[
                {"pathPattern": {"values": ["/api/*"]}},
                {"hostHeader": {"values": ["orders.example.com"]}},
            ],
        )
        LbListenerRule(
            self,
            "canary-rule",
            listener_arn=https.arn,
            priority=20,
            action=[
                {
                    "type": "forward",
                    "forward": {
                        "targetGroup": [{"arn": api_tg.arn, "weight": 100}],
                        "stickiness": {"enabled": True, "duration": 600},
                    },
                }
            ],
            condition=[{"httpHeader": {"httpHeaderName": "X-Canary", "values": ["1"]}}],
        )

        EcsService(
            self,
            "api-service",
            name="orders-api",
            cluster=cluster.id,
            task_definition=task.arn,
            desired_count=2,
            enable_execute_command=True,
            health_check_grace_period_seconds=60,
            capacity_provider_strategy=[{"capacityProvider": "FARGATE", "weight": 1, "base": 1}],
            network_configuration={
                "subnets": PRIVATE_SUBNETS,
                "security_groups": ["sg-0ee55ff66aa77bb88"],
                "assign_public_ip": False,
            },
            load_balancer=[{"targetGroupArn": api_tg.arn, "containerName": "api", "containerPort": 8080}],
            deployment_circuit_breaker={"enable": True, "rollback": True},
            lifecycle={"ignore_changes": ["desired_count"]},
            depends_on=[https],
        )

        TerraformOutput(self, "alb_dns_name", value=alb.dns_name)
