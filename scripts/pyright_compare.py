#!/usr/bin/env python3
"""pyright against ``cdktf-fix check`` on the same files: what each finds, and how fast.

    pip install -e '.[bench]'     # the PyPI ``pyright`` wrapper; it runs on the machine's node
    python scripts/pyright_compare.py [--quick] [--corpus DIR] [-v] [--json PATH]

pyright runs once with ``--outputjson`` over a folder of ``.py`` files, against the Python that
runs this script (``--pythonpath``, so it resolves the installed provider), and ``cdktf-fix
check --format json`` runs once over the same folder; both are timed as whole commands (start-up
included) with their peak memory.  pyright's errors are sorted into:

- ``import``: an unresolved provider/cdktf module, or an unknown symbol imported from one;
- ``keyword``: ``No parameter named "x"`` or ``Expected N positional arguments`` on a call of a
  class imported from the provider or cdktf;
- ``missing-args``: ``Argument(s) missing for parameter(s)`` on such a call;
- ``undefined``: ``"X" is not defined`` where X is a provider/cdktf class (the schema knows it);
- everything else (not ours: boto3 fragments, ``Optional`` access, ...) is only counted by rule.

How an error is matched (check reports each problem on one line, not on pyright's): an import
error on the lines of its import statement (check reports an import's first line); a call
error within the lines of the innermost call around pyright's position (check reports an
argument on the line where its call starts, pyright on the keyword's own line); an undefined
name on its line.  The report must also come from a codemod that can fix that kind of error
(an unrelated ``literal-type`` fix in the same call does not count), and for a keyword or
missing argument a ``kwarg-name`` report must name it; a wrong class (``struct-class``,
``struct-as-resource``) or a ``required-arg`` finding covers the whole call.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from benchmark import CLI, run_measured  # noqa: E402

IMPORTS = {"module-path", "class-name", "missing-import", "no-equivalent"}
CALLS = {"kwarg-name", "struct-class", "struct-as-resource"}
COMPATIBLE = {"import": IMPORTS, "keyword": CALLS, "missing-args": CALLS | {"required-arg"}, "undefined": IMPORTS}
LABELS = {"import": "provider/cdktf import errors", "keyword": "keyword errors on provider/cdktf classes",
          "missing-args": "missing required arguments", "undefined": "undefined provider/cdktf names"}


def ours(module: str | None) -> bool:
    return bool(module) and (module.split(".")[0] in ("cdktf_cdktf_provider_aws", "cdktf") or module.startswith("imports.aws"))


class FileFacts:
    """Imports, the module each imported name comes from, and the calls of one file."""

    def __init__(self, code: str):
        self.lines = code.splitlines()
        self.imports, self.calls, self.bound = [], [], {}
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.ImportFrom):
                self.imports.append((self._span(node), node.module or ""))
                self.bound.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
            elif isinstance(node, ast.Import):
                self.imports.append((self._span(node), node.names[0].name))
                self.bound.update({a.asname or a.name.split(".")[0]: a.name if a.asname else a.name.split(".")[0] for a in node.names})
            elif isinstance(node, ast.Call):
                self.calls.append((self._span(node), node))

    def _span(self, node) -> tuple:
        def char(line, col):  # ast columns count UTF-8 bytes, pyright's count characters
            return len(self.lines[line - 1].encode()[:col].decode(errors="ignore")) if line <= len(self.lines) else col
        return (node.lineno, char(node.lineno, node.col_offset)), (node.end_lineno, char(node.end_lineno, node.end_col_offset))

    @staticmethod
    def innermost(items, pos):
        inside = [item for item in items if item[0][0] <= pos < item[0][1]]
        return max(inside, key=lambda item: item[0][0], default=None)

    def callee_module(self, call: ast.Call) -> str | None:
        root = call.func
        while isinstance(root, ast.Attribute):
            root = root.value
        return self.bound.get(root.id) if isinstance(root, ast.Name) else None


def classify(diag: dict, facts: FileFacts, schema) -> tuple[str, tuple[int, int], list[str]]:
    """(kind, (first, last) line where a check report matches, names the message quotes)."""
    message, rule = diag["message"].split("\n")[0], diag.get("rule")
    names = re.findall(r'"([^"]*)"', message)
    line = diag["range"]["start"]["line"] + 1
    pos = (line, diag["range"]["start"]["character"])
    if rule == "reportMissingImports" or message.endswith("is unknown import symbol"):
        found = facts.innermost(facts.imports, pos)
        module = names[0] if rule == "reportMissingImports" else (found[1] if found else None)
        if ours(module):
            return "import", (found[0][0][0], found[0][1][0]) if found else (line, line), names
    elif message.startswith(("No parameter named", "Expected ", "Argument missing for", "Arguments missing for")) and rule == "reportCallIssue":
        call = facts.innermost(facts.calls, pos)
        if call and ours(facts.callee_module(call[1])):
            return "keyword" if message.startswith(("No", "Expected")) else "missing-args", (call[0][0][0], call[0][1][0]), names
    elif rule == "reportUndefinedVariable" and names and schema.where(names[0]):
        return "undefined", (line, line), names
    return "other", (line, line), names


def matches(kind: str, span, names: list[str], reports: list[dict]) -> bool:
    for r in reports:
        if not (span[0] <= r["line"] <= span[1] and r["codemod"] in COMPATIBLE[kind]):
            continue
        if kind in ("keyword", "missing-args") and r["codemod"] == "kwarg-name":
            text = " ".join(str(r.get(k, "")) for k in ("old", "new", "message"))
            if not any(re.search(rf"\b{re.escape(n)}\b", text) for n in names if n.isidentifier()):
                continue
        return True
    return False


def pyright_command() -> tuple[list[str] | None, str]:
    """The command that runs pyright and its version, or None and why it cannot run."""
    if importlib.util.find_spec("pyright") is None:
        return None, "the pyright package is not installed (pip install -e '.[bench]')"
    cmd = [sys.executable, "-m", "pyright"]
    try:
        out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return None, "pyright --version did not answer in 600 s (downloading the npm package?)"
    if out.returncode != 0:
        return None, f"pyright --version exited {out.returncode}: {(out.stderr or out.stdout).strip()[-300:]}"
    return cmd, out.stdout.strip().splitlines()[-1]


def compare(folder: Path) -> dict:
    """Run pyright and check over the ``.py`` files of ``folder`` and match their errors."""
    cmd, version = pyright_command()
    if cmd is None:
        return {"status": f"not measured: {version}"}
    from cdktf_fix.schema import load_index

    (folder / "pyrightconfig.json").write_text(json.dumps({"pythonVersion": "3.11", "typeCheckingMode": "basic"}))
    env = {**os.environ, "NODE_OPTIONS": os.environ.get("NODE_OPTIONS", "--max-old-space-size=8192")}
    out_p, out_c = folder.parent / "pyright.json", folder.parent / "check.json"
    p_wall, p_rc, p_rss = run_measured([*cmd, "--outputjson", "--pythonpath", sys.executable, "."], cwd=folder, env=env, out=out_p)
    c_wall, c_rc, c_rss = run_measured([str(CLI), "check", "--format", "json", "."], cwd=folder, out=out_c)
    try:
        diagnostics = json.loads(out_p.read_text())["generalDiagnostics"]
    except (ValueError, KeyError) as error:
        return {"status": f"not measured: pyright exited {p_rc} without a JSON report ({error})"}
    reports = defaultdict(list)
    for entry in json.loads(out_c.read_text())["files"]:
        reports[Path(entry["path"]).name] += entry["fixes"] + entry["findings"]
    schema, facts, other, flagged = load_index(), {}, Counter(), set()
    kinds = {kind: {"total": 0, "found": 0, "missed": []} for kind in LABELS}
    for diag in diagnostics:
        if diag["severity"] != "error":
            continue
        name = Path(diag["file"]).name
        if name not in facts:
            facts[name] = FileFacts((folder / name).read_text(encoding="utf-8"))
        kind, span, names = classify(diag, facts[name], schema)
        flagged.update((name, n) for n in range(span[0], span[1] + 1))
        if kind == "other":
            other[diag.get("rule") or "?"] += 1
            continue
        found = matches(kind, span, names, reports[name])
        kinds[kind]["total"] += 1
        kinds[kind]["found"] += found
        if not found:
            kinds[kind]["missed"].append(f"{name}:{span[0]}: {diag['message'].splitlines()[0]}")
    all_reports = [(name, r["line"]) for name, rs in reports.items() for r in rs]
    return {
        "status": None, "files": len(list(folder.glob("*.py"))),
        "pyright": {"version": version, "seconds": round(p_wall, 2), "exit": p_rc, "peak_rss_mb": round(p_rss), "errors": sum(d["severity"] == "error" for d in diagnostics)},
        "check": {"seconds": round(c_wall, 2), "exit": c_rc, "peak_rss_mb": round(c_rss), "reports": len(all_reports),
                  "reports_on_lines_pyright_flags": sum(x in flagged for x in all_reports)},
        "kinds": kinds, "other_by_rule": dict(other.most_common()),
    }


def report_rows(result: dict) -> list[dict]:
    """Rows of the benchmark table."""
    row = dict(ours=None, baseline=None, ratio=None, target="all", met=None, unit="")
    if result.get("status"):
        return [{**row, "measurement": "7 pyright vs cdktf-fix check", "target": ">= 20", "status": result["status"]}]
    p, c = result["pyright"], result["check"]
    rows = [{**row, "measurement": f"7 cdktf-fix check --format json vs pyright --outputjson, {result['files']} files (wall; "
             f"peak RSS check {c['peak_rss_mb']} MB, pyright {p['peak_rss_mb']} MB)", "ours": c["seconds"], "baseline": p["seconds"],
             "ratio": p["seconds"] / c["seconds"], "target": ">= 20", "met": p["seconds"] / c["seconds"] >= 20, "unit": "s"}]
    for kind, e in result["kinds"].items():
        rows.append({**row, "measurement": f"7 pyright {LABELS[kind]}: found by check", "ours": f"{e['found']} found",
                     "baseline": f"{e['total']} errors", "ratio": f"{100 * e['found'] / e['total']:.0f}%" if e["total"] else "-",
                     "met": e["found"] == e["total"]})
    return rows


def missed_text(result: dict) -> str:
    if result.get("status"):
        return ""
    p, c = result["pyright"], result["check"]
    lines = [f"{p['version']}: {p['errors']} errors; check: {c['reports']} fixes+findings, {c['reports_on_lines_pyright_flags']} on "
             f"lines pyright flags; pyright errors of no kind above, by rule: {result['other_by_rule']}"]
    for kind, e in result["kinds"].items():
        lines += [f"missed {LABELS[kind]} ({len(e['missed'])}):"] + [f"  {m}" for m in e["missed"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    import argparse
    import shutil
    import tempfile

    from benchmark import DEFAULT_CORPUS, collect_blocks, print_table, write_files

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="every 6th corpus response only")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the errors check misses")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="cdktf-fix-pyright-"))
    try:
        result = compare(write_files(tmp / "files", collect_blocks(args.corpus, args.quick)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(report_rows(result))
    print(missed_text(result) if args.verbose else "")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
