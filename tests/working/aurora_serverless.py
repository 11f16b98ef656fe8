"""Aurora PostgreSQL Serverless v2 cluster with instances created through ``count``.

Correct idioms exercised:
- ``serverlessv2_scaling_configuration`` as a snake_case dict with float and int numbers;
- RdsClusterParameterGroup ``parameter`` as a list of explicit struct classes and dicts;
- ``count=TerraformCount.of(...)`` with ``Token.as_string(count.index)`` in an f-string, and
  ``Fn.element`` for a per-instance availability zone;
- a TerraformVariable of type number feeding ``count``;
- ``lifecycle`` given as a TerraformResourceLifecycle struct next to dict lifecycles.
"""

from constructs import Construct
from cdktf import (
    Fn,
    TerraformCount,
    TerraformOutput,
    TerraformResourceLifecycle,
    TerraformStack,
    TerraformVariable,
    Token,
)
from cdktf_cdktf_provider_aws.db_subnet_group import DbSubnetGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.rds_cluster import RdsCluster
from cdktf_cdktf_provider_aws.rds_cluster_instance import RdsClusterInstance
from cdktf_cdktf_provider_aws.rds_cluster_parameter_group import (
    RdsClusterParameterGroup,
    RdsClusterParameterGroupParameter,
)


class AuroraStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-2")

        instance_count = TerraformVariable(
            self,
            "reader_count",
            type="number",
            default=2,
            description="Number of Aurora instances (writer included)",
        )
        zones = TerraformVariable(
            self,
            "zones",
            type="list(string)",
            default=["us-east-2a", "us-east-2b", "us-east-2c"],
        )

        subnets = DbSubnetGroup(
            self,
            "aurora-subnets",
            name_prefix="aurora-",
            subnet_ids=["subnet-0a0a0a0a0a0a0a0a0", "subnet-0b0b0b0b0b0b0b0b0", "subnet-0c0c0c0c0c0c0c0c0"],
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
        )
        cluster_params = RdsClusterParameterGroup(
            self,
            "aurora-params",
            name="aurora-pg16",
            family="aurora-postgresql16",
            parameter=[
                RdsClusterParameterGroupParameter(name="log_statement", value="ddl"),
                {"name": "rds.force_ssl", "value": "1", "applyMethod": "pending-reboot"},
            ],
        )

        cluster = RdsCluster(
            self,
            "aurora",
            cluster_identifier="orders-aurora",
            engine="aurora-postgresql",
            engine_mode="provisioned",
            engine_version="16.4",
            database_name="orders",
            master_username="orders_admin",
            manage_master_user_password=True,
            db_subnet_group_name=subnets.name,
            db_cluster_parameter_group_name=cluster_params.name,
            storage_encrypted=True,
            backup_retention_period=7,
            preferred_backup_window="03:00-04:00",
            serverlessv2_scaling_configuration={"min_capacity": 0.5, "max_capacity": 16, "seconds_until_auto_pause": 3600},
            skip_final_snapshot=True,
            enable_http_endpoint=True,
            lifecycle={"ignore_changes": ["engine_version"]},
        )

        count = TerraformCount.of(instance_count.number_value)
        RdsClusterInstance(
            self,
            "aurora-instance",
            count=count,
            identifier=f"orders-aurora-{Token.as_string(count.index)}",
            cluster_identifier=cluster.id,
            instance_class="db.serverless",
            engine=cluster.engine,
            engine_version=cluster.engine_version,
            availability_zone=Fn.element(zones.list_value, count.index),
            performance_insights_enabled=True,
            promotion_tier=1,
        )

        TerraformOutput(self, "writer_endpoint", value=cluster.endpoint)
        TerraformOutput(self, "reader_endpoint", value=cluster.reader_endpoint)
