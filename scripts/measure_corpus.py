#!/usr/bin/env python3
"""Measure cdktf-fix on the dev corpus: the Python code blocks of every MODEL_RESPONSE*.md.

For every block that parses, before and after a repair:
- unresolvable imports of the provider (a module that does not exist, a name the module does
  not define, a service pseudo-module, ``imports.aws`` without generated bindings) and of cdktf;
- whether every unresolvable import left is reported by a finding with suggestions;
- argument-level problems (``scripts/argument_problems.py``: unknown keywords, dict keys jsii
  does not read, block shapes, wrong struct classes, literal types), and whether every one left
  is reported by a finding that names it;
- regressions: a block that stops parsing, names undefined after that were defined before
  (pyflakes), a block with more argument problems of some kind after than before, and a
  second repair that changes anything.

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

from cdktf_fix.engine.options import Options  # noqa: E402
from cdktf_fix.engine import Engine  # noqa: E402
from cdktf_fix.io.markdown import python_blocks, repair_markdown, text_outside_blocks  # noqa: E402
from cdktf_fix.schema import load_index  # noqa: E402
from cdktf_fix.schema.model import PROVIDER_PACKAGE  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from argument_problems import KINDS, argument_problems, known_callees  # noqa: E402

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


class _Replay:
    """An engine that hands back the results already computed for each block."""

    def __init__(self, results: dict, engine: Engine) -> None:
        self.results, self.engine = results, engine

    def repair(self, code: str):
        return self.results.get(code) or self.engine.repair(code)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--unsafe-fixes", action="store_true")
    parser.add_argument("--show-left", action="store_true", help="list every unresolvable import and argument problem left")
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
    args_left: list[str] = []
    kind_counts: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    regressions: list[str] = []
    repair_time = 0.0

    responses = sorted(args.corpus.glob("*/lib/MODEL_RESPONSE*.md"))
    for response in responses:
        sample = response.parent.parent.name
        counts["responses"] += 1
        text = response.read_text(encoding="utf-8")
        results: dict[str, object] = {}
        for number, block in enumerate(python_blocks(text)):
            where = f"{sample}/{response.name}#{number}"
            counts["blocks"] += 1
            try:
                ast.parse(block.code)
            except SyntaxError:
                counts["blocks that do not parse (skipped)"] += 1
                continue
            before = unresolvable_imports(block.code, schema)
            problems_before = argument_problems(block.code, schema)
            start = time.perf_counter()
            result = results[block.code] = engine.repair(block.code)
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
            problems_after = argument_problems(after_code, schema)
            # problems in calls that only resolve after the repair were hidden behind a broken
            # import: they count as there before (and as left when still there), not as made
            made_or_left = Counter(p.kind for p in argument_problems(after_code, schema, known_callees(block.code, schema)))
            per_kind_after = Counter(p.kind for p in problems_after)
            per_kind_before = Counter(p.kind for p in problems_before)
            uncovered = per_kind_after - made_or_left
            for kind in KINDS:
                kind_counts[kind]["before"] += per_kind_before[kind] + uncovered[kind]
                kind_counts[kind]["uncovered"] += uncovered[kind]
                kind_counts[kind]["after"] += per_kind_after[kind]
            for problem in problems_after:
                # a finding, or an unsafe fix offered (not applied), that names it
                reported = any(problem.name in f.message for f in result.findings) or any(
                    problem.name in f.message + f.old for f in result.fixes if not f.applied
                )
                kind_counts[problem.kind]["reported"] += reported
                args_left.append(
                    f"{where}: {problem.kind} {problem.name} (line {problem.line}){'' if reported else '  (NOT REPORTED)'}"
                )
            grown = [kind for kind in KINDS if made_or_left[kind] > per_kind_before[kind]]
            if grown:
                regressions.append(
                    f"{where}: more argument problems after the repair: "
                    + ", ".join(f"{kind} {per_kind_before[kind]} -> {made_or_left[kind]}" for kind in grown)
                )
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
        # the response rebuilt from the repaired blocks: not one byte outside them may move
        rebuilt = repair_markdown(_Replay(results, engine), text)
        prose_kept = text_outside_blocks(rebuilt.new_source) == text_outside_blocks(text)
        if not prose_kept:
            regressions.append(f"{sample}/{response.name}: markdown outside the Python blocks changed")
        counts["responses rebuilt, prose byte-identical"] += prose_kept

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
    print(f"{'responses rebuilt, prose byte-identical':<44}{counts['responses rebuilt, prose byte-identical']:>6}")
    args_before = sum(kind_counts[k]["before"] for k in KINDS)
    args_after = sum(kind_counts[k]["after"] for k in KINDS)
    args_reported = sum(kind_counts[k]["reported"] for k in KINDS)
    args_fixed = args_before - args_after
    print(f"{'argument problems before':<44}{args_before:>6}")
    print(f"{'argument problems fixed':<44}{args_fixed:>6}  ({100 * args_fixed / max(args_before, 1):.1f}%)")
    print(f"{'argument problems left':<44}{args_after:>6}")
    print(f"{'argument problems left and reported':<44}{args_reported:>6}")
    print(f"{'argument problems uncovered by import fixes':<44}{sum(kind_counts[k]['uncovered'] for k in KINDS):>6}")
    print(f"{'regressions':<44}{len(regressions):>6}")
    print()
    print(f"{'argument problems by kind':<44}{'before':>8}{'(uncovered)':>12}{'after':>8}{'fixed':>9}{'left, reported':>16}")
    for kind in KINDS + ("total",):
        counts_of = kind_counts[kind] if kind != "total" else sum((kind_counts[k] for k in KINDS), Counter())
        b, u, a, r = (counts_of[key] for key in ("before", "uncovered", "after", "reported"))
        fixed_pct = f"{100 * (b - a) / b:.1f}%" if b else "-"
        print(f"{'  ' + kind:<44}{b:>8}{u:>12}{a:>8}{fixed_pct:>9}{r:>16}")
    print()
    print("fixes applied by codemod: " + ", ".join(f"{k} {v}" for k, v in sorted(fixes_by_codemod.items())))
    print("findings by codemod:      " + ", ".join(f"{k} {v}" for k, v in sorted(findings_by_codemod.items())))
    print(f"repair time: {repair_time:.2f} s for {counts['lines']} lines ({counts['lines'] / max(repair_time, 1e-9):.0f} lines/s)")
    if args.show_left and left:
        print("\nleft:")
        print("\n".join(f"  {item}" for item in left))
    if args.show_left and args_left:
        print("\nargument problems left:")
        print("\n".join(f"  {item}" for item in args_left))
    if regressions:
        print("\nregressions:")
        print("\n".join(f"  {item}" for item in regressions))
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
