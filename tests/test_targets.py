"""Targets: each project is checked against the framework and package versions it really uses.

Every project lives under tmp_path with a ``.git`` folder at its root (the project lookup stops
at a repository root), fetching is off (``CDKTF_FIX_OFFLINE``) and the schema cache is a fresh
folder per test: nothing here touches the network or the user's cache.
"""

from __future__ import annotations

import functools

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.cli import app
from cdktf_fix.engine.options import Options
from cdktf_fix.io import batch
from cdktf_fix.io.batch import TargetRequest, batch_folder
from cdktf_fix.datasets.jsonl_batch import batch_jsonl
from cdktf_fix.io.runs import Request, repair_paths
from cdktf_fix.schema import store, target
from cdktf_fix.schema.target import (
    Target,
    TargetError,
    Targets,
    imported_packages,
    newest_allowed,
    parse_explicit,
    resolve,
    split_requirements,
)

P = "cdktf_cdktf_provider_aws"
AWS = "cdktf-cdktf-provider-aws"
CDKTF_DEFAULT = "cdktf 0.21.0 + cdktf-cdktf-provider-aws 21.22.1"
CDKTN_DEFAULT = "cdktn 0.24.0 + cdktn-provider-aws 25.8.1"


def generated_module(name: str, base: str, keywords: str, positional: str = "id") -> str:
    """One class in the generated shape build.scan_module reads (as in tests/test_schema.py)."""
    return f'''import abc
import builtins
import typing

import jsii
import typing_extensions

import cdktf as _cdktf_9a9027ec
import constructs as _constructs_77d1e7e8


class {name}(
    _cdktf_9a9027ec.{base},
    metaclass=jsii.JSIIMeta,
    jsii_type="@cdktf/provider-aws.x.{name}",
):
    def __init__(
        self,
        scope: _constructs_77d1e7e8.Construct,
        {positional}: builtins.str,
        *,
{keywords}
    ) -> None:
        pass


__all__ = [
    "{name}",
]
'''


PROVIDER_MODULE = generated_module("AwsProvider", "TerraformProvider", "        region: typing.Optional[builtins.str] = None,")
EIP_MODULE = generated_module(
    "Eip", "TerraformResource",
    "        vpc: typing.Optional[builtins.bool] = None,\n        domain: typing.Optional[builtins.str] = None,",
    positional="id_",
)

EIP_STACK = '''from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.eip import Eip


class Network(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        Eip(self, "e", vpc=True)
'''

# ``vpcc`` is one letter from ``vpc``: a file checked against 19.50.0 gets ``vpc=True`` back
EIP_TYPO = 'from cdktf_cdktf_provider_aws.eip import Eip\nEip(None, "e", vpcc=True)\n'

BAD_CDKTF = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b', versioning_configuration=c)\n"
BAD_CDKTN = BAD_CDKTF.replace("cdktf_cdktf_provider_aws", "cdktn_provider_aws")
GOOD_CDKTN = BAD_CDKTN.replace("S3BucketVersioning", "S3BucketVersioningA")

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


