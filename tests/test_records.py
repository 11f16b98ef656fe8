"""``cdktf_fix.repair_record``: the per-record function every batch engine maps, public so the
same repair runs from Ray, Spark or ``datasets.map``."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from cdktf_fix import repair_record
from cdktf_fix.engine.options import Options
from cdktf_fix.datasets.jsonl_batch import batch_jsonl

ROOT = Path(__file__).resolve().parent.parent
CODE = (ROOT / "examples" / "s3_data_bucket.py").read_text()
RESPONSE = "Here is the stack:\n\n```python\n" + CODE + "```\n\nRun `cdktf synth`.\n"


def test_a_python_record_is_repaired_with_its_counts():
    result = repair_record(CODE)
    assert result.status == "changed" and result.changed
    assert "S3BucketVersioningA" in result.text and result.text != CODE
    assert result.fixes and sum(result.fixes.values()) >= 1
    assert result.target.startswith("cdktf 0.21.0 + cdktf-cdktf-provider-aws 21.22.1")
    again = repair_record(result.text)
    assert again.status == "unchanged" and again.text == result.text


def test_a_markdown_response_keeps_every_byte_outside_its_python_block():
    result = repair_record(RESPONSE)
    assert result.text.startswith("Here is the stack:\n\n```python\n") and result.text.endswith("```\n\nRun `cdktf synth`.\n")
    assert result.text == RESPONSE.replace(CODE, repair_record(CODE).text)


def test_text_without_provider_code_is_skipped_as_it_is():
    result = repair_record("print('hello')\n")
    assert result.status == "skipped" and result.text == "print('hello')\n" and result.target is None


def test_it_is_what_batch_writes_for_the_field(tmp_path):
    records = [{"id": 1, "response": RESPONSE}, {"id": 2, "response": CODE}, {"id": 3, "response": "no code"}]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    batch_jsonl(src, out, "response", Options())
    written = [json.loads(line)["response"] for line in out.read_text().splitlines()]
    assert written == [repair_record(r["response"]).text for r in records]


def test_options_and_target_are_arguments():
    unsafe = repair_record(CODE, options=Options(unsafe_fixes=True))
    assert unsafe.status == "changed"
    cdktn = repair_record(CODE.replace("cdktf_cdktf_provider_aws", "cdktn_provider_aws").replace("from cdktf ", "from cdktn "), target=("cdktn",), offline=True)
    assert cdktn.target.startswith("cdktn 0.24.0 + cdktn-provider-aws 25.8.1")


def _first_line(text: str) -> str:
    return repair_record(text).text.splitlines()[0]


def test_it_runs_in_other_processes_the_way_distributed_engines_call_it():
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        lines = pool.map(_first_line, [CODE, RESPONSE])
    assert lines == [repair_record(CODE).text.splitlines()[0], RESPONSE.splitlines()[0]]
