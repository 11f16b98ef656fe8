"""Static site on S3 behind CloudFront with an origin access control and a viewer function.

Correct idioms exercised:
- required single blocks as snake_case dicts nested three deep
  (``default_cache_behavior`` -> ``forwarded_values`` -> ``cookies``,
  ``restrictions`` -> ``geo_restriction``, ``viewer_certificate``);
- a list of blocks inside a single-block dict, written in camelCase
  (``function_association`` -> ``eventType`` / ``functionArn``);
- ``origin`` and ``ordered_cache_behavior`` lists with camelCase keys at every level
  (``customOriginConfig`` -> ``originSslProtocols``; ``forwardedValues`` -> ``queryString``
  -> ``cookies``);
- ``custom_error_response`` with numbers for codes; explicit struct classes for the
  logging config; a provider alias for the us-east-1 certificate lookup;
- a bucket policy from a policy document whose condition values reference the distribution.
"""

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.cloudfront_distribution import (
    CloudfrontDistribution,
    CloudfrontDistributionLoggingConfig,
)
from cdktf_cdktf_provider_aws.cloudfront_function import CloudfrontFunction
from cdktf_cdktf_provider_aws.cloudfront_origin_access_control import CloudfrontOriginAccessControl
from cdktf_cdktf_provider_aws.data_aws_acm_certificate import DataAwsAcmCertificate
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import DataAwsIamPolicyDocument
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy

REWRITE_INDEX = """
function handler(event) {
  var request = event.request;
  if (request.uri.endsWith('/')) { request.uri += 'index.html'; }
  return request;
}
"""


class StaticSiteStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")
        us_east_1 = AwsProvider(self, "aws-us-east-1", region="us-east-1", alias="us_east_1")

        certificate = DataAwsAcmCertificate(
            self,
            "site-cert",
            domain="www.example.com",
            statuses=["ISSUED"],
            most_recent=True,
            provider=us_east_1,
        )

        site = S3Bucket(self, "site", bucket="www-example-com-site")
        logs = S3Bucket(self, "cdn-logs", bucket="www-example-com-cdn-logs")

        oac = CloudfrontOriginAccessControl(
            self,
            "site-oac",
            name="www-example-com",
            origin_access_control_origin_type="s3",
            signing_behavior="always",
            signing_protocol="sigv4",
        )
        rewrite = CloudfrontFunction(self, "rewrite-index", name="rewrite-index", runtime="cloudfront-js-2.0", code=REWRITE_INDEX, publish=True)

        distribution = CloudfrontDistribution(
            self,
            "cdn",
            enabled=True,
            is_ipv6_enabled=True,
            comment="www.example.com",
            default_root_object="index.html",
            aliases=["www.example.com"],
            price_class="PriceClass_100",
            origin=[
                {
                    "domainName": site.bucket_regional_domain_name,
                    "originId": "site",
                    "originAccessControlId": oac.id,
                },
                {
                    "domainName": "api.example.com",
                    "originId": "api",
                    "customOriginConfig": {
                        "httpPort": 80,
                        "httpsPort": 443,
                        "originProtocolPolicy": "https-only",
                        "originSslProtocols": ["TLSv1.2"],
                        "originReadTimeout": 30,
                    },
                    "customHeader": [{"name": "X-Origin-Verify", "value": "cdn-only"}],
                },
            ],
            default_cache_behavior={
                "target_origin_id": "site",
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": ["GET", "HEAD", "OPTIONS"],
                "cached_methods": ["GET", "HEAD"],
                "compress": True,
                "min_ttl": 0,
                "default_ttl": 3600,
                "max_ttl": 86400,
                "forwarded_values": {"query_string": False, "cookies": {"forward": "none"}},
                "function_association": [{"eventType": "viewer-request", "functionArn": rewrite.arn}],
            },
            ordered_cache_behavior=[
                {
                    "pathPattern": "/api/*",
                    "targetOriginId": "api",
                    "viewerProtocolPolicy": "https-only",
                    "allowedMethods": ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
                    "cachedMethods": ["GET", "HEAD"],
                    "defaultTtl": 0,
                    "maxTtl": 0,
                    "forwardedValues": {
                        "queryString": True,
                        "headers": ["Authorization", "Origin"],
                        "cookies": {"forward": "whitelist", "whitelistedNames": ["session"]},
                    },
                }
            ],
            custom_error_response=[
                {"errorCode": 403, "responseCode": 200, "responsePagePath": "/index.html", "errorCachingMinTtl": 10},
                {"errorCode": 404, "responseCode": 200, "responsePagePath": "/index.html"},
            ],
            restrictions={"geo_restriction": {"restriction_type": "whitelist", "locations": ["GB", "IE", "FR", "DE"]}},
            viewer_certificate={
                "acm_certificate_arn": certificate.arn,
                "ssl_support_method": "sni-only",
                "minimum_protocol_version": "TLSv1.2_2021",
            },
            logging_config=CloudfrontDistributionLoggingConfig(
                bucket=logs.bucket_domain_name, prefix="cdn/", include_cookies=False
            ),
        )

        read_from_cdn = DataAwsIamPolicyDocument(
            self,
            "site-read",
            statement=[
                {
                    "actions": ["s3:GetObject"],
                    "resources": [f"{site.arn}/*"],
                    "principals": [{"type": "Service", "identifiers": ["cloudfront.amazonaws.com"]}],
                    "condition": [{"test": "StringEquals", "variable": "AWS:SourceArn", "values": [distribution.arn]}],
                }
            ],
        )
        S3BucketPolicy(self, "site-policy", bucket=site.id, policy=read_from_cdn.json)

        TerraformOutput(self, "cdn_domain", value=distribution.domain_name)