RUNNING_KEPT = frozenset({"cdktf", "constructs", "cdktf-cdktf-provider-aws", "cdktn", "cdktn-provider-aws"})


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No network, a fresh schema cache, and no project or schema remembered across tests."""
    monkeypatch.setenv("CDKTF_FIX_OFFLINE", "1")
    monkeypatch.setenv("CDKTF_FIX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(store, "ORIGINS", {})
    target.clear_caches()
    # the running interpreter as CI has it: the framework and the AWS provider (a developer's
    # other providers, cdktf-cdktf-provider-random for one, would join every target)
    kept = {k: v for k, v in target.running_installed().items() if k in RUNNING_KEPT}
    running = functools.lru_cache(maxsize=1)(lambda: kept)
    monkeypatch.setattr(target, "running_installed", running)
    yield
    target.clear_caches()


def fake_venv(project: Path, version: str = "19.50.0") -> Path:
    """``<project>/.venv`` holding a tiny ``cdktf-cdktf-provider-aws`` of ``version`` (provider
    and eip modules, Eip taking both ``vpc`` and ``domain``, as before AWS provider 5)."""
    venv = project / ".venv"
    site = venv / "lib" / "python3.11" / "site-packages"
    for module, text in (("provider", PROVIDER_MODULE), ("eip", EIP_MODULE)):
        (site / P / module).mkdir(parents=True)
        (site / P / module / "__init__.py").write_text(text)
    (site / P / "__init__.py").write_text("import jsii\n")
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    info = site / f"cdktf_cdktf_provider_aws-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {AWS}\nVersion: {version}\n\nbody\n")
    return site


def project(root: Path, name: str | None = None, requirements: str | None = None, venv: str | None = None,
            pyproject: str | None = None, files: dict[str, str] | None = None, git: bool = True) -> Path:
    """A project folder (``root/name``, or ``root`` itself) with a ``.git`` folder at its root."""
    folder = root / name if name else root
    folder.mkdir(parents=True, exist_ok=True)
    if git:
        (folder / ".git").mkdir(exist_ok=True)
    if requirements is not None:
        (folder / "requirements.txt").write_text(requirements)
    if venv is not None:
        fake_venv(folder, venv)
    if pyproject is not None:
        (folder / "pyproject.toml").write_text(pyproject)
    for file, text in (files or {}).items():
        (folder / file).write_text(text)
    return folder


def target_of(folder: Path, explicit: tuple[str, ...] = (), imported: frozenset[str] = frozenset(), **kwargs) -> Target:
    return Targets(explicit, offline=True).target_for(folder / "main.py", imported=imported, fetch=False, **kwargs)


def by_name(report) -> dict[str, object]:
    return {f"{outcome.path.parent.name}/{outcome.path.name}": outcome for outcome in report.files}


def no_running_packages(monkeypatch) -> None:
    """The running interpreter as if it had no framework or provider package installed."""
    monkeypatch.setattr(target, "running_sites", lambda: [])
    monkeypatch.setattr(target, "running_installed", functools.lru_cache(maxsize=1)(dict))
    target.clear_caches()


# -- 1. each project against its own pins (and a monorepo of two) ---------------------------


def test_each_project_of_a_monorepo_is_checked_against_its_own_pins(tmp_path):
    """Eip(vpc=True) is valid in a project pinned to provider 19.50.0 (its venv has it) and left
    byte-identical; the same file in a sibling pinned to 21.22.1 (where vpc is gone) gets
    domain="vpc".  One run over both: each file names the target it was checked against."""
    root = project(tmp_path, "mono")
    old = project(root, "old", requirements=f"{AWS}==19.50.0\n", venv="19.50.0", files={"main.py": EIP_STACK}, git=False)
    project(root, "new", requirements=f"{AWS}==21.22.1\n", files={"main.py": EIP_STACK}, git=False)
    report = repair_paths([root], Request(), write=True)
    files = by_name(report)
    assert set(files) == {"old/main.py", "new/main.py"}
    assert files["old/main.py"].result.target == "cdktf 0.21.0 + cdktf-cdktf-provider-aws 19.50.0"
    assert files["new/main.py"].result.target == CDKTF_DEFAULT
    assert (old / "main.py").read_bytes() == EIP_STACK.encode()
    assert not files["old/main.py"].result.fixes and not files["old/main.py"].result.findings
    assert (root / "new" / "main.py").read_text() == EIP_STACK.replace("vpc=True", 'domain="vpc"')
    [fix] = files["new/main.py"].result.fixes
    assert fix.codemod == "kwarg-name" and "cdktf-cdktf-provider-aws 21.22.1" in fix.message
    run = invoke("diff", old)
    assert run.exit_code == 0, run.output
    assert run.stdout == ""


@pytest.mark.parametrize("how", ["exact pin", "range pin", "bare pin", "--target"])
def test_a_pinned_version_installed_in_the_project_venv_is_read(tmp_path, how):
    """A project that pins (or is given with --target) provider 19.50.0 and has 19.50.0 in its own
    .venv is checked against that copy: no notice, and a keyword typo is fixed to the 19.50.0
    keyword ``vpc`` (which 21.22.1 no longer has)."""
    requirements = {"exact pin": f"{AWS}==19.50.0\n", "range pin": f"{AWS}>=19,<20\n", "bare pin": f"{AWS}\n", "--target": f"{AWS}==21.22.1\n"}[how]
    folder = project(tmp_path, "p", requirements=requirements, venv="19.50.0", files={"main.py": EIP_TYPO})
    explicit = (f"{AWS}==19.50.0",) if how == "--target" else ()
    report = repair_paths([folder], Request(target=explicit), write=False)
    [outcome] = report.files
    assert outcome.result.target == "cdktf 0.21.0 + cdktf-cdktf-provider-aws 19.50.0"
    assert report.notices == []
    assert outcome.result.new_source == EIP_TYPO.replace("vpcc=", "vpc=")


def test_a_venv_only_project_is_checked_against_its_venv(tmp_path):
    """With no pins, the provider version in the project's .venv is read from there and used:
    a keyword typo is fixed to the 19.50.0 keyword ``vpc``."""
    folder = project(tmp_path, "p", venv="19.50.0", files={"main.py": EIP_TYPO})
    report = repair_paths([folder], Request(), write=False)
    [outcome] = report.files
    assert report.notices == []
    assert outcome.result.target == "cdktf 0.21.0 + cdktf-cdktf-provider-aws 19.50.0"
    assert outcome.result.new_source == EIP_TYPO.replace("vpcc=", "vpc=")
    assert "19.50.0" in outcome.result.fixes[0].message


def test_the_schema_of_one_project_does_not_leak_into_another_with_the_same_versions(tmp_path):
    """Two projects on provider 19.50.0 in one run: ``a`` has no copy of it (unchecked, one
    notice), ``b`` has it in its .venv and is checked: its keyword typo is fixed."""
    a = project(tmp_path, "a", requirements=f"{AWS}==19.50.0\n", files={"main.py": EIP_TYPO})
    b = project(tmp_path, "b", venv="19.50.0", files={"main.py": EIP_TYPO})
    report = repair_paths([a, b], Request(), write=False)
    files = by_name(report)
    assert files["a/main.py"].result.new_source == EIP_TYPO
    assert files["b/main.py"].result.new_source == EIP_TYPO.replace("vpcc=", "vpc=")
    assert [n for n in report.notices if str(b) in n] == []


# -- 2. the decision order ------------------------------------------------------------------


def test_target_option_beats_pins(tmp_path):
    """--target names the version even when the project pins another; the reason says --target."""
    folder = project(tmp_path, "p", requirements=f"{AWS}==19.50.0\n")
    chosen = target_of(folder, (f"{AWS}==20.0.0",))
    assert chosen.framework == "cdktf"
    assert chosen.version_of(AWS) == "20.0.0"
    assert f"{AWS} 20.0.0: --target: {AWS}==20.0.0" in chosen.reasons


def test_configured_target_beats_pins(tmp_path):
    """[tool.cdktf-fix] target in pyproject.toml beats requirements.txt; the reason names the
    pyproject; a run reports the configured version on each file."""
    pyproject = f'[tool.cdktf-fix]\ntarget = ["{AWS}==20.0.0"]\n'
    folder = project(tmp_path, "p", requirements=f"{AWS}==19.50.0\n", pyproject=pyproject, files={"main.py": BAD_CDKTF})
    chosen = target_of(folder, configured=[f"{AWS}==20.0.0"], config_path=folder / "pyproject.toml")
    assert chosen.version_of(AWS) == "20.0.0"
    assert any(r.startswith(f"{AWS} 20.0.0: {folder / 'pyproject.toml'} [tool.cdktf-fix] target") for r in chosen.reasons), chosen.reasons
    report = repair_paths([folder], Request(), write=False)
    assert [f.result.target for f in report.files] == ["cdktf 0.21.0 + cdktf-cdktf-provider-aws 20.0.0"]
    info = json.loads(invoke("schema", "info", folder, "--format", "json").stdout)
    assert info["versions"][AWS] == "20.0.0"


def test_target_option_beats_configured_target(tmp_path):
    """--target replaces [tool.cdktf-fix] target (and the pins)."""
    folder = project(tmp_path, "p", requirements=f"{AWS}==19.50.0\n")
    chosen = target_of(folder, ("cdktn",), configured=[f"{AWS}==20.0.0"], config_path=folder / "pyproject.toml")
    assert chosen.framework == "cdktn"
    assert chosen.versions == (("cdktn", "0.24.0"), ("cdktn-provider-aws", "25.8.1"))


def test_pins_beat_the_venv(tmp_path):
    """A pinned version wins over the version installed in the project's .venv."""
    folder = project(tmp_path, "p", requirements=f"{AWS}==20.0.0\n", venv="19.50.0")
    chosen = target_of(folder)
    assert chosen.versions == (("cdktf", "0.21.0"), (AWS, "20.0.0"))
    assert f"{AWS} 20.0.0: {folder / 'requirements.txt'} pins {AWS}==20.0.0" in chosen.reasons
    assert chosen.project == str(folder)


