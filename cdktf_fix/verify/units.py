"""What a unit is, how units are found, and how one becomes a folder with an entry to run.

- A unit is a markdown response, a single ``.py`` file or a project folder (``cdktf.json`` or a
  ``.py`` file at its top).  ``discover_units`` walks a folder for projects and for markdown
  files with Python blocks, skipping hidden folders, virtual environments and ``SKIP_DIRS``.
- ``materialize`` writes the unit into a fresh folder and never into the source: a project is
  copied (links as links, without the folders discovery skips and files over
  ``MAX_COPIED_FILE``), a markdown response becomes files (``cdktf_fix.verify.responses``): its
  Python blocks, and the blocks of other languages it names with a file (assets).
- The entry (``find_entry``) is the ``.py`` file that cdktf.json's ``app`` names, else a file
  that builds ``App(`` and calls ``.synth()`` (named ``main.py``, ``tap.py``, ``app.py`` first,
  in that order, then the shallowest), else ``GENERATED_ENTRY``, written to instantiate every
  ``TerraformStack`` subclass that no other one instantiates, in the synth worker
  (``cdktf_fix.verify.arguments.build_stacks``: arguments beyond ``(scope, id)`` are made up from
  the signature; a sample none of whose stacks can be built is ``no-entry`` there); with no
  stack at all, ``NoEntry``.
- With no entry, a file that does not parse and could hold the app or a stack (it mentions
  ``App(`` or ``TerraformStack``, or no stack parsed at all) is the answer: ``DoesNotParse``
  names it and its line, in the markdown response too.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from cdktf_fix.io.markdown import python_blocks
from cdktf_fix.io.sources import SKIP_DIRS  # the folders apply, check and batch skip too
from cdktf_fix.verify.responses import markdown_assets, markdown_files_and_lines, place_imported_modules, safe_relative_name, write_files
from cdktf_fix.verify.results import ERROR_CHARS

ENTRY_NAMES = ("main.py", "tap.py", "app.py")
GENERATED_ENTRY = "_cdktf_fix_entry.py"
MAX_COPIED_FILE = 50 * 1024 * 1024


@dataclass(frozen=True)
class Unit:
    """One thing to verify: a markdown response, a single ``.py`` file, or a project folder."""

    name: str
    path: Path
    kind: str  # "markdown", "file" or "project"


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


# -- materialization ---------------------------------------------------------------------


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
        text = unit.path.read_text(encoding="utf-8", errors="replace")
        files, lines = markdown_files_and_lines(text)
        placed = place_imported_modules(files)
        write_files(folder, placed)
        write_files(folder, markdown_assets(text, placed))  # the files it names in other languages: assets
        try:
            return find_entry(folder)
        except DoesNotParse as error:
            origin = error.file if error.file in files else next((n for n in files if files[n] == placed.get(error.file)), None)
            if origin is None or error.line is None:
                raise
            where = f" (line {lines[origin] + error.line - 1} of {unit.path.name})"
            raise DoesNotParse(error.message, error.file, error.line, error.others, where) from None
    return find_entry(folder)


# -- the entry ---------------------------------------------------------------------------


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


def _root_stacks(stacks: list[tuple[str, ast.ClassDef]]) -> list[tuple[str, ast.ClassDef]]:
    """The stacks no other stack instantiates (a TapStack that builds VpcStack(scope, ...) covers
    it, with the arguments it means); every stack when each is instantiated by another."""
    roots = [(name, cls) for name, cls in stacks if not any(other is not cls and _called(other, cls.name) for _, other in stacks)]
    return roots or stacks


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
    instantiates every stack no other stack instantiates."""
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
    lines = [
        '"""Generated by cdktf-fix verify: the code has no entry that builds App() and calls synth()."""',
        "import importlib",
        "import os",
        "from cdktf import App",
        "from cdktf_fix.verify.arguments import build_stacks  # loaded by the synth worker",
        "",
        "app = App()",
        "build_stacks(app, [",
    ]
    used: set[str] = set()
    for relative, cls in _root_stacks(stacks):
        stack_id = _snake(cls.name)
        while stack_id in used:
            stack_id += "_"
        used.add(stack_id)
        lines.append(f"    (importlib.import_module({_module_name(relative)!r}).{cls.name}, {stack_id!r}),")
    lines += ["], os.path.dirname(os.path.abspath(__file__)))", "app.synth()"]
    (folder / GENERATED_ENTRY).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return GENERATED_ENTRY

