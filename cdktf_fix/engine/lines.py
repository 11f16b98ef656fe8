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


def carry_over(original: str, base: str, new: str) -> str:
    """``new`` with every line the edits did not touch exactly as in ``original``.

    ``base`` is libcst's round trip of ``original`` and ``new`` its output after the edits.  The
    round trip is not always exact (a form feed at the start of a line, a lone CR or a BOM at
    the start or the end, blank lines at the end are lost): the changes from ``base`` to ``new``
    are applied to ``original`` instead, line by line, so what libcst loses never reaches the
    output.
    """
    if base == original:
        return new
    o, b, n = split_lines(original), split_lines(base), split_lines(new)
    # the line of ``original`` each line of ``base`` stands for
    where = [0] * len(b)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, o, b, autojunk=False).get_opcodes():
        for k in range(j2 - j1):
            where[j1 + k] = i1 + min(k, i2 - i1 - 1) if i2 > i1 else i1

    def before(i: int) -> int:  # where a line inserted before line ``i`` of ``base`` goes
        return where[i] if i < len(b) else (where[-1] + 1 if b else 0)

    out, last = [], 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, b, n, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start = before(i1)
        end = where[i2 - 1] + 1 if i2 > i1 else start
        lines = n[j1:j2]
        if i2 - i1 == j2 - j1 and end - start == i2 - i1:  # line for line: each keeps what libcst lost of it
            lines = [_patched(o[start + k], b[i1 + k], line) for k, line in enumerate(lines)]
        out += o[last:start] + lines
        last = max(last, end)
    return "".join(out + o[last:])


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def _patched(original: str, base: str, new: str) -> str:
    """``new`` (an edit of ``base``) with the leading characters and the line ending libcst lost
    of ``original`` (a form feed before the code, a lone CR at the end of the file)."""
    o_body, b_body, n_body = original[: len(original) - len(_ending(original))], base.rstrip("\r\n"), new.rstrip("\r\n")
    if o_body != b_body and o_body.endswith(b_body):
        n_body = o_body[: len(o_body) - len(b_body)] + n_body
    ending = _ending(new) or (_ending(original) if not _ending(base) else "")
    return n_body + ending