def test_the_project_venv_beats_the_running_interpreter(tmp_path):
    """With no pins, the .venv's 19.50.0 wins over the running interpreter's 21.22.1; the core,
    which the venv lacks, comes from the running interpreter."""
    folder = project(tmp_path, "p", requirements="requests==2.0\n", venv="19.50.0")
    chosen = target_of(folder)
    assert chosen.framework == "cdktf"
    assert chosen.versions == (("cdktf", "0.21.0"), (AWS, "19.50.0"))
    assert f"{AWS} 19.50.0: installed in {folder / '.venv'}" in chosen.reasons
    assert "cdktf 0.21.0: installed in the running interpreter" in chosen.reasons


def test_the_running_interpreter_is_used_when_the_project_says_nothing(tmp_path):
    """No pins, no venv, code that imports nothing: the running interpreter's cdktf packages."""
    folder = project(tmp_path, "p", requirements="requests==2.0\n")
    chosen = target_of(folder)
    assert chosen.label == CDKTF_DEFAULT
    assert chosen.reasons == ("cdktf 0.21.0: installed in the running interpreter", f"{AWS} 21.22.1: installed in the running interpreter")


def test_code_importing_cdktn_gets_cdktn_over_the_running_interpreter(tmp_path):
    """No pins or venv, the running interpreter has cdktf packages, the code imports cdktn: the
    cdktn defaults (0.24.0 + 25.8.1)."""
    assert target.running_installed().get(AWS) is not None, "this test needs cdktf packages in the running interpreter"
    folder = project(tmp_path, "p", requirements="requests==2.0\n")
    chosen = target_of(folder, imported=frozenset({"cdktn", "cdktn_provider_aws"}))
    assert chosen.framework == "cdktn"
    assert chosen.versions == (("cdktn", "0.24.0"), ("cdktn-provider-aws", "25.8.1"))
    assert chosen.reasons == ("cdktn 0.24.0: default", "cdktn-provider-aws 25.8.1: default")


