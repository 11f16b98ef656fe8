"""Bad input: one line naming the file and the reason, the run goes on, nothing changed that
should not be, and the exit code says something was skipped.  And a run killed mid-write
leaves every file whole."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.cli import app

BAD = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b', versioning_configuration=c)\n"
GOOD = BAD.replace("S3BucketVersioning", "S3BucketVersioningA")


def apply(*paths):
    return CliRunner().invoke(app, ["apply", *map(str, paths)])


def _one_line_about(output: str, name: str, reason: str) -> None:
    lines = [line for line in output.splitlines() if name in line]
    assert len(lines) == 1 and reason in lines[0], output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("syntax.py", "import cdktf\nclass Stack(:\n", "syntax error at line 2"),
        ("latin1.py", "# cdktf caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("binary.py", b"\x7fELF\x00\x01cdktf", "binary file"),
    ],
)
def test_unparsable_and_undecodable_files(tmp_path: Path, name, content, reason):
    (tmp_path / "ok.py").write_text(BAD)
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = path.read_bytes()
    result = apply(tmp_path)
    assert result.exit_code == 2
    _one_line_about(result.output, name, reason)
    assert path.read_bytes() == before
    assert (tmp_path / "ok.py").read_text() == GOOD  # the run went on


def test_python_312_syntax(tmp_path: Path):
    """Python 3.12 syntax (``type`` aliases, PEP 695 generics) is repaired where this Python's
    ``ast`` reads it; an older Python names the reason in one line and leaves the file alone."""
    extra = "type Tags = dict[str, str]\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n"
    path = tmp_path / "py312.py"
    path.write_text(BAD + extra)
    result = apply(path)
    if sys.version_info >= (3, 12):
        assert result.exit_code == 0, result.output
        assert path.read_text() == GOOD + extra
    else:
        assert result.exit_code == 2, result.output
        assert "uses syntax newer than Python 3.11" in result.output and "py312.py" in result.output
        assert path.read_text() == BAD + extra


def test_empty_file_is_fine(tmp_path: Path):
    (tmp_path / "empty.py").write_bytes(b"")
    result = apply(tmp_path / "empty.py")
    assert result.exit_code == 0 and (tmp_path / "empty.py").read_bytes() == b""


def test_a_50000_line_file_is_repaired(tmp_path: Path):
    filler = "".join(f"value_{i} = {i}  # line {i}\n" for i in range(50_000))
    path = tmp_path / "huge.py"
    path.write_text(BAD + filler)
    start = time.perf_counter()
    result = apply(path)
    assert result.exit_code == 0, result.output
    assert path.read_text() == GOOD + filler
    assert time.perf_counter() - start < 120


def test_missing_path_directory_named_like_a_file_and_symlink_loop(tmp_path: Path):
    (tmp_path / "ok.py").write_text(BAD)
    (tmp_path / "folder.py").mkdir()
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "self.py").symlink_to(tmp_path / "self.py")
    result = apply(tmp_path, tmp_path / "missing.py", tmp_path / "self.py")
    assert result.exit_code == 2
    _one_line_about(result.output, "missing.py", "no such file or directory")
    _one_line_about(result.output, "self.py", "broken or looping symbolic link")
    assert (tmp_path / "ok.py").read_text() == GOOD


def test_unreadable_file(tmp_path: Path, monkeypatch):
    path = tmp_path / "secret.py"
    path.write_text(BAD)
    if os.geteuid() != 0:
        os.chmod(path, 0)
    else:  # root reads everything: simulate the refusal where it happens
        real = os.open

        def refuse(name, *args, **kwargs):
            if str(name).endswith("secret.py"):
                raise PermissionError(13, "Permission denied", str(name))
            return real(name, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    try:
        result = apply(path)
    finally:
        os.chmod(path, 0o600)
    assert result.exit_code == 2
    _one_line_about(result.output, "secret.py", "permission denied")
    assert path.read_text() == BAD


def test_read_only_file_is_not_overwritten(tmp_path: Path):
    path = tmp_path / "frozen.py"
    path.write_text(BAD)
    os.chmod(path, 0o444)
    try:
        result = apply(path)
    finally:
        os.chmod(path, 0o644)
    assert result.exit_code == 2
    _one_line_about(result.output, "frozen.py", "read-only file; not overwritten")
    assert path.read_text() == BAD


def test_killed_mid_run_leaves_every_file_old_or_new(tmp_path: Path):
    """SIGKILL an `apply` over many files at several moments: each file is whole, old or new."""
    old = BAD + "".join(f"x_{i} = {i}\n" for i in range(300))
    new = GOOD + "".join(f"x_{i} = {i}\n" for i in range(300))
    for attempt, delay in enumerate((1.5, 2.5, 4.0)):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        for i in range(400):
            (folder / f"stack_{i:03}.py").write_text(old)
        process = subprocess.Popen([sys.executable, "-m", "cdktf_fix.cli", "apply", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        contents = [p.read_text() for p in sorted(folder.glob("stack_*.py"))]
        assert len(contents) == 400
        assert all(c in (old, new) for c in contents), "a file was left half-written"
        assert all(stat.S_IMODE(p.stat().st_mode) == stat.S_IMODE((folder / "stack_000.py").stat().st_mode) for p in folder.glob("stack_*.py"))
    # at least one run was caught in the middle: some files new, some old
    mixed = [
        {p.read_text() == new for p in (tmp_path / f"run{attempt}").glob("stack_*.py")} for attempt in range(3)
    ]
    assert any(m == {True, False} for m in mixed), "no kill landed mid-run; adjust the delays"
