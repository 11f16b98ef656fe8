"""A Step Functions workflow with logging, tracing and an EventBridge trigger.

Correct idioms exercised:
- the state machine ``definition`` built as a Python dict and passed through
  ``json.dumps`` (Amazon States Language keys such as ``StartAt``, ``ResultPath``);
- ``logging_configuration`` / ``tracing_configuration`` / ``encryption_configuration`` as
  snake_case dicts; ``log_destination`` with the ``:*`` suffix;
- an IAM policy document with several statements given as dicts with single-word keys;
- ``Fn.format`` and string interpolation of tokens.
"""

import json

from constructs import Construct
from cdktf import Fn, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import DataAwsIamPolicyDocument
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sfn_state_machine import SfnStateMachine

VALIDATE_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:validate-order"
CHARGE_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:charge-card"


def order_workflow(table_name: str) -> dict:
    return {
        "Comment": "Order fulfilment",
        "StartAt": "Validate",
        "States": {
            "Validate": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": VALIDATE_ARN, "Payload.$": "$"},
                "ResultPath": "$.validation",
                "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2}],
                "Next": "Charge",
            },
            "Charge": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": CHARGE_ARN, "Payload.$": "$"},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "MarkFailed"}],
                "Next": "MarkPaid",
            },
            "MarkPaid": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:updateItem",
                "Parameters": {
                    "TableName": table_name,
                    "Key": {"pk": {"S.$": "$.orderId"}},
                    "UpdateExpression": "SET #s = :paid",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":paid": {"S": "PAID"}},
                },
                "End": True,
            },
            "MarkFailed": {"Type": "Fail", "Error": "PaymentFailed"},
        },
    }


class WorkflowStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")

        logs = CloudwatchLogGroup(self, "sfn-logs", name="/aws/vendedlogs/states/orders", retention_in_days=30)
        trust = DataAwsIamPolicyDocument(
            self,
            "sfn-trust",
            statement=[
                {
                    "actions": ["sts:AssumeRole"],
                    "principals": [{"type": "Service", "identifiers": ["states.amazonaws.com"]}],
                }
            ],
        )
        role = IamRole(self, "sfn-role", name="orders-workflow", assume_role_policy=trust.json)
        permissions = DataAwsIamPolicyDocument(
            self,
            "sfn-permissions",
            statement=[
                {"actions": ["lambda:InvokeFunction"], "resources": [VALIDATE_ARN, CHARGE_ARN]},
                {"actions": ["dynamodb:UpdateItem"], "resources": [Fn.format("arn:aws:dynamodb:eu-west-1:%s:table/orders", ["111122223333"])]},
                {
                    "actions": [
                        "logs:CreateLogDelivery",
                        "logs:GetLogDelivery",
                        "logs:UpdateLogDelivery",
                        "logs:DeleteLogDelivery",
                        "logs:ListLogDeliveries",
                        "logs:PutResourcePolicy",
                        "logs:DescribeResourcePolicies",
                        "logs:DescribeLogGroups",
                    ],
                    "resources": ["*"],
                },
                {"actions": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "resources": ["*"]},
            ],
        )
        IamRolePolicy(self, "sfn-policy", name="orders-workflow", role=role.id, policy=permissions.json)

        machine = SfnStateMachine(
            self,
            "orders-workflow",
            name="orders-workflow",
            type="STANDARD",
            role_arn=role.arn,
            definition=json.dumps(order_workflow("orders")),
            logging_configuration={
                "log_destination": f"{logs.arn}:*",
                "include_execution_data": True,
                "level": "ERROR",
            },
            tracing_configuration={"enabled": True},
            encryption_configuration={"type": "AWS_OWNED_KEY"},
        )

        TerraformOutput(self, "state_machine_arn", value=machine.arn)
