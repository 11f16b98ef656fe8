"""Inline blocks of S3Bucket and VpcPeeringConnection, whose struct names look like resources.

Correct idioms exercised:
- the inline-block struct classes of the ``s3_bucket`` module, which have no ``A`` because
  they are the structs the standalone resources collide with: ``S3BucketVersioning``,
  ``S3BucketServerSideEncryptionConfiguration`` (+ ``...Rule`` /
  ``...RuleApplyServerSideEncryptionByDefault``), ``S3BucketLogging``, ``S3BucketWebsite``,
  ``S3BucketCorsRule``: imported from ``s3_bucket``, not from the resource modules
  (``S3BucketVersioningA`` lives in ``s3_bucket_versioning``);
- the same inline blocks as snake_case dicts on a second bucket, and ``lifecycle_rule`` as
  a list of dicts with camelCase keys and a nested ``noncurrentVersionExpiration`` dict;
- ``VpcPeeringConnectionAccepter`` / ``VpcPeeringConnectionRequester``: the inline structs of
  ``vpc_peering_connection`` (the resource is ``VpcPeeringConnectionAccepterA`` in
  ``vpc_peering_connection_accepter``, whose own ``accepter`` block is given as a dict here).
"""

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import (
    S3Bucket,
    S3BucketCorsRule,
    S3BucketLogging,
    S3BucketServerSideEncryptionConfiguration,
    S3BucketServerSideEncryptionConfigurationRule,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault,
    S3BucketVersioning,
    S3BucketWebsite,
)
from cdktf_cdktf_provider_aws.vpc_peering_connection import (
    VpcPeeringConnection,
    VpcPeeringConnectionAccepter,
    VpcPeeringConnectionRequester,
)
from cdktf_cdktf_provider_aws.vpc_peering_connection_accepter import VpcPeeringConnectionAccepterA


class LegacyInlineStack(TerraformStack):
    """Buckets imported from a Terraform 0.12 codebase, kept in their inline form."""

    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")
        peer_provider = AwsProvider(
            self,
            "aws-peer",
            region="eu-west-1",
            alias="peer",
            assume_role=[{"roleArn": "arn:aws:iam::444455556666:role/peering-accepter"}],
        )

        logs = S3Bucket(self, "legacy-logs", bucket="legacy-access-logs", acl="log-delivery-write")
        S3Bucket(
            self,
            "legacy-site",
            bucket="legacy-site-example-com",
            versioning=S3BucketVersioning(enabled=True),
            server_side_encryption_configuration=S3BucketServerSideEncryptionConfiguration(
                rule=S3BucketServerSideEncryptionConfigurationRule(
                    apply_server_side_encryption_by_default=S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault(
                        sse_algorithm="AES256"
                    )
                )
            ),
            logging=S3BucketLogging(target_bucket=logs.id, target_prefix="site/"),
            website=S3BucketWebsite(index_document="index.html", error_document="404.html"),
            cors_rule=[S3BucketCorsRule(allowed_methods=["GET"], allowed_origins=["*"], max_age_seconds=600)],
        )
        S3Bucket(
            self,
            "legacy-archive",
            bucket="legacy-archive-example-com",
            versioning={"enabled": True, "mfa_delete": False},
            server_side_encryption_configuration={
                "rule": {"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}, "bucket_key_enabled": True}
            },
            logging={"target_bucket": logs.id, "target_prefix": "archive/"},
            lifecycle_rule=[
                {
                    "id": "archive",
                    "enabled": True,
                    "prefix": "reports/",
                    "transition": [{"days": 30, "storageClass": "GLACIER"}],
                    "noncurrentVersionExpiration": {"days": 365},
                    "abortIncompleteMultipartUploadDays": 3,
                }
            ],
        )

        VpcPeeringConnection(
            self,
            "legacy-peering-same-account",
            vpc_id="vpc-0legacy00000000a",
            peer_vpc_id="vpc-0legacy00000000b",
            auto_accept=True,
            accepter=VpcPeeringConnectionAccepter(allow_remote_vpc_dns_resolution=True),
            requester=VpcPeeringConnectionRequester(allow_remote_vpc_dns_resolution=True),
        )
        cross_account = VpcPeeringConnection(
            self,
            "legacy-peering-cross-account",
            vpc_id="vpc-0legacy00000000a",
            peer_vpc_id="vpc-0partner0000000c",
            peer_owner_id="444455556666",
        )
        VpcPeeringConnectionAccepterA(
            self,
            "legacy-peering-accept",
            provider=peer_provider,
            vpc_peering_connection_id=cross_account.id,
            auto_accept=True,
            accepter={"allow_remote_vpc_dns_resolution": True},
        )
