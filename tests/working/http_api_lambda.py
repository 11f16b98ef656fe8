"""HTTP API (API Gateway v2) with a JWT authorizer, Lambda integration and a custom domain.

Correct idioms exercised:
- ``import cdktf`` and ``cdktf.TerraformStack`` / ``cdktf.TerraformOutput`` / ``cdktf.Fn``
  (module-qualified cdktf names), next to ``from`` imports of provider classes;
- ``cors_configuration`` / ``jwt_configuration`` / ``default_route_settings`` /
  ``domain_name_configuration`` as snake_case dicts;
- ``route_settings`` as a list of dicts with camelCase keys (``routeKey``,
  ``throttlingBurstLimit``);
- routes created from a list of route keys; numbers for throttling limits (a float rate).
"""

import cdktf
from constructs import Construct
from cdktf_cdktf_provider_aws.apigatewayv2_api import Apigatewayv2Api
from cdktf_cdktf_provider_aws.apigatewayv2_api_mapping import Apigatewayv2ApiMapping
from cdktf_cdktf_provider_aws.apigatewayv2_authorizer import Apigatewayv2Authorizer
from cdktf_cdktf_provider_aws.apigatewayv2_domain_name import Apigatewayv2DomainName
from cdktf_cdktf_provider_aws.apigatewayv2_integration import Apigatewayv2Integration
from cdktf_cdktf_provider_aws.apigatewayv2_route import Apigatewayv2Route
from cdktf_cdktf_provider_aws.apigatewayv2_stage import Apigatewayv2Stage
from cdktf_cdktf_provider_aws.provider import AwsProvider

ROUTES = ["GET /items", "POST /items", "GET /items/{id}", "DELETE /items/{id}"]


class HttpApiStack(cdktf.TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-1")
        handler_arn = "arn:aws:lambda:us-east-1:111122223333:function:items"

        api = Apigatewayv2Api(
            self,
            "http-api",
            name="items",
            protocol_type="HTTP",
            cors_configuration={
                "allow_origins": ["https://app.example.com"],
                "allow_methods": ["GET", "POST", "DELETE"],
                "allow_headers": ["authorization", "content-type"],
                "max_age": 3600,
            },
        )
        authorizer = Apigatewayv2Authorizer(
            self,
            "jwt",
            api_id=api.id,
            name="cognito",
            authorizer_type="JWT",
            identity_sources=["$request.header.Authorization"],
            jwt_configuration={
                "audience": ["4example0client0id"],
                "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example",
            },
        )
        integration = Apigatewayv2Integration(
            self,
            "lambda",
            api_id=api.id,
            integration_type="AWS_PROXY",
            integration_uri=handler_arn,
            payload_format_version="2.0",
            timeout_milliseconds=10000,
        )
        for index, route_key in enumerate(ROUTES):
            Apigatewayv2Route(
                self,
                f"route-{index}",
                api_id=api.id,
                route_key=route_key,
                target=f"integrations/{integration.id}",
                authorization_type="JWT",
                authorizer_id=authorizer.id,
            )

        stage = Apigatewayv2Stage(
            self,
            "default-stage",
            api_id=api.id,
            name="$default",
            auto_deploy=True,
            default_route_settings={"throttling_burst_limit": 200, "throttling_rate_limit": 100.5},
            route_settings=[
                {"routeKey": "POST /items", "throttlingBurstLimit": 20, "throttlingRateLimit": 10},
            ],
        )

        domain = Apigatewayv2DomainName(
            self,
            "domain",
            domain_name="items.example.com",
            domain_name_configuration={
                "certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/7e1c0b3a-0000-4000-8000-000000000001",
                "endpoint_type": "REGIONAL",
                "security_policy": "TLS_1_2",
            },
        )
        Apigatewayv2ApiMapping(self, "mapping", api_id=api.id, domain_name=domain.id, stage=stage.id)

        cdktf.TerraformOutput(self, "api_endpoint", value=api.api_endpoint)
        cdktf.TerraformOutput(self, "routes", value=cdktf.Fn.join(",", ROUTES))
