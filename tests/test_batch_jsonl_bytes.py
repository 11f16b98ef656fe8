"""JSONL records edited in place at the byte level outside the repaired field (issue 13, item 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cdktf_fix.engine.options import Options
from cdktf_fix.datasets.jsonl_batch import batch_jsonl
from cdktf_fix.datasets.jsonl import value_span as _value_span, with_counts as _with_counts

BAD = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b', versioning_configuration=c)\n"
GOOD = BAD.replace("S3BucketVersioning", "S3BucketVersioningA")
COUNTS = '{"fixes": 1, "findings": 0, "by_codemod": {"class-name": 1}}'


def _run(tmp_path: Path, lines: list[bytes], field: str = "r", **options):
    src = tmp_path / "data.jsonl"
    src.write_bytes(b"".join(lines))
    out = tmp_path / "out.jsonl"
    report = batch_jsonl(src, out, field, Options(), **options)
    return out.read_bytes(), report


def _expected(line: bytes, old: str = BAD, new: str = GOOD) -> bytes:
    """``line`` with the JSON string of ``old`` (as json.dumps writes it) replaced by ``new``'s."""
    before, after = json.dumps(old).encode(), json.dumps(new, ensure_ascii=False).encode()
    assert line.count(before) == 1
    return line.replace(before, after)


def test_a_changed_record_keeps_every_other_byte(tmp_path: Path):
    value = json.dumps(BAD)
    line = ('{ "n":1E5,"big" : 1e400, "neg": -0.0, "dup": 1, "dup": 2,\t"esc": "\\u00e9\\/\\ud83d\\ude00", '
            f'"r" :  {value} ,"nan": NaN, "tail": [ {{}} , [] ] }}\r\n').encode()
    output, report = _run(tmp_path, [line])
    assert output == _expected(line)
    assert report.samples[0].fixes == {"class-name": 1}


def test_surrogate_escapes_in_other_fields_stay_escapes(tmp_path: Path):
    """Before: "\\ud800" was a traceback with no output, "\\udc80" a raw 0x80 byte (not UTF-8)."""
    line = ('{"a": "\\ud800", "b": "\\udc80x", "r": ' + json.dumps(BAD) + "}\n").encode()
    output, report = _run(tmp_path, [line])
    assert output == _expected(line)
    output.decode("utf-8")  # strict: the output is UTF-8
    assert not report.samples[0].bad


def test_a_lone_surrogate_in_the_repaired_field_is_written_as_an_escape(tmp_path: Path):
    """Markdown prose around the code block may hold what only an escape could write."""
    old = f"Prose \ud800 and \udc80 é\n\n```python\n{BAD}```\n"
    line = ('{"r": ' + json.dumps(old) + "}\n").encode()
    output, report = _run(tmp_path, [line])
    assert report.samples[0].fixes == {"class-name": 1}
    text = output.decode("utf-8")  # strict: the output is UTF-8
    assert "Prose \\ud800 and \\udc80 é" in text
    assert json.loads(text)["r"] == old.replace(BAD, GOOD)


def test_non_ascii_in_the_new_value_is_written_as_it_is(tmp_path: Path):
    old = "# café ✓\n" + BAD
    line = ('{"r": ' + json.dumps(old) + ', "x": "\\u00e9"}\n').encode()
    output, _ = _run(tmp_path, [line])
    assert output == line.replace(json.dumps(old).encode(), json.dumps("# café ✓\n" + GOOD, ensure_ascii=False).encode())
    assert "café ✓".encode() in output and b'"\\u00e9"' in output


def test_duplicate_keys_repair_the_last_one_as_json_loads_reads_it(tmp_path: Path):
    first = json.dumps(BAD.replace("'v'", "'first'"))
    line = ('{"r": ' + first + ', "r": ' + json.dumps(BAD) + "}\n").encode()
    output, _ = _run(tmp_path, [line])
    assert output.startswith(b'{"r": ' + first.encode() + b', "r": ')  # the first is kept byte for byte
    assert output == _expected(line)
    assert json.loads(output)["r"] == GOOD


def test_nested_fields_with_whitespace_escapes_and_arrays(tmp_path: Path):
    text = json.dumps(BAD)
    line = ('{"messages" : [ {"content": "hi \\"[{\\" }"} ,\r\t {"role": "x", "cont\\u0065nt" :' + text
            + ', "more": [1, {"content": "no"}]} ], "messages_": 1}\n').encode()
    output, _ = _run(tmp_path, [line], field="messages.1.content")
    assert output == _expected(line)
    output, _ = _run(tmp_path, [line], field="messages.-1.content")
    assert output == _expected(line)


