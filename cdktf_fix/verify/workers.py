"""One synth worker (``cdktf_fix.verify.synth_worker``) as the run sees it: started, fed one
sample at a time, killed.

- The worker runs in its own session, in a home folder of its own inside the run's folder
  (``TMPDIR`` too: jsii unpacks its runtime there); its stderr goes to a log file, whose new
  part is a sample's ``detail`` when it times out or crashes.
- It is ready once it has imported cdktf and the AWS provider (``wait_ready``: ``WorkerFailed``
  otherwise, with the end of its log).
- A sample that does not answer within its timeout is a ``timeout``; a worker that dies while
  running one is a ``crash`` (``the synth process died (killed by SIGKILL): <last line>``); either
  way the worker is not used again.
- ``kill`` ends the worker's process group, which holds its node kernel, even when the worker
  itself is already gone; the worker kills that group itself when the run disappears (the end
  of its input while it is busy).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from cdktf_fix.io.processes import remove_tree
from cdktf_fix.verify.results import DETAIL_CHARS, ERROR_CHARS, VerifyResult, failure_class, one_line_error


class WorkerFailed(Exception):
    """The worker could not start; ``output`` is the end of what it printed."""

    def __init__(self, message: str, output: str):
        super().__init__(message)
        self.output = output


class Worker:
    """One ``synth_worker`` subprocess, driven from one thread.

    It runs in its own session (a kill of its process group also ends its node kernel) and
    watches the pipe it reads its samples from: when that pipe ends while it loads or runs a
    sample, this process is gone, and it kills its group (``synth_worker``).
    """

    def __init__(self, run_folder: Path):
        try:
            self.home = tempfile.mkdtemp(prefix="worker-", dir=run_folder)
        except OSError as error:
            raise WorkerFailed(f"the synth worker's folder could not be made ({error})", "") from None
        try:
            self.log = tempfile.TemporaryFile(dir=self.home)
        except OSError as error:
            remove_tree(self.home)
            raise WorkerFailed(f"the synth worker's log could not be made ({error})", "") from None
        try:
            os.mkdir(os.path.join(self.home, "tmp"))  # jsii unpacks its runtime in TMPDIR: removed with home even after a kill
        except OSError as error:
            self.log.close()
            remove_tree(self.home)
            raise WorkerFailed(f"the synth worker's folder could not be made ({error})", "") from None
        env = {
            **os.environ,
            "TMPDIR": os.path.join(self.home, "tmp"),
            "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
        }
        project = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = project + os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else project
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cdktf_fix.verify.synth_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.log,
                cwd=self.home,
                env=env,
                text=True,
                encoding="utf-8",
                start_new_session=True,  # its own process group: a kill also ends its node kernel
            )
        except OSError as error:
            self.log.close()
            remove_tree(self.home)
            raise WorkerFailed(f"the synth worker did not start ({error})", "") from None
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.samples = 0
        self.startup_seconds = 0.0

    def wait_ready(self, startup_timeout: float) -> None:
        """Wait for the worker's imports; raises WorkerFailed (and cleans up) if it fails."""
        message = self._receive(startup_timeout)
        if not isinstance(message, dict) or not message.get("ready"):
            if message == "timeout":
                reason = f"no ready signal after {startup_timeout:g} s"
            elif isinstance(message, dict):
                reason = str(message.get("fatal", "unexpected message")).strip().splitlines()[-1]
            else:
                reason = "it exited"
            output = self._log_since(0)[-DETAIL_CHARS:]
            self.close()
            raise WorkerFailed(f"the synth worker did not start ({reason})", output)
        self.startup_seconds = float(message.get("seconds", 0.0))

    def _read(self) -> None:
        try:
            for line in self.process.stdout:
                try:
                    self.messages.put(json.loads(line))
                except ValueError:
                    continue
        except (OSError, ValueError):  # the pipe closed under us (the run is being stopped)
            pass
        self.messages.put(None)

    def _receive(self, timeout: float):
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return "timeout"

    def _log_since(self, offset: int) -> str:
        try:
            size = os.fstat(self.log.fileno()).st_size
            return os.pread(self.log.fileno(), size - offset, offset).decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""

    def run(self, name: str, folder: Path, entry: str, timeout: float) -> tuple[VerifyResult, bool]:
        """Run one sample; returns its result and whether the worker is still usable."""
        try:
            offset = os.fstat(self.log.fileno()).st_size
        except (OSError, ValueError):
            offset = 0
        self.samples += 1
        started = time.perf_counter()
        try:
            self.process.stdin.write(json.dumps({"folder": str(folder), "entry": entry}) + "\n")
            self.process.stdin.flush()
            message = self._receive(timeout)
        except (OSError, ValueError):
            message = None
        seconds = time.perf_counter() - started
        if message == "timeout":
            self.kill()
            output = self._log_since(offset)[-DETAIL_CHARS:]
            return VerifyResult(name, "timeout", f"no result after {timeout:g} s", detail=output, seconds=seconds), False
        if message is None:
            code = self.kill()
            output = self._log_since(offset).strip()
            last = output.splitlines()[-1] if output else ""
            how = f"exit code {code}"
            if code is not None and code < 0:
                how = f"killed by {signal.Signals(-code).name}" if -code in signal.valid_signals() else f"killed by signal {-code}"
            error = f"the synth process died ({how})" + (f": {last}" if last else "")
            return VerifyResult(name, "crash", error[:ERROR_CHARS], detail=output[-DETAIL_CHARS:], seconds=seconds), False
        status = message.get("status", "error")
        error = one_line_error(message.get("type", ""), message.get("message", ""))[:ERROR_CHARS] if status != "ok" else None
        calls = "".join(f"{line}\n" for line in message.get("calls", []))[: DETAIL_CHARS // 2]
        result = VerifyResult(
            name,
            status,
            error,
            failure_class(error),
            calls + (message.get("traceback") or "")[len(calls) - DETAIL_CHARS:],
            float(message.get("seconds", seconds)),
            list(message.get("stacks", [])),
        )
        return result, not message.get("exiting", False)

    def kill(self) -> int | None:
        """Kill the worker and its node kernel (one process group, which may outlive the worker
        itself); return the worker's exit code."""
        if self.process.returncode is None:  # not reaped yet: its pid, the group's id, is not reused
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                try:
                    self.process.kill()
                except OSError:
                    pass
        return self.process.wait()

    def close(self) -> None:
        """Let the worker end on its own (end of input), kill it if it does not, clean up."""
        try:
            self.process.stdin.close()
        except (OSError, ValueError):
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        self.discard()

    def discard(self) -> None:
        """Kill the worker and its node kernel now and remove its folder."""
        try:
            self.kill()
        except OSError:
            pass
        self.log.close()
        remove_tree(self.home)
