"""Codemod documentation (explain, docs/codemods.md) and the pre-commit hooks file."""

from __future__ import annotations

import importlib
import json
import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix import docs
from cdktf_fix.cli import app
from codemods import ALL_CODEMODS, BY_ID

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_docs_page_is_up_to_date(schema):
    page = ROOT / "docs" / "codemods.md"
    assert page.is_file(), "docs/codemods.md is missing: run python scripts/generate_docs.py"
    if page.read_bytes().decode("utf-8") != docs.codemods_page(schema):
        pytest.fail("docs/codemods.md is stale: run python scripts/generate_docs.py")


def test_page_has_one_section_per_codemod_in_engine_order():
    text = (ROOT / "docs" / "codemods.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\S+)$", text, re.MULTILINE) == [c.id for c in ALL_CODEMODS]


@pytest.mark.parametrize("codemod", ALL_CODEMODS, ids=[c.id for c in ALL_CODEMODS])
def test_every_codemod_has_documentation_with_an_example(codemod, schema):
    doc = docs.explain(codemod, schema)
    text = docs.to_markdown(doc)
    for heading in ("## What it fixes", "## Why", "## Fix safety", "## Example"):
        assert heading in text
    example = doc["example"]
    assert example is not None and (ROOT / example["fixture"] / "input.py").is_file()
    if doc["safety"]["kind"] == "none":
        assert example["findings"] and not example["fixes"] and "```python" in text
    else:
        assert any(f["applied"] for f in example["fixes"]) and "```diff" in text
        assert example["before"] != example["after"]
    if doc["safety"]["kind"] == "mixed":
        assert doc["safety"]["unsafe"] and "Which fixes are unsafe" in text


@pytest.mark.parametrize("codemod", ALL_CODEMODS, ids=[c.id for c in ALL_CODEMODS])
def test_safety_kind_agrees_with_the_code_and_the_fixtures(codemod):
    """The kind is read from the codemod's ``safety`` text; check it against what it does."""
    kind = docs.safety_kind(codemod)
    source = Path(importlib.import_module(type(codemod).__module__).__file__).read_text()
    fixes = [f for case in (ROOT / "fixtures" / codemod.id).glob("*/expected.json") for f in json.loads(case.read_text())["fixes"] if f["codemod"] == codemod.id]
    if "Safety.UNSAFE" in source or any(f["safety"] == "unsafe" for f in fixes):
        assert kind == "mixed"
    if kind == "none":
        assert "add_fix" not in source and not fixes
    else:
        assert fixes, "a codemod that fixes has a fixture showing a fix"


def test_explain_prints_the_documentation():
    result = runner.invoke(app, ["explain", "kwarg-name"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# kwarg-name\n\n## What it fixes\n")
    assert "`bucketPrefix=` -> `bucket_prefix=` (safe)" in result.stdout
    data = json.loads(runner.invoke(app, ["explain", "kwarg-name", "--format", "json"]).stdout)
    assert data["id"] == "kwarg-name" and data["safety"]["kind"] == "mixed"
    assert data["example"]["fixture"] == "fixtures/kwarg-name/camel-case-and-module-call"


def test_explain_unknown_id_lists_the_valid_ones():
    result = runner.invoke(app, ["explain", "no-such-codemod"])
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message and "no-such-codemod" in message
    assert all(codemod_id in message for codemod_id in BY_ID)


def test_generate_docs_check_mode(tmp_path, monkeypatch):
    import runpy

    script = runpy.run_path(str(ROOT / "scripts" / "generate_docs.py"))
    assert script["main"](["--check"]) == 0
    stale = tmp_path / "codemods.md"
    stale.write_text("# Codemods\n")
    monkeypatch.setitem(script["main"].__globals__, "PAGE", stale)
    assert script["main"](["--check"]) == 1


def _hooks() -> list[dict]:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    try:
        import yaml
    except ImportError:  # the shape this file has: "- key: value" items, one key per line
        hooks: list[dict] = []
        for line in text.splitlines():
            match = re.match(r"^(- |  )(\w+): (.*)$", line)
            if match:
                if match[1] == "- ":
                    hooks.append({})
                value = match[3]
                hooks[-1][match[2]] = [v.strip() for v in value[1:-1].split(",")] if value.startswith("[") else value
        return hooks
    return yaml.safe_load(text)


def test_pre_commit_hooks_run_real_commands():
    hooks = {hook["id"]: hook for hook in _hooks()}
    assert set(hooks) == {"cdktf-fix-check", "cdktf-fix"}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    assert {hook["entry"] for hook in hooks.values()} == {"cdktf-fix check", "cdktf-fix apply"}
    for hook in hooks.values():
        program, command = hook["entry"].split()
        assert program in scripts and command in commands
        assert hook["language"] == "python" and hook["types_or"] == ["python", "markdown"]
        assert runner.invoke(app, [command, "--help"]).exit_code == 0
