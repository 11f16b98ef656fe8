"""One dataset record's text repaired: the pure per-record function every batch engine maps.

``repair_record(text)`` is a function of the text, the options and the target only: it reads
no file and writes none, so the same repair runs from ``batch``, a Dask partition, Ray, Spark
or ``datasets.map``.  The schema is loaded once per process (the shipped snapshot, or the
cache) and the engine of each (options, target) is kept for the next record.  The text is
markdown when it has a fenced Python block (a model response), else Python.

    from cdktf_fix import repair_record
    repaired = repair_record(text).text     # == text when nothing changed
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cdktf_fix.engine.options import Options


@dataclass(frozen=True)
class RecordRepair:
    """What ``repair_record`` did to one record's text."""

    text: str  # the repaired text (the input itself when nothing changed)
    status: str  # "unchanged", "changed", "skipped" (no provider code) or "error"
    target: str | None = None  # what it was checked against: "cdktf 0.21.0 + cdktf-cdktf-provider-aws 21.22.1"
    fixes: dict[str, int] = field(default_factory=dict)  # applied fixes per codemod
    findings: dict[str, int] = field(default_factory=dict)  # findings left per codemod
    error: str | None = None  # why the text was left as it was (status "error")

    @property
    def changed(self) -> bool:
        return self.status == "changed"


def repair_field_value(value: str, field: str, report):
    """A dataset field's text repaired with this worker's engine for what it imports (the
    ``RepairResult``), or None when it is too large to repair (``report``, a ``SampleReport``,
    says so).  JSONL records and Parquet rows both go through it."""
    from cdktf_fix.io import sources
    from cdktf_fix.io.batch import _engine_for
    from cdktf_fix.schema.target import imported_packages

    if len(value) > sources.MAX_BYTES:
        report.files = 1
        report.errors.append(f"field {field!r} larger than {sources.MAX_BYTES // 1_000_000} MB")
        return None
    return repair_value(_engine_for(None, frozenset(), imported_packages(value)), value)


def repair_value(engine, text: str):
    """The ``RepairResult`` of one text with ``engine``: markdown when it has a fenced Python
    block, else Python; never raises.  ``batch`` and ``repair_record`` share it."""
    from cdktf_fix.engine import may_hold_provider_code
    from cdktf_fix.engine.result import Status
    from cdktf_fix.io.markdown import python_blocks
    from cdktf_fix.io.sources import repair_text

    result = repair_text(engine, text, markdown=bool(python_blocks(text)))
    if result.status is not Status.SKIPPED and may_hold_provider_code(text):
        result.target = engine.target_label
    return result


_ENGINES: dict = {}  # (options, target, offline) -> engine.engines.Engines, per process


def repair_record(text: str, *, options: Options | None = None, target: tuple[str, ...] = (), offline: bool = False) -> RecordRepair:
    """Repair one record's text (a Python file's source or a markdown response).

    ``target``: requirement strings (``("cdktn",)``, ``("cdktf-cdktf-provider-aws==19.50.0",)``),
    else the default target of the framework the text imports; ``offline``: never download a
    schema.  Safe fixes only unless ``options`` says otherwise.
    """
    from cdktf_fix.engine.engines import Engines
    from cdktf_fix.schema.target import imported_packages

    options = options or Options()
    key = (repr(options), tuple(target), offline)
    engines = _ENGINES.get(key)
    if engines is None:
        engines = _ENGINES[key] = Engines(options, tuple(target), offline)
    result = repair_value(engines.for_text(None, imported_packages(text)), text)
    applied = Counter(f.codemod for f in result.fixes if f.applied)
    left = Counter(f.codemod for f in result.findings)
    return RecordRepair(result.new_source, result.status.value, result.target, dict(applied), dict(left), result.error)
