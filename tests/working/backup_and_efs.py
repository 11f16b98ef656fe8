"""AWS Backup for an EFS file system, with cross-region copies and tag-based selection.

Correct idioms exercised:
- BackupPlan ``rule`` as a list of dicts with camelCase keys (``ruleName``,
  ``targetVaultName``, ``startWindow``) holding a nested dict named ``lifecycle`` (a field of
  the rule, not the construct meta-argument) with camelCase keys (``deleteAfter``,
  ``coldStorageAfter``) and a ``copyAction`` list whose elements have their own
  ``lifecycle``;
- BackupSelection ``selection_tag`` and ``condition`` -> ``stringEquals`` lists;
- EFS ``lifecycle_policy`` as a list of dicts with camelCase keys (``transitionToIa``);
- EfsAccessPoint ``posix_user`` / ``root_directory`` -> ``creation_info`` as snake_case
  dicts, with numbers for uid/gid and a string for ``permissions``;
- mount targets created from a dict of subnets.
"""

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.backup_plan import BackupPlan
from cdktf_cdktf_provider_aws.backup_selection import BackupSelection
from cdktf_cdktf_provider_aws.backup_vault import BackupVault
from cdktf_cdktf_provider_aws.efs_access_point import EfsAccessPoint
from cdktf_cdktf_provider_aws.efs_file_system import EfsFileSystem
from cdktf_cdktf_provider_aws.efs_mount_target import EfsMountTarget
from cdktf_cdktf_provider_aws.provider import AwsProvider

MOUNT_SUBNETS = {"a": "subnet-0a1b2c3d4e5f60001", "b": "subnet-0a1b2c3d4e5f60002"}
DR_VAULT_ARN = "arn:aws:backup:eu-central-1:111122223333:backup-vault:dr"


class BackupStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")

        shared = EfsFileSystem(
            self,
            "shared-fs",
            creation_token="shared-fs",
            encrypted=True,
            performance_mode="generalPurpose",
            throughput_mode="elastic",
            lifecycle_policy=[{"transitionToIa": "AFTER_30_DAYS"}, {"transitionToPrimaryStorageClass": "AFTER_1_ACCESS"}],
            tags={"Name": "shared-fs", "Backup": "daily"},
        )
        for zone, subnet_id in MOUNT_SUBNETS.items():
            EfsMountTarget(
                self,
                f"shared-fs-{zone}",
                file_system_id=shared.id,
                subnet_id=subnet_id,
                security_groups=["sg-0a1b2c3d4e5f60003"],
            )
        EfsAccessPoint(
            self,
            "app-data",
            file_system_id=shared.id,
            posix_user={"uid": 1000, "gid": 1000, "secondary_gids": [2000]},
            root_directory={
                "path": "/app-data",
                "creation_info": {"owner_uid": 1000, "owner_gid": 1000, "permissions": "0750"},
            },
        )

        vault = BackupVault(self, "vault", name="primary", kms_key_arn="arn:aws:kms:eu-west-1:111122223333:key/0c0f3c5e-1111-4222-8333-944455556666")
        plan = BackupPlan(
            self,
            "plan",
            name="daily-and-monthly",
            rule=[
                {
                    "ruleName": "daily",
                    "targetVaultName": vault.name,
                    "schedule": "cron(0 3 * * ? *)",
                    "startWindow": 60,
                    "completionWindow": 180,
                    "lifecycle": {"deleteAfter": 35},
                    "recoveryPointTags": {"Frequency": "daily"},
                },
                {
                    "ruleName": "monthly",
                    "targetVaultName": vault.name,
                    "schedule": "cron(0 4 1 * ? *)",
                    "lifecycle": {"coldStorageAfter": 30, "deleteAfter": 365},
                    "copyAction": [{"destinationVaultArn": DR_VAULT_ARN, "lifecycle": {"deleteAfter": 365}}],
                },
            ],
            advanced_backup_setting=[{"resourceType": "EC2", "backupOptions": {"WindowsVSS": "enabled"}}],
        )
        BackupSelection(
            self,
            "by-tag",
            name="tagged-daily",
            plan_id=plan.id,
            iam_role_arn="arn:aws:iam::111122223333:role/aws-backup",
            selection_tag=[{"type": "STRINGEQUALS", "key": "Backup", "value": "daily"}],
        )
        BackupSelection(
            self,
            "by-condition",
            name="prod-efs",
            plan_id=plan.id,
            iam_role_arn="arn:aws:iam::111122223333:role/aws-backup",
            resources=["arn:aws:elasticfilesystem:*:*:file-system/*"],
            condition=[{"stringEquals": [{"key": "aws:ResourceTag/Environment", "value": "prod"}]}],
        )
