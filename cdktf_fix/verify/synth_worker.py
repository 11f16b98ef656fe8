"""The synth worker: imports cdktf and the AWS provider once, then runs samples one at a time.

This is the only code in cdktf-fix that runs the code it checks.  Protocol, JSON lines: the
worker writes ``{"ready": true, "seconds": S}`` (or ``{"fatal": ...}``) once the imports are
done, then reads ``{"folder": DIR, "entry": FILE}`` and answers with one result per sample:
``{"status": "ok"|"error"|"crash"|"no-entry", "type", "message", "traceback", "stacks", "seconds"}``
(``"exiting": true`` when the jsii kernel died and the worker ends), with ``"calls"``: what a
generated entry called (``verify called TapStack(app, "tap_stack", environment_suffix="test")``)
and skipped (``cdktf_fix.verify.arguments.build_stacks``, which makes the arguments up from the
stack classes' signatures here; ``no-entry`` when it can build no stack).  The protocol runs on
copies of the original stdin and stdout; samples see /dev/null as stdin and stderr as stdout.
The end of the protocol's input while idle ends the worker; while it loads or runs a sample,
it means that its parent is gone (killed), and the worker kills its process group (itself and
its node kernel: the parent starts it in a session of its own) instead of finishing.
Every sample runs in its folder as cwd and first on sys.path, with a copy of the environment;
afterwards cwd, sys.path, the environment and the streams are restored and the modules the
sample loaded from its folder are forgotten.
"""

from __future__ import annotations

import importlib
import json
import os
import queue
import runpy
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from cdktf_fix.verify import arguments  # the generated entries' build_stacks: loaded before sys.path is narrowed

MESSAGE_CHARS = 8000
TRACEBACK_CHARS = 2000
_apps: list = []  # the outdirs of the Apps the running sample built


def _install_hooks(cdktf) -> None:
    """Resolve relative paths against the sample's folder, as ``cdktf synth`` run there would.

    The node kernel keeps the worker's startup cwd, so App's default ``cdktf.out`` and relative
    asset paths would otherwise land there; the outdir of every App is also recorded.
    """
    app_init = cdktf.App.__init__
    asset_init = cdktf.TerraformAsset.__init__

    def init_app(self, *args, **kwargs):
        outdir = kwargs.get("outdir") or os.environ.get("CDKTF_OUTDIR") or "cdktf.out"
        kwargs["outdir"] = os.path.abspath(outdir)
        _apps.append(kwargs["outdir"])
        app_init(self, *args, **kwargs)

    def init_asset(self, *args, **kwargs):
        path = kwargs.get("path")
        if isinstance(path, str) and path and not os.path.isabs(path) and "${" not in path:
            kwargs["path"] = os.path.abspath(path)
        asset_init(self, *args, **kwargs)

    cdktf.App.__init__ = init_app
    cdktf.TerraformAsset.__init__ = init_asset


def _kernel_alive(cdktf) -> bool:
    try:
        cdktf.Token.is_unresolved("x")
        return True
    except BaseException:
        return False


def _forget_modules(folder: str) -> None:
    """Drop every module loaded from ``folder`` (run while it is still on sys.path, so that
    namespace packages still report their path there)."""
    roots = tuple({os.path.join(folder, ""), os.path.join(os.path.realpath(folder), "")})
    for name, module in list(sys.modules.items()):
        try:
            paths = [getattr(module, "__file__", None), *list(getattr(module, "__path__", None) or [])]
        except Exception:
            continue
        if any(isinstance(p, str) and p.startswith(roots) for p in paths):
            del sys.modules[name]
    for key in [k for k in sys.path_importer_cache if isinstance(k, str) and os.path.join(k, "").startswith(roots)]:
        del sys.path_importer_cache[key]
    importlib.invalidate_caches()


def _stacks(folder: str) -> list[str]:
    outdirs = _apps or [os.path.join(folder, "cdktf.out")]
    return sorted({p.parent.name for outdir in outdirs for p in Path(outdir).glob("stacks/*/cdk.tf.json")})


