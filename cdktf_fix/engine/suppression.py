"""Suppression comments.

    S3BucketVersioning(self, "v", ...)  # cdktf-fix: ignore                  every codemod, this line
    rule=[{"days": 30}],                # cdktf-fix: ignore[nested-block-struct]
    # cdktf-fix: ignore-file                                                  the whole file
    # cdktf-fix: ignore-file[kwarg-name, literal-type]                        these codemods, whole file

A line comment covers the fixes and findings reported on its line (the line ``check`` shows).
Comments are found with ``tokenize``, so the text inside strings never counts.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(r"#\s*cdktf-fix:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<ids>[^\]]*)\])?")
MARKER = "cdktf-fix:"


@dataclass
class Suppressions:
    lines: dict[int, frozenset[str] | None] = field(default_factory=dict)  # None: every codemod
    whole_file: bool = False
    file_ids: frozenset[str] = frozenset()

    def covers(self, codemod: str, line: int) -> bool:
        if self.whole_file or codemod in self.file_ids:
            return True
        if line not in self.lines:
            return False
        ids = self.lines[line]
        return ids is None or codemod in ids

    def __bool__(self) -> bool:
        return bool(self.lines or self.whole_file or self.file_ids)


def _ids(text: str | None) -> frozenset[str] | None:
    if text is None:
        return None
    return frozenset(part.strip() for part in text.split(",") if part.strip())


def find_suppressions(source: str) -> Suppressions:
    """The suppression comments of ``source`` (empty when it has none, or does not tokenize)."""
    found = Suppressions()
    if MARKER not in source:
        return found
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return found
    file_ids: set[str] = set()
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = _DIRECTIVE.search(token.string)
        if match is None:
            continue
        ids = _ids(match["ids"])
        if match["kind"] == "ignore-file":
            if ids is None:
                found.whole_file = True
            else:
                file_ids |= ids
        else:
            line = token.start[0]
            old = found.lines.get(line, frozenset())
            found.lines[line] = None if ids is None or old is None else old | ids
    found.file_ids = frozenset(file_ids)
    return found


def unknown_ids(suppressions: Suppressions, known: set[str]) -> list[str]:
    ids = set(suppressions.file_ids)
    for line_ids in suppressions.lines.values():
        ids |= line_ids or set()
    return sorted(ids - known)