def test_nothing_at_all_gives_the_cdktf_default(tmp_path, monkeypatch):
    """No project, no venv, nothing installed, no imports: cdktf 0.21.0 + provider 21.22.1, default."""
    no_running_packages(monkeypatch)
    folder = project(tmp_path, "p")
    chosen = target_of(folder)
    assert chosen.framework == "cdktf"
    assert chosen.label == CDKTF_DEFAULT
    assert chosen.reasons == ("cdktf 0.21.0: default", f"{AWS} 21.22.1: default")
    assert chosen.project is None and chosen.problems == ()


# -- 3. ranges ------------------------------------------------------------------------------


def test_a_range_offline_resolves_to_the_newest_version_known_here(tmp_path):
    """cdktn-provider-aws>=25,<26 offline is 25.8.1 (the shipped snapshot), said to be offline."""
    folder = project(tmp_path, "p", requirements="cdktn-provider-aws>=25,<26\n")
    chosen = target_of(folder)
    assert chosen.framework == "cdktn"
    assert chosen.version_of("cdktn-provider-aws") == "25.8.1"
    [reason] = [r for r in chosen.reasons if r.startswith("cdktn-provider-aws")]
    assert reason == f"cdktn-provider-aws 25.8.1: {folder / 'requirements.txt'} pins cdktn-provider-aws>=25,<26 (offline: the newest version known here that it allows)"


def test_a_range_no_known_version_allows_is_a_problem_and_no_part(tmp_path):
    """cdktn-provider-aws>=99: no version for it, a problem naming the pin, and a run's notice."""
    folder = project(tmp_path, "p", requirements="cdktn-provider-aws>=99\n", files={"main.py": BAD_CDKTN})
    chosen = target_of(folder)
    assert chosen.version_of("cdktn-provider-aws") is None
    assert chosen.versions == (("cdktn", "0.24.0"),)
    [problem] = chosen.problems
    assert "requirements.txt pins cdktn-provider-aws>=99" in problem and "no release allows it" in problem
    report = repair_paths([folder], Request(), write=False)
    [outcome] = report.files
    assert outcome.result.new_source == BAD_CDKTN and not outcome.result.findings
    assert any("cdktn-provider-aws>=99" in n and "not checked" in n for n in report.notices), report.notices


