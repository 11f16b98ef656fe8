"""An install that forces nothing, and schemas of versions nothing here ships.

The slow tests download real wheels from the registry (the machine's pip configuration):
- a schema fetched for cdktf-cdktf-provider-aws 19.50.0 keeps ``Eip(vpc=True)`` in a project
  pinned to it, while the same code pinned to 21.22.1 is fixed;
- cdktf-fix installed into a virtualenv that has provider 19.50.0 keeps it (``pip check`` is
  clean), and run from there checks the code against 19.50.0, read from the installed package.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
CODE = '''from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.eip import Eip


class Addresses(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        Eip(self, "nat", vpc=True)
'''


def test_the_install_requires_no_framework_or_provider():
    """``pip install cdktf-fix`` brings libcst, typer, rich, packaging and tomlkit (migrate's
    dependency files) only: a project's own
    cdktf and provider versions are never moved; verify's packages are the ``synth`` extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {Requirement(r).name for r in project["dependencies"]}
    assert names == {"libcst", "typer", "rich", "packaging", "tomlkit"}
    synth = {Requirement(r).name for r in project["optional-dependencies"]["synth"]}
    assert synth == {"cdktf", "cdktf-cdktf-provider-aws"}
    assert all(not Requirement(r).specifier for r in project["optional-dependencies"]["synth"]), "the synth extra must not move an installed version"


def test_verify_without_the_synth_packages_says_how_to_get_them(monkeypatch, tmp_path):
    import importlib.util

    from typer.testing import CliRunner

    from cdktf_fix.cli import app

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "cdktf_cdktf_provider_aws" else real(name, *a))
    (tmp_path / "main.py").write_text(CODE)
    run = CliRunner().invoke(app, ["verify", str(tmp_path / "main.py")])
    assert run.exit_code == 2
    assert "pip install 'cdktf-fix[synth]'" in run.output and "Traceback" not in run.output


def _project(folder: Path, pin: str) -> Path:
    folder.mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "requirements.txt").write_text(f"cdktf-cdktf-provider-aws=={pin}\n")
    (folder / "main.py").write_text(CODE)
    return folder


def _cli(*args: str, env: dict | None = None, python: str = sys.executable) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-m", "cdktf_fix.cli", *args], capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.slow
def test_a_project_pinned_to_19_50_keeps_vpc_and_one_pinned_to_21_22_is_fixed(tmp_path):
    """The wheel of 19.50.0 is fetched once (pip download, read statically, cached)."""
    env = {**os.environ, "CDKTF_FIX_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CDKTF_FIX_OFFLINE", None)
    old = _project(tmp_path / "old", "19.50.0")
    new = _project(tmp_path / "new", "21.22.1")
    run = _cli("diff", str(old), str(new), env=env)
    assert run.returncode == 1, run.stderr
    assert "new/main.py" in run.stdout and "old/main.py" not in run.stdout
    assert '+        Eip(self, "nat", domain="vpc")' in run.stdout
    info = _cli("schema", "info", str(old), "--format", "json", env=env)
    assert '"cdktf-cdktf-provider-aws": "19.50.0"' in info.stdout
    assert '"source": "cache"' in info.stdout, "the fetched part was cached"
    offline = _cli("diff", "--offline", str(old), env=env)
    assert offline.returncode == 0 and offline.stdout == "", "a second run needs no network"
    fetch = _cli("schema", "fetch", "cdktf-cdktf-provider-aws==9.0.0", env=env)
    assert fetch.returncode == 2 and "layout before cdktf 0.13" in fetch.stdout, fetch.stdout + fetch.stderr


@pytest.mark.slow
def test_another_prebuilt_provider_is_read_by_the_same_builder(tmp_path):
    """A project pinning cdktf-cdktf-provider-random gets its names checked too."""
    env = {**os.environ, "CDKTF_FIX_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CDKTF_FIX_OFFLINE", None)
    project = tmp_path / "p"
    project.mkdir()
    (project / ".git").mkdir()
    (project / "requirements.txt").write_text("cdktf-cdktf-provider-random==11.1.1\n")
    (project / "main.py").write_text(
        "from cdktf_cdktf_provider_random.password import Passwords\n\n\ndef make(scope):\n"
        "    return Passwords(scope, 'p', lenght=16)\n"
    )
    run = _cli("check", str(project), env=env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "password.Passwords does not exist in cdktf-cdktf-provider-random 11.1.1; it is Password" in run.stdout
    assert "Password has no keyword lenght in cdktf-cdktf-provider-random 11.1.1" in run.stdout


@pytest.mark.slow
def test_installing_into_a_venv_with_provider_19_50_keeps_it(tmp_path):
    """The install test: provider 19.50.0 (and its cdktf 0.20) stay, pip check is clean, and
    cdktf-fix run from that venv checks against the installed 19.50.0."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "cdktf-cdktf-provider-aws==19.50.0"], check=True, timeout=900)
    subprocess.run([*pip, str(ROOT)], check=True, timeout=900)
    shown = subprocess.run([python, "-m", "pip", "show", "cdktf-cdktf-provider-aws"], capture_output=True, text=True, check=True)
    assert "Version: 19.50.0" in shown.stdout
    check = subprocess.run([python, "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    (project / "main.py").write_text(CODE)
    env = {**os.environ, "CDKTF_FIX_CACHE_DIR": str(tmp_path / "cache"), "CDKTF_FIX_OFFLINE": "1"}
    run = _cli("check", str(project), env=env, python=python)
    assert run.returncode == 0, run.stdout + run.stderr
    info = _cli("schema", "info", str(project), env=env, python=python)
    assert "cdktf-cdktf-provider-aws 19.50.0: installed in the running interpreter" in info.stdout, info.stdout
