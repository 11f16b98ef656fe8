"""Files and the command line: what gets written, what is skipped, exit codes, JSON."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.cli import app
from cdktf_fix.io.sources import iter_source_files, read_source, write_source
from codemods import BY_ID

ROOT = Path(__file__).resolve().parent.parent
BAD = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b', versioning_configuration=config)\n"
GOOD = BAD.replace("S3BucketVersioning", "S3BucketVersioningA")
UNFIXABLE = "from cdktf_cdktf_provider_aws.ecs_task_definition import EcsTaskDefinitionContainerDefinitions\nx = EcsTaskDefinitionContainerDefinitions(name=\"web\")\n"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def project(tmp_path):
    (tmp_path / "stack.py").write_text(BAD)
    (tmp_path / "clean.py").write_text(GOOD)
    (tmp_path / "notes.py").write_text("print('no provider code here')\n")
    for skipped in (".venv", "cdktf.out", "imports", ".hidden", "node_modules"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "gen.py").write_text(BAD)
    return tmp_path


def test_walk_skips_generated_and_hidden_folders(project):
    found = sorted(p.name for p in iter_source_files([project]) if isinstance(p, Path))
    assert found == ["clean.py", "notes.py", "stack.py"]


def test_walk_survives_symlink_loops_and_missing_paths(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "x.py").write_text(GOOD)
    items = list(iter_source_files([tmp_path, tmp_path / "missing.py"]))
    assert [p.name for p in items if isinstance(p, Path)] == ["x.py"]
    assert [reason for p, reason in [i for i in items if isinstance(i, tuple)]] == ["no such file or directory"]


def test_apply_writes_and_keeps_everything_else(project):
    result = invoke("apply", project)
    assert result.exit_code == 0, result.output
    assert (project / "stack.py").read_text() == GOOD
    assert (project / ".venv" / "gen.py").read_text() == BAD
    assert "1 fix applied in 1 file" in result.output
    assert invoke("apply", project).exit_code == 0
    assert (project / "stack.py").read_text() == GOOD


def test_diff_writes_nothing_and_exits_1(project):
    result = invoke("diff", project)
    assert result.exit_code == 1
    assert "-from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning" in result.output
    assert "+from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA" in result.output
    assert (project / "stack.py").read_text() == BAD
    (project / "stack.py").write_text(GOOD)
    assert invoke("diff", project).exit_code == 0


def test_check_exit_codes_and_json(project):
    result = invoke("check", project, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    stack = next(f for f in data["files"] if f["path"].endswith("stack.py"))
    assert stack["fixes"][0]["codemod"] == "class-name" and stack["fixes"][0]["safety"] == "safe"
    assert stack["fixes"][0]["applied"] is False  # check writes nothing
    assert (project / "stack.py").read_text() == BAD
    (project / "stack.py").write_text(GOOD)
    assert invoke("check", project).exit_code == 0
    (project / "stack.py").write_text(UNFIXABLE)
    result = invoke("check", project)
    assert result.exit_code == 1 and "no-equivalent" in result.output


def test_apply_json_marks_applied_fixes(project):
    data = json.loads(invoke("apply", project, "--format", "json").output)
    stack = next(f for f in data["files"] if f["path"].endswith("stack.py"))
    assert stack["written"] and stack["fixes"][0]["applied"] is True
    assert data["summary"]["fixes"] == 1


def test_bad_inputs_are_named_and_the_run_goes_on(tmp_path):
    (tmp_path / "ok.py").write_text(BAD)
    (tmp_path / "syntax.py").write_text("import cdktf\ndef f(:\n")
    (tmp_path / "latin1.py").write_bytes("# cdktf caf\xe9\n".encode("latin-1"))
    (tmp_path / "binary.py").write_bytes(b"cdktf\x00\x01\x02")
    result = invoke("apply", tmp_path, tmp_path / "nope.py")
    assert result.exit_code == 2
    assert (tmp_path / "ok.py").read_text() == GOOD
    assert "syntax.py: skipped: syntax error at line 2" in result.output
    assert "latin1.py: skipped: not UTF-8" in result.output
    assert "binary.py: skipped: binary file" in result.output
    assert "nope.py: skipped: no such file or directory" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "syntax.py").read_text() == "import cdktf\ndef f(:\n"


def test_write_keeps_bom_line_endings_and_mode(tmp_path):
    path = tmp_path / "s.py"
    path.write_bytes(b"\xef\xbb\xbf" + BAD.replace("\n", "\r\n").encode())
    os.chmod(path, 0o640)
    assert invoke("apply", path).exit_code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode() == GOOD.replace("\n", "\r\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["s.py"], "no temporary file left behind"


@pytest.mark.parametrize("unnamed_files", [True, False], ids=["O_TMPFILE", "named-temporary-file"])
def test_apply_removes_what_a_killed_apply_left_and_leaves_nothing_itself(tmp_path, monkeypatch, unnamed_files):
    """The temporary file of an apply that was killed (its process is gone) is removed by the
    next apply of the same file; a live process's is left alone."""
    if not unnamed_files:
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    path = tmp_path / "s.py"
    path.write_text(BAD)
    dead = tmp_path / f".s.py.cdktf-fix-{child.pid}-0badc0de.tmp"
    live = tmp_path / f".s.py.cdktf-fix-{os.getppid()}-0badc0de.tmp"
    dead.write_text("half")
    live.write_text("busy")
    write_source(path, GOOD, read_source(path))
    assert path.read_text() == GOOD
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["s.py", live.name])


def test_file_changed_on_disk_is_not_overwritten(tmp_path):
    path = tmp_path / "s.py"
    path.write_text(BAD)
    source = read_source(path)
    path.write_text(BAD + "# edited meanwhile\n")
    with pytest.raises(OSError, match="changed on disk"):
        write_source(path, GOOD, source)
    assert path.read_text().endswith("# edited meanwhile\n")


def test_read_only_file_is_reported(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: folder permissions are not enforced")
    path = tmp_path / "s.py"
    path.write_text(BAD)
    os.chmod(tmp_path, 0o500)
    try:
        result = invoke("apply", path)
    finally:
        os.chmod(tmp_path, 0o700)
    assert result.exit_code == 2 and "not written" in result.output
    assert path.read_text() == BAD


def test_unknown_codemod_is_a_usage_error(project):
    result = invoke("check", project, "--select", "no-such-rule")
    assert result.exit_code == 2 and "unknown codemod" in result.output


def test_rules_and_schema_info():
    result = invoke("rules", "--format", "json")
    assert result.exit_code == 0
    ids = [r["id"] for r in json.loads(result.output)]
    assert ids == list(BY_ID)
    assert {"kwarg-name", "nested-block-struct", "struct-class", "block-shape", "literal-type", "terraform-asset"} <= set(ids)
    info = invoke("schema", "info", "--format", "json")
    assert info.exit_code == 0
    assert json.loads(info.output)["versions"]["cdktf-cdktf-provider-aws"]


def test_console_script_version_is_fast_and_light():
    code = "import sys, cdktf_fix.cli; print('libcst' in sys.modules, 'cdktf_cdktf_provider_aws' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
    version = subprocess.run([sys.executable, "-m", "cdktf_fix.cli", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("cdktf-fix ")
