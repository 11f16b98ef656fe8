"""Batch repair of Parquet files and dataset folders (``cdktf_fix.datasets.parquet``)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from cdktf_fix import repair_record  # noqa: E402
from cdktf_fix.engine.options import Options  # noqa: E402
from cdktf_fix.io.errors import BatchError  # noqa: E402
from cdktf_fix.datasets.files import is_parquet  # noqa: E402
from cdktf_fix.datasets.parquet import batch_parquet  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [p.read_text() for p in sorted((ROOT / "examples").glob("*.py"))]
PLAIN = "print('no provider code here')\n"
PROSE = "No code at all, just an answer.\n"


def _markdown(code: str) -> str:
    return f"Here is the stack:\n\n```python\n{code}```\n\nDeploy it with `cdktf deploy`.\n"


def _responses() -> list[str | None]:
    values: list[str | None] = []
    for code in EXAMPLES:
        values += [code, _markdown(code)]
    return values + [PLAIN, None, PROSE, ""]


def _table(responses: list[str | None], text_type=None):
    """Records of every kind of column around ``response``, with field and schema metadata."""
    text_type = text_type or pa.string()
    n = len(responses)
    schema = pa.schema(
        [
            pa.field("id", pa.int64(), nullable=False),
            pa.field("response", text_type, metadata={b"description": b"the model's answer"}),
            pa.field("score", pa.float64()),
            pa.field("meta", pa.struct([("model", pa.string()), ("seed", pa.int32())])),
            pa.field("tags", pa.list_(pa.string())),
            pa.field("prompt", pa.large_string()),
        ],
        metadata={b"dataset": b"cdktf-samples", b"version": b"3"},
    )
    return pa.table(
        {
            "id": list(range(n)),
            "response": responses,
            "score": [i / 7 if i % 3 else None for i in range(n)],
            "meta": [{"model": f"m{i % 2}", "seed": i} if i % 4 else None for i in range(n)],
            "tags": [[f"t{i}", "é"] if i % 2 else [] for i in range(n)],
            "prompt": [f"Write stack {i}" for i in range(n)],
        },
        schema=schema,
    )


def _write(path: Path, table, row_group_size: int = 3, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=row_group_size, **options)
    return path


def _expected(value):
    return None if value is None else repair_record(value).text


def _group_sizes(path: Path) -> list[int]:
    metadata = pq.read_metadata(path)
    return [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]


def _without(table, name: str):
    return table.drop_columns([name])


def test_repairs_the_column_and_keeps_everything_else(tmp_path: Path):
    responses = _responses()
    src = _write(tmp_path / "in" / "samples.parquet", _table(responses))
    before = src.read_bytes()
    out = tmp_path / "out" / "samples.parquet"
    seen: list = []
    report = batch_parquet(src, out, "response", Options(), on_start=seen.append, on_sample=lambda s: seen.append(s.name))
    assert src.read_bytes() == before  # never touched
    assert os.listdir(out.parent) == ["samples.parquet"]  # no temporary file left
    old, new = pq.read_table(src), pq.read_table(out)
    assert new.schema.equals(old.schema, check_metadata=True)
    assert new.schema.field("response").metadata == {b"description": b"the model's answer"}
    assert new.schema.metadata == old.schema.metadata
    assert _without(new, "response").equals(_without(old, "response"))  # other columns, same rows, same order
    repaired = new.column("response").to_pylist()
    assert repaired == [_expected(v) for v in responses]
    assert repaired[0] != responses[0] and repaired[1] != responses[1]  # the examples need fixes
    assert repaired[len(EXAMPLES) * 2:] == [PLAIN, None, PROSE, ""]
    assert _group_sizes(out) == _group_sizes(src) == [3, 3, 2]

    names = [f"row {i}" for i in range(1, len(responses) + 1)]
    assert seen == [len(responses)] + names
    assert [s.name for s in report.samples] == names
    null = report.samples[responses.index(None)]
    assert null.bad and null.errors == ["field 'response' is null, not text"]
    summary = report.summary()
    assert summary["samples"] == len(responses)
    assert summary["changed"] == 2 * len(EXAMPLES)
    assert summary["bad"] == 1
    assert summary["clean_after"] == len(responses) - 1
    fixes = sum(sum(repair_record(v).fixes.values()) for v in responses if v is not None)
    assert sum(summary["fixes"].values()) == fixes > 0
    json.dumps(report.to_dict())  # the --report of the CLI


def test_two_workers_write_the_same_file_as_one(tmp_path: Path):
    src = _write(tmp_path / "samples.parquet", _table(_responses()), row_group_size=4)
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    first = batch_parquet(src, one, "response", Options(), jobs=1, add_counts=True)
    second = batch_parquet(src, two, "response", Options(), jobs=2, add_counts=True)
    assert one.read_bytes() == two.read_bytes()
    assert second.jobs == 2
    assert [s.to_dict() | {"seconds": 0} for s in first.samples] == [s.to_dict() | {"seconds": 0} for s in second.samples]


def test_large_string_column_and_counts(tmp_path: Path):
    responses = _responses()
    src = _write(tmp_path / "samples.parquet", _table(responses, pa.large_string()))
    out = tmp_path / "counted.parquet"
    report = batch_parquet(src, out, "response", Options(), add_counts=True)
    new = pq.read_table(out)
    assert new.schema.field("response").type == pa.large_string()
    assert new.schema.names == pq.read_schema(src).names + ["cdktf_fix"]
    assert new.schema.field("cdktf_fix").type == pa.string()
    counts = new.column("cdktf_fix").to_pylist()
    for value, sample, written in zip(responses, report.samples, counts):
        assert written == (None if value is None else json.dumps(sample.counts()))
    assert json.loads(counts[0])["fixes"] > 0 and json.loads(counts[0])["by_codemod"]
    assert new.column("response").to_pylist() == [_expected(v) for v in responses]

    # again on the output: the counts column is replaced in its place, the repair changes nothing
    again = tmp_path / "again.parquet"
    report = batch_parquet(out, again, "response", Options(), add_counts=True)
    second = pq.read_table(again)
    assert second.schema.equals(new.schema, check_metadata=True)
    assert second.column("response").equals(new.column("response"))
    assert not any(s.changed for s in report.samples)
    assert all(c is None or json.loads(c)["fixes"] == 0 for c in second.column("cdktf_fix").to_pylist())


def test_compression_is_kept(tmp_path: Path):
    src = _write(tmp_path / "z.parquet", _table([PLAIN, EXAMPLES[0]]), compression="zstd")
    out = tmp_path / "z_out.parquet"
    batch_parquet(src, out, "response", Options())
    metadata = pq.read_metadata(out)
    assert {metadata.row_group(0).column(i).compression for i in range(metadata.num_columns)} == {"ZSTD"}


def test_a_dataset_folder_mirrors_its_files(tmp_path: Path):
    src = tmp_path / "dataset"
    responses = _responses()
    half = len(responses) // 2
    _write(src / "year=2025" / "part-0.parquet", _table(responses[:half]), row_group_size=2)
    _write(src / "year=2024" / "part-0.parquet", _table(responses[half:]))
    (src / "_SUCCESS").write_text("")
    (src / "year=2024" / ".part-0.parquet.crc").write_bytes(b"crc")
    assert is_parquet(src) and is_parquet(src / "year=2024" / "part-0.parquet")
    out = tmp_path / "repaired"
    report = batch_parquet(src, out, "response", Options(), jobs=2)
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["year=2024/part-0.parquet", "year=2025/part-0.parquet"]
    for relative, values in (("year=2024/part-0.parquet", responses[half:]), ("year=2025/part-0.parquet", responses[:half])):
        old, new = pq.read_table(src / relative), pq.read_table(out / relative)
        assert new.schema.equals(old.schema, check_metadata=True)
        assert _without(new, "response").equals(_without(old, "response"))
        assert new.column("response").to_pylist() == [_expected(v) for v in values]
        assert _group_sizes(out / relative) == _group_sizes(src / relative)
    names = [s.name for s in report.samples]
    assert names[0] == "year=2024/part-0.parquet row 1" and names[-1] == f"year=2025/part-0.parquet row {half}"
    assert len(names) == len(responses)


def test_an_empty_file_keeps_its_schema(tmp_path: Path):
    src = _write(tmp_path / "empty.parquet", _table([]))
    out = tmp_path / "empty_out.parquet"
    report = batch_parquet(src, out, "response", Options())
    assert report.samples == []
    assert pq.read_schema(out).equals(pq.read_schema(src), check_metadata=True)
    assert pq.read_table(out).num_rows == 0


@pytest.mark.parametrize(
    "field, message",
    [
        ("answer", "no column 'answer' \\(columns: id, response, score, meta, tags, prompt\\)"),
        ("id", "column 'id' is int64, not a string column"),
        ("tags", "column 'tags' is list<element: string>, not a string column"),
        ("meta.seed", "--field 'meta.seed' is int32, not a string$"),
        ("meta.nope", "--field 'meta.nope': 'nope' is neither a field of a struct nor an item of a list in struct<model: string, seed: int32>"),
        ("tags.first", "'first' is neither a field of a struct nor an item of a list"),
        ("", "name a string column"),
    ],
)
def test_a_column_that_cannot_be_repaired_is_refused_before_anything_is_written(tmp_path: Path, field: str, message: str):
    src = _write(tmp_path / "in" / "samples.parquet", _table(_responses()))
    (tmp_path / "o").mkdir()
    with pytest.raises(BatchError, match=message):
        batch_parquet(src, tmp_path / "o" / "out.parquet", field, Options())
    assert os.listdir(tmp_path / "o") == []
    dataset = tmp_path / "in"
    with pytest.raises(BatchError, match=message):
        batch_parquet(dataset, tmp_path / "folder_out", field, Options())
    assert not (tmp_path / "folder_out").exists()


def _chat(rows: list) -> "pa.Table":
    """A chat dataset: ``messages`` is a list of {role, content} structs."""
    message = pa.struct([("role", pa.string()), ("content", pa.string())])
    schema = pa.schema([("id", pa.int64()), ("messages", pa.list_(message)), ("meta", pa.struct([("answer", pa.large_string()), ("score", pa.float32())]))])
    return pa.table({"id": list(range(len(rows))), "messages": [r[0] for r in rows], "meta": [r[1] for r in rows]}, schema=schema)


def test_a_nested_field_is_repaired_in_place(tmp_path: Path):
    """``--field messages.1.content`` (a list item's struct field) and ``meta.answer`` (a struct
    field), as for JSONL: only that text changes; a row without it is bad and kept."""
    code = EXAMPLES[0]
    rows = [
        ([{"role": "user", "content": "write it"}, {"role": "assistant", "content": _markdown(code)}], {"answer": code, "score": 0.5}),
        ([{"role": "user", "content": "only a question"}], {"answer": PLAIN, "score": None}),
        (None, None),
        ([{"role": "user", "content": "q"}, {"role": "assistant", "content": None}], {"answer": None, "score": 1.0}),
        ([{"role": "user", "content": "q"}, {"role": "assistant", "content": PROSE}], {"answer": PROSE, "score": 2.0}),
    ]
    src = _write(tmp_path / "chat.parquet", _chat(rows), row_group_size=2)
    out = tmp_path / "out.parquet"
    report = batch_parquet(src, out, "messages.1.content", Options(), add_counts=True)
    before, after = pq.read_table(src).to_pylist(), pq.read_table(out).to_pylist()
    assert after[0]["messages"][1]["content"] == _expected(_markdown(code)) != _markdown(code)
    for old, new in zip(before, after):
        new.pop("cdktf_fix")
        if old is not before[0]:
            assert new == old
    assert after[0]["messages"][0] == before[0]["messages"][0] and after[0]["meta"] == before[0]["meta"]
    assert [s.errors for s in report.samples] == [[], ["no field 'messages.1.content'"], ["no field 'messages.1.content'"], ["field 'messages.1.content' is null, not text"], []]
    assert pq.read_schema(out).field("messages").equals(pq.read_schema(src).field("messages"))
    assert _group_sizes(out) == [2, 2, 1]
    struct = batch_parquet(src, tmp_path / "meta.parquet", "meta.answer", Options())
    assert pq.read_table(tmp_path / "meta.parquet").column("meta").to_pylist()[0]["answer"] == _expected(code)
    assert [bool(s.errors) for s in struct.samples] == [False, False, True, True, False]


def test_a_nested_column_python_cannot_hold_is_refused_in_one_line_or_kept_exactly(tmp_path: Path):
    """A struct beside the text holds a nanosecond timestamp: without pandas Python cannot hold
    it, and the batch stops in one line with nothing written; with pandas it comes back as it was."""
    stamps = pa.array([1_000_000_001, None], type=pa.timestamp("ns"))
    answers = pa.array([EXAMPLES[0], PLAIN])
    table = pa.table({"meta": pa.StructArray.from_arrays([answers, stamps], names=["answer", "at"])})
    src = _write(tmp_path / "ns.parquet", table)
    out = tmp_path / "out.parquet"
    try:
        batch_parquet(src, out, "meta.answer", Options())
    except BatchError as error:
        assert str(error).startswith("--field 'meta.answer': the column holds values Python cannot hold as they are (")
        assert not out.exists()
    else:
        new = pq.read_table(out).column("meta").combine_chunks()
        assert new.field("at").equals(stamps) and new.field("answer").to_pylist() == [_expected(EXAMPLES[0]), PLAIN]


def test_one_bad_file_of_a_dataset_stops_it_before_anything_is_written(tmp_path: Path):
    src = tmp_path / "dataset"
    _write(src / "a.parquet", _table(_responses()))
    _write(src / "b.parquet", _table([PLAIN]).drop_columns(["response"]))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BatchError, match="^b.parquet: no column 'response'"):
        batch_parquet(src, out, "response", Options())
    assert os.listdir(out) == []
    (src / "b.parquet").write_bytes(b"not parquet")
    with pytest.raises(BatchError, match="^b.parquet: not a readable Parquet file"):
        batch_parquet(src, out, "response", Options())
    assert os.listdir(out) == []
    (src / "b.parquet").unlink()
    (src / "notes.txt").write_text("x")
    assert not is_parquet(src)  # a folder of other files is not a dataset for the CLI
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "notes.txt").write_text("x")
    with pytest.raises(BatchError, match="no .parquet files"):
        batch_parquet(tmp_path / "nothing", tmp_path / "o2", "response", Options())
    assert not (tmp_path / "o2").exists()


def test_a_write_error_midway_leaves_nothing(tmp_path: Path, monkeypatch):
    import cdktf_fix.datasets.parquet as parquet

    src = tmp_path / "dataset"
    _write(src / "a.parquet", _table(_responses()), row_group_size=2)
    _write(src / "b.parquet", _table(_responses()))
    real = parquet.repaired_table
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")
        return real(*args)

    monkeypatch.setattr(parquet, "repaired_table", failing)
    with pytest.raises(BatchError, match="--out .*: not written: no space left on device; the batch stopped and nothing was written"):
        batch_parquet(src, tmp_path / "out", "response", Options())
    assert not (tmp_path / "out").exists()
    (tmp_path / "files").mkdir()
    calls.clear()
    with pytest.raises(BatchError, match="no space left on device"):
        batch_parquet(src / "a.parquet", tmp_path / "files" / "a.parquet", "response", Options())
    assert os.listdir(tmp_path / "files") == []


def test_a_row_whose_repair_crashes_is_bad_and_kept(tmp_path: Path, monkeypatch):
    import cdktf_fix.datasets.records as records

    real = records.repair_value  # rows are repaired through records.repair_field_value, as JSONL records are

    def crashing(engine, text):
        if "BOOM" in text:
            raise RuntimeError("boom")
        return real(engine, text)

    monkeypatch.setattr(records, "repair_value", crashing)
    responses = [EXAMPLES[0], "import cdktf  # BOOM\n", EXAMPLES[1]]
    src = _write(tmp_path / "s.parquet", _table(responses))
    out = tmp_path / "o.parquet"
    report = batch_parquet(src, out, "response", Options(), add_counts=True)
    new = pq.read_table(out)
    assert new.column("response").to_pylist() == [_expected(responses[0]), responses[1], _expected(responses[2])]
    assert new.column("cdktf_fix").to_pylist()[1] is None
    assert report.samples[1].errors == ["internal error (RuntimeError: boom)"]
    assert report.summary()["bad"] == 1


def test_add_counts_cannot_overwrite_the_field_or_another_type(tmp_path: Path):
    table = _table([PLAIN])
    src = _write(tmp_path / "s.parquet", table.append_column("cdktf_fix", pa.array([3])))
    with pytest.raises(BatchError, match="the column 'cdktf_fix' exists and is int64"):
        batch_parquet(src, tmp_path / "o.parquet", "response", Options(), add_counts=True)
    src = _write(tmp_path / "t.parquet", table.rename_columns(["id", "cdktf_fix", "score", "meta", "tags", "prompt"]))
    with pytest.raises(BatchError, match="cannot be --field"):
        batch_parquet(src, tmp_path / "o.parquet", "cdktf_fix", Options(), add_counts=True)
    assert not (tmp_path / "o.parquet").exists()


def test_outputs_are_checked_like_the_other_batches(tmp_path: Path):
    src = _write(tmp_path / "s.parquet", _table([PLAIN]))
    with pytest.raises(BatchError, match="must differ"):
        batch_parquet(src, src, "response", Options())
    dataset = tmp_path / "d"
    _write(dataset / "p.parquet", _table([PLAIN]))
    with pytest.raises(BatchError, match="inside the source"):
        batch_parquet(dataset, dataset / "out", "response", Options())


def test_without_pyarrow_the_message_says_what_to_install(tmp_path: Path, monkeypatch):
    src = _write(tmp_path / "s.parquet", _table([PLAIN]))
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(BatchError, match=r"^Parquet needs pyarrow: pip install 'cdktf-fix\[scale\]'$"):
        batch_parquet(src, tmp_path / "o.parquet", "response", Options())


def test_is_parquet(tmp_path: Path):
    (tmp_path / "a.jsonl").write_text("{}\n")
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "main.py").write_text(PLAIN)
    (tmp_path / "empty").mkdir()
    assert not is_parquet(tmp_path / "a.jsonl")
    assert not is_parquet(tmp_path / "samples")
    assert not is_parquet(tmp_path / "empty")
    assert not is_parquet(tmp_path / "missing.parquet")
    assert is_parquet(_write(tmp_path / "x.PARQUET", _table([PLAIN])))


def test_row_groups_are_streamed_not_read_whole(tmp_path: Path, monkeypatch):
    import cdktf_fix.datasets.parquet as parquet

    src = _write(tmp_path / "s.parquet", _table([PLAIN] * 12), row_group_size=1)
    read, ahead = [], []
    real_read, real_write = pq.ParquetFile.read_row_group, parquet.Writer.write

    def reading(self, *args, **kwargs):
        read.append(1)
        return real_read(self, *args, **kwargs)

    def writing(self, table):
        ahead.append(len(read))
        return real_write(self, table)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", reading)
    monkeypatch.setattr(parquet.Writer, "write", writing)
    batch_parquet(src, tmp_path / "o.parquet", "response", Options())
    assert len(ahead) == 12 and all(groups_read - written <= 2 for written, groups_read in enumerate(ahead))
    assert _group_sizes(tmp_path / "o.parquet") == [1] * 12


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_signal_midway_leaves_nothing(tmp_path: Path, jobs: int):
    import signal

    from cdktf_fix.io.errors import BatchInterrupted

    dataset = tmp_path / "dataset"
    _write(dataset / "a.parquet", _table(_responses()), row_group_size=2)
    _write(dataset / "b.parquet", _table(_responses()))

    def stop(sample):
        if sample.name == "b.parquet row 2":
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(BatchInterrupted):
        batch_parquet(dataset, tmp_path / "out", "response", Options(), jobs=jobs, on_sample=stop)
    assert not (tmp_path / "out").exists()
    (tmp_path / "files").mkdir()
    with pytest.raises(BatchInterrupted):
        batch_parquet(dataset / "b.parquet", tmp_path / "files" / "b.parquet", "response", Options(), jobs=jobs,
                      on_sample=lambda s: s.name == "row 2" and os.kill(os.getpid(), signal.SIGTERM))
    assert os.listdir(tmp_path / "files") == []
