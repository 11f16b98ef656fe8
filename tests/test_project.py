"""The project a file belongs to: which provider bindings ``cdktf get`` generates for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.cli import app
from cdktf_fix.schema.project import ANY, _of_folder, declared_bindings, generated_bindings, provider_name

MAIN = (
    "from constructs import Construct\n"
    "from cdktf import App, TerraformStack\n"
    "from imports.aws.provider import AwsProvider\n"
    "from imports.aws.s3_bucket import S3Bucket\n"
    "from imports.vpc import Vpc\n"
    "\n"
    "\n"
    "class Stack(TerraformStack):\n"
    "    def __init__(self, scope: Construct, id: str):\n"
    "        super().__init__(scope, id)\n"
    "        AwsProvider(self, 'aws', region='us-east-1')\n"
    "        S3Bucket(self, 'b', bucket_prefix='b-')\n"
    "        Vpc(self, 'vpc', name='main')\n"
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    _of_folder.cache_clear()
    yield
    _of_folder.cache_clear()


@pytest.mark.parametrize(
    ("entry", "name"),
    [
        ("aws@~> 5.0", "aws"),
        ("hashicorp/aws@~> 5.0", "aws"),
        ("registry.terraform.io/hashicorp/aws@5.31.0", "aws"),
        ("aws", "aws"),
        ({"name": "aws", "source": "hashicorp/aws", "version": "~> 5.0"}, "aws"),
        ({"source": "hashicorp/google-beta"}, "google_beta"),
        ({"version": "1.0"}, None),
        (42, None),
    ],
)
def test_provider_names_of_every_form(entry, name):
    assert provider_name(entry) == name


def _project(root: Path, config) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "cdktf.json").write_text(config if isinstance(config, str) else json.dumps(config))
    (root / "stacks").mkdir()
    main = root / "stacks" / "main.py"
    main.write_text(MAIN)
    return main


def test_the_nearest_cdktf_json_decides(tmp_path: Path):
    main = _project(tmp_path / "p", {"language": "python", "terraformProviders": ["aws@~> 5.0"], "terraformModules": [{"name": "vpc", "source": "terraform-aws-modules/vpc/aws"}]})
    assert generated_bindings(main) == {"aws", "vpc"}
    other = _project(tmp_path / "q", {"language": "python", "terraformProviders": ["hashicorp/random@3.6"]})
    assert generated_bindings(other) == {"random"}
    assert declared_bindings(tmp_path / "missing.json") == {ANY}


def test_an_unreadable_cdktf_json_protects_every_generated_import(tmp_path: Path):
    main = _project(tmp_path / "p", "{not json")
    assert generated_bindings(main) == {ANY}


def test_a_generated_imports_folder_counts_too(tmp_path: Path):
    main = _project(tmp_path / "p", {"language": "python"})
    (tmp_path / "p" / "imports" / "aws").mkdir(parents=True)
    assert generated_bindings(main) == {"aws"}


def _diff(path: Path):
    return CliRunner().invoke(app, ["diff", str(path)])


def test_imports_of_a_declared_provider_are_left_alone(tmp_path: Path):
    for config in (
        {"language": "python", "terraformProviders": ["aws@~> 5.0"]},
        {"language": "python", "terraformProviders": [{"name": "aws", "source": "hashicorp/aws", "version": "~> 5.0"}]},
    ):
        main = _project(tmp_path / f"p{len(list(tmp_path.iterdir()))}", config)
        result = _diff(main.parent.parent)
        assert result.exit_code == 0, result.output
        assert main.read_text() == MAIN


def test_imports_nothing_generates_are_repaired(tmp_path: Path):
    main = _project(tmp_path / "p", {"language": "python", "terraformProviders": ["hashicorp/random@3.6"]})
    result = CliRunner().invoke(app, ["apply", str(main)])
    assert result.exit_code == 0, result.output
    repaired = main.read_text()
    assert "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket" in repaired
    assert "from imports.vpc import Vpc" in repaired  # a module, not the AWS provider: not ours


def test_a_markdown_response_with_no_project_is_repaired(tmp_path: Path):
    response = tmp_path / "RESPONSE.md"
    response.write_text("# Stack\n\n```python\n" + MAIN + "```\n")
    result = CliRunner().invoke(app, ["apply", str(response)])
    assert result.exit_code == 0, result.output
    assert "from cdktf_cdktf_provider_aws.provider import AwsProvider" in response.read_text()


def test_a_relative_path_from_below_the_project_root_finds_its_cdktf_json(tmp_path: Path, monkeypatch):
    """``cdktf-fix diff main.py`` run in ``stacks/``: the project's cdktf.json is above the
    current folder, and a relative path must reach it as an absolute one does."""
    main = _project(tmp_path / "p", {"language": "python", "terraformProviders": ["aws@~> 5.0"]})
    monkeypatch.chdir(main.parent)
    assert generated_bindings(Path("main.py")) == {"aws"}
    result = _diff(Path("main.py"))
    assert result.exit_code == 0, result.output
    assert main.read_text() == MAIN
