"""The `verify` command line: a timeout that never ends is a usage error, and the ~20 s that
jsii takes to load are announced on a terminal (plain text, on stderr) and nowhere else."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.cli import app

STARTING = "starting the synth worker (loading the AWS provider, ~20 s)..."
ENTRY = "from cdktf import App\napp = App()\napp.synth()\n"


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "0", "-5"])
def test_a_timeout_that_never_ends_is_a_usage_error(value, tmp_path):
    (tmp_path / "main.py").write_text(ENTRY)
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "main.py"), "--timeout", value])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == "error: --timeout must be a number of seconds above 0"


def _worker_of(mark: str) -> bool:
    needle = f"CDKTF_FIX_TEST_RUN={mark}".encode()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as cmd, open(f"/proc/{entry.name}/environ", "rb") as env:
                    if b"synth_worker" in cmd.read() and needle in env.read().split(b"\0"):
                        return True
            except OSError:
                continue
    return False


def _start(tmp_path: Path, stderr) -> tuple[subprocess.Popen, str]:
    (tmp_path / "main.py").write_text(ENTRY)
    mark = uuid.uuid4().hex
    env = {**os.environ, "TMPDIR": str(tmp_path), "CDKTF_FIX_TEST_RUN": mark, "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cdktf_fix.cli", "verify", str(tmp_path / "main.py")],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, env=env,
    )
    return process, mark


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds the worker through /proc")
def test_loading_jsii_is_announced_on_a_terminal(tmp_path):
    main, terminal = pty.openpty()
    process, _ = _start(tmp_path, terminal)
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + 60
    try:
        while STARTING.encode() not in seen and time.monotonic() < deadline:
            if select.select([main], [], [], 0.5)[0]:
                try:
                    seen += os.read(main, 4096)
                except OSError:
                    break
    finally:
        process.send_signal(signal.SIGTERM)  # no need to wait ~20 s for jsii
        process.wait(30)
        os.close(main)
    assert STARTING.encode() in seen, seen
    assert b"\x1b[" not in seen.split(STARTING.encode())[0][-20:]  # plain text, no colour codes around it
    assert [p.name for p in tmp_path.iterdir()] == ["main.py"]


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds the worker through /proc")
def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    process, mark = _start(tmp_path, subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while not _worker_of(mark) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        time.sleep(0.2)  # the worker is up: the announcement, if any, has been written
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert _worker_of(mark) is False
    assert "starting" not in stderr.decode(), stderr
