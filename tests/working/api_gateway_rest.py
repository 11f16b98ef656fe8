"""REST API (API Gateway v1) proxying to Lambda, with a stage, access logs and usage plan.

Correct idioms exercised:
- ``endpoint_configuration`` as a single-word-key dict, stage ``access_log_settings`` as a
  snake_case dict, ``lifecycle`` with ``create_before_destroy``;
- ``triggers`` map whose value is ``Fn.sha1(Fn.jsonencode([...]))`` over resource ids;
- method ``request_parameters`` (a map of bool), integration ``request_templates`` map;
- usage plan ``api_stages`` / ``quota_settings`` / ``throttle_settings`` as lists of dicts
  and single dicts with the right key styles (``apiId``; ``burst_limit``);
- LambdaPermission with ``source_arn`` built from ``execution_arn``;
- an access log format string made with ``json.dumps`` (keys are API Gateway's, not
  Terraform's).
"""

import json

from constructs import Construct
from cdktf import Fn, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.api_gateway_method import ApiGatewayMethod
from cdktf_cdktf_provider_aws.api_gateway_method_settings import ApiGatewayMethodSettings
from cdktf_cdktf_provider_aws.api_gateway_resource import ApiGatewayResource
from cdktf_cdktf_provider_aws.api_gateway_rest_api import ApiGatewayRestApi
from cdktf_cdktf_provider_aws.api_gateway_stage import ApiGatewayStage
from cdktf_cdktf_provider_aws.api_gateway_usage_plan import ApiGatewayUsagePlan
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission
from cdktf_cdktf_provider_aws.provider import AwsProvider

HANDLER_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:orders-api"
HANDLER_INVOKE_ARN = (
    "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + HANDLER_ARN + "/invocations"
)
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "responseLatency": "$context.responseLatency",
    }
)


class RestApiStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")

        api = ApiGatewayRestApi(
            self,
            "api",
            name="orders",
            description="Orders REST API",
            endpoint_configuration={"types": ["REGIONAL"]},
            binary_media_types=["application/pdf"],
        )
        orders = ApiGatewayResource(self, "orders-resource", rest_api_id=api.id, parent_id=api.root_resource_id, path_part="orders")
        order = ApiGatewayResource(self, "order-resource", rest_api_id=api.id, parent_id=orders.id, path_part="{orderId}")

        methods = []
        integrations = []
        for name, resource, verb in (("list", orders, "GET"), ("create", orders, "POST"), ("get", order, "GET")):
            method = ApiGatewayMethod(
                self,
                f"{name}-method",
                rest_api_id=api.id,
                resource_id=resource.id,
                http_method=verb,
                authorization="AWS_IAM",
                request_parameters={"method.request.path.orderId": True} if resource is order else None,
            )
            integration = ApiGatewayIntegration(
                self,
                f"{name}-integration",
                rest_api_id=api.id,
                resource_id=resource.id,
                http_method=method.http_method,
                type="AWS_PROXY",
                integration_http_method="POST",
                uri=HANDLER_INVOKE_ARN,
                timeout_milliseconds=29000,
            )
            methods.append(method)
            integrations.append(integration)

        health = ApiGatewayMethod(
            self, "health-method", rest_api_id=api.id, resource_id=api.root_resource_id, http_method="GET", authorization="NONE"
        )
        ApiGatewayIntegration(
            self,
            "health-integration",
            rest_api_id=api.id,
            resource_id=api.root_resource_id,
            http_method="GET",
            type="MOCK",
            request_templates={"application/json": '{"statusCode": 200}'},
            depends_on=[health],
        )

        deployment = ApiGatewayDeployment(
            self,
            "deployment",
            rest_api_id=api.id,
            triggers={"redeployment": Fn.sha1(Fn.jsonencode([orders.id, order.id, *[m.id for m in methods], *[i.id for i in integrations]]))},
            lifecycle={"create_before_destroy": True},
            depends_on=integrations,
        )

        access_logs = CloudwatchLogGroup(self, "api-access-logs", name="/apigateway/orders", retention_in_days=30)
        stage = ApiGatewayStage(
            self,
            "prod",
            rest_api_id=api.id,
            deployment_id=deployment.id,
            stage_name="prod",
            xray_tracing_enabled=True,
            access_log_settings={"destination_arn": access_logs.arn, "format": ACCESS_LOG_FORMAT},
            variables={"lambdaAlias": "live"},
        )
        ApiGatewayMethodSettings(
            self,
            "prod-settings",
            rest_api_id=api.id,
            stage_name=stage.stage_name,
            method_path="*/*",
            settings={"metrics_enabled": True, "logging_level": "ERROR", "throttling_burst_limit": 100, "throttling_rate_limit": 50},
        )
        ApiGatewayUsagePlan(
            self,
            "partners",
            name="partners",
            api_stages=[{"apiId": api.id, "stage": stage.stage_name}],
            quota_settings={"limit": 100000, "period": "MONTH"},
            throttle_settings={"burst_limit": 20, "rate_limit": 10},
        )

        LambdaPermission(
            self,
            "invoke-from-api",
            statement_id="AllowApiGatewayInvoke",
            action="lambda:InvokeFunction",
            function_name=HANDLER_ARN,
            principal="apigateway.amazonaws.com",
            source_arn=f"{api.execution_arn}/*/*",
        )

        TerraformOutput(self, "invoke_url", value=stage.invoke_url)
