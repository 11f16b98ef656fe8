"""SARIF 2.1.0 for ``apply``, ``diff`` and ``check`` (``--format sarif``), for code scanning.

Every codemod is a rule.  Every fix is a result of level ``warning`` (properties: ``applied``,
``safety``, ``old``, ``new``), every finding one of level ``error`` (properties:
``suggestions``).  A fix gets a SARIF ``fixes`` entry only when its edit stands alone: the
codemod replaces text in place (no import goes with it), its span is sure
(``cdktf_fix.io.regions``), and the file on disk still holds that text (it was not rewritten).
Files that could not be read or parsed, and markdown blocks that were skipped, are
``toolExecutionNotifications`` of level ``error``.

Fix and finding columns are 1-based UTF-8 byte offsets (from ``ast``); SARIF counts UTF-16
code units, so they are converted with the line's text.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from cdktf_fix import __version__
from cdktf_fix.io.regions import EditLocator, Span, split_lines

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT_ID = "%SRCROOT%"
# codemods whose fix replaces its ``old`` text by its ``new`` text and nothing else
IN_PLACE = frozenset({"kwarg-name", "literal-type", "terraform-asset"})


def information_uri() -> str | None:
    """The project's home page from the installed package metadata, if it declares one."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("cdktf-fix")
    except PackageNotFoundError:
        return None
    urls = [u.split(",", 1)[1].strip() for u in meta.get_all("Project-URL") or [] if "," in u]
    return meta.get("Home-page") or (urls[0] if urls else None)


def rule(codemod) -> dict:
    from cdktf_fix.docs import KINDS, safety_kind, unsafe_fixes

    kind = safety_kind(codemod)
    unsafe = unsafe_fixes(codemod) if kind == "mixed" else []
    help_text = f"Fix safety: {KINDS[kind]} {codemod.safety}" + (f" Which fixes are unsafe: {' '.join(unsafe)}" if unsafe else "")
    return {
        "id": codemod.id,
        "shortDescription": {"text": codemod.summary},
        "fullDescription": {"text": codemod.why},
        "help": {"text": help_text, "markdown": f"**Fix safety.** {KINDS[kind]}\n\n{codemod.safety}"},
        "defaultConfiguration": {"level": "error" if kind == "none" else "warning"},
        "properties": {"safety": kind, "unsafe": unsafe},
    }


def artifact(path: Path, root: Path) -> dict:
    """The path relative to ``root`` (under ``%SRCROOT%``) when it is inside it, else a file URI."""
    try:
        return {"uri": quote(path.resolve().relative_to(root.resolve()).as_posix()), "uriBaseId": ROOT_ID}
    except ValueError:
        return {"uri": path.resolve().as_uri()}


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _region(lines: list[str], line: int, byte_column: int) -> dict | None:
    if line < 1:
        return None
    region = {"startLine": line}
    if byte_column >= 1 and line <= len(lines):
        prefix = lines[line - 1].encode("utf-8")[: byte_column - 1].decode("utf-8", errors="ignore")
        region["startColumn"] = _utf16(prefix) + 1
    return region


def _span_region(lines: list[str], span: Span) -> dict:
    """A span (character columns) as a SARIF region (UTF-16 columns)."""
    return {
        "startLine": span.line,
        "startColumn": _utf16(lines[span.line - 1][: span.column - 1]) + 1,
        "endLine": span.end_line,
        "endColumn": _utf16(lines[span.end_line - 1][: span.end_column - 1]) + 1,
    }


def _location(where: dict, region: dict | None) -> dict:
    physical = {"artifactLocation": where, **({"region": region} if region else {})}
    return {"physicalLocation": physical}


def _fold(text: str) -> str:
    return " ".join(text.split())


def _fix_result(fix, applied: bool, where: dict, lines: list[str], span: Span | None, editable: bool) -> dict:
    state = "fixed" if applied else "fixable" if fix.applied else "unsafe fix, applied with --unsafe-fixes"
    result = {
        "ruleId": fix.codemod,
        "level": "warning",
        "message": {"text": f"{fix.message}: `{_fold(fix.old)}` -> `{_fold(fix.new)}` ({state})"},
        "locations": [_location(where, _span_region(lines, span) if span else _region(lines, fix.line, fix.column))],
        "properties": {"applied": applied, "safety": fix.safety.value, "old": fix.old, "new": fix.new},
    }
    if span is not None and editable and fix.codemod in IN_PLACE:
        change = {"artifactLocation": where, "replacements": [{"deletedRegion": _span_region(lines, span), "insertedContent": {"text": fix.new}}]}
        result["fixes"] = [{"description": {"text": f"Replace `{_fold(fix.old)}` with `{_fold(fix.new)}`"}, "artifactChanges": [change]}]
    return result


def _finding_result(finding, where: dict, lines: list[str]) -> dict:
    hint = f" (did you mean: {', '.join(finding.suggestions[:3])})" if finding.suggestions else ""
    return {
        "ruleId": finding.codemod,
        "level": "error",
        "message": {"text": finding.message + hint},
        "locations": [_location(where, _region(lines, finding.line, finding.column))],
        "properties": {"suggestions": finding.suggestions},
    }


def _notification(text: str, where: dict, line: int = 0) -> dict:
    return {"level": "error", "message": {"text": text}, "locations": [_location(where, {"startLine": line} if line >= 1 else None)]}


def to_sarif(report, applied: bool, root: Path | None = None) -> dict:
    """The run as a SARIF log.  ``applied``: whether fixes were written (``apply``); paths are
    given relative to ``root`` (the current folder) when they are inside it."""
    from codemods import ALL_CODEMODS

    root = root or Path.cwd()
    index = {c.id: i for i, c in enumerate(ALL_CODEMODS)}
    results, notifications = [], []
    for outcome in report.files:
        where = artifact(outcome.path, root)
        if outcome.error:
            notifications.append(_notification(f"{outcome.path}: skipped: {outcome.error}", where))
        for block in outcome.result.skipped:
            notifications.append(_notification(f"{outcome.path}:{block.line}: skipped {block.reason}", where, block.line))
        source = outcome.result.source
        lines = split_lines(source)
        spans = EditLocator(source, outcome.result.new_source).spans(outcome.result.fixes)
        found = [_fix_result(fix, fix.applied and applied and outcome.written, where, lines, span, not outcome.written) for fix, span in zip(outcome.result.fixes, spans)]
        found += [_finding_result(finding, where, lines) for finding in outcome.result.findings]
        for result in found:  # what the file was checked against: cdktf 0.21.0 + cdktf-cdktf-provider-aws 21.22.1
            result.setdefault("properties", {})["target"] = outcome.result.target
        results += found
    for notice in getattr(report, "notices", ()):
        notifications.append({"level": "warning", "message": {"text": notice}})
    for result in results:
        if result["ruleId"] in index:
            result["ruleIndex"] = index[result["ruleId"]]
    driver = {"name": "cdktf-fix", "version": __version__, "semanticVersion": __version__, "rules": [rule(c) for c in ALL_CODEMODS]}
    if uri := information_uri():
        driver["informationUri"] = uri
    run = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": not (report.errors or report.skipped_blocks), "toolExecutionNotifications": notifications}],
        "originalUriBaseIds": {ROOT_ID: {"uri": root.resolve().as_uri().rstrip("/") + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
