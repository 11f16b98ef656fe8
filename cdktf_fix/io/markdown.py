"""Fenced Python code blocks in markdown, repaired in place.

Every byte outside the edited blocks stays as it was: prose, other languages, fences, line
endings.  A block that does not parse is reported and left alone; a block holding the comment
``# cdktf-fix: ignore-file`` is left alone silently (the engine's file-level opt-out).  Blocks indented under a list item have
their fence indentation removed for the repair and put back on the lines that changed.
``fenced_blocks`` finds the blocks of every language (verify also writes the named ones); only
the Python ones are ever edited.  A response with no fence at all that is Python as it stands
(it imports cdktf and parses) is one Python block.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, replace

from cdktf_fix.engine.lines import split_lines
from cdktf_fix.engine.result import RepairResult, SkippedBlock, Status

_FENCE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
_SYNTAX_LINE = re.compile(r"(syntax error at line )(\d+)")
_COMMENT_START = re.compile(r"^[ ]{0,3}<!--")
_PYTHON = {"python", "py", "python3", "py3"}


@dataclass(frozen=True)
class CodeBlock:
    start: int  # offset of the first character of the code
    end: int  # offset just past the code (the closing fence line starts here)
    code: str
    info: str
    indent: int = 0  # spaces before the opening fence


def python_blocks(text: str) -> list[CodeBlock]:
    """Every fenced code block whose info string says Python, with offsets into ``text``.

    Lines end as CommonMark ends them (``\\n``, ``\\r\\n`` or a lone ``\\r``; a form feed or
    U+2028 is no line break), and a fence inside an HTML comment (``<!-- ... -->``) is no fence.
    """
    blocks = fenced_blocks(text)
    if not blocks and is_bare_python(text):
        return [CodeBlock(0, len(text), text, "")]
    return [block for block in blocks if is_python_info(block.info)]


_FRAMEWORK_IMPORT = re.compile(r"^(?:from|import)[ \t]+(?:cdktf|cdktn|constructs)\b", re.M)


def is_bare_python(text: str) -> bool:
    """A response with no fence that is a Python file as it stands (a model answered with the
    code alone): it imports the framework and parses.  It is one Python block, all of it."""
    if not _FRAMEWORK_IMPORT.search(text):
        return False
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def is_python_info(info: str) -> bool:
    """The info string (``python``, ``py3 title="x"``, ...) says Python."""
    return bool(info.split()[:1]) and info.split()[0].lower() in _PYTHON


def fenced_blocks(text: str) -> list[CodeBlock]:
    """Every closed fenced code block, of any language or none, found as ``python_blocks``
    finds them (its blocks are exactly those of these whose info string says Python)."""
    blocks: list[CodeBlock] = []
    offset = 0
    open_fence: tuple[str, str, int, int] | None = None
    in_comment = False
    for line in split_lines(text):
        body = line.rstrip("\r\n")
        if in_comment:
            in_comment = "-->" not in body
        elif open_fence is None:
            match = _FENCE.match(body)
            if match:
                open_fence = (match["fence"], match["info"].strip(), offset + len(line), len(match["indent"]))
            elif _COMMENT_START.match(body):
                in_comment = "-->" not in body[body.index("<!--") + 4:]
        else:
            match = _FENCE.match(body)
            if match and match["fence"][0] == open_fence[0][0] and len(match["fence"]) >= len(open_fence[0]) and not match["info"].strip():
                fence, info, start, indent = open_fence
                blocks.append(CodeBlock(start, offset, text[start:offset], info, indent))
                open_fence = None
        offset += len(line)
    return blocks


def text_outside_blocks(text: str) -> list[str]:
    """The pieces of ``text`` between its Python blocks (what a repair must leave as it is)."""
    pieces, last = [], 0
    for block in python_blocks(text):
        pieces.append(text[last:block.start])
        last = block.end
    return pieces + [text[last:]]


def _line_breaks(text: str, start: int, end: int) -> int:
    """How many line breaks (``\\n``, ``\\r\\n``, lone ``\\r``) ``text[start:end]`` holds."""
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)


def looks_like_markdown(text: str) -> bool:
    return "```" in text or "~~~" in text


def _dedent(code: str, indent: int) -> tuple[list[str], list[str]]:
    """The block's lines as written and with up to ``indent`` leading spaces removed."""
    lines = split_lines(code)
    stripped = []
    for line in lines:
        width = len(line) - len(line.lstrip(" "))
        stripped.append(line[min(width, indent):])
    return lines, stripped


def _reindent(original: list[str], stripped: list[str], new_code: str, indent: int) -> str:
    """Lines the repair kept come back as written; new lines get the fence indentation."""
    new_lines = split_lines(new_code)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=stripped, b=new_lines, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(original[a1:a2])
        else:
            out.extend(" " * indent + line if line.strip() else line for line in new_lines[b1:b2])
    return "".join(out)


def repair_markdown(engine, text: str) -> RepairResult:
    """Repair every fenced Python block of ``text`` with ``engine``; lines are the markdown's."""
    pieces: list[str] = []
    fixes, findings, skipped = [], [], []
    last = 0
    parsed = False
    counted, line = 0, 1  # line numbers counted once through the text, not from its start for every block
    for block in python_blocks(text):
        line += _line_breaks(text, counted, block.start)
        counted = block.start
        first_line = line
        original, stripped = _dedent(block.code, block.indent)
        result = engine.repair("".join(stripped))
        parsed = parsed or result.status is not Status.SKIPPED
        shift = first_line - 1
        fixes += [replace(f, line=f.line + shift, column=f.column + block.indent) for f in result.fixes]
        findings += [replace(f, line=f.line + shift, column=f.column + block.indent) for f in result.findings]
        if result.status is Status.ERROR:
            reason = _SYNTAX_LINE.sub(lambda m: f"{m[1]}{int(m[2]) + shift}", result.error or "")
            skipped.append(SkippedBlock(first_line, f"code block: {reason}"))
        if result.changed:
            new_code = result.new_source if not block.indent else _reindent(original, stripped, result.new_source, block.indent)
            pieces += [text[last:block.start], new_code]
            last = block.end
    new_text = "".join(pieces) + text[last:] if pieces else text
    status = Status.CHANGED if new_text != text else Status.UNCHANGED if parsed else Status.SKIPPED
    return RepairResult(text, new_text, fixes, findings, status, skipped=skipped)
