"""Every fixture: expected output, expected fixes and findings, parses, second run is a no-op."""

from __future__ import annotations

import json
from pathlib import Path

import libcst as cst
import pytest

from codemods import BY_ID

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p.parent for p in (ROOT / "fixtures").glob("*/*/input.py"))


def _options(case: Path) -> dict:
    config = case / "options.json"
    return json.loads(config.read_text()) if config.is_file() else {}


def test_fixtures_exist_for_every_codemod():
    covered = {case.parent.name for case in CASES}
    assert set(BY_ID) <= covered, f"codemods without fixtures: {set(BY_ID) - covered}"
    assert covered <= set(BY_ID), f"fixture folders that name no codemod: {covered - set(BY_ID)}"
    # and with an ``unchanged-*`` case: correct code it must leave byte-identical
    unchanged = {case.parent.name for case in CASES if case.name.startswith("unchanged-")}
    assert set(BY_ID) <= unchanged, f"codemods without an unchanged-* fixture: {set(BY_ID) - unchanged}"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_fixture(case: Path, repair):
    source = (case / "input.py").read_bytes().decode("utf-8")
    expected = (case / "expected.py").read_bytes().decode("utf-8")
    record = json.loads((case / "expected.json").read_text())
    options = _options(case)

    result = repair(source, **options)

    assert result.error is None
    assert result.new_source == expected
    cst.parse_module(result.new_source)
    compile(result.new_source, str(case / "expected.py"), "exec")
    fixes = [
        {"codemod": f.codemod, "line": f.line, "old": f.old, "new": f.new, "safety": f.safety.value, "applied": f.applied}
        for f in result.fixes
    ]
    findings = [{"codemod": f.codemod, "line": f.line, "suggestions": f.suggestions[:1]} for f in result.findings]
    assert fixes == record["fixes"]
    assert findings == record["findings"]
    if case.name.startswith("unchanged-"):
        # correct code: byte-identical, nothing to fix or report
        assert result.new_source == source and not fixes and not findings
    else:
        # the case exercises the codemod its folder names
        assert case.parent.name in {f["codemod"] for f in fixes} | {f["codemod"] for f in findings}
    # every finding comes with suggestions
    assert all(f.suggestions for f in result.findings)

    again = repair(result.new_source, **options)
    assert again.new_source == result.new_source, "a second run changed the output"
    assert not [f for f in again.fixes if f.applied]
