"""Lines as Python counts them, and where a line of repaired code was in the code as read."""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right

_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")  # the line breaks Python counts


def split_lines(text: str) -> list[str]:
    """``text`` as lines with their endings (``\\n``, ``\\r\\n`` or ``\\r``; no other breaks:
    a form feed or U+2028 is not one, unlike ``str.splitlines``)."""
    return _LINE.findall(text)


class LineMap:
    """Maps line numbers of ``new`` (code a round of fixes wrote) to those of ``old`` (the code
    as read): an unchanged line to itself, a line inside a change to the first line of what it
    replaced."""

    def __init__(self, old: str, new: str) -> None:
        self._blocks: list[tuple[int, int, int, int]] = []  # (new start, new end, old start, equal)
        matcher = difflib.SequenceMatcher(None, split_lines(old), split_lines(new), autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            self._blocks.append((j1, j2, i1, tag == "equal"))
        self._starts = [b[0] for b in self._blocks]

    def old_line(self, line: int) -> int:
        if line <= 0 or not self._blocks:
            return line
        index = bisect_right(self._starts, line - 1) - 1
        if index < 0:
            return line
        new_start, new_end, old_start, equal = self._blocks[index]
        if equal:
            return old_start + (line - 1 - new_start) + 1
        return old_start + 1
