"""DynamoDB tables: a single-table design, a Terraform lock table and a global table.

Correct idioms exercised:
- ``attribute`` as a list of dicts with single-word keys (``name``, ``type``), built by a
  comprehension from a module-level mapping;
- ``global_secondary_index`` as a list of dicts with jsii camelCase keys (``hashKey``,
  ``rangeKey``, ``projectionType``, ``nonKeyAttributes``) and explicit struct classes for
  ``local_secondary_index``;
- ``ttl``, ``point_in_time_recovery`` and ``server_side_encryption`` as snake_case dicts;
- ``replica`` as a list of dicts with camelCase keys (``regionName``,
  ``pointInTimeRecovery``);
- ``lifecycle`` as a dict with snake_case keys (``prevent_destroy``, ``ignore_changes``);
- numbers for ``read_capacity`` / ``write_capacity``.
"""

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableLocalSecondaryIndex
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider

KEY_SCHEMA = {"pk": "S", "sk": "S", "gsi1pk": "S", "gsi1sk": "S", "createdAt": "N"}


class DynamoStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-1")
        key = KmsKey(self, "table-key", description="orders table", enable_key_rotation=True)

        orders = DynamodbTable(
            self,
            "orders",
            name="orders",
            billing_mode="PAY_PER_REQUEST",
            hash_key="pk",
            range_key="sk",
            attribute=[{"name": name, "type": kind} for name, kind in KEY_SCHEMA.items()],
            global_secondary_index=[
                {
                    "name": "gsi1",
                    "hashKey": "gsi1pk",
                    "rangeKey": "gsi1sk",
                    "projectionType": "ALL",
                },
                {
                    "name": "by-created",
                    "hashKey": "gsi1pk",
                    "rangeKey": "createdAt",
                    "projectionType": "INCLUDE",
                    "nonKeyAttributes": ["status", "total"],
                },
            ],
            local_secondary_index=[
                DynamodbTableLocalSecondaryIndex(name="by-created-local", range_key="createdAt", projection_type="KEYS_ONLY"),
            ],
            ttl={"attribute_name": "expiresAt", "enabled": True},
            point_in_time_recovery={"enabled": True},
            server_side_encryption={"enabled": True, "kms_key_arn": key.arn},
            stream_enabled=True,
            stream_view_type="NEW_AND_OLD_IMAGES",
            deletion_protection_enabled=True,
            lifecycle={"prevent_destroy": False, "ignore_changes": ["read_capacity", "write_capacity"]},
            tags={"Service": "orders"},
        )

        locks = DynamodbTable(
            self,
            "terraform-locks",
            name="terraform-locks",
            billing_mode="PROVISIONED",
            read_capacity=5,
            write_capacity=5,
            hash_key="LockID",
            attribute=[{"name": "LockID", "type": "S"}],
        )

        DynamodbTable(
            self,
            "sessions",
            name="sessions",
            billing_mode="PAY_PER_REQUEST",
            hash_key="sessionId",
            attribute=[{"name": "sessionId", "type": "S"}],
            stream_enabled=True,
            stream_view_type="NEW_AND_OLD_IMAGES",
            replica=[
                {"regionName": "eu-west-1", "pointInTimeRecovery": True},
                {"regionName": "ap-southeast-2", "propagateTags": True},
            ],
            ttl={"attribute_name": "expiresAt", "enabled": True},
        )

        TerraformOutput(self, "orders_table_stream", value=orders.stream_arn)
        TerraformOutput(self, "lock_table_name", value=locks.name)
