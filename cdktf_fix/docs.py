"""Codemod documentation built from the codemods and their fixtures.

One shape for every codemod (as ruff's rule docs): what it fixes, why, its fix safety, and an
example (the smallest fixture where the codemod changes code, or, for a codemod that only
reports, the smallest where it reports).  ``cdktf-fix explain ID`` prints one;
``scripts/generate_docs.py`` writes them all to ``docs/codemods.md``.  No terminal code here.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PROVIDER_PACKAGE = "cdktf_cdktf_provider_aws"

KINDS = {
    "safe": "Safe: every fix is applied by default.",
    "mixed": (
        "Safe and unsafe fixes: safe ones are applied by default, unsafe ones only with "
        "`--unsafe-fixes` (`check` lists them; JSON and SARIF mark them as not applied)."
    ),
    "none": "No fix: this codemod only reports findings, with suggestions.",
}
PAGE_HEADER = (
    "# Codemods\n\n"
    "Generated from the codemods and their fixtures by `python scripts/generate_docs.py`: do not "
    "edit by hand. `cdktf-fix explain <id>` prints one section.\n"
)


def safety_kind(codemod) -> str:
    """``safe``, ``mixed`` or ``none`` (only findings), as the codemod's ``safety`` text says."""
    text = codemod.safety.lower()
    if text.startswith("no fix"):
        return "none"
    return "mixed" if "unsafe" in text else "safe"


def unsafe_fixes(codemod) -> list[str]:
    """The sentences of the codemod's ``safety`` that say which fixes are unsafe."""
    sentences = re.split(r"(?<=\.)\s+(?=[A-Z])", codemod.safety)
    return [re.sub(r"^Unsafe:\s*", "", s) for s in sentences if "unsafe" in s.lower()]


def explain(codemod, schema=None) -> dict:
    """The documentation of one codemod, as data (``--format json``)."""
    kind = safety_kind(codemod)
    return {
        "id": codemod.id,
        "summary": codemod.summary,
        "why": codemod.why,
        "safety": {
            "kind": kind,
            "meaning": KINDS[kind],
            "reason": codemod.safety,
            "unsafe": unsafe_fixes(codemod) if kind == "mixed" else [],
        },
        "example": example(codemod.id, schema),
    }


def _load_case(case: Path) -> dict:
    options = case / "options.json"
    return {
        "case": case,
        "record": json.loads((case / "expected.json").read_text()),
        "options": json.loads(options.read_text()) if options.is_file() else {},
        "before": (case / "input.py").read_bytes().decode("utf-8"),
        "after": (case / "expected.py").read_bytes().decode("utf-8"),
    }


def _choose(codemod_id: str) -> dict | None:
    """The smallest case where the codemod applies a fix; else the smallest where it reports.
    Cases where only this codemod acts, with default options, come first."""
    folder = FIXTURES / codemod_id
    cases = [_load_case(p.parent) for p in sorted(folder.glob("*/input.py"))] if folder.is_dir() else []

    def mine(case, what):
        return [x for x in case["record"][what] if x["codemod"] == codemod_id and x.get("applied", True)]

    def key(case):
        others = [x for x in case["record"]["fixes"] if x["codemod"] != codemod_id]
        return (bool(others), bool(case["options"]), case["before"].count("\n"), case["case"].name)

    fixing = [c for c in cases if mine(c, "fixes") and c["before"] != c["after"]]
    reporting = [c for c in cases if mine(c, "findings")]
    chosen = fixing or reporting
    return min(chosen, key=key) if chosen else None


def example(codemod_id: str, schema=None) -> dict | None:
    """Before and after from the chosen fixture, with what the codemod reports there (its
    messages come from a run of the engine on the fixture's input)."""
    case = _choose(codemod_id)
    if case is None:
        return None
    from cdktf_fix.engine.options import Options
    from cdktf_fix.engine import Engine
    from cdktf_fix.schema import load_index

    options = dict(case["options"])
    target = options.pop("target", None)  # a case for another target: ``"target": ["cdktn"]``
    result = Engine(load_index(target) if target else schema or load_index(), Options(**options)).repair(case["before"])
    diff = difflib.unified_diff(case["before"].splitlines(True), case["after"].splitlines(True), "before", "after", n=2)
    return {
        "fixture": case["case"].relative_to(ROOT).as_posix(),
        "options": case["options"],
        "before": case["before"],
        "after": case["after"],
        "diff": "".join(line if line.endswith("\n") else line + "\n" for line in diff),
        "fixes": [
            {"line": f.line, "old": f.old, "new": f.new, "message": f.message, "safety": f.safety.value, "applied": f.applied}
            for f in result.fixes if f.codemod == codemod_id
        ],
        "findings": [
            {"line": f.line, "message": f.message, "suggestions": f.suggestions}
            for f in result.findings if f.codemod == codemod_id
        ],
    }


