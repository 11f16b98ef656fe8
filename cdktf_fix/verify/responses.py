"""A markdown response as files: its Python blocks, named and placed where the code imports them,
and the other files it names (assets the stack reads at synth time: a Lambda's ``index.js``).

- A block is named by the nearest heading, bold or standalone line naming a ``.py`` file in the
  prose since the previous block, else by a first-line comment naming one (``# lib/stack.py``);
  ``**init**.py`` is read as ``__init__.py`` (markdown ate the underscores).  Unnamed blocks are
  ``block_<n>.py``; the only unnamed one is ``main.py`` when it builds an ``App(`` and no block
  is named so.  A later block of the same name wins.
- A block of another language, or of none, is written only when it is named the same way (by
  ``markdown_assets``): the nearest heading, bold or standalone line naming a file with an
  extension (``## File: lib/lambda/index.js``, ```` `lib/lambda/package.json` ````) in the prose
  since the previous block of any language (a heading that names no file ends the search),
  else a first-line comment in the syntax of its language (``// lib/x.js``, ``# x.sh``).
  Unnamed ones (examples, shell sessions, tree listings) are not written, nor are ``.py``
  names (Python files come from Python blocks only), names under a folder a project copy
  leaves out (``cdktf.out``, ``node_modules``, a hidden one), or a file that would clash with a
  Python file (its folder, or a file where one of its folders is); a later block of the same
  name wins.  These files have no markdown lines: errors are reported at lines of Python
  files only.  Repair (``cdktf_fix.io.markdown``) never sees them.
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
from collections.abc import Iterable
from pathlib import Path

from cdktf_fix.io.markdown import fenced_blocks, is_python_info, python_blocks
from cdktf_fix.io.sources import SKIP_DIRS


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
# The same shapes for the files of other blocks: a name whose extension starts with a letter
# (``index.js``, ``package.json``; not ``1.2``).  ``\w*`` ends where a word ends, so a name
# token never backtracks past its extension.
_FILE_TOKEN = re.compile(r"(?<![\w./\\:~-])[\w./\\:~-]*\w\.[A-Za-z]\w*")
_FILE_STANDALONE = re.compile(r"^\W*+(?:(?:file|filename|path)\s*:\s*)?`?(?P<name>[\w./\\:~-]+\.[A-Za-z]\w*)`?\W*$", re.IGNORECASE)
# matched from just after the comment marker (``pattern.match(line, pos)``: no ``^`` there)
_FILE_COMMENT_NAME = re.compile(r"\s*(?:(?:file|filename|path)\s*:\s*)?(?P<name>[\w./\\:~-]+\.[A-Za-z]\w*)\s*$", re.IGNORECASE)
_EXTENSION = re.compile(r"^.*[^./]\.[A-Za-z]\w*$")  # a file name (the last part): a stem, then an extension
# The line comments a first line may name its block's file in, by the fence's language.
_LINE_COMMENTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys((
        "javascript", "js", "jsx", "mjs", "cjs", "typescript", "ts", "tsx", "json", "jsonc", "json5",
        "java", "go", "c", "cpp", "csharp", "cs", "rust", "kotlin", "swift", "scala", "php", "groovy",
    ), ("//",)),
    **dict.fromkeys((
        "bash", "sh", "shell", "zsh", "yaml", "yml", "toml", "dockerfile", "ruby", "rb", "perl",
        "ini", "conf", "properties", "make", "makefile", "env", "dotenv", "powershell", "ps1",
    ), ("#",)),
    **dict.fromkeys(("hcl", "terraform", "tf"), ("#", "//")),
    **dict.fromkeys(("sql", "lua"), ("--",)),
}
MAX_ASSET_NAME = 1024  # characters; a part longer than 255 is no file name on any common system


def safe_relative_name(raw: str, *, python: bool = True) -> str | None:
    """``raw`` as a relative POSIX path that stays inside its folder, or None.

    It must name a ``.py`` file; with ``python=False``, any file whose name has an extension.
    """
    name = raw.strip().strip("`'\"").replace("\\", "/")
    if (not name.endswith(".py") if python else not _EXTENSION.match(name.rsplit("/", 1)[-1])) or name.startswith("/") or not _SAFE_NAME.match(name):
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


def _first_line(code: str) -> str | None:
    """The first non-blank line, stripped, without splitting the whole block."""
    start = 0
    while start < len(code):
        end = code.find("\n", start)
        line = code[start:] if end < 0 else code[start:end]
        if line.strip():
            return line.strip()
        if end < 0:
            break
        start = end + 1
    return None


def _name_in_first_line(code: str) -> str | None:
    line = _first_line(code)
    match = _COMMENT_NAME.match(line) if line else None
    return match["name"] if match else None


def _file_name_in_prose(prose: str) -> str | None:
    """``_name_in_prose`` for a block of another language: a name with any extension.  A heading
    that names no file ends the search: it starts the section the block is in (``### File
    structure`` over a tree listing), which a name above it does not describe."""
    for line in reversed(prose.splitlines()):
        if _HEADING.match(line) or _BOLD.match(line):
            token = _FILE_TOKEN.search(line)
            if token:
                return token.group()
            if _HEADING.match(line):
                return None
        else:
            standalone = _FILE_STANDALONE.match(line.strip())
            if standalone:
                return standalone["name"]
    return None


def _file_name_in_first_line(code: str, info: str) -> str | None:
    """A first line that is only a comment naming a file, in a line comment of the block's language."""
    language = info.split()[0].lower() if info.split() else ""
    line = _first_line(code) if language in _LINE_COMMENTS else None
    for marker in _LINE_COMMENTS.get(language, ()):
        if line and line.startswith(marker):
            match = _FILE_COMMENT_NAME.match(line, len(marker))
            return match["name"] if match else None
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