def test_a_range_no_version_allows_is_one_notice_not_a_false_unpinned_one(tmp_path):
    """cdktn-provider-aws>=99 with code importing cdktn_provider_aws: the one notice is about the
    pin; none claims the provider is not pinned."""
    folder = project(tmp_path, "p", requirements="cdktn-provider-aws>=99\n", files={"main.py": BAD_CDKTN})
    report = repair_paths([folder], Request(), write=False)
    [notice] = report.notices
    assert "cdktn-provider-aws>=99" in notice


def test_offline_a_range_uses_the_registry_list_cached_here_and_says_so(tmp_path):
    """Offline, with a days-old cached registry list naming 25.9.0, the range >=25,<26 is 25.9.0:
    what the project installs from the registry, not what has a schema here (its code then goes
    unchecked with a notice, never checked against 25.8.1). The reason says it was offline."""
    releases = tmp_path / "cache" / "releases" / "cdktn-provider-aws.json"
    releases.parent.mkdir(parents=True)
    releases.write_text(json.dumps({"at": 0, "versions": ["25.8.1", "25.9.0"]}))
    assert resolve("cdktn-provider-aws", ">=25,<26", {}, fetch=False) == (
        "25.9.0", "the newest release it allows, from the registry's list cached here; offline")


def test_resolve_and_newest_allowed():
    """An exact pin is itself; a range is the newest final release allowed; a prerelease only
    when pinned exactly; nothing allowed is None."""
    assert resolve("cdktn-provider-aws", "==25.8.1", {}, fetch=False) == ("25.8.1", "")
    assert resolve("cdktn-provider-aws", "~=25.0", {}, fetch=False) == ("25.8.1", "offline: the newest version known here that it allows")
    versions = ["25.8.1", "25.9.0rc1", "24.0.0", "not-a-version"]
    assert newest_allowed(">=25", versions) == "25.8.1"
    assert newest_allowed("==25.9.0rc1", versions) == "25.9.0rc1"
    assert newest_allowed(">=26", versions) is None


# -- 4. a pinned version with no schema -----------------------------------------------------


def test_a_pinned_version_with_no_schema_is_one_notice_per_project(tmp_path):
    """Provider 19.50.0 pinned, no copy of it, fetching off: one notice for the project (two files),
    naming the version and that its code is not checked; the provider imports are left alone."""
    folder = project(tmp_path, "p", requirements=f"{AWS}==19.50.0\n", files={"a.py": BAD_CDKTF, "b.py": BAD_CDKTF})
    report = repair_paths([folder], Request(), write=True)
    assert report.notices == [
        f"{folder}: no schema for {AWS} 19.50.0: not installed here and fetching is off "
        f"(cdktf-fix schema fetch {AWS}==19.50.0); code using {P} is not checked"
    ]
    assert len(report.files) == 2
    for outcome in report.files:
        assert outcome.error is None
        assert outcome.result.target == "cdktf 0.21.0 + cdktf-cdktf-provider-aws 19.50.0"
        assert outcome.result.fixes == [] and outcome.result.findings == []
        assert outcome.path.read_text() == BAD_CDKTF
    run = invoke("check", folder)
    assert run.exit_code == 0, run.output
    assert run.stderr.count("note:") == 1 and "19.50.0" in run.stderr and "not checked" in run.stderr


# -- 5. an imported provider with no version ------------------------------------------------


def test_an_imported_provider_with_no_version_is_a_notice(tmp_path):
    """cdktf_cdktf_provider_random imported, nothing pins or installs it: a notice naming the
    package, no crash, no finding on it (the AWS import beside it is still checked)."""
    code = "from cdktf_cdktf_provider_random.password import Password\n" + BAD_CDKTF + "Password(None, 'p', length=3)\n"
    folder = project(tmp_path, "p", requirements="requests==2.0\n", files={"main.py": code})
    report = repair_paths([folder], Request(), write=False)
    [notice] = report.notices
    assert notice.startswith(f"{folder}: cdktf_cdktf_provider_random is imported, but no version of cdktf-cdktf-provider-random")
    assert "not checked" in notice
    [outcome] = report.files
    assert outcome.error is None and outcome.result.findings == []
    assert [f.codemod for f in outcome.result.fixes] == ["class-name"]
    assert "from cdktf_cdktf_provider_random.password import Password" in outcome.result.new_source


# -- 6, 7. cdktn projects and mixed frameworks ----------------------------------------------


