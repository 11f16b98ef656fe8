"""The whole pipeline over the dev corpus: markdown in, repaired markdown out, real synth before and after.

    python scripts/corpus_pipeline.py [--corpus DIR] [--jobs N] [--limit N] [--keep DIR] [--json FILE]

1. every ``lib/MODEL_RESPONSE*.md`` is copied to ``before/`` (one sample per response);
2. ``cdktf-fix batch`` repairs ``before/`` into ``after/`` (the same code path as the command);
3. every problem is counted by class on both sides (fixes still available + findings);
4. ``verify`` synthesizes both sides for real (many samples per jsii process);
5. prints problems before/after by class, the synth outcome before -> after, and time per sample.

It runs the corpus's code (that is what ``verify`` does). Exits 1 when a response that
synthesized before fails after the repair.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cdktf_fix.io.batch import batch_folder  # noqa: E402
from cdktf_fix.engine.options import Options  # noqa: E402
from cdktf_fix.engine import Engine  # noqa: E402
from cdktf_fix.io.markdown import repair_markdown  # noqa: E402
from cdktf_fix.schema import load_index  # noqa: E402
from cdktf_fix.verify import compare, discover_units, verify_units  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def problems(engine: Engine, text: str) -> Counter:
    """Every problem cdktf-fix sees in a response: fixes it would apply, unsafe fixes, findings."""
    result = repair_markdown(engine, text)
    counts = Counter(f.codemod for f in result.fixes)
    counts.update(f.codemod for f in result.findings)
    if result.skipped:
        counts["(block does not parse)"] += len(result.skipped)
    return counts


def table(title: str, header: list[str], rows: list[list]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([f"\n{title}", line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def outcome(result) -> str:
    if result is None:
        return "missing"
    return "ok" if result.ok else f"{result.status}" + (f" ({result.failure_class})" if result.failure_class else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="only the first N responses")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per synth")
    parser.add_argument("--keep", type=Path, help="keep before/ and after/ here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="write every sample's outcome here")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}; nothing to measure")
        return 0

    responses = sorted(args.corpus.glob("*/lib/MODEL_RESPONSE*.md"))
    if args.limit:
        responses = responses[: args.limit]
    work = args.keep or Path(tempfile.mkdtemp(prefix="cdktf-fix-pipeline-"))
    before, after = work / "before", work / "after"
    shutil.rmtree(before, ignore_errors=True)
    shutil.rmtree(after, ignore_errors=True)
    before.mkdir(parents=True)
    for response in responses:
        shutil.copyfile(response, before / f"{response.parent.parent.name}-{response.name}")
    print(f"{len(responses)} responses from {args.corpus} -> {work}", flush=True)

    start = time.perf_counter()
    repair = batch_folder(before, after, Options(), jobs=args.jobs)
    repair_seconds = time.perf_counter() - start
    print(f"repaired in {repair_seconds:.1f} s", flush=True)

    engine = Engine(load_index())
    problems_before, problems_after = Counter(), Counter()
    for path in sorted(before.iterdir()):
        problems_before += problems(engine, path.read_text(encoding="utf-8"))
        problems_after += problems(engine, (after / path.name).read_text(encoding="utf-8"))

    timings = {}
    results = {}
    for side, folder in (("before", before), ("after", after)):
        start = time.perf_counter()
        done = 0

        def progress(result, side=side):
            nonlocal done
            done += 1
            if sys.stdout.isatty():
                print(f"\r  verify {side}: {done}/{len(responses)}", end="", flush=True)

        results[side] = verify_units(discover_units(folder), jobs=args.jobs, timeout=args.timeout, on_result=progress)
        timings[side] = time.perf_counter() - start
        print(f"\r  verify {side}: {len(responses)} responses in {timings[side]:.0f} s", flush=True)

    pairs = compare(results["before"], results["after"])
    fixed = [p for p in pairs if p.fixed]
    broken = [p for p in pairs if p.broken]
    still = [p for p in pairs if p.before and p.after and not p.before.ok and not p.after.ok]
    stayed_ok = [p for p in pairs if p.before and p.after and p.before.ok and p.after.ok]

    classes = sorted(set(problems_before) | set(problems_after), key=lambda c: (-problems_before[c], c))
    rows = [[c, problems_before[c], problems_after[c]] for c in classes]
    rows.append(["**total**", sum(problems_before.values()), sum(problems_after.values())])
    print(table("Problems by class (fixes available + findings), all responses", ["class", "before", "after"], rows))

    print(table("Real synth, before -> after", ["outcome", "responses"], [
        ["ok -> ok", len(stayed_ok)],
        ["failing -> ok (repaired)", len(fixed)],
        ["failing -> failing", len(still)],
        ["ok -> failing (regression)", len(broken)],
        ["ok before", sum(r.ok for r in results["before"])],
        ["ok after", sum(r.ok for r in results["after"])],
    ]))

    failure_rows = []
    reasons_before = Counter(outcome(r) for r in results["before"] if not r.ok)
    reasons_after = Counter(outcome(r) for r in results["after"] if not r.ok)
    for reason in sorted(set(reasons_before) | set(reasons_after), key=lambda r: (-reasons_before[r], r)):
        failure_rows.append([reason, reasons_before[reason], reasons_after[reason]])
    print(table("Synth failures by status (failure class)", ["failure", "before", "after"], failure_rows))

    repair_times = [s.seconds for s in repair.samples]
    verify_times = {side: [r.seconds for r in results[side]] for side in results}
    n = max(len(responses), 1)
    print(table("Time per response", ["step", "mean s", "median s", "max s", "wall s (jobs=%d)" % args.jobs], [
        ["repair", f"{statistics.mean(repair_times):.3f}", f"{statistics.median(repair_times):.3f}", f"{max(repair_times):.2f}", f"{repair_seconds:.1f}"],
        *[[f"synth {side}", f"{statistics.mean(t):.2f}", f"{statistics.median(t):.2f}", f"{max(t):.1f}", f"{timings[side]:.0f}"] for side, t in verify_times.items()],
        ["whole pipeline", f"{(repair_seconds + sum(timings.values())) / n:.2f}", "", "", f"{repair_seconds + sum(timings.values()):.0f}"],
    ]))

    if fixed:
        print("\nfailing -> ok: " + ", ".join(p.name for p in fixed))
    for pair in still:
        print(f"still failing: {pair.name}: {outcome(pair.after)}: {pair.after.error}")
    for pair in broken:
        print(f"REGRESSION: {pair.name}: {outcome(pair.after)}: {pair.after.error}")
    if args.json:
        args.json.write_text(json.dumps({
            "problems_before": problems_before, "problems_after": problems_after,
            "repair": repair.to_dict(), "synth": [p.to_dict() for p in pairs],
            "seconds": {"repair": repair_seconds, **timings},
        }, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
