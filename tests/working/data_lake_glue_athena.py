"""Data lake catalog: Glue database, tables and crawler, Athena workgroup.

Correct idioms exercised:
- ``storage_descriptor`` as a snake_case dict holding a ``columns`` list of single-word-key
  dicts built by a comprehension, a ``ser_de_info`` snake_case dict with a ``parameters``
  map whose keys are SerDe settings (``serialization.format``);
- ``partition_keys`` as a list of single-word-key dicts;
- Glue crawler ``s3_target`` list with camelCase keys (``sampleSize``), ``schema_change_policy``
  and ``recrawl_policy`` snake_case dicts, ``configuration`` from ``json.dumps``;
- Athena ``configuration`` -> ``result_configuration`` -> ``encryption_configuration``
  snake_case three levels deep, ``bytes_scanned_cutoff_per_query`` as a number.
"""

import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.athena_workgroup import AthenaWorkgroup
from cdktf_cdktf_provider_aws.glue_catalog_database import GlueCatalogDatabase
from cdktf_cdktf_provider_aws.glue_catalog_table import GlueCatalogTable
from cdktf_cdktf_provider_aws.glue_crawler import GlueCrawler
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket

ORDER_COLUMNS = [("order_id", "string"), ("customer_id", "string"), ("total", "decimal(10,2)"), ("placed_at", "timestamp")]


class DataLakeStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-1")

        lake = S3Bucket(self, "lake", bucket="acme-data-lake")
        results = S3Bucket(self, "athena-results", bucket="acme-athena-results")

        database = GlueCatalogDatabase(self, "analytics", name="analytics", description="Curated analytics tables")

        GlueCatalogTable(
            self,
            "orders-table",
            database_name=database.name,
            name="orders",
            table_type="EXTERNAL_TABLE",
            parameters={"classification": "parquet", "EXTERNAL": "TRUE"},
            partition_keys=[{"name": "dt", "type": "string"}, {"name": "region", "type": "string"}],
            storage_descriptor={
                "location": f"s3://{lake.bucket}/curated/orders/",
                "input_format": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                "output_format": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                "compressed": True,
                "columns": [{"name": name, "type": kind} for name, kind in ORDER_COLUMNS],
                "ser_de_info": {
                    "name": "parquet",
                    "serialization_library": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                    "parameters": {"serialization.format": "1"},
                },
            },
        )

        GlueCrawler(
            self,
            "raw-crawler",
            name="raw-events",
            database_name=database.name,
            role="arn:aws:iam::111122223333:role/glue-crawler",
            schedule="cron(0 5 * * ? *)",
            s3_target=[
                {"path": f"s3://{lake.bucket}/raw/events/", "exclusions": ["**/_temporary/**"], "sampleSize": 10},
            ],
            schema_change_policy={"update_behavior": "UPDATE_IN_DATABASE", "delete_behavior": "LOG"},
            recrawl_policy={"recrawl_behavior": "CRAWL_EVERYTHING"},
            configuration=json.dumps(
                {"Version": 1.0, "Grouping": {"TableGroupingPolicy": "CombineCompatibleSchemas"}}
            ),
        )

        AthenaWorkgroup(
            self,
            "analysts",
            name="analysts",
            force_destroy=False,
            configuration={
                "enforce_workgroup_configuration": True,
                "publish_cloudwatch_metrics_enabled": True,
                "bytes_scanned_cutoff_per_query": 10 * 1024**3,
                "engine_version": {"selected_engine_version": "Athena engine version 3"},
                "result_configuration": {
                    "output_location": f"s3://{results.bucket}/analysts/",
                    "encryption_configuration": {"encryption_option": "SSE_S3"},
                },
            },
        )
