"""Fenced Python code blocks in markdown: where they are, so that they can be repaired in place."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
_PYTHON = {"python", "py", "python3", "py3"}


@dataclass(frozen=True)
class CodeBlock:
    start: int  # offset of the first character of the code
    end: int  # offset just past the code (the closing fence line starts here)
    code: str
    info: str


def python_blocks(text: str) -> list[CodeBlock]:
    """Every fenced code block whose info string says Python, with offsets into ``text``."""
    blocks: list[CodeBlock] = []
    lines = text.splitlines(keepends=True)
    offset = 0
    open_fence: tuple[str, str, int] | None = None
    for line in lines:
        stripped = line.rstrip("\r\n")
        match = _FENCE.match(stripped)
        if open_fence is None:
            if match:
                open_fence = (match["fence"], match["info"].strip(), offset + len(line))
        elif match and match["fence"][0] == open_fence[0][0] and len(match["fence"]) >= len(open_fence[0]) and not match["info"].strip():
            fence, info, start = open_fence
            if info.split()[:1] and info.split()[0].lower() in _PYTHON:
                blocks.append(CodeBlock(start, offset, text[start:offset], info))
            open_fence = None
        offset += len(line)
    return blocks
