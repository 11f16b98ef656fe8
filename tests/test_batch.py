"""Batch repair: folders of samples and JSONL datasets into a separate output."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.io.batch import BatchError, batch_folder
from cdktf_fix.datasets.jsonl_batch import batch_jsonl
from cdktf_fix.cli import app
from cdktf_fix.engine.options import Options

BAD = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b', versioning_configuration=c)\n"
GOOD = BAD.replace("S3BucketVersioning", "S3BucketVersioningA")
MARKDOWN = f"Here is the stack:\n\n```python\n{BAD}```\n\nDone.\n"
UNFIXABLE = "from cdktf_cdktf_provider_aws.ecs_task_definition import EcsTaskDefinitionContainerDefinitions\nx = EcsTaskDefinitionContainerDefinitions(name=\"web\")\n"


def _fingerprint(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    src = tmp_path / "samples"
    (src / "good_one" / "lib").mkdir(parents=True)
    (src / "good_one" / "lib" / "stack.py").write_text(BAD)
    (src / "good_one" / "notes.txt").write_text("kept as it is\n")
    (src / "good_one" / "lambda.zip").write_bytes(b"PK\x03\x04\x00\xff")
    (src / "response.md").write_text(MARKDOWN)
    (src / "broken").mkdir()
    (src / "broken" / "binary.py").write_bytes(b"import cdktf\x00\x01")
    (src / "broken" / "syntax.py").write_text("import cdktf\ndef f(:\n")
    (src / "left").mkdir()
    (src / "left" / "main.py").write_text(UNFIXABLE)
    (src / ".git").mkdir()
    (src / ".git" / "config").write_text("[core]\n")
    (src / "INDEX.txt").write_text("top-level file, not a sample\n")
    return src


@pytest.mark.parametrize("jobs", [1, 2])
def test_folder_batch_repairs_into_a_copy_and_names_the_bad_sample(samples: Path, tmp_path: Path, jobs: int):
    before = _fingerprint(samples)
    out = tmp_path / "out"
    report = batch_folder(samples, out, Options(), jobs=jobs)
    assert _fingerprint(samples) == before  # the source is never touched
    assert (out / "good_one" / "lib" / "stack.py").read_text() == GOOD
    assert (out / "good_one" / "lambda.zip").read_bytes() == (samples / "good_one" / "lambda.zip").read_bytes()
    assert (out / "response.md").read_text() == MARKDOWN.replace(BAD, GOOD)
    assert (out / "broken" / "binary.py").read_bytes() == (samples / "broken" / "binary.py").read_bytes()
    assert (out / "INDEX.txt").exists() and not (out / ".git").exists()
    by_name = {s.name: s for s in report.samples}
    assert list(by_name) == ["broken", "good_one", "left", "response.md"]
    assert by_name["broken"].bad and len(by_name["broken"].errors) == 2
    assert any("binary.py: binary file" in e for e in by_name["broken"].errors)
    assert any("syntax.py: syntax error at line 2" in e for e in by_name["broken"].errors)
    assert by_name["good_one"].clean_after and by_name["good_one"].fixes == {"class-name": 1}
    assert by_name["left"].findings and not by_name["left"].clean_after
    summary = report.summary()
    assert (summary["samples"], summary["changed"], summary["clean_after"], summary["bad"]) == (4, 2, 2, 1)
    assert summary["fixes"] == {"class-name": 2}


def test_folder_batch_refuses_outputs_that_could_touch_the_source(samples: Path, tmp_path: Path):
    with pytest.raises(BatchError, match="inside the source"):
        batch_folder(samples, samples / "out", Options())
    with pytest.raises(BatchError, match="must differ"):
        batch_folder(samples, samples, Options())
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(BatchError, match="not an empty folder"):
        batch_folder(samples, tmp_path / "full", Options())
    with pytest.raises(BatchError, match="no such file"):
        batch_folder(tmp_path / "missing", tmp_path / "o", Options())


def _jsonl(tmp_path: Path) -> Path:
    records = [
        json.dumps({"id": 1, "response": MARKDOWN, "score": 0.5}),
        json.dumps({"id": 2, "response": BAD, "meta": {"lang": "é"}}, ensure_ascii=False),
        '{"id":3,   "response": "print(1)\\n"}',  # needs nothing: must come back byte for byte
        "not json at all",
        "",
        json.dumps({"id": 5, "other": "no response field"}),
        json.dumps({"id": 6, "response": 42}),
        json.dumps({"id": 7, "messages": [{"content": "hi"}, {"content": MARKDOWN}]}),
    ]
    path = tmp_path / "data.jsonl"
    path.write_bytes("\r\n".join(records).encode() + b"\r\n")
    return path


def test_jsonl_repairs_one_field_and_keeps_everything_else(tmp_path: Path):
    src = _jsonl(tmp_path)
    original = src.read_bytes()
    out = tmp_path / "repaired.jsonl"
    report = batch_jsonl(src, out, "response", Options())
    assert src.read_bytes() == original
    lines = out.read_bytes().split(b"\r\n")
    old = original.split(b"\r\n")
    assert len(lines) == len(old)
    first, second = json.loads(lines[0]), json.loads(lines[1])
    assert first == {"id": 1, "response": MARKDOWN.replace(BAD, GOOD), "score": 0.5}
    assert second == {"id": 2, "response": GOOD, "meta": {"lang": "é"}}
    assert lines[2:] == old[2:]  # unchanged, bad and blank lines come back byte for byte
    names = {s.name: s for s in report.samples}
    assert len(names) == 7  # the blank line is kept but is not a sample
    assert names["line 4"].errors[0].startswith("not JSON")
    assert names["line 6"].errors == ["no field 'response'"]
    assert names["line 7"].errors == ["field 'response' is int, not text"]
    assert report.summary()["bad"] == 4  # lines 4, 6, 7 and 8 (no 'response' field)


def test_jsonl_nested_field_and_counts(tmp_path: Path):
    src = _jsonl(tmp_path)
    out = tmp_path / "repaired.jsonl"
    report = batch_jsonl(src, out, "messages.1.content", Options(), jobs=2, add_counts=True)
    records = [json.loads(line) for line in out.read_text().splitlines() if line.strip() and line != "not json at all"]
    last = records[-1]
    assert last["messages"][1]["content"] == MARKDOWN.replace(BAD, GOOD)
    assert last["cdktf_fix"] == {"fixes": 1, "findings": 0, "by_codemod": {"class-name": 1}}
    assert report.samples[-1].changed


def test_cli_batch_prints_one_summary_and_writes_the_report(samples: Path, tmp_path: Path):
    out, report_path = tmp_path / "out", tmp_path / "report.json"
    result = CliRunner().invoke(app, ["batch", str(samples), "--out", str(out), "--jobs", "1", "--report", str(report_path)])
    assert result.exit_code == 2, result.output  # a bad sample
    assert "bad broken:" in result.output and "class-name" in result.output
    assert "\x1b" not in result.output and "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━" not in result.output.split("\n")[0]
    data = json.loads(report_path.read_text())
    assert data["summary"]["samples"] == 4 and [s["name"] for s in data["samples"]][0] == "broken"


def test_cli_batch_needs_a_field_for_jsonl(tmp_path: Path):
    result = CliRunner().invoke(app, ["batch", str(_jsonl(tmp_path)), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2 and "--field" in result.output


def test_a_huge_file_is_a_named_bad_sample(tmp_path: Path, monkeypatch):
    import cdktf_fix.io.sources

    monkeypatch.setattr(cdktf_fix.io.sources, "MAX_BYTES", 100)
    src = tmp_path / "src"
    src.mkdir()
    (src / "huge.py").write_text(BAD * 10)
    report = batch_folder(src, tmp_path / "out", Options())
    [error] = report.samples[0].errors
    assert error.startswith("huge.py: larger than")
    assert (tmp_path / "out" / "huge.py").read_text() == BAD * 10


def test_a_folder_of_jsonl_shards_is_one_dataset(tmp_path: Path):
    """Every shard repaired into the same relative path under the output folder (an empty shard
    too; ``_SUCCESS`` and hidden files left out), each byte for byte what a one-file batch of it
    writes; records are named with their shard."""
    src = tmp_path / "shards"
    (src / "day=1").mkdir(parents=True)
    (src / "part-0.jsonl").write_text(json.dumps({"r": BAD}) + "\n\n" + json.dumps({"r": GOOD}) + "\n")
    (src / "day=1" / "part-1.ndjson").write_bytes(b"\xef\xbb\xbf" + json.dumps({"r": MARKDOWN}).encode() + b"\r\n{oops\n")
    (src / "day=1" / "empty.jsonl").write_bytes(b"")
    (src / "_SUCCESS").write_bytes(b"")
    (src / ".part-0.jsonl.crc").write_bytes(b"crc")
    result = CliRunner().invoke(app, ["batch", str(src), "--out", str(tmp_path / "out"), "--field", "r", "--jobs", "2", "--report", str(tmp_path / "r.json")])
    assert result.exit_code == 2, result.output  # one record is not JSON
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written == ["day=1/empty.jsonl", "day=1/part-1.ndjson", "part-0.jsonl"]
    for name in written:
        batch_jsonl(src / name, tmp_path / "one.jsonl", "r", Options())
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert json.loads((tmp_path / "out" / "part-0.jsonl").read_text().splitlines()[0])["r"] == GOOD
    names = [s["name"] for s in json.loads((tmp_path / "r.json").read_text())["samples"]]
    assert names == ["day=1/part-1.ndjson line 1", "day=1/part-1.ndjson line 2", "part-0.jsonl line 1", "part-0.jsonl line 3"]
    assert "bad day=1/part-1.ndjson line 2: not JSON" in result.stdout


def test_a_folder_with_other_files_is_a_folder_of_samples(tmp_path: Path):
    src = tmp_path / "mixed"
    src.mkdir()
    (src / "data.jsonl").write_text(json.dumps({"r": BAD}) + "\n")
    (src / "stack.py").write_text(BAD)
    result = CliRunner().invoke(app, ["batch", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "stack.py").read_text() == GOOD
    assert (tmp_path / "out" / "data.jsonl").read_bytes() == (src / "data.jsonl").read_bytes()  # copied as it is


def test_jsonl_shards_refuse_a_linked_folder_and_write_nothing(tmp_path: Path):
    src = tmp_path / "shards"
    src.mkdir()
    (src / "a.jsonl").write_text(json.dumps({"r": BAD}) + "\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.jsonl").write_text(json.dumps({"r": BAD}) + "\n")
    (src / "more").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(BatchError, match="more is a symbolic link to a folder: not followed"):
        batch_jsonl(src, tmp_path / "out", "r", Options())
    assert not (tmp_path / "out").exists()
