"""Redis (ElastiCache replication group) with encryption, slow-log delivery and alarms.

Correct idioms exercised:
- ``at_rest_encryption_enabled`` written as the string ``"true"``: the schema types it as
  a string, unlike ``transit_encryption_enabled`` (bool);
- ``log_delivery_configuration`` as a list of dicts with camelCase keys
  (``destinationType``, ``logFormat``, ``logType``);
- ElasticacheParameterGroup ``parameter`` as a list of single-word-key dicts;
- ``port`` and ``num_cache_clusters`` as numbers; a local named ``elasticache_subnet_group``
  (the module name) holding the resource.
"""

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from cdktf_cdktf_provider_aws.elasticache_parameter_group import ElasticacheParameterGroup
from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup
from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider


class RedisStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="ap-southeast-2")

        elasticache_subnet_group = ElasticacheSubnetGroup(
            self,
            "redis-subnets",
            name="sessions-redis",
            subnet_ids=["subnet-01a2b3c4d5e6f7a8b", "subnet-09f8e7d6c5b4a3a2b"],
        )
        params = ElasticacheParameterGroup(
            self,
            "redis-params",
            name="sessions-redis7",
            family="redis7",
            parameter=[
                {"name": "maxmemory-policy", "value": "allkeys-lru"},
                {"name": "notify-keyspace-events", "value": "Ex"},
            ],
        )
        slow_log = CloudwatchLogGroup(self, "redis-slow-log", name="/elasticache/sessions/slow-log", retention_in_days=7)

        redis = ElasticacheReplicationGroup(
            self,
            "redis",
            replication_group_id="sessions",
            description="Session store",
            engine="redis",
            engine_version="7.1",
            node_type="cache.t4g.small",
            port=6379,
            num_cache_clusters=2,
            automatic_failover_enabled=True,
            multi_az_enabled=True,
            subnet_group_name=elasticache_subnet_group.name,
            parameter_group_name=params.name,
            security_group_ids=["sg-0123456789abcdef1"],
            at_rest_encryption_enabled="true",
            transit_encryption_enabled=True,
            snapshot_retention_limit=5,
            snapshot_window="16:00-17:00",
            maintenance_window="sun:17:00-sun:18:00",
            log_delivery_configuration=[
                {
                    "destination": slow_log.name,
                    "destinationType": "cloudwatch-logs",
                    "logFormat": "json",
                    "logType": "slow-log",
                }
            ],
            apply_immediately=False,
        )

        CloudwatchMetricAlarm(
            self,
            "redis-memory",
            alarm_name="sessions-redis-memory",
            namespace="AWS/ElastiCache",
            metric_name="DatabaseMemoryUsagePercentage",
            dimensions={"ReplicationGroupId": redis.id},
            statistic="Maximum",
            period=60,
            evaluation_periods=5,
            datapoints_to_alarm=3,
            threshold=85,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching",
        )
        TerraformOutput(self, "redis_primary_endpoint", value=redis.primary_endpoint_address)
