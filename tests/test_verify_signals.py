"""`cdktf-fix verify` stopped by a signal leaves nothing behind (slow: real jsii).

Six runs start side by side, each on samples that hang (two at once for two of them), with its own TMPDIR and a marker in
its environment (inherited by its synth worker and node): SIGTERM, SIGHUP and SIGKILL while
the worker loads jsii, SIGTERM, Ctrl-C (SIGINT) and SIGKILL while the sample runs.  After
SIGTERM, SIGHUP and SIGINT no process of the run and no temporary folder may be left; after
SIGKILL the worker and node must exit on their own, and the next run removes the folder.
The runs share the machine, so the whole module costs about one jsii start.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("node") is None, reason="node is needed for a real synth"),
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds processes through /proc"),
]

GONE_WITHIN = 15.0  # seconds a stopped run may take to leave no process
HANG = """import os, pathlib, time
pathlib.Path(os.environ["CDKTF_FIX_TEST_STARTED"]).write_text(str(os.getpid()))
from cdktf import App
while True:
    time.sleep(0.05)
App().synth()
"""


def processes(mark: str) -> list[tuple[int, str]]:
    """Live processes (pid, command line) whose environment holds the marker."""
    needle = f"CDKTF_FIX_TEST_RUN={mark}".encode()
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/environ", "rb") as handle:
                if needle not in handle.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                found.append((int(entry.name), handle.read().replace(b"\0", b" ").decode(errors="replace").strip()))
        except OSError:  # gone, a zombie, or not ours
            continue
    return found


def _reset_signals() -> None:  # a run from a shell in the background ignores SIGINT: Python would too
    for number in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)


@dataclass
class Scenario:
    name: str
    signal: int
    when: str  # "loading": node has started, the worker loads jsii; "running": the sample hangs
    root: Path
    jobs: int = 1  # that many hanging samples, run side by side
    mark: str = field(default_factory=lambda: uuid.uuid4().hex)
    seen: list[tuple[int, str]] = field(default_factory=list)  # the run's processes when signalled
    code: int | None = None
    left: list[tuple[int, str]] = field(default_factory=list)  # processes left after GONE_WITHIN
    seconds_to_gone: float | None = None
    folders_after: list[str] = field(default_factory=list)  # what the run left in its TMPDIR
    folders_after_next_run: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.tmp = self.root / self.name / "tmp"
        self.tmp.mkdir(parents=True)
        self.started = self.root / self.name / "started"
        samples = self.root / self.name / "samples"
        for number in range(self.jobs):
            (samples / f"hang{number}").mkdir(parents=True)
            (samples / f"hang{number}" / "main.py").write_text(HANG)
        self.env = {**os.environ, "TMPDIR": str(self.tmp), "CDKTF_FIX_TEST_RUN": self.mark, "CDKTF_FIX_TEST_STARTED": str(self.started)}
        self.log = open(self.root / self.name / "stderr", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cdktf_fix.cli", "verify", str(samples), "--jobs", str(self.jobs), "--timeout", "600"],
            stdout=subprocess.DEVNULL, stderr=self.log, env=self.env, preexec_fn=_reset_signals,
        )

    def ready(self) -> bool:
        if self.when == "running":
            return self.started.exists()
        return any("jsii-runtime" in command for _, command in processes(self.mark))

    def stop(self) -> None:
        self.seen = processes(self.mark)
        self.process.send_signal(self.signal)
        signalled = time.monotonic()
        try:
            self.code = self.process.wait(GONE_WITHIN)
        except subprocess.TimeoutExpired:
            pass
        while processes(self.mark) and time.monotonic() - signalled < GONE_WITHIN:
            time.sleep(0.1)
        self.left = processes(self.mark)
        self.seconds_to_gone = time.monotonic() - signalled
        self.folders_after = sorted(os.listdir(self.tmp))

    def next_run(self) -> None:
        """A later, quick run (a sample without stack: no worker) with the same TMPDIR."""
        sample = self.root / self.name / "later.py"
        sample.write_text("print('no stack here')\n")
        subprocess.run([sys.executable, "-m", "cdktf_fix.cli", "verify", str(sample)], env=self.env, capture_output=True, timeout=120)
        self.folders_after_next_run = sorted(os.listdir(self.tmp))

    def clean_up(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for pid, _ in processes(self.mark):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.log.close()


@pytest.fixture(scope="module")
def stopped(tmp_path_factory):
    root = tmp_path_factory.mktemp("signals")
    plan = [
        ("term-loading", signal.SIGTERM, "loading", 2),  # two workers loading
        ("hup-loading", signal.SIGHUP, "loading", 1),
        ("kill-loading", signal.SIGKILL, "loading", 2),
        ("term-running", signal.SIGTERM, "running", 1),
        ("int-running", signal.SIGINT, "running", 1),
        ("kill-running", signal.SIGKILL, "running", 1),
    ]
    scenarios = {}
    try:
        for name, number, when, jobs in plan:
            scenarios[name] = Scenario(name, number, when, root, jobs)
        waiting = list(scenarios.values())
        deadline = time.monotonic() + 300
        while waiting and time.monotonic() < deadline:
            for scenario in list(waiting):
                if scenario.process.poll() is not None:
                    pytest.fail(f"{scenario.name}: verify ended by itself: {(root / scenario.name / 'stderr').read_text()[-2000:]}")
                if scenario.ready():
                    scenario.stop()
                    waiting.remove(scenario)
            time.sleep(0.05)
        assert not waiting, f"never reached their point: {[s.name for s in waiting]}"
        for scenario in scenarios.values():
            if scenario.signal == signal.SIGKILL:
                scenario.next_run()
        yield scenarios
    finally:
        for scenario in scenarios.values():
            scenario.clean_up()


def _commands(seen: list[tuple[int, str]]) -> str:
    return " | ".join(command for _, command in seen)


@pytest.mark.parametrize("name", ["term-loading", "hup-loading", "term-running", "int-running"])
def test_a_signal_that_ends_verify_leaves_no_process_and_no_folder(stopped, name):
    scenario = stopped[name]
    commands = _commands(scenario.seen)
    assert "cdktf_fix.verify.synth_worker" in commands and "jsii-runtime" in commands, commands  # there was something to end
    assert scenario.left == [], f"{name}: left running {scenario.left}"
    assert scenario.folders_after == [], f"{name}: left {scenario.folders_after} in TMPDIR"
    if scenario.signal == signal.SIGINT:
        assert scenario.code not in (None, 0)
    else:
        assert scenario.code == -scenario.signal  # it still ends as that signal ends a process


@pytest.mark.parametrize("name", ["kill-loading", "kill-running"])
def test_after_sigkill_worker_and_node_exit_and_the_next_run_removes_the_folder(stopped, name):
    scenario = stopped[name]
    commands = _commands(scenario.seen)
    assert "cdktf_fix.verify.synth_worker" in commands and "jsii-runtime" in commands, commands
    assert scenario.code == -signal.SIGKILL
    assert scenario.left == [], f"{name}: left running {scenario.left}"
    assert [folder.rsplit("-", 2)[0] for folder in scenario.folders_after] == ["cdktf-fix-verify"]  # only SIGKILL leaves it...
    assert scenario.folders_after[0].split("-")[3] == str(scenario.process.pid)  # ...named by its owner's pid
    assert scenario.folders_after_next_run == []  # ...and the next run removes it
