"""``cdktf-fix migrate --to cdktn`` (a CDKTF project moved to CDK Terrain) and ``cdktf-fix
upgrade --to VERSION`` (to another provider release), all or nothing per project.

The project in ``tests/migration/cdktf_project`` has three stacks (a network, keys, and storage
that reads a key of the keys stack), S3 backends, outputs, a data source, and every form of
import (``import cdktf``, ``import cdktf_cdktf_provider_aws.kms_key as kms``, ``from
cdktf_cdktf_provider_aws import subnet``, a package used unaliased).  The slow test synthesizes
it with cdktf, migrates it, synthesizes it with cdktn (0.24.0 + cdktn-provider-aws 25.8.1,
installed from the registry into a folder of their own) and compares every stack.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.cli import app

PROJECT = Path(__file__).resolve().parent / "migration" / "cdktf_project"
runner = CliRunner()
# what the slow test installs for the synth with CDK Terrain (cdktn 0.24 needs constructs < 10.8)
CDKTN = ("cdktn==0.24.0", "cdktn-provider-aws==25.8.1", "constructs==10.7.2")


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch, tmp_path):
    """No schema or release list remembered from other runs: offline, what is shipped only."""
    from cdktf_fix.schema import target

    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(tmp_path / "cache"))
    target.clear_caches()
    yield
    target.clear_caches()


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(PROJECT, folder, ignore=shutil.ignore_patterns("cdktf.out", "__pycache__"))
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _migrate(*args):
    return runner.invoke(app, ["migrate", "--offline", *[str(a) for a in args]])


def test_diff_shows_the_migration_and_writes_nothing(tmp_path):
    folder = _copy(tmp_path)
    before = _files(folder)
    result = _migrate("--to", "cdktn", "--diff", folder)
    assert result.exit_code == 1, result.output
    assert "+from cdktn import TerraformOutput, TerraformStack, S3Backend" in result.stdout
    assert "+cdktn==0.24.0" in result.stdout
    assert _files(folder) == before


def test_the_project_is_migrated_and_a_second_run_changes_nothing(tmp_path):
    folder = _copy(tmp_path)
    cdktf_json = (folder / "cdktf.json").read_bytes()
    result = _migrate("--to", "cdktn", folder)
    assert result.exit_code == 0, result.output
    code = "".join(p.read_text() for p in folder.rglob("*.py"))
    assert "cdktf" not in code.replace("cdktf.json", "")
    assert "import cdktn_provider_aws.kms_key as kms" in code and "cdktn.TerraformOutput(" in code
    requirements = (folder / "requirements.txt").read_text()
    assert "cdktn==0.24.0" in requirements and "cdktn-provider-aws" in requirements
    assert "# the CDKTF project before its migration to CDK Terrain" in requirements  # comments stay
    assert (folder / "cdktf.json").read_bytes() == cdktf_json  # CDK Terrain reads cdktf.json as it is
    after = _files(folder)
    again = _migrate("--to", "cdktn", folder)
    assert again.exit_code == 0, again.output
    assert _files(folder) == after


def test_a_file_that_cannot_be_migrated_stops_its_project_and_nothing_of_it_is_written(tmp_path):
    folder = _copy(tmp_path)
    (folder / "stacks" / "broken.py").write_text("from cdktf import App\ndef broken(:\n")
    other = tmp_path / "other"
    other.mkdir()
    (other / "requirements.txt").write_text("cdktf==0.21.0\n")
    (other / "main.py").write_text("from cdktf import App\n\napp = App()\napp.synth()\n")
    before = _files(folder)
    result = _migrate("--to", "cdktn", folder, other)
    assert result.exit_code == 2, result.output
    assert "not moved" in result.stderr and "broken.py" in result.stderr
    assert _files(folder) == before
    assert "from cdktn import App" in (other / "main.py").read_text()  # another project is migrated


def test_a_provider_whose_cdk_terrain_release_is_not_known_offline_stops_the_project(tmp_path):
    """Online the newest cdktn-provider-random would be the target; offline with nothing cached
    no release of it is known, so its imports cannot move: the project is left whole."""
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "requirements.txt").write_text("cdktf==0.21.0\ncdktf-cdktf-provider-random==12.0.1\n")
    source = "from cdktf import App\nfrom cdktf_cdktf_provider_random.provider import RandomProvider\n"
    (folder / "main.py").write_text(source)
    result = _migrate("--to", "cdktn", folder)
    assert result.exit_code == 2, result.output
    assert "not moved" in result.stderr
    assert (folder / "main.py").read_text() == source


def test_only_cdk_terrain_is_a_destination(tmp_path):
    result = _migrate("--to", "pulumi", tmp_path)
    assert result.exit_code == 2 and "cdktn" in result.stderr


# -- upgrade: another provider release ---------------------------------------------------------

OLD_MAJOR = """from constructs import Construct
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.eip import Eip
from cdktf_cdktf_provider_aws.eks_addon import EksAddon


