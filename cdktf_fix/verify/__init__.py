"""Real synth of projects, files and markdown responses, many samples per jsii process.

Importing the AWS provider costs most of a synth (node loads a 36 MB bundle), so samples
run in long-lived workers (``python -m cdktf_fix.verify.synth_worker``), one at a time each, every
one in a fresh temporary folder.  A sample that fails, hangs or kills its worker is reported
as such and a new worker takes the rest.  This module and the worker are the only code in
cdktf-fix that runs the code it checks.

Nothing outlives a run: all it writes is in one folder, ``cdktf-fix-verify-<pid>-*`` in the
temporary folder, removed at its end, also after Ctrl-C, SIGTERM or SIGHUP (which kill the
workers and their node first); a worker whose parent is killed (SIGKILL) kills itself and its
node kernel, and the next run removes the folders of runs whose pid is gone.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import math
import os
import queue
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from cdktf_fix.io.markdown import python_blocks

STATUSES = ("ok", "error", "timeout", "crash", "no-entry")
SKIP_DIRS = frozenset({"cdktf.out", "node_modules", "__pycache__", "site-packages", "venv", "env", ".gen", "imports"})
ENTRY_NAMES = ("main.py", "tap.py", "app.py")
GENERATED_ENTRY = "_cdktf_fix_entry.py"
MAX_COPIED_FILE = 50 * 1024 * 1024
DETAIL_CHARS = 2000
ERROR_CHARS = 500
STARTUP_TIMEOUT = 600.0


@dataclass(frozen=True)
class Unit:
    """One thing to verify: a markdown response, a single ``.py`` file, or a project folder."""

    name: str
    path: Path
    kind: str  # "markdown", "file" or "project"


@dataclass
class VerifyResult:
    name: str
    status: str
    error: str | None = None
    failure_class: str | None = None
    detail: str = ""
    seconds: float = 0.0
    stacks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict:
        return asdict(self)


class NoEntry(Exception):
    """The unit has nothing that synthesizes and no stack that can be instantiated."""


class DoesNotParse(Exception):
    """No entry was found, and a file that could hold it (or a stack) does not parse: the
    message names the file and line (``syntax error in lib/tap_stack.py at line 12: ...``)."""

    def __init__(self, message: str, file: str, line: int | None, others: int = 0, where: str = ""):
        also = f" (and {others} more file{'s' * (others != 1)} that do not parse)" if others else ""
        super().__init__(f"{message}{where}{also}")
        self.message, self.file, self.line, self.others = message, file, line, others


# -- discovery ---------------------------------------------------------------------------


def _skipped_dir(path: Path) -> bool:
    return path.name.startswith(".") or path.name in SKIP_DIRS or (path / "pyvenv.cfg").is_file()


def _is_project(folder: Path) -> bool:
    return (folder / "cdktf.json").is_file() or any(p.is_file() for p in folder.glob("*.py"))


def discover_units(path: Path) -> list[Unit]:
    """What to verify under ``path``; raises FileNotFoundError or ValueError for a bad path."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or directory")
    if path.is_file():
        kinds = {".md": "markdown", ".py": "file"}
        if path.suffix not in kinds:
            raise ValueError(f"{path}: not a .py file, a .md file or a folder")
        return [Unit(path.name, path, kinds[path.suffix])]
    if _is_project(path):
        return [Unit(path.resolve().name, path, "project")]
    units: list[Unit] = []
    _walk(path, path, units)
    return units


def _walk(root: Path, folder: Path, units: list[Unit]) -> None:
    for child in sorted(folder.iterdir()):
        name = child.relative_to(root).as_posix()
        if child.is_dir() and not child.is_symlink():
            if _skipped_dir(child):
                continue
            if _is_project(child):
                units.append(Unit(name, child, "project"))
            else:
                _walk(root, child, units)
        elif child.is_file() and child.suffix == ".md" and not child.name.startswith("."):
            try:
                if python_blocks(child.read_text(encoding="utf-8", errors="replace")):
                    units.append(Unit(name, child, "markdown"))
            except OSError:
                continue


# -- markdown files ----------------------------------------------------------------------

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
    return _markdown_files(_named_blocks(text))[0]


