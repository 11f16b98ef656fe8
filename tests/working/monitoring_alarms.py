"""Operational monitoring: log groups, metric filters, math alarms, a composite alarm and a
dashboard.

Correct idioms exercised:
- CloudwatchMetricAlarm ``metric_query`` as a list of dicts with camelCase keys
  (``returnData``) and, under a list element, a nested ``metric`` dict in camelCase
  (``metricName``, ``dimensions`` map with AWS-cased keys);
- ``metric_transformation`` of a log metric filter as a snake_case dict with a
  ``dimensions`` map;
- numbers for thresholds and periods (a float threshold), strings for
  ``treat_missing_data``;
- a dashboard body from ``json.dumps`` (CloudWatch's own camelCase keys);
- a helper function that builds alarms for a dict of services.
"""

import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_composite_alarm import CloudwatchCompositeAlarm
from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.cloudwatch_log_metric_filter import CloudwatchLogMetricFilter
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic

SERVICES = {"orders-api": 0.02, "payments-api": 0.005}


def error_rate_alarm(scope: Construct, service: str, max_rate: float, topic_arn: str) -> CloudwatchMetricAlarm:
    return CloudwatchMetricAlarm(
        scope,
        f"{service}-error-rate",
        alarm_name=f"{service}-error-rate",
        comparison_operator="GreaterThanThreshold",
        evaluation_periods=3,
        threshold=max_rate,
        treat_missing_data="notBreaching",
        alarm_actions=[topic_arn],
        ok_actions=[topic_arn],
        metric_query=[
            {
                "id": "rate",
                "expression": "errors / MAX([errors, requests])",
                "label": f"{service} 5xx rate",
                "returnData": True,
            },
            {
                "id": "errors",
                "metric": {
                    "metricName": "HTTPCode_Target_5XX_Count",
                    "namespace": "AWS/ApplicationELB",
                    "period": 60,
                    "stat": "Sum",
                    "dimensions": {"TargetGroup": f"targetgroup/{service}/0123456789abcdef"},
                },
            },
            {
                "id": "requests",
                "metric": {
                    "metricName": "RequestCount",
                    "namespace": "AWS/ApplicationELB",
                    "period": 60,
                    "stat": "Sum",
                    "dimensions": {"TargetGroup": f"targetgroup/{service}/0123456789abcdef"},
                },
            },
        ],
    )


class MonitoringStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")
        alerts = SnsTopic(self, "alerts", name="ops-alerts")

        alarms = [error_rate_alarm(self, service, rate, alerts.arn) for service, rate in SERVICES.items()]

        app_logs = CloudwatchLogGroup(self, "app-logs", name="/app/orders", retention_in_days=90)
        CloudwatchLogMetricFilter(
            self,
            "payment-failures",
            name="payment-failures",
            log_group_name=app_logs.name,
            pattern='{ $.level = "ERROR" && $.event = "payment_failed" }',
            metric_transformation={
                "name": "PaymentFailures",
                "namespace": "Orders",
                "value": "1",
                "default_value": "0",
                "unit": "Count",
            },
        )
        payment_alarm = CloudwatchMetricAlarm(
            self,
            "payment-failures-alarm",
            alarm_name="payment-failures",
            namespace="Orders",
            metric_name="PaymentFailures",
            statistic="Sum",
            period=300,
            evaluation_periods=1,
            threshold=5,
            comparison_operator="GreaterThanOrEqualToThreshold",
            alarm_actions=[alerts.arn],
        )

        CloudwatchCompositeAlarm(
            self,
            "orders-degraded",
            alarm_name="orders-degraded",
            alarm_rule=" OR ".join(f"ALARM({alarm.alarm_name})" for alarm in [*alarms, payment_alarm]),
            alarm_actions=[alerts.arn],
            actions_enabled=True,
        )

        CloudwatchDashboard(
            self,
            "dashboard",
            dashboard_name="orders",
            dashboard_body=json.dumps(
                {
                    "widgets": [
                        {
                            "type": "metric",
                            "x": 0,
                            "y": 0,
                            "width": 12,
                            "height": 6,
                            "properties": {
                                "title": "5xx",
                                "region": "eu-west-1",
                                "stat": "Sum",
                                "period": 60,
                                "metrics": [["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", "app/orders/1"]],
                            },
                        },
                        {
                            "type": "log",
                            "x": 12,
                            "y": 0,
                            "width": 12,
                            "height": 6,
                            "properties": {
                                "title": "Errors",
                                "region": "eu-west-1",
                                "query": "SOURCE '/app/orders' | filter level = 'ERROR' | stats count() by bin(5m)",
                            },
                        },
                    ]
                }
            ),
        )