class Addresses(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        Eip(self, "nat", vpc=True)
        EksAddon(self, "cni", cluster_name="main", addon_name="vpc-cni", resolve_conflicts="OVERWRITE")
"""


def test_upgrade_ports_the_code_and_bumps_the_pin(tmp_path):
    """A project pinned to provider 19.50.0 (AWS provider 5) ported to 21.22.1 (AWS provider 6):
    what 6 removed is rewritten as its upgrade guide says, the pin moves, its comment stays."""
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "requirements.txt").write_text("cdktf==0.21.0\ncdktf-cdktf-provider-aws==19.50.0  # pinned a year ago\n")
    (folder / "main.py").write_text(OLD_MAJOR)
    result = runner.invoke(app, ["upgrade", "--offline", "--to", "21.22.1", str(folder)])
    assert result.exit_code == 0, result.output
    code = (folder / "main.py").read_text()
    assert 'Eip(self, "nat", domain="vpc")' in code
    assert 'resolve_conflicts_on_create="OVERWRITE", resolve_conflicts_on_update="OVERWRITE"' in code
    assert (folder / "requirements.txt").read_text() == "cdktf==0.21.0\ncdktf-cdktf-provider-aws==21.22.1  # pinned a year ago\n"
    again = runner.invoke(app, ["upgrade", "--offline", "--to", "cdktf-cdktf-provider-aws==21.22.1", str(folder)])
    assert again.exit_code == 0 and "nothing to move" in again.stderr


@pytest.mark.parametrize("to", ["latest", "cdktf-cdktf-provider-aws>=21", "x==1==2"])
def test_upgrade_wants_one_release(tmp_path, to):
    result = runner.invoke(app, ["upgrade", "--offline", "--to", to, str(tmp_path)])
    assert result.exit_code == 2 and "--to" in result.stderr


# -- the real synth ------------------------------------------------------------------------------


def _synth(folder: Path, pythonpath: str | None = None) -> dict[str, dict]:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    shutil.rmtree(folder / "cdktf.out", ignore_errors=True)
    done = subprocess.run([sys.executable, "main.py"], cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    stacks = {}
    for path in sorted((folder / "cdktf.out" / "stacks").glob("*/cdk.tf.json")):
        data = json.loads(path.read_text())
        stacks[path.parent.name] = {k: data.get(k) for k in ("resource", "data", "output", "provider", "locals", "variable")}
        stacks[path.parent.name]["backend"] = data.get("terraform", {}).get("backend")
        stacks[path.parent.name]["remote_state"] = data.get("data", {}).get("terraform_remote_state")
    return stacks


@pytest.fixture(scope="module")
def cdktn_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("cdktn-site")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), *CDKTN],
        capture_output=True, text=True, timeout=900,
    )
    if done.returncode != 0:
        pytest.fail(f"could not install {' '.join(CDKTN)}: {done.stderr[-2000:]}")
    return site


@pytest.mark.slow
def test_the_migrated_project_synthesizes_with_cdktn_to_the_same_stacks(tmp_path, cdktn_site):
    folder = _copy(tmp_path)
    before = _synth(folder)
    assert set(before) == {"network", "keys", "storage"}
    result = _migrate("--to", "cdktn", folder)
    assert result.exit_code == 0, result.output
    after = _synth(folder, pythonpath=str(cdktn_site))
    assert set(after) == set(before)
    for stack in before:
        for part in before[stack]:
            assert after[stack][part] == before[stack][part], f"{stack}: {part} differs"
