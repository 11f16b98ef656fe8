"""Hostile input and faults (issue 13): no hang, no crash, no lost byte, no overwritten source,
every message printed as text; and the command-line habits of ruff and black (``-`` for
standard input, settings found from each file's folder upwards)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.cli import app
from cdktf_fix.engine import Engine
from cdktf_fix.io import sources
from cdktf_fix.io.markdown import repair_markdown

BAD = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b', versioning_configuration=c)\n"
GOOD = BAD.replace("S3BucketVersioning", "S3BucketVersioningA")
CLI = [sys.executable, "-m", "cdktf_fix.cli"]


def invoke(*args, **kwargs):
    return CliRunner().invoke(app, [str(a) for a in args], **kwargs)


def cli(*args, cwd=None, stdin=None, timeout=60):
    """The real command in a subprocess: a hang fails the test instead of the suite."""
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd, input=stdin)


def _lines_about(output: str, name: str) -> list[str]:
    assert "Traceback" not in output, output
    return [line for line in output.splitlines() if name in line]


# -- never open anything but regular files, never read past the limit ---------------------------
@pytest.mark.parametrize("command", ["check", "apply"])
def test_a_fifo_in_a_folder_is_reported_not_read(tmp_path: Path, command):
    (tmp_path / "ok.py").write_text(BAD)
    os.mkfifo(tmp_path / "pipe.py")
    run = cli(command, tmp_path, timeout=30)
    assert run.returncode == 2, run.stdout + run.stderr
    [line] = _lines_about(run.stdout, "pipe.py")
    assert "not a regular file" in line
    if command == "apply":
        assert (tmp_path / "ok.py").read_text() == GOOD  # the run went on


@pytest.mark.parametrize("name", ["fifo", "/dev/null", "zero-link"])
def test_what_is_named_on_the_command_line_must_be_a_regular_file(tmp_path: Path, name):
    if name == "fifo":
        path = tmp_path / "named.py"
        os.mkfifo(path)
    elif name == "zero-link":  # the size check used to read stat (0), then read until MemoryError
        path = tmp_path / "z.py"
        path.symlink_to("/dev/zero")
    else:
        path = Path(name)
    run = cli("check", path, timeout=30)
    assert run.returncode == 2, run.stdout + run.stderr
    [line] = _lines_about(run.stdout, str(path))
    assert "not a regular file" in line


def test_a_file_is_never_read_past_the_limit(tmp_path: Path, monkeypatch):
    path = tmp_path / "big.py"
    path.write_text("import cdktf\n" + "x = 1\n" * 100)
    monkeypatch.setattr(sources, "MAX_BYTES", 200)
    reads = []
    real = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real(fd, n))
    with pytest.raises(ValueError, match="larger than"):
        sources.read_source(path)
    assert sum(reads) <= 201


def test_an_unreadable_folder_is_named_and_the_run_goes_on(tmp_path: Path, monkeypatch):
    (tmp_path / "ok.py").write_text(BAD)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.py").write_text(BAD)
    real = os.scandir

    def scandir(path):
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    run = invoke("apply", tmp_path)
    assert run.exit_code == 2
    [line] = _lines_about(run.output, "locked")
    assert "cannot be read" in line and "permission denied" in line
    assert (tmp_path / "ok.py").read_text() == GOOD


# -- depth that would crash a native parser ----------------------------------------------------------
@pytest.mark.parametrize("nesting", ["(" * 1500 + "1" + ")" * 1500, "[" * 1500 + "1" + "]" * 1500, "f(" * 1500 + "1" + ")" * 1500, "-" * 2800 + "1"])
def test_deep_nesting_is_reported_and_never_crashes_the_run(tmp_path: Path, nesting):
    (tmp_path / "ok.py").write_text(BAD)
    (tmp_path / "deep.py").write_text(BAD + "x = " + nesting + "\n")
    run = cli("apply", tmp_path, timeout=120)
    assert run.returncode == 2, run.stdout + run.stderr  # a crash would be -11
    [line] = _lines_about(run.stdout, "deep.py")
    assert "too deeply nested" in line
    assert (tmp_path / "ok.py").read_text() == GOOD
    assert (tmp_path / "deep.py").read_text() == BAD + "x = " + nesting + "\n"


# -- messages are text, never markup ---------------------------------------------------------------
def test_brackets_in_messages_and_paths_are_printed_as_written(tmp_path: Path):
    run = invoke("check", tmp_path, "--select", "[/x]")
    assert run.exit_code == 2 and "unknown codemod [/x]" in run.output and "Traceback" not in run.output
    folder = tmp_path / "odd[" / "x]"
    folder.mkdir(parents=True)
    (folder / "s.py").write_bytes(b"import cdktf\n\xff\n")
    run = invoke("check", tmp_path)
    assert run.exit_code == 2 and "odd[/x]/s.py" in run.output
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.cdktf-fix]\nnope = 1\n")
    run = invoke("check", tmp_path, "--config", config)
    assert run.exit_code == 2 and "in [tool.cdktf-fix]" in run.output
    assert "Read [tool.cdktf-fix] from this pyproject.toml" in invoke("check", "--help").output


@pytest.mark.parametrize("tool", ["tool = 1", 'tool = "x"', "tool = [1]"])
def test_a_pyproject_whose_tool_is_no_table(tmp_path: Path, tool):
    (tmp_path / "pyproject.toml").write_text(tool + "\n")
    (tmp_path / "s.py").write_text(BAD)
    run = cli("check", tmp_path / "s.py", cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr  # not our settings: ignored
    run = cli("check", tmp_path / "s.py", "--config", tmp_path / "pyproject.toml", cwd=tmp_path)
    assert run.returncode == 2 and "tool must be a table" in run.stderr and "Traceback" not in run.stderr


# -- usage -----------------------------------------------------------------------------------------
def test_usage_errors_are_one_line(tmp_path: Path):
    (tmp_path / "s.py").write_text(BAD)
    cases = {
        ("apply", ""): "an empty path",
        ("check", tmp_path, "--select", "class-name", "--ignore", "class-name"): "nothing would run",
        ("check", "-", tmp_path): "cannot be combined",
        ("check", tmp_path, "--stdin-filename", "x.py"): "goes with -",
    }
    for args, message in cases.items():
        run = invoke(*args)
        assert run.exit_code == 2 and message in run.output and "Traceback" not in run.output, (args, run.output)
    (tmp_path / "pyproject.toml").write_text('[tool.cdktf-fix]\nterraform-version = ""\n')
    run = invoke("check", tmp_path / "s.py")
    assert run.exit_code == 2 and "terraform-version" in run.output


def test_a_deleted_current_folder(tmp_path: Path):
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f"import os, runpy, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); sys.argv = ['cdktf-fix', 'check', {str(tmp_path)!r}]; runpy.run_module('cdktf_fix.cli', run_name='__main__')"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "current folder" in run.stderr and "Traceback" not in run.stderr


def test_a_file_name_near_the_length_limit_is_written(tmp_path: Path):
    path = tmp_path / ("s" * 230 + ".py")
    path.write_text(BAD)
    assert invoke("apply", path).exit_code == 0
    assert path.read_text() == GOOD and [p.name for p in tmp_path.iterdir()] == [path.name]


def test_schema_snapshot_folders_are_checked_before_the_build(tmp_path: Path):
    (tmp_path / "snap.json.gz").write_text("")
    for command in (("schema", "build"), ("schema", "fetch", "cdktf==0.21.0")):
        for target in (tmp_path / "snap.json.gz", tmp_path / "no"):
            run = invoke(*command, "-o", target)
            assert run.exit_code == 2 and "no such folder" in run.output and "Traceback" not in run.output, run.output
    assert [p.name for p in tmp_path.iterdir()] == ["snap.json.gz"]


# -- writes -----------------------------------------------------------------------------------------
def test_writes_that_fail_are_reported_and_not_counted(tmp_path: Path, monkeypatch):
    (tmp_path / "s.py").write_text(BAD)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sources, "write_source", full)
    run = invoke("apply", tmp_path)
    assert run.exit_code == 2
    assert "0 fixes applied in 0 files" in run.output and "1 file skipped" in run.output
    [line] = _lines_about(run.output, "s.py")
    assert "not written: no space left on device" in line
    data = json.loads(invoke("apply", tmp_path, "--format", "json").output)
    assert data["summary"]["fixes"] == 0 and data["summary"]["skipped"] == 1
    assert data["files"][0]["status"] == "skipped" and not any(f["applied"] for f in data["files"][0]["fixes"])
    assert (tmp_path / "s.py").read_text() == BAD


def test_symbolic_links_are_written_through_and_never_replaced(tmp_path: Path):
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    tree.mkdir()
    outside.mkdir()
    (tree / "real.py").write_text(BAD)
    (tree / "link.py").symlink_to(tree / "real.py")
    (outside / "far.py").write_text(BAD)
    (tree / "far_link.py").symlink_to(outside / "far.py")
    run = invoke("apply", tree)
    assert (tree / "link.py").is_symlink() and (tree / "real.py").read_text() == GOOD
    assert (tree / "far_link.py").is_symlink() and (outside / "far.py").read_text() == BAD  # not ours to change
    [line] = _lines_about(run.output, "far_link.py")
    assert "outside the folders given" in line and run.exit_code == 2
    named = invoke("apply", tree / "far_link.py")  # named on the command line: written through its link
    assert named.exit_code == 0 and (tree / "far_link.py").is_symlink() and (outside / "far.py").read_text() == GOOD


# -- bytes libcst does not give back ----------------------------------------------------------------
@pytest.mark.parametrize(
    "source",
    [
        BAD.replace("\n", "\r"),  # CR line endings, a lone CR at the end
        BAD[:-1] + "\r",
        BAD.replace("\n", "\r\n")[:-2] + "\r",
        BAD + "\x0cx = 1\n",  # a form feed at the start of a line
        "\x0c" + BAD,
        BAD.replace("S3BucketVersioning(None", "\x0cS3BucketVersioning(None"),  # ... of an edited line
        "\ufeff" + BAD,  # a BOM (at the start of a markdown block)
        BAD + "\n\n  \n",
    ],
)
def test_every_byte_outside_the_edits_comes_back(engine: Engine, source: str):
    result = engine.repair(source)
    assert result.new_source == source.replace("S3BucketVersioning", "S3BucketVersioningA")


def test_markdown_line_breaks_and_comments(engine: Engine):
    cr_only = ("# T\n\n```python\n" + BAD + "```\n\nafter\n").replace("\n", "\r")
    assert repair_markdown(engine, cr_only).new_source == cr_only.replace("S3BucketVersioning", "S3BucketVersioningA")
    form_feed = "text\x0c```python\nnot a fence\n\n```python\n" + BAD + "```\n"  # a form feed breaks no line
    assert repair_markdown(engine, form_feed).new_source == form_feed.replace("S3BucketVersioning", "S3BucketVersioningA")
    commented = "<!--\n```python\n" + BAD + "```\n-->\n\n```python\n" + BAD + "```\n"
    assert repair_markdown(engine, commented).new_source == "<!--\n```python\n" + BAD + "```\n-->\n\n```python\n" + GOOD + "```\n"
    indented = "- item\n\n  ```python\n" + "".join("  " + line for line in (BAD + "s = 'a\u2028b'\n").split("\n") if line).replace("'\n", "'\n") + "\n  ```\n"
    indented = "- item\n\n  ```python\n  " + BAD.replace("\n", "\n  ") + "s = 'a\u2028b'\n  ```\n"
    assert repair_markdown(engine, indented).new_source == indented.replace("S3BucketVersioning", "S3BucketVersioningA")


def test_many_markdown_blocks_take_linear_time(engine: Engine, monkeypatch):
    """Line numbers are counted once through the text (they were counted from its start for every block)."""
    counted = []
    real = str.count
    text = "".join(f"## {i}\n\n```python\nx = {i}\n```\n\n" for i in range(300)) + "```python\n" + BAD + "```\n"

    class Counting(str):
        def count(self, sub, start=None, end=None):
            counted.append((end or len(self)) - (start or 0))
            return real(self, sub, start, end)

    result = repair_markdown(engine, Counting(text))
    assert result.new_source.endswith("```python\n" + GOOD + "```\n")
    assert sum(counted) <= 4 * len(text)


# -- standard input, settings per file, one vocabulary ----------------------------------------------
def test_standard_input(tmp_path: Path):
    run = cli("check", "-", stdin=BAD)
    assert run.returncode == 1 and "-:1:1: class-name" in run.stdout
    run = cli("apply", "-", stdin=BAD)
    assert run.returncode == 0 and run.stdout == GOOD and "1 fix applied in 1 file" in run.stderr
    run = cli("diff", "-", "--stdin-filename", tmp_path / "stack.py", stdin=BAD)
    assert run.returncode == 1 and f"+++ {tmp_path / 'stack.py'}" in run.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.cdktf-fix]\nignore = ["class-name", "no-equivalent"]\n')
    run = cli("check", "-", "--stdin-filename", tmp_path / "stack.py", stdin=BAD)
    assert run.returncode == 0, run.stdout  # the settings of the file it stands for
    response = "# Stack\n\n```python\n" + BAD + "```\n"
    run = cli("apply", "-", "--stdin-filename", "RESPONSE.md", stdin=response)
    assert run.stdout == response.replace("S3BucketVersioning", "S3BucketVersioningA")


def test_settings_are_found_from_each_files_folder(tmp_path: Path):
    for name, ignore in (("a", '"class-name", "no-equivalent"'), ("b", '"module-path"')):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pyproject.toml").write_text(f'[tool.cdktf-fix]\nignore = [{ignore}]\n')
        (tmp_path / name / "s.py").write_text(BAD)
    run = cli("apply", tmp_path, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "a" / "s.py").read_text() == BAD  # class-name ignored there
    assert (tmp_path / "b" / "s.py").read_text() == GOOD
    (tmp_path / "b" / "pyproject.toml").write_text("[tool.cdktf-fix]\nwrong = 1\n")
    (tmp_path / "a" / "pyproject.toml").unlink()
    run = cli("apply", tmp_path, cwd=tmp_path)
    assert run.returncode == 2 and (tmp_path / "a" / "s.py").read_text() == BAD  # a broken setting: nothing written


def test_text_and_json_agree_on_skipped_files(tmp_path: Path):
    (tmp_path / "s.py").write_text(BAD)
    (tmp_path / "broken.py").write_text("import cdktf\ndef (:\n")
    (tmp_path / "plain.py").write_text("print('hi')\n")
    text = invoke("check", tmp_path).output
    data = json.loads(invoke("check", tmp_path, "--format", "json").output)
    statuses = {Path(f["path"]).name: f["status"] for f in data["files"]}
    assert statuses == {"s.py": "changed", "broken.py": "skipped", "plain.py": "not-checked"}
    assert "1 file skipped" in text and data["summary"]["skipped"] == 1
    help_text = invoke("check", "--help").output
    assert "2 when a file was skipped" in " ".join(help_text.split())
