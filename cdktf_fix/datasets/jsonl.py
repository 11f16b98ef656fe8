"""JSONL records edited at the byte level: everything that knows JSON syntax.

A JSONL batch repairs one (dotted) field of every record in place.  Every byte of a record
outside that field's JSON string is kept (number spellings, duplicate keys, escapes, key order,
spacing): ``string_field`` finds the exact span of the field's string in the record's text with
a small tokenizer, ``replace_string`` puts the new string there (non-ASCII kept as it is, lone
surrogates escaped) and checks that it reads back, and ``with_counts`` sets the ``cdktf_fix``
member of an object record (replaced where there is one, else added after the last member).
Nothing else is re-serialized; a UTF-8 BOM on the first line and each line's ending are kept
(``split_line``), and a line longer than the limit is skipped through, never read whole
(``lines``).

The tokenizer only reads text that ``json.loads`` has accepted; a dotted path takes object keys
and list indexes (``messages.1.content``), and of duplicate keys the last one, as ``json.loads``
reads it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

COUNTS_FIELD = "cdktf_fix"
BOM = b"\xef\xbb\xbf"


# --- lines ---------------------------------------------------------------------------------------

def lines(handle, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(start, line or None when longer than ``limit``, end) of every line (``\\n``-terminated);
    a long line is skipped through, never read whole."""
    offset = 0
    while line := handle.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            end = offset + len(line)
            while not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
                if not line:
                    break
                end += len(line)
            yield offset, None, end
            offset = end
        else:
            yield offset, line, offset + len(line)
            offset += len(line)


def split_line(line: bytes, first: bool) -> tuple[bytes, bytes, bytes]:
    """(the UTF-8 BOM the ``first`` line starts with, else ``b""``; the record; its line ending)."""
    if line.endswith(b"\r\n"):
        body, ending = line[:-2], b"\r\n"
    elif line.endswith(b"\n"):
        body, ending = line[:-1], b"\n"
    else:
        body, ending = line, b""
    prefix = BOM if first and body.startswith(BOM) else b""
    return prefix, body[len(prefix):], ending


# --- values --------------------------------------------------------------------------------------

def get(record, path: list[str]):
    """The value at ``path`` of the parsed ``record``; KeyError or IndexError when there is none."""
    value = record
    for key in path:
        if isinstance(value, list) and key.lstrip("-").isdigit():
            value = value[int(key)]
        elif isinstance(value, dict):
            value = value[key]
        else:
            raise KeyError(key)
    return value


# A small JSON tokenizer over a record's text, already checked by ``json.loads``: it finds the
# exact span of one value so that a record is edited without re-serializing anything else.
_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_SCALAR = re.compile(r"[^ \t\n\r,\]}]+")
_STRUCTURE = re.compile(r'["\[\]{}]')
_SURROGATE = re.compile("[\ud800-\udfff]")


def _skip_ws(text: str, i: int) -> int:
    return _WS.match(text, i).end()


def _skip_value(text: str, i: int) -> int:
    """The end of the JSON value that starts at ``i`` (iteratively: depth costs nothing)."""
    first = text[i]
    if first == '"':
        return _STRING.match(text, i).end()
    if first not in "[{":
        return _SCALAR.match(text, i).end()
    depth = 0
    while True:
        match = _STRUCTURE.search(text, i)
        char = match.group()
        if char == '"':
            i = _STRING.match(text, match.start()).end()
            continue
        depth += 1 if char in "[{" else -1
        i = match.end()
        if depth == 0:
            return i


def _members(text: str, i: int) -> tuple[list[tuple[str, int, int]], int]:
    """The members of the object at ``i``: (key, value start, value end), and where its ``}`` is."""
    members = []
    i = _skip_ws(text, i + 1)
    if text[i] == "}":
        return members, i
    while True:
        end = _STRING.match(text, i).end()
        token = text[i:end]
        key = json.loads(token) if "\\" in token else token[1:-1]
        start = _skip_ws(text, _skip_ws(text, end) + 1)  # past the ':'
        end = _skip_value(text, start)
        members.append((key, start, end))
        i = _skip_ws(text, end)
        if text[i] == "}":
            return members, i
        i = _skip_ws(text, i + 1)  # past the ','


def _elements(text: str, i: int) -> list[tuple[int, int]]:
    elements = []
    i = _skip_ws(text, i + 1)
    if text[i] == "]":
        return elements
    while True:
        end = _skip_value(text, i)
        elements.append((i, end))
        i = _skip_ws(text, end)
        if text[i] == "]":
            return elements
        i = _skip_ws(text, i + 1)


def value_span(text: str, path: list[str]) -> tuple[int, int]:
    """Where the value at ``path`` is in the record ``text``: the last of duplicate keys, as
    ``json.loads`` reads it."""
    start = _skip_ws(text, 0)
    for key in path:
        first = text[start]
        if first == "{":
            found = [m for m in _members(text, start)[0] if m[0] == key]
            if not found:
                raise KeyError(key)
            start = found[-1][1]
        elif first == "[" and key.lstrip("-").isdigit():
            start = _elements(text, start)[int(key)][0]
        else:
            raise KeyError(key)
    return start, _skip_value(text, start)


class Misplaced(Exception):
    """The span found for a field does not hold its value (never expected)."""


def string_field(text: str, record, path: list[str]) -> tuple[str, int, int]:
    """The string at ``path`` of the record ``text`` (parsed as ``record``) and its span there.

    Raises KeyError or IndexError when there is no such field, TypeError (the message names the
    field) when it is not a string, ``Misplaced`` when the span found does not hold it."""
    value = get(record, path)
    if not isinstance(value, str):
        raise TypeError(f"field {'.'.join(path)!r} is {type(value).__name__}, not text")
    begin, end = value_span(text, path)
    if json.loads(text[begin:end]) != value:
        raise Misplaced()
    return value, begin, end


# --- writing -------------------------------------------------------------------------------------

def json_string(value: str) -> str:
    """``value`` as a JSON string: non-ASCII kept as it is, lone surrogates (which UTF-8 cannot
    hold; they come from escapes in the input) escaped."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def replace_string(text: str, begin: int, end: int, path: list[str], value: str) -> str | None:
    """``text`` with its string at ``begin:end`` (the one at ``path``) replaced by ``value``; None
    when the result does not read back with ``value`` at ``path`` (never expected)."""
    new_text = text[:begin] + json_string(value) + text[end:]
    try:
        placed = get(json.loads(new_text), path) == value
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):
        placed = False
    return new_text if placed else None


def with_counts(text: str, counts: dict) -> str:
    """The object record ``text`` with ``cdktf_fix`` set to ``counts``: its value replaced when
    the record has one, else added after the last member; nothing else moves."""
    start = _skip_ws(text, 0)
    members = _members(text, start)[0]
    value = json.dumps(counts)
    existing = [m for m in members if m[0] == COUNTS_FIELD]
    if existing:
        _, begin, end = existing[-1]
        return text[:begin] + value + text[end:]
    if members:
        at = members[-1][2]
        return f'{text[:at]}, "{COUNTS_FIELD}": {value}{text[at:]}'
    return f'{text[:start + 1]}"{COUNTS_FIELD}": {value}{text[start + 1:]}'