def test_cdktn_code_in_a_cdktn_project_is_fixed_within_cdktn(tmp_path):
    """S3BucketVersioning -> S3BucketVersioningA within cdktn_provider_aws, never moved to a cdktf
    package; the fix message names cdktn-provider-aws 25.8.1."""
    folder = project(tmp_path, "p", requirements="cdktn-provider-aws==25.8.1\ncdktn==0.24.0\n", files={"main.py": BAD_CDKTN})
    report = repair_paths([folder], Request(), write=True)
    [outcome] = report.files
    assert outcome.result.target == CDKTN_DEFAULT
    assert (folder / "main.py").read_text() == GOOD_CDKTN
    [fix] = outcome.result.fixes
    assert fix.codemod == "class-name" and "cdktn-provider-aws 25.8.1" in fix.message
    assert report.notices == []


def test_mixing_cdktf_and_cdktn_is_a_framework_mix_finding(tmp_path):
    """from cdktf import App beside a cdktn_provider_aws import: a framework-mix finding."""
    code = "from cdktf import App\nfrom cdktn_provider_aws.s3_bucket import S3Bucket\napp = App()\nS3Bucket(None, 'b')\n"
    folder = project(tmp_path, "p", files={"main.py": code})
    [outcome] = repair_paths([folder], Request(), write=False).files
    findings = [f for f in outcome.result.findings if f.codemod == "framework-mix"]
    assert len(findings) == 1, outcome.result.findings
    assert "cdktn_provider_aws is CDK Terrain" in findings[0].message
    assert outcome.result.new_source == code


# -- 8. requirement strings -----------------------------------------------------------------


def test_split_requirements_joins_specifiers_written_apart():
    """Spaces inside a requirement's specifier do not split it; spaces between requirements do."""
    assert split_requirements("cdktf==0.20.0 cdktf-cdktf-provider-aws >=19, <20") == ["cdktf==0.20.0", "cdktf-cdktf-provider-aws>=19,<20"]
    assert split_requirements("cdktn-provider-aws >= 25 cdktn") == ["cdktn-provider-aws>=25", "cdktn"]
    assert split_requirements("cdktn; cdktn-provider-aws~=25.8") == ["cdktn", "cdktn-provider-aws~=25.8"]


def test_parse_explicit_reads_framework_and_provider_requirements():
    """Each distribution (canonical name) -> (specifier, where it was given)."""
    found = parse_explicit(["cdktf==0.20.0 cdktf-cdktf-provider-aws >=19, <20", "Cdktf_Cdktf_Provider_Random"], "--target")
    assert set(found) == {"cdktf", AWS, "cdktf-cdktf-provider-random"}
    assert found["cdktf"] == ("==0.20.0", "--target")
    assert found["cdktf-cdktf-provider-random"] == ("", "--target")
    assert sorted(found[AWS][0].split(",")) == ["<20", ">=19"]


@pytest.mark.parametrize("text, match", [("requests==1", "is not cdktf, cdktn or a prebuilt provider"), ("cdktf==", "cannot read target"), ("constructs==10.0.0", "is not cdktf")])
def test_parse_explicit_refuses_what_is_no_schema_requirement(text, match):
    """A package that is no framework or prebuilt provider, or a string that is no requirement."""
    with pytest.raises(TargetError, match=match) as caught:
        parse_explicit([text], "--target")
    assert str(caught.value).startswith("--target: ")


def test_a_bad_target_option_stops_the_run_with_one_line(tmp_path):
    """check --target requests==1: exit 2, one error line, no traceback, nothing on stdout."""
    folder = project(tmp_path, "p", files={"main.py": BAD_CDKTF})
    run = invoke("check", folder, "--target", "requests==1")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == ["error: --target: 'requests==1' is not cdktf, cdktn or a prebuilt provider (cdktf-cdktf-provider-<p>, cdktn-provider-<p>)"]
    assert "Traceback" not in run.output


def test_an_unreadable_target_option_is_one_line(tmp_path):
    """check --target cdktf==: exit 2 with one error line naming the string."""
    folder = project(tmp_path, "p", files={"main.py": BAD_CDKTF})
    run = invoke("check", folder, "--target", "cdktf==")
    assert run.exit_code == 2 and "Traceback" not in run.output
    [line] = run.stderr.splitlines()
    assert line.startswith("error: --target: cannot read target 'cdktf=='")


