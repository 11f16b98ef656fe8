"""Datasets of generated samples: JSONL and Parquet files or folders of shards, repaired record
by record on this machine or on a Dask cluster, and the per-record repair they all map
(``records.repair_record``, public as ``cdktf_fix.repair_record``)."""
