"""The bundled examples carry the seed failures; repaired, they import and synthesize."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cdktf_fix.schema.model import PROVIDER_PACKAGE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def _unresolvable(code: str, schema) -> list[str]:
    bad = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PROVIDER_PACKAGE):
            for alias in node.names:
                if node.module == PROVIDER_PACKAGE or not schema.defines(node.module, alias.name):
                    bad.append(f"{node.module}.{alias.name}")
    return bad


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_has_seed_failures_and_repairs_cleanly(example, engine, schema):
    source = example.read_text()
    assert _unresolvable(source, schema), "an example must carry failures"
    result = engine.repair(source)
    assert _unresolvable(result.new_source, schema) == []
    assert not result.findings
    assert engine.repair(result.new_source).new_source == result.new_source


def _synth(code: str, tmp_path: Path, stack: str) -> Path:
    if shutil.which("node") is None:
        pytest.skip("node is needed for a real synth")
    (tmp_path / "main.py").write_text(code)
    env = {**os.environ, "CDKTF_OUTDIR": str(tmp_path / "cdktf.out"), "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1"}
    run = subprocess.run([sys.executable, "main.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    out = tmp_path / "cdktf.out" / "stacks" / stack / "cdk.tf.json"
    assert out.is_file(), run.stdout + run.stderr
    return out


@pytest.mark.slow
def test_repaired_seed_000_example_synthesizes(engine, tmp_path):
    """Real synth (~15 s): the repaired S3 example produces the resources it declares."""
    import json

    code = engine.repair((ROOT / "examples" / "s3_data_bucket.py").read_text()).new_source
    out = json.loads(_synth(code, tmp_path, "data-bucket").read_text())
    resources = out["resource"]
    assert set(resources) >= {"aws_s3_bucket", "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration"}
    rule = next(iter(resources["aws_s3_bucket_server_side_encryption_configuration"].values()))["rule"]
    assert rule[0]["apply_server_side_encryption_by_default"]["sse_algorithm"] == "AES256"
