"""What a verify run answers: one ``VerifyResult`` per unit, and before/after pairs.

- ``status`` is one of ``STATUSES``: ``ok`` (at least one stack synthesized), ``error`` (the code
  raised, exited non-zero, synthesized no stack, or does not parse), ``timeout``, ``crash`` (the
  worker or its node kernel died, or no worker could start) or ``no-entry``.
- ``error`` is one line of at most ``ERROR_CHARS`` characters (``one_line_error``: a jsii
  deserialization tree is condensed to where and why it failed); ``detail`` (a traceback, the
  end of what the worker printed) at most ``DETAIL_CHARS``.
- ``failure_class``: every failure has one, ok has none.  It is the class of the first pattern
  of ``cdktf_fix/data/synth_errors.json`` that the one-line error matches (the codemod that
  repairs it, or ``no-entry``, ``timeout``, ``crash``, ``syntax-error``, ...), else the file's
  fallback, ``unclassified``.  ``VerifyResult`` fills it in for a failure created without one.
- ``compare`` pairs the results of two runs by unit name.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATUSES = ("ok", "error", "timeout", "crash", "no-entry")
DETAIL_CHARS = 2000
ERROR_CHARS = 500


@dataclass
class VerifyResult:
    name: str
    status: str
    error: str | None = None
    failure_class: str | None = None
    detail: str = ""
    seconds: float = 0.0
    stacks: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.status != "ok" and not self.failure_class:
            self.failure_class = failure_class(self.error) or FALLBACK_CLASS

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict:
        return asdict(self)


# -- errors ------------------------------------------------------------------------------


def _load_patterns() -> tuple[list[tuple[re.Pattern, str]], str]:
    """The patterns, each with its class (each entry is ``[pattern, class, reason]``), and the fallback class."""
    data = json.loads((Path(__file__).resolve().parents[1] / "data" / "synth_errors.json").read_text(encoding="utf-8"))
    return [(re.compile(pattern), name) for pattern, name, _reason in data["patterns"]], data["fallback"][0]


SYNTH_ERRORS, FALLBACK_CLASS = _load_patterns()


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
    """The failure class of this one-line error: the first pattern's that matches, else
    ``FALLBACK_CLASS``; None for no error."""
    if not error:
        return None
    return next((name for pattern, name in SYNTH_ERRORS if pattern.search(error)), FALLBACK_CLASS)


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