def test_an_unreadable_target_option_stops_the_run(tmp_path):
    """check --target cdktf==: exit 2, an error naming the string, no traceback."""
    folder = project(tmp_path, "p", files={"main.py": BAD_CDKTF})
    run = invoke("check", folder, "--target", "cdktf==")
    assert run.exit_code == 2 and run.stdout == "" and "Traceback" not in run.output
    assert run.stderr.startswith("error: --target: cannot read target 'cdktf=='")


def test_a_bad_configured_target_stops_the_run_naming_the_pyproject(tmp_path):
    """[tool.cdktf-fix] target = ["requests==1"]: check and schema info exit 2, one line naming
    the pyproject.toml; nothing is written."""
    pyproject = '[tool.cdktf-fix]\ntarget = ["requests==1"]\n'
    folder = project(tmp_path, "p", pyproject=pyproject, files={"main.py": BAD_CDKTF})
    for args in (("apply", folder), ("schema", "info", folder)):
        run = invoke(*args)
        assert run.exit_code == 2, run.output
        [line] = run.stderr.splitlines()
        assert line.startswith(f"error: {folder / 'pyproject.toml'} [tool.cdktf-fix] target: 'requests==1'")
        assert "Traceback" not in run.output
    assert (folder / "main.py").read_text() == BAD_CDKTF


# -- 9. schema info -------------------------------------------------------------------------


def test_schema_info_prints_the_target_the_project_and_the_reasons(tmp_path):
    """Text: the label, the project folder, each reason; JSON: label, versions, reasons, parts."""
    folder = project(tmp_path, "p", requirements="cdktn-provider-aws==25.8.1\ncdktn==0.24.0\n")
    run = invoke("schema", "info", folder)
    assert run.exit_code == 0, run.output
    lines = run.stdout.splitlines()
    assert lines[0] == f"target: {CDKTN_DEFAULT} (cdktn)"
    assert lines[1] == f"project: {folder}"
    assert f"  cdktn 0.24.0: {folder / 'requirements.txt'} pins cdktn==0.24.0" in lines
    assert f"  cdktn-provider-aws 25.8.1: {folder / 'requirements.txt'} pins cdktn-provider-aws==25.8.1" in lines
    assert "fetching: off" in run.stdout
    data = json.loads(invoke("schema", "info", folder, "--format", "json").stdout)
    assert data["label"] == CDKTN_DEFAULT
    assert data["versions"] == {"cdktn": "0.24.0", "cdktn-provider-aws": "25.8.1"}
    assert data["project"] == str(folder)
    assert data["reasons"] == [
        f"cdktn 0.24.0: {folder / 'requirements.txt'} pins cdktn==0.24.0",
        f"cdktn-provider-aws 25.8.1: {folder / 'requirements.txt'} pins cdktn-provider-aws==25.8.1",
    ]
    assert set(data["parts"]) == {"cdktn 0.24.0", "cdktn-provider-aws 25.8.1", "constructs 10.8.1"}
    assert all(part["missing"] is None for part in data["parts"].values())


def test_schema_info_of_a_file_reads_its_imports(tmp_path, monkeypatch):
    """schema info on a file of no project that imports cdktn: the cdktn defaults; the part a
    version has no schema for is shown as missing."""
    no_running_packages(monkeypatch)
    folder = project(tmp_path, "p", files={"main.py": BAD_CDKTN})
    data = json.loads(invoke("schema", "info", folder / "main.py", "--format", "json").stdout)
    assert data["label"] == CDKTN_DEFAULT and data["project"] is None
    assert data["reasons"] == ["cdktn 0.24.0: default", "cdktn-provider-aws 25.8.1: default"]
    data = json.loads(invoke("schema", "info", folder, "--format", "json", "--target", f"{AWS}==19.50.0").stdout)
    assert "not installed here and fetching is off" in data["parts"][f"{AWS} 19.50.0"]["missing"]


# -- 10. JSON and SARIF ---------------------------------------------------------------------


