"""Event-driven wiring: a custom bus, rules with patterns, targets and EventBridge Scheduler.

Correct idioms exercised:
- ``event_pattern`` built with ``json.dumps`` (keys such as ``detail-type`` belong to
  EventBridge, not Terraform) and with ``Fn.jsonencode``;
- CloudwatchEventTarget single blocks as snake_case dicts: ``retry_policy``,
  ``dead_letter_config``, ``input_transformer`` (with its ``input_paths`` map),
  ``ecs_target`` holding ``network_configuration`` (a nested snake_case dict);
- the scheduler ``ecs_parameters`` ``capacity_provider_strategy`` list inside a single-block dict, with
  camelCase keys;
- SchedulerSchedule ``flexible_time_window`` and ``target`` as snake_case dicts with a nested
  ``retry_policy``; numbers for retry counts and ages.
"""

import json

from constructs import Construct
from cdktf import Fn, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_event_bus import CloudwatchEventBus
from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
from cdktf_cdktf_provider_aws.cloudwatch_event_target import CloudwatchEventTarget
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.scheduler_schedule import SchedulerSchedule
from cdktf_cdktf_provider_aws.scheduler_schedule_group import SchedulerScheduleGroup
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue

WORKER_ARN = "arn:aws:lambda:us-east-1:111122223333:function:order-worker"
EVENTS_ROLE_ARN = "arn:aws:iam::111122223333:role/eventbridge-invoke"


class EventsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-1")

        bus = CloudwatchEventBus(self, "orders-bus", name="orders")
        dlq = SqsQueue(self, "events-dlq", name="orders-events-dlq")

        placed = CloudwatchEventRule(
            self,
            "order-placed",
            name="order-placed",
            event_bus_name=bus.name,
            event_pattern=json.dumps(
                {
                    "source": ["orders.api"],
                    "detail-type": ["OrderPlaced"],
                    "detail": {"total": [{"numeric": [">", 0]}]},
                }
            ),
        )
        CloudwatchEventTarget(
            self,
            "order-placed-worker",
            rule=placed.name,
            event_bus_name=bus.name,
            arn=WORKER_ARN,
            retry_policy={"maximum_retry_attempts": 4, "maximum_event_age_in_seconds": 3600},
            dead_letter_config={"arn": dlq.arn},
            input_transformer={
                "input_paths": {"orderId": "$.detail.orderId", "total": "$.detail.total"},
                "input_template": '{"orderId": <orderId>, "total": <total>}',
            },
        )

        nightly = CloudwatchEventRule(
            self,
            "nightly-report",
            name="nightly-report",
            schedule_expression="cron(0 2 * * ? *)",
            state="ENABLED",
        )
        CloudwatchEventTarget(
            self,
            "nightly-report-task",
            rule=nightly.name,
            arn="arn:aws:ecs:us-east-1:111122223333:cluster/reports",
            role_arn=EVENTS_ROLE_ARN,
            ecs_target={
                "task_definition_arn": "arn:aws:ecs:us-east-1:111122223333:task-definition/report:7",
                "task_count": 1,
                "launch_type": "FARGATE",
                "platform_version": "LATEST",
                "network_configuration": {
                    "subnets": ["subnet-0aaa0aaa0aaa0aaa0"],
                    "security_groups": ["sg-0bbb0bbb0bbb0bbb0"],
                    "assign_public_ip": False,
                },
            },
        )

        CloudwatchEventRule(
            self,
            "console-signin",
            name="console-signin",
            event_pattern=Fn.jsonencode({"source": ["aws.signin"], "detail-type": ["AWS Console Sign In via CloudTrail"]}),
        )

        group = SchedulerScheduleGroup(self, "schedules", name="orders")
        SchedulerSchedule(
            self,
            "reconcile",
            name="reconcile-orders",
            group_name=group.name,
            schedule_expression="rate(15 minutes)",
            schedule_expression_timezone="Europe/London",
            flexible_time_window={"mode": "FLEXIBLE", "maximum_window_in_minutes": 5},
            target={
                "arn": WORKER_ARN,
                "role_arn": EVENTS_ROLE_ARN,
                "input": json.dumps({"action": "reconcile"}),
                "retry_policy": {"maximum_retry_attempts": 2, "maximum_event_age_in_seconds": 900},
                "dead_letter_config": {"arn": dlq.arn},
            },
        )
        SchedulerSchedule(
            self,
            "weekly-cleanup",
            name="weekly-cleanup",
            group_name=group.name,
            schedule_expression="cron(0 4 ? * SUN *)",
            flexible_time_window={"mode": "OFF"},
            target={
                "arn": "arn:aws:ecs:us-east-1:111122223333:cluster/reports",
                "role_arn": EVENTS_ROLE_ARN,
                "ecs_parameters": {
                    "task_definition_arn": "arn:aws:ecs:us-east-1:111122223333:task-definition/cleanup:3",
                    "capacity_provider_strategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}],
                    "network_configuration": {"subnets": ["subnet-0aaa0aaa0aaa0aaa0"], "assign_public_ip": False},
                },
            },
        )
