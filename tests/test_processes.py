"""cdktf_fix/io/processes.py, shared by batch and verify: which pids are alive, leftovers of dead
runs, stop signals."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from cdktf_fix.io.processes import SignalStop, alive, remove_leftovers


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_alive_is_false_for_an_ended_process_also_unreaped_and_for_an_impossible_pid():
    assert alive(os.getpid())
    assert not alive(_dead_pid())
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 10
        while alive(zombie.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(zombie.pid)  # ended, not yet reaped
    finally:
        zombie.wait()
    assert not alive(10**30)  # a name can carry any number: never an OverflowError


def test_leftovers_of_dead_processes_are_removed_and_live_ones_named(tmp_path):
    dead = _dead_pid()
    pattern = re.compile(r"\.x-(\d+)-[0-9a-f]+\.tmp\Z")
    (tmp_path / f".x-{dead}-ab.tmp").write_text("x")
    locked = tmp_path / f".x-{dead}-cd.tmp" / "locked"
    locked.mkdir(parents=True)
    locked.chmod(0o500)
    (tmp_path / f".x-{10**30}-ef.tmp").write_text("x")
    (tmp_path / f".x-{os.getpid()}-01.tmp").write_text("x")
    (tmp_path / f".x-{dead}-ab.tmp.keep").write_text("x")  # the whole name must match
    removed, live = remove_leftovers(tmp_path, pattern)
    assert sorted(p.name for p in removed) == sorted([f".x-{dead}-ab.tmp", f".x-{dead}-cd.tmp", f".x-{10**30}-ef.tmp"])
    assert live == [os.getpid()]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f".x-{os.getpid()}-01.tmp", f".x-{dead}-ab.tmp.keep"])


class _Stopped(BaseException):
    pass


def test_the_first_stop_signal_raises_later_ones_are_ignored_and_handlers_are_restored():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(_Stopped):
        with SignalStop(lambda number, handler: number == signal.SIGTERM, lambda number: _Stopped(number)) as stop:
            stop_handler = signal.getsignal(signal.SIGTERM)
            assert signal.getsignal(signal.SIGHUP) is not stop_handler  # not accepted: left alone
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)
            finally:
                os.kill(os.getpid(), signal.SIGTERM)  # during the cleanup: ignored
                time.sleep(0.1)
    assert stop.received == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before