def _markdown_files(named: list[tuple[str, str, int, bool]]) -> tuple[dict[str, str], dict[str, int]]:
    """The files, and the markdown line each one's code starts at."""
    files: dict[str, str] = {}
    lines: dict[str, int] = {}
    unnamed: list[tuple[str, str]] = []
    for name, code, line, was_named in named:
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


# -- materialization and entry -----------------------------------------------------------


def _copy_project(source: Path, folder: Path) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        base = Path(directory)
        return {
            n for n in names
            if (base / n).is_dir() and not (base / n).is_symlink() and _skipped_dir(base / n)
            or (base / n).is_file() and (base / n).stat().st_size > MAX_COPIED_FILE
        }

    shutil.copytree(source, folder, symlinks=True, ignore=ignore, dirs_exist_ok=True)


def materialize(unit: Unit, folder: Path) -> str:
    """Write the unit's files into ``folder`` (fresh, empty); return the entry's relative path.

    Raises NoEntry when nothing synthesizes and no stack can be instantiated.
    """
    if unit.kind == "project":
        _copy_project(unit.path, folder)
    elif unit.kind == "file":
        shutil.copyfile(unit.path, folder / unit.path.name)
    else:
        files, lines = _markdown_files(_named_blocks(unit.path.read_text(encoding="utf-8", errors="replace")))
        placed = place_imported_modules(files)
        write_files(folder, placed)
        try:
            return find_entry(folder)
        except DoesNotParse as error:
            origin = error.file if error.file in files else next((n for n in files if files[n] == placed.get(error.file)), None)
            if origin is None or error.line is None:
                raise
            where = f" (line {lines[origin] + error.line - 1} of {unit.path.name})"
            raise DoesNotParse(error.message, error.file, error.line, error.others, where) from None
    return find_entry(folder)


def _python_files(folder: Path, errors: dict[str, tuple[int | None, str]] | None = None) -> dict[str, ast.Module | None]:
    """Every ``.py`` file's tree (None when it does not parse, with why in ``errors``)."""
    trees: dict[str, ast.Module | None] = {}
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(folder)
        if any(_skipped_dir(folder.joinpath(*relative.parts[: i + 1])) for i in range(len(relative.parts) - 1)):
            continue
        name = relative.as_posix()
        trees[name] = None
        try:
            trees[name] = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        except SyntaxError as error:
            if errors is not None:
                where = f" at line {error.lineno}" if error.lineno else ""
                errors[name] = (error.lineno, f"syntax error in {name}{where}: {error.msg}")
        except (ValueError, MemoryError, RecursionError) as error:  # a NUL byte, nesting too deep
            if errors is not None:
                errors[name] = (None, f"{name} does not parse: {str(error) or type(error).__name__}")
        except OSError as error:
            if errors is not None:
                errors[name] = (None, f"cannot read {name}: {error.strerror or error}")
    return trees


