"""Real synth of the precision corpus ``tests/working`` (slow: one jsii process, ~15 s).

Every top-level ``.py`` file of ``tests/working`` is correct, human-style CDKTF Python that
``tests/test_working.py`` expects cdktf-fix to leave byte-identical.  This test proves the
"correct" part, the way ``tests/test_fixture_synth.py`` does for fixtures:

- each file synthesizes with the installed packages (its TerraformStack subclasses are
  instantiated with ``(app, id)``);
- every key of every dict literal reaches the synthesized ``cdk.tf.json`` (jsii silently
  drops snake_case keys in lists of dicts, so a synth that succeeds is not enough).  A
  camelCase key counts under its snake_case Terraform name; keys of dicts serialized into
  strings (``json.dumps`` policies, ``Fn.jsonencode``) are read from those strings; keys
  whose value synthesized to null do not count (attributes given as blocks, such as
  ``ingress``, synthesize every field).  Beyond that file-wide check, the literal arguments
  of each ``X(self, "id", ...)`` call are walked side by side with the body of construct
  ``id``, so a key dropped in one list element is caught even when a sibling has it;
- no token was used as a plain Python value (an f-string of ``count.index`` or of an
  iterator value synthesizes to a number like ``-8.1e+298`` or an object repr).

Sub-folders are not synthesized: ``tests/working/cdktf_get_project`` imports the bindings
``cdktf get`` generates (``imports/aws``), which are not committed, as in HashiCorp's
examples; ``tests/working/assets`` holds a Lambda source folder for a TerraformAsset.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKING = ROOT / "tests" / "working"
FILES = sorted(WORKING.glob("*.py"))
NOT_SYNTHESIZED = {"cdktf_get_project"}  # needs the generated bindings of `cdktf get`

DRIVER = """
import json, runpy, sys, traceback
from cdktf import App, TerraformStack

report = {}
for case, path, outdir in json.loads(sys.argv[1]):
    try:
        namespace = runpy.run_path(path, run_name="working_" + case)
        stacks = [v for v in namespace.values()
                  if isinstance(v, type) and issubclass(v, TerraformStack) and v is not TerraformStack
                  and v.__module__ == "working_" + case]
        if not stacks:
            raise RuntimeError("no TerraformStack subclass defined")
        app = App(outdir=outdir)
        for number, stack in enumerate(stacks):
            stack(app, f"{case}-{number}")
        app.synth()
        report[case] = "ok"
    except BaseException:
        report[case] = traceback.format_exc()[-2000:]
print(json.dumps(report))
"""

_QUOTED_KEY = re.compile(r'"([^"\\]+)"\s*[:=]')
# what a token used as a plain Python value leaves in the JSON: an f-string of a number token
# (``f"x-{count.index}"``) or of an ``iterator.value`` proxy instead of ``Token.as_string(...)``
_LEAKED_TOKEN = re.compile(r"object at 0x[0-9a-f]+|-?\d\.\d+e\+2\d\d|TfToken\[")


def _snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def dict_keys(code: str) -> set[str]:
    """Every string key of every dict literal in ``code``."""
    keys = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Dict):
            keys.update(k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str))
    return keys


def json_keys(data, found: set[str], strings: set[str] | None = None) -> set[str]:
    """Every key of ``data`` with a value (attributes given as blocks, such as ``route`` and
    ``ingress``, synthesize every field, null when unset), and the quoted keys of JSON or HCL
    objects inside its strings; the strings themselves go to ``strings``."""
    if isinstance(data, dict):
        for key, value in data.items():
            if value is not None:
                found.add(key)
            json_keys(value, found, strings)
    elif isinstance(data, list):
        for item in data:
            json_keys(item, found, strings)
    elif isinstance(data, str):
        found.update(_QUOTED_KEY.findall(data))
        if strings is not None:
            strings.add(data)
    return found


def reached(key: str, keys: set[str], strings: set[str] = frozenset()) -> bool:
    """``key`` (as written in Python) appears in the synthesized JSON: as a key, under its
    snake_case Terraform name (``selfAttribute`` is ``self``), or, written exactly, as a
    delimited part of a key or a string (the keys of a Python config dict end up in construct
    ids, names and prefixes: ``f"subnet-{name}"``)."""
    if key in keys:
        return True
    snake = _snake(key)
    if any(j == snake or j.startswith(snake + "_") or snake.startswith(j + "_") for j in keys):
        return True
    part = re.compile(rf"(^|[-_./:]){re.escape(key)}($|[-_./:])")
    return any(part.search(text) for text in (*keys, *strings))


def _terraform_names(key: str) -> set[str]:
    """The Terraform names a Python keyword or dict key may synthesize to."""
    snake = _snake(key)
    return {key, snake, snake.rstrip("_"), "self" if snake == "self_attribute" else snake}


def _constructs(data, found: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Synthesized resource and data source bodies by the last part of their construct path."""
    if isinstance(data, dict):
        path = data.get("//", {}).get("metadata", {}).get("path") if isinstance(data.get("//"), dict) else None
        if path:
            found.setdefault(path.rsplit("/", 1)[-1], []).append(data)
        for value in data.values():
            _constructs(value, found)
    elif isinstance(data, list):
        for item in data:
            _constructs(item, found)
    return found