def _code(text: str) -> str:
    """Inline code for a fix's old or new text (whitespace folded)."""
    text = " ".join(text.split()).replace(PROVIDER_PACKAGE + ".", "")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else "(nothing)"


def _options_text(options: dict) -> str:
    flags = ["`--unsafe-fixes`" for key, value in options.items() if key == "unsafe_fixes" and value]
    config = [f"{key.replace('_', '-')} = {json.dumps(value)}" for key, value in options.items() if key != "unsafe_fixes"]
    if config:
        flags.append("`[tool.cdktf-fix]` " + ", ".join(f"`{c}`" for c in config))
    return " and ".join(flags)


def _trimmed(source: str, lines: list[int], context: int = 3) -> str:
    """The source around ``lines`` (1-based), with ``# ...`` where lines are left out."""
    all_lines = source.splitlines()
    if len(all_lines) <= 25 or not lines:
        return source
    start, end = max(min(lines) - 1 - context, 0), min(max(lines) + context, len(all_lines))
    kept = (["# ...\n"] if start else []) + [line + "\n" for line in all_lines[start:end]]
    return "".join(kept + (["# ...\n"] if end < len(all_lines) else []))


def to_markdown(doc: dict, level: int = 1) -> str:
    """The documentation of one codemod as markdown (also what ``explain`` prints)."""
    h1, h2 = "#" * level, "#" * (level + 1)
    safety = doc["safety"]
    out = [f"{h1} {doc['id']}", "", f"{h2} What it fixes", "", doc["summary"].rstrip(".") + ".", "",
           f"{h2} Why", "", doc["why"], "", f"{h2} Fix safety", "", f"**{safety['meaning']}**", "", safety["reason"], ""]
    if safety["unsafe"]:
        out += ["Which fixes are unsafe: " + " ".join(safety["unsafe"]), ""]
    out += [f"{h2} Example", ""]
    ex = doc["example"]
    if ex is None:
        return "\n".join(out + ["No fixture of this codemod was found.", ""])
    options = _options_text(ex["options"])
    out += [f"From `{ex['fixture']}`" + (f", with {options}" if options else "") + ":", ""]
    if any(f["applied"] for f in ex["fixes"]):
        out += ["```diff", ex["diff"].rstrip("\n"), "```", ""]
    else:
        out += ["```python", _trimmed(ex["before"], [f["line"] for f in ex["findings"]]).rstrip("\n"), "```", ""]
    if ex["fixes"]:
        out += ["Fixes:", ""]
        out += [f"- line {f['line']}: {_code(f['old'])} -> {_code(f['new'])} ({f['safety']}): {f['message']}" for f in ex["fixes"]]
        out.append("")
    if ex["findings"]:
        out += ["Findings:", ""]
        for f in ex["findings"]:
            hint = f" (suggestions: {', '.join(f['suggestions'][:3])})" if f["suggestions"] else ""
            out.append(f"- line {f['line']}: {f['message']}{hint}")
        out.append("")
    return "\n".join(out)


def codemods_page(schema=None) -> str:
    """``docs/codemods.md``: every codemod, in the order the engine runs them."""
    from codemods import ALL_CODEMODS

    if schema is None:
        from cdktf_fix.schema import load_index

        schema = load_index()
    index = "\n".join(f"- [`{c.id}`](#{c.id}): {c.summary}" for c in ALL_CODEMODS)
    sections = [to_markdown(explain(c, schema), level=2) for c in ALL_CODEMODS]
    return "\n".join([PAGE_HEADER, index, "", *sections]).rstrip("\n") + "\n"
