"""PostgreSQL on RDS with its subnet group, parameter group, monitoring role and alarms.

Correct idioms exercised:
- helper functions whose parameters are named like provider modules (``vpc``, ``rds``,
  ``db_instance``) and a local named ``db_subnet_group``;
- ``parameter`` of DbParameterGroup as a list of dicts with a camelCase key
  (``applyMethod``) built by a comprehension over a settings dict;
- ``blue_green_update`` as a snake_case single-block dict;
- ``manage_master_user_password`` instead of a literal password; numbers for storage,
  ports and retention; a string ``engine_version``;
- CloudwatchMetricAlarm ``dimensions`` map with AWS-cased keys (``DBInstanceIdentifier``).
"""

import json

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from cdktf_cdktf_provider_aws.db_instance import DbInstance
from cdktf_cdktf_provider_aws.db_parameter_group import DbParameterGroup
from cdktf_cdktf_provider_aws.db_subnet_group import DbSubnetGroup
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.vpc import Vpc

POSTGRES_SETTINGS = {
    "log_min_duration_statement": ("500", "immediate"),
    "rds.force_ssl": ("1", "immediate"),
    "shared_preload_libraries": ("pg_stat_statements", "pending-reboot"),
}


def database_security_group(scope: Construct, vpc: Vpc, app_cidr: str) -> SecurityGroup:
    return SecurityGroup(
        scope,
        "postgres-sg",
        name="postgres",
        vpc_id=vpc.id,
        ingress=[{"fromPort": 5432, "toPort": 5432, "protocol": "tcp", "cidrBlocks": [app_cidr]}],
    )


def storage_alarms(scope: Construct, rds: DbInstance, topic_arn: str) -> None:
    for name, metric, threshold, operator in (
        ("free-storage", "FreeStorageSpace", 10 * 1024**3, "LessThanThreshold"),
        ("cpu", "CPUUtilization", 80, "GreaterThanThreshold"),
    ):
        CloudwatchMetricAlarm(
            scope,
            f"postgres-{name}",
            alarm_name=f"postgres-{name}",
            namespace="AWS/RDS",
            metric_name=metric,
            statistic="Average",
            period=300,
            evaluation_periods=3,
            threshold=threshold,
            comparison_operator=operator,
            dimensions={"DBInstanceIdentifier": rds.identifier},
            alarm_actions=[topic_arn],
        )


class PostgresStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")
        vpc = Vpc(self, "vpc", cidr_block="10.40.0.0/16")
        sg = database_security_group(self, vpc, "10.40.0.0/20")

        db_subnet_group = DbSubnetGroup(
            self,
            "postgres-subnets",
            name="postgres",
            subnet_ids=["subnet-0123abcd4567ef890", "subnet-0fedcba9876543210"],
        )
        params = DbParameterGroup(
            self,
            "postgres-params",
            name="postgres16-app",
            family="postgres16",
            parameter=[
                {"name": name, "value": value, "applyMethod": method}
                for name, (value, method) in POSTGRES_SETTINGS.items()
            ],
        )
        monitoring = IamRole(
            self,
            "rds-monitoring",
            name="rds-enhanced-monitoring",
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "monitoring.rds.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
            managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
        )

        db_instance = DbInstance(
            self,
            "postgres",
            identifier="orders-postgres",
            engine="postgres",
            engine_version="16.3",
            instance_class="db.t4g.medium",
            allocated_storage=50,
            max_allocated_storage=200,
            storage_type="gp3",
            storage_encrypted=True,
            db_name="orders",
            username="orders_admin",
            manage_master_user_password=True,
            port=5432,
            multi_az=True,
            db_subnet_group_name=db_subnet_group.name,
            parameter_group_name=params.name,
            vpc_security_group_ids=[sg.id],
            backup_retention_period=14,
            backup_window="02:00-03:00",
            maintenance_window="sun:04:00-sun:05:00",
            monitoring_interval=60,
            monitoring_role_arn=monitoring.arn,
            performance_insights_enabled=True,
            performance_insights_retention_period=7,
            enabled_cloudwatch_logs_exports=["postgresql", "upgrade"],
            deletion_protection=True,
            skip_final_snapshot=False,
            final_snapshot_identifier="orders-postgres-final",
            blue_green_update={"enabled": True},
            copy_tags_to_snapshot=True,
            tags={"Service": "orders"},
        )

        storage_alarms(self, db_instance, "arn:aws:sns:eu-west-1:111122223333:ops-alerts")
        TerraformOutput(self, "db_endpoint", value=db_instance.endpoint)
        TerraformOutput(self, "db_secret_arn", value=db_instance.master_user_secret.get(0).secret_arn, sensitive=True)
