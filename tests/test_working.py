"""Precision on working code: cdktf-fix must leave correct CDKTF Python alone.

``tests/working`` holds human-style stacks that synthesize with the installed packages and
keep every dict key (``tests/test_working_synth.py`` proves it).  They use every correct
style a fixer could mistake for a failure: snake_case dicts for single blocks, camelCase
dicts in lists of blocks, struct classes mixed with dicts, module and package-alias imports,
import shims, names that shadow provider modules, Terraform-named keys in ``dynamic()`` and
``add_override``.  Repairing them must change no byte, apply no fix and report no finding.

``tests/working/cdktf_get_project`` imports the bindings ``cdktf get`` generates
(``imports.aws``, declared by its ``cdktf.json``); the project lookup happens in the file
layer, so it goes through the CLI on a temporary copy.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

WORKING = Path(__file__).resolve().parent / "working"
FILES = sorted(p for p in WORKING.rglob("*.py") if "cdktf_get_project" not in p.parts)
PROJECT = WORKING / "cdktf_get_project"

def _describe(fixes, findings) -> str:
    lines = [f"  fix {f.codemod} line {f.line}: {f.old!r} -> {f.new!r} ({f.message})" for f in fixes]
    lines += [f"  finding {f.codemod} line {f.line}: {f.message}" for f in findings]
    return "\n".join(lines)


def test_the_working_corpus_is_there():
    assert len(FILES) >= 30, [p.name for p in FILES]
    assert (PROJECT / "cdktf.json").is_file() and (PROJECT / "main.py").is_file()


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(WORKING).as_posix() for p in FILES])
def test_working_file_is_left_alone(engine, path):
    source = path.read_text(encoding="utf-8")
    result = engine.repair(source)
    applied = [f for f in result.fixes if f.applied]
    if result.error is not None:
        pytest.fail(f"{path.name}: {result.error}")
    if applied or result.findings or result.new_source != source:
        details = _describe(applied, result.findings) or "  the output differs with no fix reported"
        pytest.fail(f"{path.name} is correct code, yet:\n{details}")


def test_cdktf_get_project_is_left_alone(tmp_path):
    cli = shutil.which("cdktf-fix")
    if cli is None:
        pytest.skip("the cdktf-fix command is not installed")
    copy = tmp_path / "cdktf_get_project"
    shutil.copytree(PROJECT, copy)
    before = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    run = subprocess.run(
        [cli, "diff", "--format", "json", str(copy)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,  # no pyproject.toml of ours applies
    )
    assert run.returncode in (0, 1), run.stderr[-2000:]
    report = json.loads(run.stdout)
    problems = [
        f"  {Path(entry['path']).name}: {item.get('codemod')} line {item.get('line')}: {item.get('message')}"
        for entry in report["files"]
        for item in [*entry["fixes"], *entry["findings"]]
    ]
    if run.returncode != 0 or problems:
        pytest.fail("cdktf_get_project is correct code, yet:\n" + "\n".join(problems))
    assert before == {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*") if p.is_file()}, "diff wrote files"
