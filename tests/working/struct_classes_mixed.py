"""Explicit struct classes mixed with dicts, at several depths.

Correct idioms exercised:
- a struct class built with a dict for a single nested block: inside a Python struct
  constructor the dict becomes the nested struct by keyword, so its keys are snake_case
  even when the struct sits in a list (``LbListenerDefaultAction(redirect={"status_code":
  ...})``);
- a list of dicts given to a struct constructor stays a plain map for jsii: camelCase
  (``S3BucketLifecycleConfigurationRule(transition=[{"storageClass": ...}])``);
- a list mixing struct instances and dicts (lifecycle rules, GSIs, target groups);
- struct classes for single blocks (``LambdaFunctionVpcConfig``,
  ``DynamodbTablePointInTimeRecovery``) next to dict siblings;
- the A-suffixed nested struct ``S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA``
  inside a dict rule (camelCase key, struct value).
"""

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.dynamodb_table import (
    DynamodbTable,
    DynamodbTableAttribute,
    DynamodbTableGlobalSecondaryIndex,
    DynamodbTablePointInTimeRecovery,
)
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction, LambdaFunctionEnvironment, LambdaFunctionVpcConfig
from cdktf_cdktf_provider_aws.lb import Lb
from cdktf_cdktf_provider_aws.lb_listener import LbListener, LbListenerDefaultAction
from cdktf_cdktf_provider_aws.lb_listener_rule import LbListenerRule, LbListenerRuleAction, LbListenerRuleCondition
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup, LbTargetGroupHealthCheck
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleFilter,
)
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)


class MixedStructsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="sa-east-1")

        media = S3Bucket(self, "media", bucket_prefix="media-")
        S3BucketServerSideEncryptionConfigurationA(
            self,
            "media-sse",
            bucket=media.id,
            rule=[
                {
                    "applyServerSideEncryptionByDefault": S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                        sse_algorithm="aws:kms", kms_master_key_id="alias/aws/s3"
                    ),
                    "bucketKeyEnabled": True,
                }
            ],
        )
        S3BucketLifecycleConfiguration(
            self,
            "media-lifecycle",
            bucket=media.id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="thumbnails",
                    status="Enabled",
                    filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="thumbs/")],
                    transition=[{"days": 30, "storageClass": "ONEZONE_IA"}],
                    expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=180)],
                ),
                {
                    "id": "uploads",
                    "status": "Enabled",
                    "filter": [{"prefix": "incoming/"}],
                    "abortIncompleteMultipartUpload": [{"daysAfterInitiation": 1}],
                    "expiration": [{"days": 7}],
                },
            ],
        )

        DynamodbTable(
            self,
            "media-index",
            name="media-index",
            billing_mode="PAY_PER_REQUEST",
            hash_key="mediaId",
            attribute=[
                DynamodbTableAttribute(name="mediaId", type="S"),
                {"name": "ownerId", "type": "S"},
                {"name": "uploadedAt", "type": "N"},
            ],
            global_secondary_index=[
                DynamodbTableGlobalSecondaryIndex(
                    name="by-owner", hash_key="ownerId", range_key="uploadedAt", projection_type="ALL"
                ),
                {"name": "by-upload-time", "hashKey": "uploadedAt", "projectionType": "KEYS_ONLY"},
            ],
            point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=True),
            ttl={"attribute_name": "purgeAt", "enabled": True},
        )

        LambdaFunction(
            self,
            "transcoder",
            function_name="transcoder",
            role="arn:aws:iam::111122223333:role/transcoder",
            image_uri="111122223333.dkr.ecr.sa-east-1.amazonaws.com/transcoder:2.3.1",
            package_type="Image",
            memory_size=3008,
            timeout=900,
            vpc_config=LambdaFunctionVpcConfig(
                subnet_ids=["subnet-0aa11bb22cc33dd44"], security_group_ids=["sg-0aa11bb22cc33dd44"]
            ),
            environment=LambdaFunctionEnvironment(variables={"BUCKET": media.bucket}),
            image_config={"command": ["app.handler"], "working_directory": "/var/task"},
        )

        alb = Lb(self, "media-alb", name="media", subnets=["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"])
        target_group = LbTargetGroup(
            self,
            "media-tg",
            name="media",
            port=80,
            protocol="HTTP",
            vpc_id="vpc-0aa11bb22cc33dd44",
            health_check=LbTargetGroupHealthCheck(path="/ping", healthy_threshold=2, interval=10),
        )
        listener = LbListener(
            self,
            "media-http",
            load_balancer_arn=alb.arn,
            port=80,
            protocol="HTTP",
            default_action=[
                LbListenerDefaultAction(
                    type="redirect",
                    redirect={"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"},
                )
            ],
        )
        LbListenerRule(
            self,
            "media-health",
            listener_arn=listener.arn,
            priority=1,
            action=[
                LbListenerRuleAction(
                    type="forward",
                    forward={"target_group": [{"arn": target_group.arn, "weight": 1}], "stickiness": {"enabled": False, "duration": 60}},
                )
            ],
            condition=[
                LbListenerRuleCondition(path_pattern={"values": ["/ping"]}, http_request_method={"values": ["GET", "HEAD"]}),
                {"sourceIp": {"values": ["10.0.0.0/8"]}},
            ],
        )
