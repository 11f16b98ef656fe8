"""SARIF output (--format sarif) and the fix spans of JSON output."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cdktf_fix import __version__
from cdktf_fix.cli import app
from cdktf_fix.io.regions import split_lines
from cdktf_fix.io.sarif import _region
from codemods import ALL_CODEMODS

SOURCE = '''from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup


class Stack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        S3Bucket(self, "bücket", bucketPrefix="logs-", forceDestroy=True)
        LbTargetGroup(self, "tg", name="api", port="8080", deregistration_delay=30)
        S3Bucket(self, "other", no_such_keyword_at_all=1)
'''
runner = CliRunner()


def _sarif(*args) -> tuple[int, dict]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stack.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


# A subset of the SARIF 2.1.0 schema: every object cdktf-fix writes, with the keys the official
# schema allows it (additionalProperties: false there too), its required keys and their types.
def _obj(required=(), **properties):
    return {"type": "object", "required": list(required), "properties": properties, "additionalProperties": False}


_STR, _INT1, _BAG = {"type": "string"}, {"type": "integer", "minimum": 1}, {"type": "object"}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
_MESSAGE = _obj(text=_STR, markdown=_STR, id=_STR, properties=_BAG) | {"anyOf": [{"required": ["text"]}, {"required": ["id"]}]}
_MULTIFORMAT = _obj(["text"], text=_STR, markdown=_STR, properties=_BAG)
_ARTIFACT = _obj(uri={"type": "string", "minLength": 1}, uriBaseId=_STR, index={"type": "integer"}, properties=_BAG)
_REGION = _obj(startLine=_INT1, startColumn=_INT1, endLine=_INT1, endColumn=_INT1, properties=_BAG)
_LOCATION = _obj(physicalLocation=_obj(["artifactLocation"], artifactLocation=_ARTIFACT, region=_REGION, properties=_BAG), properties=_BAG)
_REPLACEMENT = _obj(["deletedRegion"], deletedRegion=_REGION, insertedContent=_obj(text=_STR, properties=_BAG), properties=_BAG)
_CHANGE = _obj(["artifactLocation", "replacements"], artifactLocation=_ARTIFACT, replacements={"type": "array", "minItems": 1, "items": _REPLACEMENT}, properties=_BAG)
_FIX = _obj(["artifactChanges"], description=_MESSAGE, artifactChanges={"type": "array", "minItems": 1, "items": _CHANGE}, properties=_BAG)
_RESULT = _obj(
    ["message"], ruleId=_STR, ruleIndex={"type": "integer", "minimum": -1}, level=_LEVEL, message=_MESSAGE,
    locations={"type": "array", "items": _LOCATION}, fixes={"type": "array", "items": _FIX}, properties=_BAG,
)
_RULE = _obj(
    ["id"], id=_STR, name=_STR, shortDescription=_MULTIFORMAT, fullDescription=_MULTIFORMAT, help=_MULTIFORMAT,
    helpUri=_STR, defaultConfiguration=_obj(level=_LEVEL, enabled={"type": "boolean"}, properties=_BAG), properties=_BAG,
)
_DRIVER = _obj(["name"], name=_STR, version=_STR, semanticVersion=_STR, informationUri=_STR, rules={"type": "array", "items": _RULE}, properties=_BAG)
_NOTIFICATION = _obj(["message"], message=_MESSAGE, level=_LEVEL, locations={"type": "array", "items": _LOCATION}, properties=_BAG)
_INVOCATION = _obj(["executionSuccessful"], executionSuccessful={"type": "boolean"}, toolExecutionNotifications={"type": "array", "items": _NOTIFICATION}, properties=_BAG)
_RUN = _obj(
    ["tool"], tool=_obj(["driver"], driver=_DRIVER, properties=_BAG), invocations={"type": "array", "items": _INVOCATION},
    originalUriBaseIds={"type": "object", "additionalProperties": _ARTIFACT}, columnKind={"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
    results={"type": "array", "items": _RESULT}, properties=_BAG,
)
SARIF_SUBSET = _obj(["version", "runs"], **{"$schema": _STR, "version": {"enum": ["2.1.0"]}, "runs": {"type": "array", "items": _RUN}, "properties": _BAG})


def _check_by_hand(log: dict) -> None:
    """The required keys and types, for when jsonschema is not installed."""
    assert log["version"] == "2.1.0" and isinstance(log["runs"], list)
    for run in log["runs"]:
        assert isinstance(run["tool"]["driver"]["name"], str)
        for rule in run["tool"]["driver"]["rules"]:
            assert isinstance(rule["id"], str) and isinstance(rule["shortDescription"]["text"], str)
        for invocation in run["invocations"]:
            assert isinstance(invocation["executionSuccessful"], bool)
            for note in invocation["toolExecutionNotifications"]:
                assert isinstance(note["message"]["text"], str) and note["level"] in ("none", "note", "warning", "error")
        for result in run["results"]:
            assert isinstance(result["message"]["text"], str) and result["level"] in ("none", "note", "warning", "error")
            for location in result["locations"]:
                physical = location["physicalLocation"]
                assert isinstance(physical["artifactLocation"]["uri"], str)
                assert all(isinstance(v, int) and v >= 1 for v in physical.get("region", {}).values())
            for fix in result.get("fixes", []):
                for change in fix["artifactChanges"]:
                    assert change["artifactLocation"]["uri"] and change["replacements"]
                    assert all("deletedRegion" in r for r in change["replacements"])


def validate(log: dict) -> None:
    _check_by_hand(log)
    try:
        import jsonschema
    except ImportError:
        return
    jsonschema.validate(log, SARIF_SUBSET)


def _results(log: dict) -> list[dict]:
    return log["runs"][0]["results"]


def test_check_sarif_is_valid_and_complete(project):
    code, log = _sarif("check", "--format", "sarif", ".")
    assert code == 1
    validate(log)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cdktf-fix" and driver["version"] == __version__
    assert [r["id"] for r in driver["rules"]] == [c.id for c in ALL_CODEMODS]
    literal = next(r for r in driver["rules"] if r["id"] == "literal-type")
    assert literal["fullDescription"]["text"] and "Fix safety" in literal["help"]["text"]
    assert literal["properties"]["safety"] == "safe"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    results = _results(log)
    assert {r["ruleId"] for r in results} == {"kwarg-name", "literal-type"}
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "stack.py", "uriBaseId": "%SRCROOT%"}
    fixes = [r for r in results if r["level"] == "warning"]
    assert len(fixes) == 4 and all(r["properties"]["applied"] is False and r["properties"]["safety"] == "safe" for r in fixes)
    finding = next(r for r in results if r["level"] == "error")
    assert "no_such_keyword_at_all" in finding["message"]["text"] and finding["properties"]["suggestions"]
    assert run["invocations"][0] == {"executionSuccessful": True, "toolExecutionNotifications": []}


def test_sarif_fixes_replace_exactly_what_the_repair_changes(project):
    _, log = _sarif("check", "--format", "sarif", "stack.py")
    lines = split_lines(SOURCE)
    edits = []
    for result in _results(log):
        for fix in result.get("fixes", []):
            (replacement,) = fix["artifactChanges"][0]["replacements"]
            edits.append((replacement["deletedRegion"], replacement["insertedContent"]["text"]))
    assert len(edits) == 4
    for region, text in sorted(edits, key=lambda e: (e[0]["startLine"], e[0]["startColumn"]), reverse=True):
        assert region["startLine"] == region["endLine"]
        line = lines[region["startLine"] - 1]
        units = line.encode("utf-16-le")  # SARIF columns count UTF-16 code units
        start, end = 2 * (region["startColumn"] - 1), 2 * (region["endColumn"] - 1)
        lines[region["startLine"] - 1] = (units[:start] + text.encode("utf-16-le") + units[end:]).decode("utf-16-le")
    runner.invoke(app, ["apply", "stack.py"])
    assert "".join(lines) == (project / "stack.py").read_text(encoding="utf-8")


def test_non_ascii_columns_count_utf16_units(project):
    _, log = _sarif("check", "--format", "sarif", "stack.py")
    prefix = next(r for r in _results(log) if "bucketPrefix" in r["message"]["text"])
    region = prefix["locations"][0]["physicalLocation"]["region"]
    line = SOURCE.splitlines()[region["startLine"] - 1]
    assert region["startColumn"] == line.index("bucketPrefix") + 1  # "ü" is one UTF-16 unit, two UTF-8 bytes
    # a byte column (from ast) on a line with non-ASCII text before it
    lines = ['x = "ü" + 𝔵\n']
    byte_column = len('x = "ü" + '.encode("utf-8")) + 1
    assert _region(lines, 1, byte_column) == {"startLine": 1, "startColumn": len('x = "ü" + ') + 1}
    assert _region(lines, 0, 0) is None


def test_apply_sarif_marks_applied_fixes_without_fix_entries(project):
    code, log = _sarif("apply", "--format", "sarif", "stack.py")
    assert code == 1  # a finding is left
    validate(log)
    fixes = [r for r in _results(log) if r["level"] == "warning"]
    assert fixes and all(r["properties"]["applied"] is True and "fixes" not in r for r in fixes)
    assert "(fixed)" in fixes[0]["message"]["text"]


def test_unreadable_files_are_notifications(project, tmp_path):
    (project / "broken.py").write_text("import cdktf\ndef f(:\n")
    outside = tmp_path.parent / f"{tmp_path.name}-missing.py"
    code, log = _sarif("diff", "--format", "sarif", "broken.py", outside)
    assert code == 2
    validate(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "error"]
    assert "syntax error" in notes[0]["message"]["text"]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.py"
    assert notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == outside.resolve().as_uri()


def test_json_fixes_carry_their_edit(project):
    result = runner.invoke(app, ["check", "--format", "json", "stack.py"])
    (entry,) = json.loads(result.stdout)["files"]
    lines = SOURCE.splitlines(keepends=True)
    for fix in entry["fixes"]:
        assert {"codemod", "line", "column", "old", "new", "message", "safety", "applied", "region"} <= set(fix)
        region = fix["region"]
        assert region is not None, fix
        assert lines[region["line"] - 1][region["column"] - 1: region["end_column"] - 1] == fix["old"]
