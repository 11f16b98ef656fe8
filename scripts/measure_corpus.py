#!/usr/bin/env python3
"""Measure cdktf-fix on the dev corpus: the Python code blocks of every MODEL_RESPONSE*.md.

For every block that parses, before and after a repair:
- unresolvable imports of the provider (a module that does not exist, a name the module does
  not define, a service pseudo-module, ``imports.aws`` without generated bindings) and of cdktf;
- whether every unresolvable import left is reported by a finding with suggestions;
- regressions: a block that stops parsing, names undefined after that were defined before
  (pyflakes), and a second repair that changes anything.

    python scripts/measure_corpus.py [CORPUS_DIR] [--unsafe-fixes] [--show-left]

The corpus is data: nothing here is copied into the project.  Exits 1 when a regression is seen.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cdktf_fix.context import Options  # noqa: E402
from cdktf_fix.engine import Engine  # noqa: E402
from cdktf_fix.markdown import python_blocks  # noqa: E402
from cdktf_fix.schema import load_index  # noqa: E402
from cdktf_fix.schema.model import PROVIDER_PACKAGE  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def unresolvable_imports(code: str, schema) -> list[tuple[int, str]]:
    """(line, "module.name") for every import of the provider or cdktf that cannot resolve."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    bad: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            module = node.module
            if not (module.split(".")[0] in (PROVIDER_PACKAGE, "cdktf", "constructs") or module.startswith("imports.aws")):
                continue
            for alias in node.names:
                if alias.name == "*":
                    continue
                if module == PROVIDER_PACKAGE:
                    ok = schema.has_module(f"{PROVIDER_PACKAGE}.{alias.name}")
                else:
                    ok = schema.has_module(module) and schema.defines(module, alias.name)
                if not ok:
                    bad.append((node.lineno, f"{module}.{alias.name}"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PROVIDER_PACKAGE + ".") and not schema.has_module(alias.name):
                    bad.append((node.lineno, alias.name))
    return bad


def undefined_names(code: str) -> set[str]:
    from pyflakes import api, messages

    class Collect:
        def __init__(self) -> None:
            self.names: set[str] = set()

        def flake(self, message) -> None:
            if isinstance(message, messages.UndefinedName):
                self.names.add(message.message_args[0])

        def unexpectedError(self, *args) -> None:
            pass

        def syntaxError(self, *args) -> None:
            pass

    collector = Collect()
    api.check(code, "block.py", collector)
    return collector.names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--unsafe-fixes", action="store_true")
    parser.add_argument("--show-left", action="store_true", help="list every unresolvable import left")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}")
        return 0

    schema = load_index()
    engine = Engine(schema, Options(unsafe_fixes=args.unsafe_fixes))
    counts: Counter = Counter()
    fixes_by_codemod: Counter = Counter()
    findings_by_codemod: Counter = Counter()
    left: list[str] = []
    regressions: list[str] = []
    repair_time = 0.0

    responses = sorted(args.corpus.glob("*/lib/MODEL_RESPONSE*.md"))
    for response in responses:
        sample = response.parent.parent.name
        counts["responses"] += 1
        for number, block in enumerate(python_blocks(response.read_text(encoding="utf-8"))):
            where = f"{sample}/{response.name}#{number}"
            counts["blocks"] += 1
            try:
                ast.parse(block.code)
            except SyntaxError:
                counts["blocks that do not parse (skipped)"] += 1
                continue
            before = unresolvable_imports(block.code, schema)
            start = time.perf_counter()
            result = engine.repair(block.code)
            repair_time += time.perf_counter() - start
            counts["lines"] += block.code.count("\n")
            if result.error:
                counts["blocks with an engine error"] += 1
                regressions.append(f"{where}: {result.error}")
                continue
            after_code = result.new_source
            after = unresolvable_imports(after_code, schema)
            counts["unresolvable imports before"] += len(before)
            counts["unresolvable imports after"] += len(after)
            counts["blocks changed"] += result.changed
            for fix in result.fixes:
                if fix.applied:
                    fixes_by_codemod[fix.codemod] += 1
            for finding in result.findings:
                findings_by_codemod[finding.codemod] += 1
            for line, name in after:
                short = name.rpartition(".")[2]
                reported = [f for f in result.findings if short in f.message and f.suggestions]
                counts["left and reported with suggestions"] += bool(reported)
                left.append(f"{where}: {name}{'' if reported else '  (NOT REPORTED)'}")
            try:
                ast.parse(after_code)
            except SyntaxError as error:
                regressions.append(f"{where}: no longer parses: {error}")
                continue
            gained = undefined_names(after_code) - undefined_names(block.code)
            if gained:
                regressions.append(f"{where}: gains undefined names {sorted(gained)}")
            again = engine.repair(after_code)
            if again.changed:
                regressions.append(f"{where}: a second run changes the code again")

    before, after = counts["unresolvable imports before"], counts["unresolvable imports after"]
    fixed = before - after
    print(f"corpus: {args.corpus} ({counts['responses']} responses, {counts['blocks']} Python blocks, {counts['lines']} lines)")
    print(f"mode: {'safe + unsafe fixes' if args.unsafe_fixes else 'safe fixes only (default)'}")
    print()
    print(f"{'unresolvable imports before':<44}{before:>6}")
    print(f"{'fixed':<44}{fixed:>6}  ({100 * fixed / max(before, 1):.1f}%)")
    print(f"{'left':<44}{after:>6}")
    print(f"{'left and reported with suggestions':<44}{counts['left and reported with suggestions']:>6}")
    print(f"{'blocks changed':<44}{counts['blocks changed']:>6}")
    print(f"{'blocks that do not parse (skipped)':<44}{counts['blocks that do not parse (skipped)']:>6}")
    print(f"{'regressions':<44}{len(regressions):>6}")
    print()
    print("fixes applied by codemod: " + ", ".join(f"{k} {v}" for k, v in sorted(fixes_by_codemod.items())))
    print("findings by codemod:      " + ", ".join(f"{k} {v}" for k, v in sorted(findings_by_codemod.items())))
    print(f"repair time: {repair_time:.2f} s for {counts['lines']} lines ({counts['lines'] / max(repair_time, 1e-9):.0f} lines/s)")
    if args.show_left and left:
        print("\nleft:")
        print("\n".join(f"  {item}" for item in left))
    if regressions:
        print("\nregressions:")
        print("\n".join(f"  {item}" for item in regressions))
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
