#!/usr/bin/env python3
"""Regenerate ``expected.py`` and ``expected.json`` of fixtures from their ``input.py``.

    python scripts/update_fixtures.py [fixtures/<codemod>/<case> ...]

Review every change with ``git diff fixtures/`` before committing: the fixture tests compare
against these files, so an unreviewed update hides a regression.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cdktf_fix.engine.options import Options  # noqa: E402
from cdktf_fix.engine import Engine  # noqa: E402
from cdktf_fix.schema import load_index  # noqa: E402


def record(result) -> dict:
    return {
        "fixes": [
            {"codemod": f.codemod, "line": f.line, "old": f.old, "new": f.new, "safety": f.safety.value, "applied": f.applied}
            for f in result.fixes
        ],
        "findings": [{"codemod": f.codemod, "line": f.line, "suggestions": f.suggestions[:1]} for f in result.findings],
    }


def options_for(case: Path) -> tuple[Options, list[str] | None]:
    """The case's options, and its target (``"target": ["cdktn"]``; None: the default)."""
    config = case / "options.json"
    data = json.loads(config.read_text()) if config.is_file() else {}
    target = data.pop("target", None)
    return Options(**data), target


def main() -> None:
    cases = [Path(p).resolve() for p in sys.argv[1:]] or sorted(p.parent for p in (ROOT / "fixtures").glob("*/*/input.py"))
    schema = load_index()
    for case in cases:
        source = (case / "input.py").read_bytes().decode("utf-8")
        options, target = options_for(case)
        result = Engine(load_index(target) if target else schema, options).repair(source)
        (case / "expected.py").write_bytes(result.new_source.encode("utf-8"))
        (case / "expected.json").write_text(json.dumps(record(result), indent=2) + "\n")
        print(f"{case.relative_to(ROOT)}: {result.status.value}, {len(result.fixes)} fixes, {len(result.findings)} findings")


if __name__ == "__main__":
    main()
