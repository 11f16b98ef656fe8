"""Several AWS provider configurations: regions, an assumed role in another account.

Correct idioms exercised:
- ``AwsProvider(alias=...)`` instances passed as ``provider=`` to resources and data sources;
- provider ``default_tags`` and ``ignore_tags`` as lists of dicts (single-word ``tags``,
  camelCase ``keyPrefixes``) and ``assume_role`` as a list of dicts with camelCase keys
  (``roleArn``, ``sessionName``, ``externalId``);
- a dict of regions -> provider built in a loop; a cross-region KMS replica key and a
  cross-account Route53 record;
- ``allowed_account_ids`` as a list of strings.
"""

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.kms_replica_key import KmsReplicaKey
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.route53_record import Route53Record
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic

REGIONS = ["eu-west-1", "us-east-1", "ap-northeast-1"]
DNS_ACCOUNT_ROLE = "arn:aws:iam::444455556666:role/dns-delegation"


class MultiRegionStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        primary = AwsProvider(
            self,
            "aws",
            region="eu-west-1",
            allowed_account_ids=["111122223333"],
            default_tags=[{"tags": {"Owner": "platform", "Repository": "infra-global"}}],
            ignore_tags=[{"keyPrefixes": ["kubernetes.io/"], "keys": ["LastScannedBy"]}],
        )
        regional = {"eu-west-1": primary}
        for region in REGIONS[1:]:
            regional[region] = AwsProvider(
                self,
                f"aws-{region}",
                region=region,
                alias=region.replace("-", "_"),
                default_tags=[{"tags": {"Owner": "platform"}}],
            )

        dns_account = AwsProvider(
            self,
            "aws-dns",
            region="us-east-1",
            alias="dns",
            assume_role=[
                {"roleArn": DNS_ACCOUNT_ROLE, "sessionName": "cdktf-global", "externalId": "infra-global"}
            ],
        )

        DataAwsCallerIdentity(self, "dns-identity", provider=dns_account)

        key = KmsKey(self, "global-key", description="multi-region data key", multi_region=True, enable_key_rotation=True)
        for region, aws in regional.items():
            if aws is primary:
                continue
            KmsReplicaKey(
                self,
                f"global-key-{region}",
                primary_key_arn=key.arn,
                description=f"replica in {region}",
                deletion_window_in_days=7,
                provider=aws,
            )
            SnsTopic(self, f"alerts-{region}", name="platform-alerts", provider=aws)

        Route53Record(
            self,
            "status-page",
            provider=dns_account,
            zone_id="Z0123456789ABCDEFGHIJ",
            name="status.example.com",
            type="CNAME",
            ttl=300,
            records=["status.example-hosting.net"],
        )