def test_json_and_sarif_carry_the_target_and_the_notices(tmp_path):
    """check --format json: "target" on each file, a top-level "notices" list; SARIF: each result
    has properties.target, each notice is a warning toolExecutionNotification."""
    root = project(tmp_path, "mono")
    unchecked = project(root, "old", requirements=f"{AWS}==19.50.0\n", files={"main.py": BAD_CDKTF}, git=False)
    project(root, "new", requirements=f"{AWS}==21.22.1\n", files={"main.py": BAD_CDKTF}, git=False)
    notice = f"{unchecked}: no schema for {AWS} 19.50.0: not installed here and fetching is off (cdktf-fix schema fetch {AWS}==19.50.0); code using {P} is not checked"

    run = invoke("check", root, "--format", "json")
    assert run.exit_code == 1, run.output
    data = json.loads(run.stdout)
    targets = {Path(f["path"]).parent.name: f["target"] for f in data["files"]}
    assert targets == {"old": "cdktf 0.21.0 + cdktf-cdktf-provider-aws 19.50.0", "new": CDKTF_DEFAULT}
    assert data["notices"] == [notice]

    run = invoke("check", root, "--format", "sarif")
    sarif = json.loads(run.stdout)["runs"][0]
    assert sarif["results"], "the 21.22.1 project has a class-name fix"
    assert {r["properties"]["target"] for r in sarif["results"]} == {CDKTF_DEFAULT}
    warnings = [n for n in sarif["invocations"][0]["toolExecutionNotifications"] if n["level"] == "warning"]
    assert warnings == [{"level": "warning", "message": {"text": notice}}]


# -- 11. batch ------------------------------------------------------------------------------


def test_batch_folder_with_a_target_request_checks_against_it(tmp_path, monkeypatch):
    """A sample folder pinned to a cdktf provider holding cdktn code: with TargetRequest(("cdktn",))
    it is checked (and fixed) against cdktn; without, it is checked against its cdktf pins and
    the cdktn import is a framework-mix finding."""
    monkeypatch.setattr(batch, "_ENGINES", None)
    src = project(tmp_path, "src")
    sample = project(src, "sample", requirements=f"{AWS}==21.22.1\n", files={"main.py": BAD_CDKTN}, git=False)
    report = batch_folder(src, tmp_path / "out", Options(), jobs=1, target_request=TargetRequest(("cdktn",), offline=True))
    [entry] = report.samples
    assert entry.targets == {CDKTN_DEFAULT}
    assert entry.fixes == {"class-name": 1} and not entry.errors
    assert (tmp_path / "out" / "sample" / "main.py").read_text() == GOOD_CDKTN
    assert (sample / "main.py").read_text() == BAD_CDKTN, "the source is never touched"

    report = batch_folder(src, tmp_path / "out2", Options(), jobs=1, target_request=TargetRequest(offline=True))
    [entry] = report.samples
    assert entry.targets == {CDKTF_DEFAULT}
    assert entry.findings.get("framework-mix") == 1


def test_batch_jsonl_records_get_the_default_target_of_the_framework_they_import(tmp_path, monkeypatch):
    """A record importing cdktn gets cdktn 0.24.0 + 25.8.1; one importing cdktf gets the cdktf default."""
    monkeypatch.setattr(batch, "_ENGINES", None)
    src = tmp_path / "data.jsonl"
    src.write_text(json.dumps({"code": BAD_CDKTN}) + "\n" + json.dumps({"code": BAD_CDKTF}) + "\n")
    report = batch_jsonl(src, tmp_path / "out.jsonl", "code", Options(), jobs=1, target_request=TargetRequest(offline=True))
    assert [s.targets for s in report.samples] == [{CDKTN_DEFAULT}, {CDKTF_DEFAULT}]
    first, second = (json.loads(line)["code"] for line in (tmp_path / "out.jsonl").read_text().splitlines())
    assert first == GOOD_CDKTN
    assert second == BAD_CDKTF.replace("S3BucketVersioning", "S3BucketVersioningA")


# -- 12. the import scan --------------------------------------------------------------------


def test_imported_packages_finds_imports_at_line_starts_only():
    """cdktf, cdktn, provider packages and imports, at line starts (indented too); not in strings
    in the middle of a line, comments, or longer names."""
    text = (
        "import cdktf\n"
        "from cdktn import App\n"
        "    from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
        "\tfrom cdktn_provider_google import x\n"
        "if True:\n"
        "    import imports.aws.eip as eip\n"
        "x = 'from cdktf_cdktf_provider_random import y'\n"
        "y = 1; import cdktn_provider_null\n"
        "# from cdktn_provider_tls import z\n"
        "import cdktfx\n"
        "from constructs import Construct\n"
    )
    assert imported_packages(text) == frozenset({"cdktf", "cdktn", "cdktf_cdktf_provider_aws", "cdktn_provider_google", "imports"})
    assert imported_packages("import cdktf_cdktf_provider_aws as aws\n") == frozenset({"cdktf_cdktf_provider_aws"})
    assert imported_packages("print('import cdktf')\n") == frozenset()
