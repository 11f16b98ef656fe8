"""Application Auto Scaling for an ECS service: target tracking, step scaling and schedules.

Correct idioms exercised:
- ``target_tracking_scaling_policy_configuration`` -> ``predefined_metric_specification`` /
  ``customized_metric_specification`` as snake_case dicts, with ``dimensions`` (a list of
  blocks inside a single-block dict) as single-word-key dicts (``name``, ``value``);
- ``step_scaling_policy_configuration`` with its ``step_adjustment`` list in camelCase
  (``metricIntervalLowerBound`` as a string, ``scalingAdjustment`` as a number);
- ``scalable_target_action`` snake_case dict on scheduled actions, its capacities as the
  strings the schema declares (``str(low)``); policies built in a loop
  over a tuple of settings; resource ids built with f-strings.
"""

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.appautoscaling_policy import AppautoscalingPolicy
from cdktf_cdktf_provider_aws.appautoscaling_scheduled_action import AppautoscalingScheduledAction
from cdktf_cdktf_provider_aws.appautoscaling_target import AppautoscalingTarget
from cdktf_cdktf_provider_aws.provider import AwsProvider

CLUSTER = "orders"
SERVICE = "orders-api"


class ServiceScalingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-2")

        target = AppautoscalingTarget(
            self,
            "api-target",
            service_namespace="ecs",
            resource_id=f"service/{CLUSTER}/{SERVICE}",
            scalable_dimension="ecs:service:DesiredCount",
            min_capacity=2,
            max_capacity=20,
        )

        for metric, value in (("ECSServiceAverageCPUUtilization", 60), ("ECSServiceAverageMemoryUtilization", 75)):
            AppautoscalingPolicy(
                self,
                f"api-{metric}",
                name=f"{SERVICE}-{metric}",
                policy_type="TargetTrackingScaling",
                service_namespace=target.service_namespace,
                resource_id=target.resource_id,
                scalable_dimension=target.scalable_dimension,
                target_tracking_scaling_policy_configuration={
                    "target_value": value,
                    "scale_in_cooldown": 300,
                    "scale_out_cooldown": 60,
                    "predefined_metric_specification": {"predefined_metric_type": metric},
                },
            )

        AppautoscalingPolicy(
            self,
            "api-queue-depth",
            name=f"{SERVICE}-queue-depth",
            policy_type="TargetTrackingScaling",
            service_namespace=target.service_namespace,
            resource_id=target.resource_id,
            scalable_dimension=target.scalable_dimension,
            target_tracking_scaling_policy_configuration={
                "target_value": 100,
                "customized_metric_specification": {
                    "metric_name": "ApproximateNumberOfMessagesVisible",
                    "namespace": "AWS/SQS",
                    "statistic": "Average",
                    "dimensions": [{"name": "QueueName", "value": "orders-jobs"}],
                },
            },
        )

        AppautoscalingPolicy(
            self,
            "api-burst",
            name=f"{SERVICE}-burst",
            policy_type="StepScaling",
            service_namespace=target.service_namespace,
            resource_id=target.resource_id,
            scalable_dimension=target.scalable_dimension,
            step_scaling_policy_configuration={
                "adjustment_type": "ChangeInCapacity",
                "cooldown": 120,
                "metric_aggregation_type": "Maximum",
                "step_adjustment": [
                    {"metricIntervalLowerBound": "0", "metricIntervalUpperBound": "20", "scalingAdjustment": 2},
                    {"metricIntervalLowerBound": "20", "scalingAdjustment": 5},
                ],
            },
        )

        for name, cron, low, high in (("business-hours", "cron(0 7 ? * MON-FRI *)", 4, 20), ("night", "cron(0 20 * * ? *)", 2, 6)):
            AppautoscalingScheduledAction(
                self,
                f"api-{name}",
                name=f"{SERVICE}-{name}",
                service_namespace=target.service_namespace,
                resource_id=target.resource_id,
                scalable_dimension=target.scalable_dimension,
                schedule=cron,
                timezone="Europe/London",
                scalable_target_action={"min_capacity": str(low), "max_capacity": str(high)},
            )
