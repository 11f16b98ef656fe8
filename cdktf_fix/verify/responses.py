"""A markdown response as files: its Python blocks, named and placed where the code imports them.

- A block is named by the nearest heading, bold or standalone line naming a ``.py`` file in the
  prose since the previous block, else by a first-line comment naming one (``# lib/stack.py``);
  ``**init**.py`` is read as ``__init__.py`` (markdown ate the underscores).  Unnamed blocks are
  ``block_<n>.py``; the only unnamed one is ``main.py`` when it builds an ``App(`` and no block
  is named so.  A later block of the same name wins.
- Names are never trusted as paths: ``safe_relative_name`` keeps only relative POSIX names of
  plain characters that stay inside the folder, and ``write_files`` refuses to write anywhere
  else all the same.
- A list-indented block loses its fence's indentation, as markdown reads it; line endings
  (``\\n``, ``\\r\\n``, a lone ``\\r``) are kept.
- Every search is linear in the response: each looks at one line or at the prose since the
  previous block, and no pattern backtracks over a line from each of its positions.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

from cdktf_fix.io.markdown import python_blocks


# Every pattern here runs on lines of untrusted length, so none may backtrack over a line from
# each of its positions: a name token starts only where a run of name characters starts (the
# lookbehind), and the non-word prefix of a standalone line is possessive (never given back:
# what it gives back could only start a name that already failed).  Each line costs O(length).
_NAME_TOKEN = re.compile(r"(?<![\w./\\:~-])[\w./\\:~-]*\w\.py\b")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_BOLD = re.compile(r"^\s*\*\*")
_STANDALONE = re.compile(r"^\W*+(?:(?:file|filename|path)\s*:\s*)?`?(?P<name>[\w./\\:~-]+\.py)`?\W*$", re.IGNORECASE)
_COMMENT_NAME = re.compile(r"^#\s*(?:(?:file|filename|path)\s*:\s*)?(?P<name>[\w./\\:~-]+\.py)\s*$", re.IGNORECASE)
_MARKDOWN_INIT = re.compile(r"\*\*(\w+)\*\*(?=\.py)")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.\-/]+$")


def safe_relative_name(raw: str) -> str | None:
    """``raw`` as a relative POSIX path that stays inside its folder, or None."""
    name = raw.strip().strip("`'\"").replace("\\", "/")
    if not name.endswith(".py") or name.startswith("/") or not _SAFE_NAME.match(name):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)


def _name_in_prose(prose: str) -> str | None:
    for line in reversed(prose.splitlines()):
        line = _MARKDOWN_INIT.sub(r"__\1__", line)  # '**init**.py': markdown ate the underscores
        if _HEADING.match(line) or _BOLD.match(line):
            token = _NAME_TOKEN.search(line)
            if token:
                return token.group()
        else:
            standalone = _STANDALONE.match(line.strip())
            if standalone:
                return standalone["name"]
    return None


def _name_in_first_line(code: str) -> str | None:
    start = 0
    while start < len(code):  # the first non-blank line, without splitting the whole block
        end = code.find("\n", start)
        line = code[start:] if end < 0 else code[start:end]
        if line.strip():
            match = _COMMENT_NAME.match(line.strip())
            return match["name"] if match else None
        if end < 0:
            break
        start = end + 1
    return None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def _dedent(code: str, indent: int) -> str:
    """A list-indented block's code: up to ``indent`` spaces (its fence's) off every line, as
    markdown reads it; line endings (``\\r\\n``, ``\\r``, ``\\n``: Python's) are kept."""
    if not indent:
        return code
    out = []
    for line in _LINE.findall(code):
        width = len(line) - len(line.lstrip(" "))
        out.append(line[min(width, indent):])
    return "".join(out)


_EOL = re.compile(r"\r\n|\r|\n")


def _named_blocks(text: str) -> list[tuple[str, str, int, bool]]:
    """``(name, code, line of its first code line in text, named by the text)`` per Python block.

    Lines end with ``\\n``, ``\\r\\n`` or a lone ``\\r``; every search is bounded by the
    previous block or by the line it looks at, so the whole walk is linear in ``text``.
    """
    named = []
    prose_start = 0
    counted, line = 0, 1  # line endings counted up to ``counted``
    for number, block in enumerate(python_blocks(text), 1):
        fence_end = block.start - (2 if block.start >= 2 and text.startswith("\r\n", block.start - 2) else 1)  # where the fence line's ending starts
        fence_line = max(text.rfind("\n", prose_start, fence_end), text.rfind("\r", prose_start, fence_end)) + 1
        raw = _name_in_prose(text[prose_start:max(fence_line, prose_start)]) or _name_in_first_line(block.code)
        name = safe_relative_name(raw) if raw else None
        line += text.count("\n", counted, block.start) + text.count("\r", counted, block.start) - text.count("\r\n", counted, block.start)
        counted = block.start
        named.append((name or f"block_{number}.py", _dedent(block.code, block.indent), line, name is not None))
        closing = _EOL.search(text, block.end)
        prose_start = len(text) if closing is None else closing.end()
    return named


def markdown_files(text: str) -> dict[str, str]:
    """The Python blocks of a markdown response as files: relative path -> code.

    A block is named by the nearest heading, bold or standalone line naming a ``.py`` file in
    the prose since the previous block, else by a first-line comment naming one; names that
    would leave the folder are refused.  Unnamed blocks are ``block_<n>.py`` (``main.py``
    for the only one, when it builds an ``App(``).  A later block of the same name wins.
    """
    return markdown_files_and_lines(text)[0]


def markdown_files_and_lines(text: str) -> tuple[dict[str, str], dict[str, int]]:
    """``markdown_files``, and the markdown line each file's code starts at."""
    files: dict[str, str] = {}
    lines: dict[str, int] = {}
    unnamed: list[tuple[str, str]] = []
    for name, code, line, was_named in _named_blocks(text):
        if not was_named:
            unnamed.append((name, code))
        files.pop(name, None)
        files[name] = code
        lines[name] = line
    if len(unnamed) == 1 and "App(" in unnamed[0][1] and "main.py" not in files:
        lines["main.py"] = lines.pop(unnamed[0][0])
        files = {("main.py" if k == unnamed[0][0] else k): v for k, v in files.items()}
    return files, lines


def place_imported_modules(files: dict[str, str]) -> dict[str, str]:
    """Also write a file where the code imports it from: responses show ``tap_stack.py`` while
    ``tap.py`` imports ``lib.tap_stack`` (the markdown sat in ``lib/``)."""
    placed = dict(files)
    by_base: dict[str, list[str]] = {}
    for name in files:
        by_base.setdefault(name.rsplit("/", 1)[-1], []).append(name)
    installed: dict[str, bool] = {}
    for code in files.values():
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                path = module.replace(".", "/")
                if "." not in module or f"{path}.py" in placed or f"{path}/__init__.py" in placed:
                    continue
                top = module.split(".")[0]
                if top not in installed:
                    installed[top] = _installed(top)
                if installed[top]:
                    continue
                same = by_base.get(path.rsplit("/", 1)[1] + ".py", [])
                if len(same) == 1:
                    placed[f"{path}.py"] = files[same[0]]
    return placed


def _installed(top: str) -> bool:
    if top in sys.stdlib_module_names:
        return True
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


def write_files(folder: Path, files: dict[str, str]) -> None:
    """Write ``files`` under ``folder``, refusing any path that would land outside it."""
    root = folder.resolve()
    for name, code in files.items():
        target = (root / name).resolve()
        if not target.is_relative_to(root) or target == root:
            raise ValueError(f"refused to write {name!r} outside {root}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code, encoding="utf-8")

