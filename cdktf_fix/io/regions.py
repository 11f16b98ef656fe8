"""Where a fix's edit is in the source: the exact span of its ``old`` text, when that is sure.

A fix carries ``old`` and ``new`` as text, but not always the text it replaced: many are
summaries (``{...}``, a qualified class name, an import that was added).  A span is given only
when ``old`` is found in the source as written (whole identifiers, at or after the fix's line)
and, for an applied fix, replacing it by ``new`` gives lines the repaired source has where the
repair changed it; for a fix not applied, when that occurrence is the only one.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import asdict, dataclass
from itertools import accumulate

_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")  # the line breaks Python counts


def split_lines(text: str) -> list[str]:
    """``text`` as lines with their endings (``\\n``, ``\\r\\n`` or ``\\r``; no other breaks)."""
    return _LINE.findall(text)


@dataclass(frozen=True)
class Span:
    """1-based; columns count characters; the end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def to_dict(self) -> dict:
        return asdict(self)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


class EditLocator:
    """Spans of fixes in ``source`` (the text as read), checked against ``new_source``."""

    def __init__(self, source: str, new_source: str) -> None:
        self.source = source
        self.new_source = new_source
        self.lines = split_lines(source)
        self.starts = list(accumulate((len(line) for line in self.lines), initial=0))

    def spans(self, fixes) -> list[Span | None]:
        """The span of each fix's ``old`` text, or None where it is not sure."""
        hits, taken = [], set()
        for fix in fixes:
            hit = self._hit(fix, taken)
            hits.append(hit)
            if hit is not None:
                taken.add(hit[0])
        sure = {i for i, (fix, hit) in enumerate(zip(fixes, hits)) if hit and not fix.applied}
        checked = any(hit and fix.applied for fix, hit in zip(fixes, hits))
        for lo, hi, new_text in self._changed_ranges() if checked else []:
            inside = [i for i, (fix, hit) in enumerate(zip(fixes, hits)) if hit and fix.applied and lo <= hit[0] and hit[1] <= hi]
            if inside and self._edit(lo, hi, [(hits[i], fixes[i].new) for i in inside]) == new_text:
                sure.update(inside)  # together, they are the whole change of these lines
                continue
            for i in inside:  # else each alone must give lines the repair wrote
                first, last = self._line_of(hits[i][0]), self._line_of(hits[i][1] - 1) + 1
                edited = self._edit(self.starts[first], self.starts[last], [(hits[i], fixes[i].new)])
                if edited is not None and edited in new_text:
                    sure.add(i)
        return [self._span(*hit) if i in sure else None for i, hit in enumerate(hits)]

    def _hit(self, fix, taken: set[int]) -> tuple[int, int] | None:
        old, new = fix.old, fix.new
        if not old or not new or old == new or "..." in old + new or not 1 <= fix.line <= len(self.lines):
            return None
        found = [i for i in self._occurrences(old) if i >= self.starts[fix.line - 1] and i not in taken]
        if not found or (not fix.applied and len(found) != 1):
            return None
        return found[0], found[0] + len(old)

    def _occurrences(self, old: str) -> list[int]:
        found, at = [], self.source.find(old)
        while at >= 0:
            before = self.source[at - 1] if at else ""
            after = self.source[at + len(old): at + len(old) + 1]
            if not (_is_word(old[0]) and before and _is_word(before)) and not (_is_word(old[-1]) and after and _is_word(after)):
                found.append(at)
            at = self.source.find(old, at + 1)
        return found

    def _changed_ranges(self) -> list[tuple[int, int, str]]:
        """(start, end) offsets of the source lines the repair replaced, and what replaced them."""
        new_lines = split_lines(self.new_source)
        matcher = difflib.SequenceMatcher(None, self.lines, new_lines, autojunk=False)
        return [
            (self.starts[i1], self.starts[i2], "".join(new_lines[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag == "replace"
        ]

    def _edit(self, lo: int, hi: int, edits: list[tuple[tuple[int, int], str]]) -> str | None:
        """``source[lo:hi]`` with the edits made; None when they overlap."""
        out, at = [], lo
        for (start, end), new in sorted(edits):
            if start < at:
                return None
            out += [self.source[at:start], new]
            at = end
        return "".join(out) + self.source[at:hi]

    def _line_of(self, offset: int) -> int:
        """The 0-based line that holds ``offset``."""
        return bisect_right(self.starts, offset) - 1

    def _span(self, start: int, end: int) -> Span:
        line, end_line = self._line_of(start), self._line_of(end - 1)
        return Span(line + 1, start - self.starts[line] + 1, end_line + 1, end - self.starts[end_line] + 1)
