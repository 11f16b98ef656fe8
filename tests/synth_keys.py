"""What a real synth must keep: every dict key a stack writes, and no token used as a value.

Shared by ``test_fixture_synth.py`` (fixture outputs) and ``test_working_synth.py`` (the
precision corpus).  jsii silently drops snake_case keys in lists of dicts, so a synth that
succeeds proves little: every key of every dict literal must reach the synthesized
``cdk.tf.json``, file-wide (``dict_keys`` / ``json_keys`` / ``reached``) and construct by
construct (``lost_by_construct``: the literal arguments of ``X(self, "id", ...)`` walked side by
side with the body of construct ``id``, so a key dropped in one list element is caught even
when a sibling element has it).  Keys whose value synthesized to null do not count.
"""

from __future__ import annotations

import ast
import re

_QUOTED_KEY = re.compile(r'"([^"\\]+)"\s*[:=]')
# what a token used as a plain Python value leaves in the JSON: an f-string of a number token
# (``f"x-{count.index}"``) or of an ``iterator.value`` proxy instead of ``Token.as_string(...)``
LEAKED_TOKEN = re.compile(r"object at 0x[0-9a-f]+|-?\d\.\d+e\+2\d\d|TfToken\[")


def snake_case(key: str) -> str:
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
    snake = snake_case(key)
    if any(j == snake or j.startswith(snake + "_") or snake.startswith(j + "_") for j in keys):
        return True
    part = re.compile(rf"(^|[-_./:]){re.escape(key)}($|[-_./:])")
    return any(part.search(text) for text in (*keys, *strings))


def _terraform_names(key: str) -> set[str]:
    """The Terraform names a Python keyword or dict key may synthesize to."""
    snake = snake_case(key)
    return {key, snake, snake.rstrip("_"), "self" if snake == "self_attribute" else snake}


def constructs(data, found: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Synthesized resource and data source bodies by the last part of their construct path."""
    if isinstance(data, dict):
        path = data.get("//", {}).get("metadata", {}).get("path") if isinstance(data.get("//"), dict) else None
        if path:
            found.setdefault(path.rsplit("/", 1)[-1], []).append(data)
        for value in data.values():
            constructs(value, found)
    elif isinstance(data, list):
        for item in data:
            constructs(item, found)
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