def _lost_in(node: ast.AST, value, lost: set[str]) -> None:
    """Walk a literal (dict, list, struct call) and its synthesized value side by side; add to
    ``lost`` every dict key whose value did not reach the JSON."""
    if isinstance(node, (ast.List, ast.Tuple)) and isinstance(value, list) and len(node.elts) == len(value):
        if not any(isinstance(e, ast.Starred) for e in node.elts):
            for element, item in zip(node.elts, value):
                _lost_in(element, item, lost)
    elif isinstance(node, ast.Dict) and isinstance(value, dict):
        for key, sub in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names = [n for n in _terraform_names(key.value) if value.get(n) is not None]
                if not names:
                    lost.add(key.value)
                for name in names:
                    _lost_in(sub, value[name], lost)
    elif isinstance(node, ast.Call) and isinstance(value, dict):
        _lost_in_keywords(node, value, lost)


def _lost_in_keywords(call: ast.Call, body: dict, lost: set[str]) -> None:
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        # a keyword absent from the body was renamed by cdktf (``variables`` of a module are
        # flattened, ``provisioners`` become ``provisioner``): the file-wide check covers it
        for name in _terraform_names(keyword.arg):
            if body.get(name) is not None:
                _lost_in(keyword.value, body[name], lost)


def lost_by_construct(code: str, bodies: dict[str, list[dict]]) -> set[str]:
    """Dict keys lost in the literal arguments of ``X(self, "id", ...)`` calls, compared with
    the synthesized body of the construct ``id`` (ids built with f-strings match every
    construct they can name; a key counts as lost when every such construct lost it)."""
    lost: set[str] = set()
    for call in ast.walk(ast.parse(code)):
        if not isinstance(call, ast.Call) or len(call.args) < 2:
            continue
        name = call.args[1]
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            candidates = bodies.get(name.value, [])
        elif isinstance(name, ast.JoinedStr):
            pattern = "".join(re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in name.values)
            candidates = [b for key, found in bodies.items() if re.fullmatch(pattern, key) for b in found]
        else:
            continue
        per_body = []
        for body in candidates:
            found: set[str] = set()
            _lost_in_keywords(call, body, found)
            per_body.append(found)
        if per_body:
            lost |= set.intersection(*per_body)
    return lost


def test_every_working_file_is_collected():
    assert len(FILES) >= 30, [f.name for f in FILES]
    folders = {p.name for p in WORKING.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    assert folders - {"assets"} == NOT_SYNTHESIZED, folders


@pytest.mark.slow
def test_working_files_synthesize_and_keep_every_key(tmp_path):
    if shutil.which("node") is None:
        pytest.skip("node is needed for a real synth")
    jobs = [(path.stem, str(path), str(tmp_path / path.stem)) for path in FILES]
    env = {**os.environ, "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1"}
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(jobs)],
        capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    failed = {case: error for case, error in report.items() if error != "ok"}
    assert not failed, "\n\n".join(f"{case}:\n{error}" for case, error in failed.items())

    lost, leaked = {}, {}
    for path in FILES:
        keys: set[str] = set()
        strings: set[str] = set()
        outputs = list((tmp_path / path.stem).glob("stacks/*/cdk.tf.json"))
        assert outputs, f"{path.name}: no stack synthesized"
        bodies: dict[str, list[dict]] = {}
        for out in outputs:
            data = json.loads(out.read_text())
            json_keys(data, keys, strings)
            _constructs(data, bodies)
        bad = sorted({m for text in strings for m in _LEAKED_TOKEN.findall(text)})
        if bad:
            leaked[path.name] = bad
        code = path.read_text()
        missing = {k for k in dict_keys(code) if not reached(k, keys, strings)}
        missing |= lost_by_construct(code, bodies)
        missing = sorted(missing)
        if missing:
            lost[path.name] = missing
    assert not leaked, f"tokens used as Python values (use Token.as_string): {leaked}"
    assert not lost, f"dict keys that did not reach the synthesized JSON: {lost}"
