"""A KMS key and its alias, imported through a module alias."""

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack, S3Backend
from cdktf_cdktf_provider_aws.provider import AwsProvider
import cdktf_cdktf_provider_aws.kms_key as kms
import cdktf_cdktf_provider_aws.kms_alias


class KeysStack(TerraformStack):
    def __init__(self, scope: Construct, name: str, region: str):
        super().__init__(scope, name)
        AwsProvider(self, "aws", region=region)
        S3Backend(self, bucket="acme-terraform-state", key=f"{name}.tfstate", region=region)
        self.key = kms.KmsKey(self, "data", description="data at rest", enable_key_rotation=True)
        cdktf_cdktf_provider_aws.kms_alias.KmsAlias(self, "data-alias", name="alias/data", target_key_id=self.key.key_id)
        TerraformOutput(self, "key_arn", value=self.key.arn)
