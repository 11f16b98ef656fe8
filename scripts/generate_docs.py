#!/usr/bin/env python3
"""Write docs/codemods.md from the codemods and their fixtures.

    python scripts/generate_docs.py           # (re)write the page
    python scripts/generate_docs.py --check   # exit 1 when the page is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cdktf_fix.docs import codemods_page  # noqa: E402

PAGE = ROOT / "docs" / "codemods.md"
STALE = "docs/codemods.md is stale: run python scripts/generate_docs.py"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/codemods.md is not what would be written")
    args = parser.parse_args(argv)
    page = codemods_page()
    current = PAGE.read_bytes().decode("utf-8") if PAGE.is_file() else None
    if args.check:
        if current != page:
            print(STALE, file=sys.stderr)
            return 1
        print("docs/codemods.md is up to date")
        return 0
    PAGE.parent.mkdir(exist_ok=True)
    PAGE.write_bytes(page.encode("utf-8"))
    print(f"wrote {PAGE} ({page.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
