"""Measure what ``cdktf-fix apply`` changes on code that is supposed to be correct.

    python scripts/measure_precision.py PATH [PATH ...] [--json] [-v] [--cli CMD] [--unsafe-fixes]

Each PATH (a file or a folder; ``.py`` and ``.md`` files, as the CLI finds them) is copied to a
temporary folder, which is all that is ever written: the inputs are never touched.  The CLI
runs on the copies twice, as a user would run it (``apply --format json`` in a subprocess, so
the measurement does not depend on cdktf-fix's internals): the first run gives the fixes and
findings, the second checks the fixed point (it must change nothing).  Markdown files count as
files; their Python blocks are repaired in place.

On working code every change is a false positive.  The table shows files seen, files with
provider code, files changed, fixes applied and findings by codemod, and files changed by the
second run; ``-v`` lists every changed file with its fixes (and every finding).  ``--cli``
measures another build, e.g. ``--cli "python -m cdktf_fix.cli"`` with ``PYTHONPATH`` set.

Exit status: 0 (it is a measurement), 2 for a usage error or when the CLI gives no report.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path


def copy_inputs(paths: list[Path], root: Path) -> dict[Path, Path]:
    """Copy every input under ``root``; returns copy -> original."""
    copies = {}
    for index, path in enumerate(paths):
        target = root / str(index) / (path.resolve().name or "root")
        target.parent.mkdir(parents=True)
        if path.is_dir():
            shutil.copytree(path, target, symlinks=True)
            for link in [p for p in target.rglob("*") if p.is_symlink()]:  # never write through a link
                real = link.resolve()
                link.unlink()
                if real.is_file():
                    shutil.copy2(real, link)
        else:
            shutil.copy2(path, target)
        copies[target] = path
    for copy in [root, *root.rglob("*")]:  # read-only inputs give read-only copies, which apply will not write
        if not copy.is_symlink():
            copy.chmod(copy.stat().st_mode | stat.S_IWUSR | (stat.S_IXUSR if copy.is_dir() else 0))
    return copies


def run_apply(cli: list[str], copies: list[Path], unsafe: bool, cwd: Path) -> dict:
    """One ``apply --format json`` over the copies; the parsed report."""
    command = [*cli, "apply", "--format", "json", *(["--unsafe-fixes"] if unsafe else []), *map(str, copies)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=cwd)  # cwd: no project config applies
    try:
        return json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"measure_precision: {shlex.join(command[:3])} gave no JSON report (exit {run.returncode}):", file=sys.stderr)
        print(run.stderr[-2000:], file=sys.stderr)
        sys.exit(2)


def original_path(copy: str, copies: dict[Path, Path]) -> str:
    path = Path(copy)
    for target, original in copies.items():
        if path == target or target in path.parents:
            return str(original / path.relative_to(target)) if original.is_dir() else str(original)
    return copy


def measure(paths: list[Path], cli: list[str], unsafe: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="measure-precision-") as name:
        tmp = Path(name).resolve()
        copies = copy_inputs(paths, tmp / "in")
        first = run_apply(cli, list(copies), unsafe, tmp)
        second = run_apply(cli, list(copies), unsafe, tmp)
    files = first["files"]
    fixes, findings, unsafe_left = Counter(), Counter(), Counter()
    changed = []
    for entry in files:
        applied = [f for f in entry["fixes"] if f["applied"]]
        fixes.update(f["codemod"] for f in applied)
        unsafe_left.update(f["codemod"] for f in entry["fixes"] if not f["applied"])
        findings.update(f["codemod"] for f in entry["findings"])
        if entry["status"] == "changed" or applied or entry["findings"]:
            changed.append({
                "path": original_path(entry["path"], copies),
                "changed": entry["status"] == "changed",
                "fixes": [f"{f['line']}:{f['column']} {f['codemod']}: {f['message']}" for f in applied],
                "findings": [f"{f['line']}:{f['column']} {f['codemod']}: {f['message']}" for f in entry["findings"]],
            })
    return {
        "paths": [str(p) for p in paths],
        "files_seen": len(files),
        "files_with_provider_code": sum(1 for f in files if f["status"] != "not-checked"),
        "files_changed": sum(1 for f in files if f["status"] == "changed"),
        "files_not_repaired": [f"{original_path(f['path'], copies)}: {f['error']}" for f in files if f["status"] == "skipped"],
        "skipped_markdown_blocks": sum(len(f.get("skipped_blocks") or []) for f in files),
        "fixes_applied": sum(fixes.values()),
        "findings": sum(findings.values()),
        "unsafe_fixes_not_applied": sum(unsafe_left.values()),
        "fixes_by_codemod": dict(fixes.most_common()),
        "findings_by_codemod": dict(findings.most_common()),
        "unsafe_by_codemod": dict(unsafe_left.most_common()),
        "second_run_files_changed": [original_path(f["path"], copies) for f in second["files"] if f["status"] == "changed"],
        "files": changed,
    }


def print_table(result: dict, verbose: bool) -> None:
    rows = [
        ("files seen", result["files_seen"]),
        ("files with provider code", result["files_with_provider_code"]),
        ("files changed", result["files_changed"]),
        ("files changed by a second run (must be 0)", len(result["second_run_files_changed"])),
        ("files not repaired (errors)", len(result["files_not_repaired"])),
        ("markdown blocks skipped", result["skipped_markdown_blocks"]),
        ("fixes applied", result["fixes_applied"]),
        ("findings", result["findings"]),
        ("unsafe fixes not applied", result["unsafe_fixes_not_applied"]),
    ]
    print(f"measured: {', '.join(result['paths'])}\nwith: {result['cli']}")
    for label, value in rows:
        print(f"  {label:<44}{value:>6}")
    codemods = sorted({*result["fixes_by_codemod"], *result["findings_by_codemod"], *result["unsafe_by_codemod"]})
    if codemods:
        print(f"\n  {'codemod':<24}{'fixes':>8}{'findings':>10}{'unsafe':>8}")
        for codemod in codemods:
            counts = (result[key].get(codemod, 0) for key in ("fixes_by_codemod", "findings_by_codemod", "unsafe_by_codemod"))
            print(f"  {codemod:<24}" + "".join(f"{n:>{w}}" for n, w in zip(counts, (8, 10, 8))))
    for path in result["second_run_files_changed"]:
        print(f"\n  NOT A FIXED POINT: {path} changed again on the second run")
    for line in result["files_not_repaired"]:
        print(f"  not repaired: {line}")
    if verbose:
        for entry in result["files"]:
            print(f"\n{entry['path']}{'' if entry['changed'] else ' (unchanged)'}")
            for line in entry["fixes"]:
                print(f"  fix      {line}")
            for line in entry["findings"]:
                print(f"  finding  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders (never modified)")
    parser.add_argument("--json", action="store_true", help="print the measurement as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every changed file with its fixes")
    parser.add_argument("--cli", default="cdktf-fix", help='the command to measure (default: "cdktf-fix")')
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    args = parser.parse_args()
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        parser.error(f"no such file or directory: {', '.join(missing)}")
    cli = shlex.split(args.cli)
    if shutil.which(cli[0]) is None:
        parser.error(f"command not found: {cli[0]}")
    result = measure(args.paths, cli, args.unsafe_fixes)
    version = subprocess.run([*cli, "--version"], capture_output=True, text=True)
    result["cli"] = f"{args.cli} ({version.stdout.strip() or 'version unknown'})"
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result, args.verbose)


if __name__ == "__main__":
    main()
