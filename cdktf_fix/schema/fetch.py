"""Download a wheel with pip, to read a schema from it without installing it.

pip is run as a subprocess of the running interpreter (``python -m pip download --no-deps
--only-binary :all:``), so the user's pip configuration (index, proxy, certificates) applies.
Nothing is installed; the wheel is read as a zip file and deleted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FETCH_TIMEOUT = float(os.environ.get("CDKTF_FIX_FETCH_TIMEOUT", "600"))


class FetchError(RuntimeError):
    """The wheel could not be had; the message says why in one line."""


def fetching_allowed() -> bool:
    """Fetching is on unless ``CDKTF_FIX_OFFLINE`` is set (to anything but 0 or empty)."""
    return os.environ.get("CDKTF_FIX_OFFLINE", "") in ("", "0")


def download_wheel(requirement: str, folder: Path, timeout: float = FETCH_TIMEOUT) -> Path:
    """Download the wheel ``requirement`` names (``cdktn-provider-aws==25.8.1``, or a range: pip
    picks the newest release it allows) into ``folder``; return its path."""
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
        "--disable-pip-version-check", "--no-input", "-q", "-d", str(folder), requirement,
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise FetchError(f"pip download {requirement} took more than {timeout:.0f} s") from None
    except OSError as error:
        raise FetchError(f"cannot run pip: {error.strerror or error}") from None
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        reason = next((line for line in lines if line.startswith("ERROR")), lines[-1] if lines else f"exit status {done.returncode}")
        if "No module named pip" in (done.stderr or ""):
            reason = f"pip is not available to {sys.executable}"
        raise FetchError(f"pip download {requirement} failed: {reason}")
    wheels = sorted(folder.glob("*.whl"))
    if not wheels:
        raise FetchError(f"pip download {requirement} gave no wheel")
    return wheels[-1]


def wheel_version(wheel: Path) -> str:
    """``cdktn_provider_aws-25.8.1-py3-none-any.whl`` -> ``25.8.1``."""
    return wheel.name.split("-")[1]
