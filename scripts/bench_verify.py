"""Benchmark `cdktf-fix verify`: one synth process per sample against one shared process.

    python scripts/bench_verify.py [--samples N] [--corpus DIR]

Builds N units (default 6) from the bundled ``examples/`` and, when the corpus is present,
its ``*/lib/IDEAL_RESPONSE.md`` files; runs them with ``samples_per_process=1`` and then all
in one process (jobs=1 both times), checks that both give the same statuses, and prints the
time of each mode and the per-sample times of the shared run.  Exit 1 if the statuses differ.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cdktf_fix.verify import Unit, verify_units  # noqa: E402


def build_units(count: int, corpus: Path) -> list[Unit]:
    sources = [Unit(p.name, p, "file") for p in sorted((ROOT / "examples").glob("*.py"))]
    if corpus.is_dir():
        sources += [Unit(p.parent.parent.name, p, "markdown") for p in sorted(corpus.glob("*/lib/IDEAL_RESPONSE.md"))]
    else:
        print(f"no corpus at {corpus}: using the bundled examples only", file=sys.stderr)
    units = []
    for index in range(count):
        unit = sources[index % len(sources)]
        round_ = index // len(sources)
        units.append(Unit(f"{unit.name}#{round_ + 1}" if round_ else unit.name, unit.path, unit.kind))
    return units


def timed(units: list[Unit], samples_per_process: int):
    start = time.perf_counter()
    results = verify_units(units, jobs=1, samples_per_process=samples_per_process)
    return results, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=6, help="how many samples (default 6)")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    args = parser.parse_args()
    units = build_units(max(1, args.samples), args.corpus)
    print(f"{len(units)} samples: {', '.join(u.name for u in units)}", flush=True)

    separate, separate_seconds = timed(units, samples_per_process=1)
    shared, shared_seconds = timed(units, samples_per_process=len(units))

    print(f"\n{'sample':<28} {'status':<9} {'failure class':<20} {'warm seconds':>12}")
    for result in shared:
        print(f"{result.name:<28} {result.status:<9} {result.failure_class or '':<20} {result.seconds:>12.2f}")
    print(f"\n{'mode':<26} {'seconds':>9} {'per sample':>11} {'speed-up':>9}")
    for mode, seconds in (("one process per sample", separate_seconds), ("one shared process", shared_seconds)):
        print(f"{mode:<26} {seconds:>9.1f} {seconds / len(units):>11.2f} {separate_seconds / seconds:>8.1f}x")
    differ = [(a.name, a.status, b.status) for a, b in zip(separate, shared) if a.status != b.status]
    if differ:
        print(f"\nstatuses differ between the modes: {differ}")
        return 1
    print("\nsame statuses in both modes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