def test_value_span_finds_the_exact_bytes():
    record = ' {"a": {"b": [0, "x\\"]", {"c": "deep"}]}, "a": {"b": [1, 2, {"c": "last"}]}}'
    start, end = _value_span(record, ["a", "b", "2", "c"])
    assert record[start:end] == '"last"'
    with pytest.raises(KeyError):
        _value_span(record, ["a", "missing"])
    with pytest.raises(IndexError):
        _value_span(record, ["a", "b", "7"])


def test_a_bom_at_the_start_is_kept_and_the_first_record_repaired(tmp_path: Path):
    line = ('{"r": ' + json.dumps(BAD) + "}\n").encode()
    output, report = _run(tmp_path, [b"\xef\xbb\xbf" + line, line])
    assert output == b"\xef\xbb\xbf" + _expected(line) + _expected(line)
    assert not any(s.bad for s in report.samples)
    clean = b'{"r": "x = 1\\n"}\n'
    output, report = _run(tmp_path, [b"\xef\xbb\xbf" + clean])
    assert output == b"\xef\xbb\xbf" + clean and not report.samples[0].bad


def test_add_counts_appends_one_member_without_reserializing(tmp_path: Path):
    line = ('{"n": 1E5, "r": ' + json.dumps(BAD) + ' }\n').encode()
    output, _ = _run(tmp_path, [line], add_counts=True)
    assert output == _expected(line)[:-3] + b', "cdktf_fix": ' + COUNTS.encode() + b" }\n"
    output, _ = _run(tmp_path, [b'{"cdktf_fix": 0, "r": "x = 1\\n", "cdktf_fix": {"old": 1E5}}\n'], add_counts=True)
    assert output == b'{"cdktf_fix": 0, "r": "x = 1\\n", "cdktf_fix": {"fixes": 0, "findings": 0, "by_codemod": {}}}\n'
    assert _with_counts(' { \t} ', {"fixes": 0}) == ' {"cdktf_fix": {"fixes": 0} \t} '


def test_add_counts_on_a_list_record_adds_nothing(tmp_path: Path):
    """Counts go into object records only; before, a list record was a TypeError."""
    line = ('[1E5, ' + json.dumps(BAD) + "]\n").encode()
    output, report = _run(tmp_path, [line], field="1", add_counts=True)
    assert output == _expected(line)
    assert report.samples[0].fixes == {"class-name": 1}


def test_unchanged_bad_and_odd_records_stay_byte_for_byte(tmp_path: Path):
    lines = [
        b'{"r": "x = 1\\n", "n": 1E5}\n',  # nothing to fix
        b'{"r": 42}\n',  # not text
        b'{"other": 1}\r\n',  # no field
        b'{"r": "\xff"}\n',  # not UTF-8
        b'[[[[[[[[[[' * 20000 + b"\n",  # too deep for json.loads
        b"   \n",  # blank: kept, not a sample
        b'{"r": "x"} trailing\n',  # not JSON
        b'{"r": ' + json.dumps(BAD).encode() + b"}",  # no newline at the end
    ]
    output, report = _run(tmp_path, lines)
    assert output == b"".join(lines[:-1]) + _expected(lines[-1])
    errors = [s.errors for s in report.samples]
    assert errors[1] == ["field 'r' is int, not text"]
    assert errors[2] == ["no field 'r'"]
    assert errors[3] == ["not UTF-8 (byte 7: invalid start byte)"]
    assert errors[4][0].startswith("not JSON")
    assert errors[5][0].startswith("not JSON (Extra data")
    assert len(report.samples) == 7


def test_a_record_longer_than_the_limit_is_bad_and_copied_not_read(tmp_path: Path, monkeypatch):
    import cdktf_fix.io.sources

    monkeypatch.setattr(cdktf_fix.io.sources, "MAX_BYTES", 1_000)
    huge = b'{"r": "' + b"x" * 10_000 + b'"}\n'
    line = ('{"r": ' + json.dumps(BAD) + "}\n").encode()
    output, report = _run(tmp_path, [line, huge, line, huge.rstrip(b"\n")])
    assert output == _expected(line) + huge + _expected(line) + huge.rstrip(b"\n")
    assert [s.errors for s in report.samples] == [[], ["record larger than 0 MB: kept as it is"], [], ["record larger than 0 MB: kept as it is"]]


@pytest.mark.parametrize("jobs", [1, 2])
def test_many_records_in_order_with_workers(tmp_path: Path, jobs: int):
    lines = [('{"i": %d, "r": %s, "f": 1.50}\n' % (i, json.dumps(BAD if i % 3 else "x = 1\n"))).encode() for i in range(60)]
    output, report = _run(tmp_path, lines, jobs=jobs)
    assert output == b"".join(_expected(line) if i % 3 else line for i, line in enumerate(lines))
    assert [s.name for s in report.samples] == [f"line {i}" for i in range(1, 61)]
