"""Markdown responses: Python blocks repaired in place, every other byte kept."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cdktf_fix.cli import app
from cdktf_fix.io.markdown import python_blocks, repair_markdown, text_outside_blocks
from cdktf_fix.engine.result import Status

BAD = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b')\n"
GOOD = BAD.replace("S3BucketVersioning", "S3BucketVersioningA")
BROKEN = "from cdktf import App\ndef broken(:\n"

RESPONSE = f"""# A response

Some prose with `S3BucketVersioning` in it, which stays.

## main.py

```python
{BAD}```

```bash
cdktf synth  # S3BucketVersioning
```

~~~py
{BROKEN}~~~

```python
{GOOD}```

1. In a list:

   ```python
   # a comment that stays
   from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning
   S3BucketVersioning(None, 'v', bucket='b')
   ```

```markdown
```python
{BAD}```
"""


def test_blocks_found_with_offsets():
    blocks = python_blocks(RESPONSE)
    # the python fence inside a markdown block is that block's content, not a block
    assert [b.info for b in blocks] == ["python", "py", "python", "python"]
    assert [b.indent for b in blocks] == [0, 0, 0, 3]
    assert all(RESPONSE[b.start:b.end] == b.code for b in blocks)


def test_only_python_blocks_change(engine):
    result = repair_markdown(engine, RESPONSE)
    assert result.status is Status.CHANGED
    assert text_outside_blocks(result.new_source) == text_outside_blocks(RESPONSE)
    new_blocks = [b.code for b in python_blocks(result.new_source)]
    assert new_blocks[0] == GOOD
    assert new_blocks[1] == BROKEN  # does not parse: left alone, reported
    assert new_blocks[2] == GOOD
    assert new_blocks[3] == (
        "   # a comment that stays\n"
        "   from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA\n"
        "   S3BucketVersioningA(None, 'v', bucket='b')\n"
    )
    assert "```markdown\n```python\n" + BAD in result.new_source  # not a Python block


def test_lines_are_markdown_lines_and_bad_blocks_are_reported(engine):
    result = repair_markdown(engine, RESPONSE)
    lines = RESPONSE.splitlines()
    for fix in result.fixes:
        assert "S3BucketVersioning" in lines[fix.line - 1][fix.column:], fix
    broken_line = lines.index("def broken(:") + 1
    [skipped] = result.skipped
    assert skipped.line == broken_line - 1
    assert skipped.reason.startswith(f"code block: syntax error at line {broken_line}, column")


def test_second_run_is_a_no_op(engine):
    once = repair_markdown(engine, RESPONSE).new_source
    again = repair_markdown(engine, once)
    assert again.new_source == once and not again.fixes


def test_crlf_is_kept(engine):
    crlf = RESPONSE.replace("\n", "\r\n")
    result = repair_markdown(engine, crlf)
    assert result.status is Status.CHANGED
    assert result.new_source == repair_markdown(engine, RESPONSE).new_source.replace("\n", "\r\n")


def test_a_block_opts_out_with_a_comment(engine):
    text = f"```python\n# cdktf-fix: ignore-file\n{BAD}```\n"
    result = repair_markdown(engine, text)
    assert result.new_source == text and result.status is Status.SKIPPED and not result.skipped


def test_markdown_without_provider_code_is_skipped(engine):
    text = "# Title\n\n```python\nprint('hi')\n```\n"
    assert repair_markdown(engine, text).status is Status.SKIPPED


def test_cli_repairs_markdown_inside_folders(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    response = tmp_path / "docs" / "RESPONSE.md"
    response.write_bytes(RESPONSE.replace("\n", "\r\n").encode())
    (tmp_path / "stack.py").write_text(BAD)
    result = CliRunner().invoke(app, ["apply", str(tmp_path)])
    assert (tmp_path / "stack.py").read_text() == GOOD
    data = response.read_bytes().decode()
    assert data.count("\r\n") == RESPONSE.count("\n") and "\n" not in data.replace("\r\n", "")
    assert ("```python\n" + GOOD).replace("\n", "\r\n") in data
    # the unparsable block is named with its line, and the exit code says something was skipped
    assert result.exit_code == 2, result.output
    assert "RESPONSE.md:17: skipped code block: syntax error at line 18" in result.output
    assert "1 markdown code block skipped" in result.output


BARE = "#!/usr/bin/env python3\n\"\"\"The whole answer is the code.\"\"\"\nfrom cdktf import App\n" + BAD


def test_a_response_that_is_bare_code_is_one_python_block(engine):
    """No fence, and the text is Python that imports the framework: all of it is the block."""
    assert [(b.start, b.end, b.info) for b in python_blocks(BARE)] == [(0, len(BARE), "")]
    result = repair_markdown(engine, BARE)
    assert result.new_source == BARE.replace("S3BucketVersioning", "S3BucketVersioningA")
    assert repair_markdown(engine, result.new_source).new_source == result.new_source


def test_prose_without_fences_and_code_that_does_not_parse_are_no_blocks():
    assert python_blocks("Use `from cdktf import App` to start.\n\nfrom cdktf import App\nthen synth.\n") == []
    assert python_blocks("import os\nprint(os.getcwd())\n") == []  # Python, but nothing of cdktf
    assert python_blocks("# Title\n\n```bash\nls\n```\n" + "from cdktf import App\n") == []  # fenced: the fences decide