def _could_hold_app_or_stack(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "App(" in text or "TerraformStack" in text


def _does_not_parse(errors: dict[str, tuple[int | None, str]], candidates: list[str]) -> DoesNotParse:
    name = sorted(candidates, key=_entry_rank)[0]
    line, message = errors[name]
    return DoesNotParse(message[:ERROR_CHARS], name, line, len(candidates) - 1)


def _called(node: ast.AST, name: str) -> bool:
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            if (isinstance(func, ast.Name) and func.id == name) or (isinstance(func, ast.Attribute) and func.attr == name):
                return True
    return False


def _is_main_guard(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) and "__name__" in ast.unparse(node.test)


def _module_level_code(tree: ast.Module) -> list[ast.AST]:
    """Statements that run at import or under the main guard, with the top-level functions they call."""
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    code: list[ast.AST] = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    seen: set[str] = set()
    index = 0
    while index < len(code):
        for call in ast.walk(code[index]):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in functions and call.func.id not in seen:
                seen.add(call.func.id)
                code.append(functions[call.func.id])
        index += 1
    return code


def is_entry(tree: ast.Module) -> bool:
    """Builds an ``App(`` and calls ``.synth()`` when run as a script."""
    code = _module_level_code(tree)
    return any(_called(n, "App") for n in code) and any(_called(n, "synth") for n in code)


def _entry_rank(name: str) -> tuple:
    base = name.rsplit("/", 1)[-1]
    return (ENTRY_NAMES.index(base) if base in ENTRY_NAMES else len(ENTRY_NAMES), name.count("/"), name)


def _stack_classes(trees: dict[str, ast.Module | None]) -> list[tuple[str, ast.ClassDef]]:
    """Top-level TerraformStack subclasses; a class written twice (a block placed where it is
    imported from, too) counts once."""
    found = []
    seen: set[tuple[str, str]] = set()
    for name, tree in trees.items():
        for node in tree.body if tree else []:
            if isinstance(node, ast.ClassDef) and any(
                (isinstance(b, ast.Name) and b.id == "TerraformStack") or (isinstance(b, ast.Attribute) and b.attr == "TerraformStack")
                for b in node.bases
            ) and (node.name, ast.dump(node)) not in seen:
                seen.add((node.name, ast.dump(node)))
                found.append((name, node))
    return found


def _required_parameters(cls: ast.ClassDef) -> list[str]:
    init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    if init is None:
        return []
    args = init.args
    positional = args.posonlyargs + args.args
    required = [a.arg for a in positional[3 : len(positional) - len(args.defaults)]]
    required += [a.arg for a, default in zip(args.kwonlyargs, args.kw_defaults) if default is None]
    return required


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _module_name(relative: str) -> str:
    parts = relative[: -len(".py")].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _configured_entry(folder: Path) -> str | None:
    """The ``.py`` file named by cdktf.json's ``app`` (``pipenv run python main.py``), if it exists."""
    try:
        command = json.loads((folder / "cdktf.json").read_text(encoding="utf-8")).get("app", "")
    except (OSError, ValueError, AttributeError):
        return None
    for token in str(command).split():
        name = safe_relative_name(token)
        if name and (folder / name).is_file():
            return name
    return None


def find_entry(folder: Path) -> str:
    """The file to run: cdktf.json's app, an existing entry, else a generated one that
    instantiates every stack."""
    configured = _configured_entry(folder)
    if configured:
        return configured
    errors: dict[str, tuple[int | None, str]] = {}
    trees = _python_files(folder, errors)
    entries = sorted((name for name, tree in trees.items() if tree and is_entry(tree)), key=_entry_rank)
    if entries:
        return entries[0]
    # No entry: a file that does not parse may be the entry or a stack cut off (a truncated
    # response).  Its syntax error is the answer when it mentions App( or TerraformStack, or
    # when no stack parsed at all; a broken file that can hold neither (a Lambda handler) does not
    # stop the generated entry.
    stacks = _stack_classes(trees)
    broken = [name for name in errors if _could_hold_app_or_stack(folder / name)] or ([] if stacks else list(errors))
    if broken:
        raise _does_not_parse(errors, broken)
    if not stacks:
        raise NoEntry("no entry (a file that builds App() and calls synth()) and no TerraformStack subclass")
    needy = [f"{cls.name} needs {', '.join(params)}" for _, cls in stacks if (params := _required_parameters(cls))]
    if needy:
        raise NoEntry(f"no entry, and the stacks need arguments beyond (scope, id): {'; '.join(needy)}")
    lines = [
        '"""Generated by cdktf-fix verify: the code has no entry that builds App() and calls synth()."""',
        "import importlib",
        "from cdktf import App",
        "",
        "app = App()",
    ]
    used: set[str] = set()
    for relative, cls in stacks:
        stack_id = _snake(cls.name)
        while stack_id in used:
            stack_id += "_"
        used.add(stack_id)
        lines.append(f"importlib.import_module({_module_name(relative)!r}).{cls.name}(app, {stack_id!r})")
    lines.append("app.synth()")
    (folder / GENERATED_ENTRY).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return GENERATED_ENTRY


# -- errors ------------------------------------------------------------------------------


def _load_patterns() -> list[tuple[re.Pattern, str]]:
    data = json.loads((Path(__file__).resolve().parents[1] / "data" / "synth_errors.json").read_text(encoding="utf-8"))
    return [(re.compile(pattern), codemod) for pattern, codemod in data["patterns"]]


SYNTH_ERRORS = _load_patterns()


def one_line_error(kind: str, message: str) -> str:
    """``Kind: message`` on one line; a jsii deserialization tree is condensed to where it
    failed (``key rule[0].expiration``), the deepest failing value and the telling reason."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    if "Unable to deserialize" in first:
        target = re.search(r"new (?:[@\w/-]+\.)*(\w+): Unable", first)
        where = ""
        for match in re.finditer(r"Key '(\w+)'|Index (\d+):", message):
            where += f"[{match[2]}]" if match[2] else (f".{match[1]}" if where else match[1])
        failing = re.findall(r"Failing value is (an? \w+)", message)
        reasons = re.findall(r"(Missing required properties for [^\n]+|Value is not [^\n]+|Value does not [^\n]+)", message)
        reason = next((r for r in reasons if "$jsii.byref" not in r), reasons[0] if reasons else "")
        parts = [f"Unable to deserialize {target[1] if target else 'value'}"]
        parts += [f"key {where}"] if where else []
        parts += [f"failing value is {failing[-1]}"] if failing else []
        parts += [re.sub(r"@[\w-]+/[\w-]+\.(?:\w+\.)*", "", reason)] if reason else []
        first = ": ".join(parts)
    elif first.endswith(":") and len(lines) > 1:
        first = f"{first} {lines[1]}"
    first = re.sub(r" \((?:/|[A-Za-z]:\\)[^()]*\.py\)$", "", first)  # ImportError's "(/path/to/__init__.py)"
    return f"{kind}: {first}" if kind else first


def failure_class(error: str | None) -> str | None:
    """The codemod whose failure class this one-line error belongs to, if any."""
    if not error:
        return None
    for pattern, codemod in SYNTH_ERRORS:
        if pattern.search(error):
            return codemod
    return None


# -- temporary folders -------------------------------------------------------------------

RUN_PREFIX = "cdktf-fix-verify-"
_RUN_NAME = re.compile(r"cdktf-fix-verify-(\d+)-[a-z0-9_]+")


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, ValueError, OSError):
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            info = handle.read()
        return info[info.rindex(b")") + 2 :][:1] != b"Z"
    except (OSError, ValueError):
        return True


def _remove_tree(path: str | os.PathLike) -> None:
    """Remove a folder, also when the code it ran left sub-folders without write permission."""
    shutil.rmtree(path, ignore_errors=True)
    if not os.path.lexists(path) or os.path.islink(path):
        return
    try:
        os.chmod(path, stat.S_IRWXU)
        for root, folders, _ in os.walk(path):
            for name in folders:
                if not os.path.islink(os.path.join(root, name)):
                    os.chmod(os.path.join(root, name), stat.S_IRWXU)
    except OSError:
        pass
    shutil.rmtree(path, ignore_errors=True)


def remove_stale_folders(temp: str | os.PathLike | None = None) -> list[Path]:
    """Remove what verify runs that were killed (SIGKILL, a lost machine) left behind.

    Every run keeps its files in one folder, ``cdktf-fix-verify-<pid>-<random>`` in the
    temporary folder (its workers' homes and jsii's unpacked runtime, and every sample's copy),
    and removes it when it ends, also on SIGTERM, SIGHUP and Ctrl-C.  Only SIGKILL leaves it:
    the next run removes every such folder of this user whose ``<pid>`` no longer runs.
    Returns the folders removed.
    """
    base = Path(temp) if temp is not None else Path(tempfile.gettempdir())
    uid = os.getuid() if hasattr(os, "getuid") else None
    removed: list[Path] = []
    try:
        entries = [entry for entry in os.scandir(base) if entry.name.startswith(RUN_PREFIX)]
    except OSError:
        return removed
    for entry in entries:
        match = _RUN_NAME.fullmatch(entry.name)
        if not match:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or (uid is not None and info.st_uid != uid) or _alive(int(match[1])):
            continue
        _remove_tree(entry.path)
        if not os.path.lexists(entry.path):
            removed.append(Path(entry.path))
    return removed


# -- workers -----------------------------------------------------------------------------


class WorkerFailed(Exception):
    """The worker could not start; ``output`` is the end of what it printed."""

    def __init__(self, message: str, output: str):
        super().__init__(message)
        self.output = output


class _Worker:
    """One ``synth_worker`` subprocess, driven from one thread.

    It runs in its own session (a kill of its process group also ends its node kernel) and
    watches the pipe it reads its samples from: when that pipe ends while it loads or runs a
    sample, this process is gone, and it kills its group (``synth_worker``).
    """

    def __init__(self, run_folder: Path):
        self.home = tempfile.mkdtemp(prefix="worker-", dir=run_folder)
        self.log = tempfile.TemporaryFile(dir=self.home)
        os.mkdir(os.path.join(self.home, "tmp"))  # jsii unpacks its runtime in TMPDIR: removed with home even after a kill
        env = {
            **os.environ,
            "TMPDIR": os.path.join(self.home, "tmp"),
            "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
        }
        project = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = project + os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else project
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cdktf_fix.verify.synth_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.log,
                cwd=self.home,
                env=env,
                text=True,
                encoding="utf-8",
                start_new_session=True,  # its own process group: a kill also ends its node kernel
            )
        except OSError as error:
            self.log.close()
            _remove_tree(self.home)
            raise WorkerFailed(f"the synth worker did not start ({error})", "") from None
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.samples = 0
        self.startup_seconds = 0.0

    def wait_ready(self, startup_timeout: float) -> None:
        """Wait for the worker's imports; raises WorkerFailed (and cleans up) if it fails."""
        message = self._receive(startup_timeout)
        if not isinstance(message, dict) or not message.get("ready"):
            if message == "timeout":
                reason = f"no ready signal after {startup_timeout:g} s"
            elif isinstance(message, dict):
                reason = str(message.get("fatal", "unexpected message")).strip().splitlines()[-1]
            else:
                reason = "it exited"
            output = self._log_since(0)[-DETAIL_CHARS:]
            self.close()
            raise WorkerFailed(f"the synth worker did not start ({reason})", output)
        self.startup_seconds = float(message.get("seconds", 0.0))

    def _read(self) -> None:
        try:
            for line in self.process.stdout:
                try:
                    self.messages.put(json.loads(line))
                except ValueError:
                    continue
        except (OSError, ValueError):  # the pipe closed under us (the run is being stopped)
            pass
        self.messages.put(None)

    def _receive(self, timeout: float):
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return "timeout"

    def _log_since(self, offset: int) -> str:
        try:
            size = os.fstat(self.log.fileno()).st_size
            return os.pread(self.log.fileno(), size - offset, offset).decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""

    def run(self, name: str, folder: Path, entry: str, timeout: float) -> tuple[VerifyResult, bool]:
        """Run one sample; returns its result and whether the worker is still usable."""
        try:
            offset = os.fstat(self.log.fileno()).st_size
        except (OSError, ValueError):
            offset = 0
        self.samples += 1
        started = time.perf_counter()
        try:
            self.process.stdin.write(json.dumps({"folder": str(folder), "entry": entry}) + "\n")
            self.process.stdin.flush()
            message = self._receive(timeout)
        except (OSError, ValueError):
            message = None
        seconds = time.perf_counter() - started
        if message == "timeout":
            self.kill()
            output = self._log_since(offset)[-DETAIL_CHARS:]
            return VerifyResult(name, "timeout", f"no result after {timeout:g} s", detail=output, seconds=seconds), False
        if message is None:
            code = self.kill()
            output = self._log_since(offset).strip()
            last = output.splitlines()[-1] if output else ""
            how = f"exit code {code}"
            if code is not None and code < 0:
                how = f"killed by {signal.Signals(-code).name}" if -code in signal.valid_signals() else f"killed by signal {-code}"
            error = f"the synth process died ({how})" + (f": {last}" if last else "")
            return VerifyResult(name, "crash", error[:ERROR_CHARS], detail=output[-DETAIL_CHARS:], seconds=seconds), False
        status = message.get("status", "error")
        error = one_line_error(message.get("type", ""), message.get("message", ""))[:ERROR_CHARS] if status != "ok" else None
        result = VerifyResult(
            name,
            status,
            error,
            failure_class(error),
            (message.get("traceback") or "")[-DETAIL_CHARS:],
            float(message.get("seconds", seconds)),
            list(message.get("stacks", [])),
        )
        return result, not message.get("exiting", False)

    def kill(self) -> int | None:
        """Kill the worker and its node kernel (one process group, which may outlive the worker
        itself); return the worker's exit code."""
        if self.process.returncode is None:  # not reaped yet: its pid, the group's id, is not reused
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                try:
                    self.process.kill()
                except OSError:
                    pass
        return self.process.wait()

    def close(self) -> None:
        """Let the worker end on its own (end of input), kill it if it does not, clean up."""
        try:
            self.process.stdin.close()
        except (OSError, ValueError):
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        self.discard()

    def discard(self) -> None:
        """Kill the worker and its node kernel now and remove its folder."""
        try:
            self.kill()
        except OSError:
            pass
        self.log.close()
        _remove_tree(self.home)


# -- signals -----------------------------------------------------------------------------


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived while verify_units ran; raised in the main thread."""


class _SignalGuard:
    """While verify_units runs in the main thread: SIGTERM and SIGHUP (left at their default,
    which ends the process on the spot) raise, as Ctrl-C does, so that the run stops its workers
    and removes its folders; then the signal is delivered again and ends the process as it
    would have.  A signal that arrives during that cleanup waits for its end."""

    def __init__(self):
        self.previous: dict[int, object] = {}
        self.received: int | None = None
        self.quiet = False

    def __enter__(self) -> "_SignalGuard":
        if threading.current_thread() is not threading.main_thread():
            return self
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is None:
                continue
            default = signal.default_int_handler if name == "SIGINT" else signal.SIG_DFL
            if signal.getsignal(number) is default:  # a handler of the caller's own stays
                self.previous[number] = signal.signal(number, self._handle)
        return self

    def _handle(self, number: int, frame) -> None:
        if self.received is not None:
            return
        self.received = number
        if not self.quiet:
            raise KeyboardInterrupt if number == signal.SIGINT else _Terminated(number)

    def __exit__(self, kind, error, traceback) -> bool:
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        if self.received is not None and self.received != signal.SIGINT:
            os.kill(os.getpid(), self.received)  # the default action: the process ends here
            raise SystemExit(128 + self.received)  # the signal is blocked in this thread
        if self.received == signal.SIGINT and kind is None:
            raise KeyboardInterrupt
        return False


# -- the run -----------------------------------------------------------------------------


def _seconds(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number of seconds above 0, not {value!r}")
    return float(value)


def _count(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
    return value


LOADING = "loading the AWS provider, ~20 s"


def verify_units(
    units: list[Unit],
    jobs: int = 1,
    timeout: float = 120.0,
    samples_per_process: int = 50,
    on_result: Callable[[VerifyResult], None] | None = None,
    startup_timeout: float = STARTUP_TIMEOUT,
    on_event: Callable[[str, str], None] | None = None,
) -> list[VerifyResult]:
    """Synthesize every unit; results in input order.  ``samples_per_process=1``: one process each.

    ``jobs`` threads each drive one worker; ``timeout`` counts from when a sample is sent (a
    finite number of seconds above 0, as ``startup_timeout``: anything else is a ValueError).
    ``on_result(result)`` is called as each unit ends; ``on_event(kind, message)`` when a worker
    starts loading jsii (``"worker-starting"``: that takes ~20 s), when it is ready
    (``"worker-ready"``) and when it could not start (``"worker-failed"``).  Messages are plain
    text, one line.  Both are called one at a time, and not once the run is being stopped.

    Everything the run writes is in one temporary folder, removed at the end, also when the
    run is interrupted (Ctrl-C, or SIGTERM/SIGHUP in the main thread, which then end the
    process as they would have); folders of killed runs are removed at the start
    (``remove_stale_folders``).  No worker or node process outlives the run.
    """
    timeout = _seconds("timeout", timeout)
    startup_timeout = _seconds("startup_timeout", startup_timeout)
    jobs = _count("jobs", jobs)
    samples_per_process = _count("samples_per_process", samples_per_process)
    results: list[VerifyResult | None] = [None] * len(units)
    if not units:
        return []
    remove_stale_folders()
    run_folder = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-"))
    pending = iter(range(len(units)))
    lock = threading.Lock()
    live: set[_Worker] = set()
    startup_failures: list[WorkerFailed] = []
    state = {"stopping": False, "started": 0}
    width = max(1, min(jobs, len(units)))

    def report(callback, *args) -> None:
        if callback is not None:
            with lock:
                if not state["stopping"]:
                    callback(*args)

    def start_worker(why: str | None) -> _Worker:
        with lock:
            if len(startup_failures) >= 2:  # it will not start: do not wait for it again
                raise startup_failures[-1]
            if state["stopping"]:
                raise WorkerFailed("the run was stopped", "")
            state["started"] += 1
            number = state["started"]
            try:
                worker = _Worker(run_folder)
            except WorkerFailed as error:
                startup_failures.append(error)
                raise
            live.add(worker)
        if why:
            message = f"starting a new synth worker ({why}; {LOADING})..."
        elif width > 1:
            message = f"starting synth worker {number} of {width} ({LOADING})..."
        else:
            message = f"starting the synth worker ({LOADING})..."
        report(on_event, "worker-starting", message)
        try:
            worker.wait_ready(startup_timeout)
        except WorkerFailed as error:
            with lock:
                live.discard(worker)
                startup_failures.append(error)
            report(on_event, "worker-failed", str(error))
            raise
        report(on_event, "worker-ready", f"synth worker ready (loaded in {worker.startup_seconds:.1f} s)")
        return worker

    def retire(worker: _Worker) -> None:
        with lock:
            live.discard(worker)
        worker.close()

    def verify_one(unit: Unit, folder: Path, worker: _Worker | None, why: str | None) -> tuple[VerifyResult, _Worker | None]:
        started = time.perf_counter()
        try:
            entry = materialize(unit, folder)
        except NoEntry as error:
            return VerifyResult(unit.name, "no-entry", str(error), seconds=time.perf_counter() - started), worker
        except DoesNotParse as error:
            message = str(error)
            return VerifyResult(unit.name, "error", message, failure_class(message), seconds=time.perf_counter() - started), worker
        except Exception as error:  # unreadable file, a name refused, ...
            return VerifyResult(unit.name, "error", f"could not prepare the sample: {error}"), worker
        if worker is not None and worker.samples >= samples_per_process:
            retire(worker)
            worker, why = None, f"the last one ran {samples_per_process} samples"
        if worker is None:
            try:
                worker = start_worker(why)
            except WorkerFailed as error:
                return VerifyResult(unit.name, "crash", str(error), detail=error.output), None
        result, usable = worker.run(unit.name, folder, entry, timeout)
        if not usable:
            retire(worker)
            worker = None
        return result, worker

    def work() -> None:
        worker: _Worker | None = None
        why: str | None = None
        try:
            while True:
                with lock:
                    index = None if state["stopping"] else next(pending, None)
                    folder = Path(tempfile.mkdtemp(prefix="sample-", dir=run_folder)) if index is not None else None
                if index is None or folder is None:
                    return
                try:
                    results[index], worker = verify_one(units[index], folder, worker, why)
                finally:
                    _remove_tree(folder)
                if worker is None:
                    result = results[index]
                    if result.status == "timeout":
                        why = "the last one timed out"
                    elif result.status == "crash":
                        why = "the last one did not start" if (result.error or "").startswith("the synth worker did not start") else "the last one crashed"
                report(on_result, results[index])
        except Exception:
            if not state["stopping"]:
                raise
        finally:
            if worker is not None:
                retire(worker)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(width)]
    with _SignalGuard() as guard:
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            guard.quiet = True  # a signal from here on waits for the cleanup
            with lock:
                state["stopping"] = True
                remaining = list(live)
            for worker in remaining:  # interrupted: no graceful end
                worker.kill()
            deadline = time.monotonic() + 5.0
            for thread in threads:
                if thread.ident is not None:
                    thread.join(max(0.0, deadline - time.monotonic()))
            with lock:
                remaining = list(live)
                live.clear()
            for worker in remaining:
                worker.discard()
            _remove_tree(run_folder)
    return [r if r is not None else VerifyResult(u.name, "crash", "not run") for r, u in zip(results, units)]


# -- before and after --------------------------------------------------------------------


@dataclass
class Comparison:
    name: str
    before: VerifyResult | None
    after: VerifyResult | None

    @property
    def fixed(self) -> bool:
        return self.before is not None and self.after is not None and not self.before.ok and self.after.ok

    @property
    def broken(self) -> bool:
        return self.before is not None and self.after is not None and self.before.ok and not self.after.ok

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "before": self.before.to_dict() if self.before else None,
            "after": self.after.to_dict() if self.after else None,
        }


def compare(before: list[VerifyResult], after: list[VerifyResult]) -> list[Comparison]:
    """Pair results by name: every ``after`` result in order, then names only ``before`` has."""
    earlier = {r.name: r for r in before}
    later = {r.name for r in after}
    pairs = [Comparison(r.name, earlier.get(r.name), r) for r in after]
    pairs += [Comparison(r.name, r, None) for r in before if r.name not in later]
    return pairs