def _fence_line(text: str, block, prose_start: int) -> int:
    """Where the block's opening fence line starts (not before ``prose_start``)."""
    fence_end = block.start - (2 if block.start >= 2 and text.startswith("\r\n", block.start - 2) else 1)  # where the fence line's ending starts
    return max(text.rfind("\n", prose_start, fence_end), text.rfind("\r", prose_start, fence_end)) + 1


def _named_blocks(text: str) -> list[tuple[str, str, int, bool]]:
    """``(name, code, line of its first code line in text, named by the text)`` per Python block.

    Lines end with ``\\n``, ``\\r\\n`` or a lone ``\\r``; every search is bounded by the
    previous block or by the line it looks at, so the whole walk is linear in ``text``.
    """
    named = []
    prose_start = 0
    counted, line = 0, 1  # line endings counted up to ``counted``
    for number, block in enumerate(python_blocks(text), 1):
        fence_line = _fence_line(text, block, prose_start)
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


def _named_other_blocks(text: str) -> list[tuple[str, str]]:
    """``(name, code)`` per block of another language (or none) that the text names, in order.

    The prose of a block runs from the previous block of any language, so a heading names only
    the block right after it; every search is bounded by it or by the line it looks at.
    """
    named = []
    prose_start = 0
    for block in fenced_blocks(text):
        if not is_python_info(block.info):
            fence_line = _fence_line(text, block, prose_start)
            raw = _file_name_in_prose(text[prose_start:max(fence_line, prose_start)]) or _file_name_in_first_line(block.code, block.info)
            name = safe_relative_name(raw, python=False) if raw else None
            if name and not name.endswith(".py"):
                named.append((name, _dedent(block.code, block.indent)))
        closing = _EOL.search(text, block.end)
        prose_start = len(text) if closing is None else closing.end()
    return named


def markdown_assets(text: str, python_files: Iterable[str] = ()) -> dict[str, str]:
    """The other files a markdown response ships, named in its text: relative path -> content.

    Blocks of any language but Python (or of none) that the prose names with a file that has an
    extension (``## File: lib/lambda/index.js``), else a first-line comment in their language
    (``// lib/lambda/index.js``); a later block of the same name wins.  Unnamed blocks, ``.py``
    names, names under a folder a project copy leaves out and names that clash with
    ``python_files`` (the files written beside them: their folders, or a file where one of their
    folders is) are left out.  Repair never sees these: it edits Python blocks only.
    """
    files: dict[str, str] = {}
    for name, code in _named_other_blocks(text):
        files.pop(name, None)
        files[name] = code
    tree: dict = {}  # folders are dicts, files None
    for name in python_files:
        node: dict | None = tree
        *folders, last = name.split("/")
        for part in folders:
            node = node.setdefault(part, {})
            if node is None:
                break
        else:
            node.setdefault(last, None)
    assets: dict[str, str] = {}
    for name, code in files.items():
        *folders, last = parts = name.split("/")
        if len(name) > MAX_ASSET_NAME or any(len(p) > 255 for p in parts) or any(p.startswith(".") or p in SKIP_DIRS for p in folders):
            continue
        node = tree
        for part in folders:
            node = node.get(part, {})
            if node is None:  # a file where this folder would be
                break
        if node is None or last in node:  # ... or this file's name taken (by a folder or a file)
            continue
        node = tree
        for part in folders:
            node = node.setdefault(part, {})
        node[last] = None
        assets[name] = code
    return assets


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

