"""Suppression comments, [tool.cdktf-fix] configuration and the use_lockfile policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdktf_fix.io.config import ConfigError, find_config, load_config
from cdktf_fix.engine.suppression import find_suppressions
from codemods import BY_ID

IMPORT = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\n"
USE = "S3BucketVersioning(self, 'v', bucket='b', versioning_configuration={'status': 'Enabled'})\n"
LIFECYCLE = (
    "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration\n"
    "S3BucketLifecycleConfiguration(self, 'l', bucket='b', rule=[{'id': 'a', 'status': 'Enabled', 'noncurrent_version_expiration': []}])COMMENT\n"
)


def test_suppression_comments_are_read_from_comments_only():
    source = (
        "x = 1  # cdktf-fix: ignore\n"
        "y = 2  # cdktf-fix: ignore[class-name, kwarg-name]\n"
        "s = '# cdktf-fix: ignore-file'\n"
        "# cdktf-fix: ignore-file[literal-type]\n"
    )
    found = find_suppressions(source)
    assert found.lines == {1: None, 2: frozenset({"class-name", "kwarg-name"})}
    assert not found.whole_file and found.file_ids == {"literal-type"}
    assert found.covers("anything", 1) and found.covers("kwarg-name", 2) and not found.covers("module-path", 2)
    assert found.covers("literal-type", 99) and not found.covers("class-name", 3)


def test_a_line_comment_suppresses_fixes_and_findings_on_its_line(repair):
    assert "S3BucketVersioningA" in repair(IMPORT + USE).new_source
    kept = IMPORT.rstrip("\n") + "  # cdktf-fix: ignore[class-name]\n" + USE
    result = repair(kept)
    assert "import S3BucketVersioning  # cdktf-fix: ignore[class-name]" in result.new_source
    assert not [f for f in result.fixes if f.codemod == "class-name"]


def test_argument_codemods_honour_line_comments(repair):
    fixed = repair(LIFECYCLE.replace("COMMENT", ""))
    assert "S3BucketLifecycleConfigurationRule(" in fixed.new_source
    for comment in ("  # cdktf-fix: ignore", "  # cdktf-fix: ignore[nested-block-struct]"):
        source = LIFECYCLE.replace("COMMENT", comment)
        assert repair(source).new_source == source, comment
    other = LIFECYCLE.replace("COMMENT", "  # cdktf-fix: ignore[kwarg-name]")
    assert "S3BucketLifecycleConfigurationRule(" in repair(other).new_source


def test_file_level_comments(repair):
    source = "# cdktf-fix: ignore-file\n" + IMPORT + USE
    assert repair(source).new_source == source
    only = "# cdktf-fix: ignore-file[class-name]\n" + LIFECYCLE.replace("COMMENT", "") + IMPORT + USE
    result = repair(only)
    assert "S3BucketVersioning(" in result.new_source and "S3BucketVersioningA" not in result.new_source
    assert "S3BucketLifecycleConfigurationRule(" in result.new_source


BACKEND = '''from cdktf import S3Backend, TerraformStack


class Stack(TerraformStack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        S3Backend(self, bucket="b", key="k", region="us-east-1")
        self.add_override("terraform.backend.s3.use_lockfile", True){comment}
'''


@pytest.mark.parametrize(
    ("options", "reported", "changed"),
    [
        ({}, True, False),
        ({"use_lockfile": "keep"}, False, False),
        ({"terraform_version": "1.10.0"}, False, False),
        ({"terraform_version": "1.9.8"}, True, False),
        ({"terraform_version": "1.9.8", "use_lockfile": "keep"}, True, False),
        ({"use_lockfile": "dynamodb", "lock_table": "locks"}, False, True),
    ],
)
def test_use_lockfile_policy_is_never_silent(repair, options, reported, changed):
    source = BACKEND.format(comment="")
    result = repair(source, **options)
    assert any(f.codemod == "backend-lockfile" for f in result.findings) == reported
    assert result.changed == changed
    if changed:
        assert 'S3Backend(self, bucket="b", key="k", region="us-east-1", dynamodb_table="locks")' in result.new_source
        assert "use_lockfile" not in result.new_source
        assert [f.codemod for f in result.fixes] == ["backend-lockfile"] and result.fixes[0].line == 8


def test_use_lockfile_needs_exactly_one_backend(repair):
    source = BACKEND.format(comment="").replace("        S3Backend(", "        S3Backend(self, bucket='x', key='y')\n        S3Backend(")
    result = repair(source, use_lockfile="dynamodb", lock_table="locks")
    assert not result.changed and [f.codemod for f in result.findings] == ["backend-lockfile"]


def test_use_lockfile_override_can_be_suppressed(repair):
    source = BACKEND.format(comment="  # cdktf-fix: ignore[backend-lockfile]")
    assert not repair(source).findings


def _pyproject(folder: Path, body: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text("[project]\nname = 'x'\n\n[tool.cdktf-fix]\n" + body)
    return path


def test_config_is_found_upwards_and_read(tmp_path: Path):
    path = _pyproject(tmp_path, 'ignore = ["literal-type"]\nexclude = ["generated/**"]\nunsafe-fixes = true\n'
                      'terraform-version = "1.9.8"\nuse-lockfile = "dynamodb"\nlock-table = "locks"\n')
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_config(tmp_path / "a" / "b") == path
    config = load_config(path, set(BY_ID))
    assert config.ignore == ["literal-type"] and config.unsafe_fixes and config.lock_table == "locks"
    assert config.excluded(tmp_path / "generated" / "x" / "stack.py")
    assert not config.excluded(tmp_path / "stacks" / "stack.py")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('selekt = ["x"]\n', "unknown key selekt"),
        ('ignore = ["no-such-codemod"]\n', "unknown codemod no-such-codemod"),
        ('ignore = "literal-type"\n', "must be a list of strings"),
        ('unsafe-fixes = "yes"\n', "must be true or false"),
        ('use-lockfile = "maybe"\n', "must be one of keep, dynamodb"),
        ('use-lockfile = "dynamodb"\n', "needs lock-table"),
        ('terraform-version = "latest"\n', "is not a version"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_bad_config_gets_a_clear_message(tmp_path: Path, body: str, message: str):
    with pytest.raises(ConfigError, match=message):
        load_config(_pyproject(tmp_path, body), set(BY_ID))


def test_cli_reads_the_config_and_the_command_line_overrides_it(tmp_path: Path):
    from typer.testing import CliRunner

    from cdktf_fix.cli import app

    bad = IMPORT + USE
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "gen.py").write_text(bad)
    (tmp_path / "stack.py").write_text(bad)
    config = _pyproject(tmp_path, 'exclude = ["generated/**"]\nignore = ["nested-block-struct"]\n')
    run = CliRunner().invoke(app, ["apply", str(tmp_path), "--config", str(config)])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "generated" / "gen.py").read_text() == bad  # excluded
    fixed = (tmp_path / "stack.py").read_text()
    assert "S3BucketVersioningA(" in fixed and "{'status': 'Enabled'}" in fixed  # nested-block-struct ignored
    assert run.output.strip().count("\n") == 0  # quiet: one summary line
    (tmp_path / "stack.py").write_text(bad)
    run = CliRunner().invoke(app, ["apply", str(tmp_path / "stack.py"), "--config", str(config), "--select", "class-name", "-v"])
    assert "class-name" in run.output and "fixable" in run.output  # -v: every fix


def test_cli_config_errors_are_one_line(tmp_path: Path):
    from typer.testing import CliRunner

    from cdktf_fix.cli import app

    config = _pyproject(tmp_path, 'unsafe-fixes = "yes"\n')
    run = CliRunner().invoke(app, ["check", str(tmp_path), "--config", str(config)])
    assert run.exit_code == 2 and "unsafe-fixes must be true or false" in run.output and "Traceback" not in run.output