def run_sample(folder: str, entry: str) -> dict:
    """Run one sample's entry in its folder; never raises."""
    saved = (os.getcwd(), list(sys.path), dict(os.environ), list(sys.argv), sys.stdin, sys.stdout, sys.stderr)
    _apps.clear()
    arguments.CALLS.clear()
    result: dict = {"status": "ok"}
    started = time.perf_counter()
    try:
        os.environ.setdefault("AWS_REGION", "us-east-1")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        os.chdir(folder)
        sys.path.insert(0, folder)
        sys.argv = [os.path.join(folder, entry)]
        runpy.run_path(sys.argv[0], run_name="__main__")
    except SystemExit as error:
        if error.code not in (None, 0):
            result = _failure(error, f"the code exited with {error.code!r}")
    except arguments.NoStackBuilt as error:
        result = {"status": "no-entry", "type": "", "message": str(error)[:MESSAGE_CHARS]}
    except BaseException as error:
        result = _failure(error)
    finally:
        result["seconds"] = time.perf_counter() - started
        cwd, path, environ, argv, sys.stdin, sys.stdout, sys.stderr = saved
        try:
            sys.path[:] = [folder, *path]  # as during the run, for namespace packages' paths
            _forget_modules(folder)
            os.chdir(cwd)
            sys.path[:] = path
            sys.argv = argv
            os.environ.clear()
            os.environ.update(environ)
        except BaseException as error:  # a sample that broke the interpreter state
            result = _failure(error, f"could not restore the worker: {error}")
            result["exiting"] = True
    result["stacks"] = _stacks(folder)
    if arguments.CALLS:
        result["calls"] = list(arguments.CALLS)
    if result["status"] == "ok" and not result["stacks"]:
        result.update(status="error", type="", message="no stack was synthesized (nothing called app.synth(), or the app has no stack)")
    _apps.clear()
    return result


def _failure(error: BaseException, message: str | None = None) -> dict:
    text = "".join(traceback.format_exception(error))
    return {
        "status": "error",
        "type": type(error).__name__,
        "message": (message or str(error))[:MESSAGE_CHARS],
        "traceback": text[-TRACEBACK_CHARS:],
    }


def _end_group() -> None:
    """End this worker now, with its node kernel when it leads its own process group."""
    try:
        if os.getpgrp() == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
    except OSError:
        pass
    os._exit(1)


def _watch_parent(protocol_in, jobs: queue.Queue, busy: threading.Event) -> None:
    """Read the protocol's input on a thread of its own: its end while busy means the parent died."""
    try:
        for line in protocol_in:
            jobs.put(line)
    except (OSError, ValueError):
        pass
    if busy.is_set():
        _end_group()
    jobs.put(None)


def main() -> int:
    protocol_out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    protocol_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    os.dup2(2, 1)  # whatever a sample (or node, through jsii) prints goes to stderr
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(os.devnull, encoding="utf-8")
    jobs: queue.Queue = queue.Queue()
    busy = threading.Event()
    busy.set()  # loading
    threading.Thread(target=_watch_parent, args=(protocol_in, jobs, busy), daemon=True).start()

    def send(message: dict) -> None:
        protocol_out.write(json.dumps(message) + "\n")
        protocol_out.flush()

    # samples must not import cdktf-fix's own folders (tests, scripts) nor the worker's cwd
    own = {str(Path(__file__).resolve().parents[2]), os.getcwd()}
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") not in own]
    started = time.perf_counter()
    try:
        import cdktf

        importlib.import_module("cdktf_cdktf_provider_aws")  # the expensive part: node loads the provider
        _install_hooks(cdktf)
    except BaseException:
        send({"fatal": traceback.format_exc()[-TRACEBACK_CHARS:]})
        return 1
    busy.clear()
    send({"ready": True, "seconds": time.perf_counter() - started})
    while True:
        line = jobs.get()
        if line is None:
            break
        busy.set()
        job = json.loads(line)
        result = run_sample(job["folder"], job["entry"])
        if not _kernel_alive(cdktf):
            cause = f"{result.get('type', '')}: {result.get('message', '')}".strip(": ")
            result.update(status="crash", exiting=True, type="", message=f"the jsii kernel (node) died: {cause}")
        if not result.get("exiting"):
            busy.clear()  # before the answer: the parent may close the pipe as soon as it has it
        send(result)
        if result.get("exiting"):
            protocol_out.flush()
            _end_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
