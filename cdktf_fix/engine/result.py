"""What a repair produces: fixes (applied or not), findings, and the per-file outcome."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Safety(str, Enum):
    SAFE = "safe"  # the schema determines the answer: applied by default
    UNSAFE = "unsafe"  # a pick among plausible candidates, or a change of values: opt-in


@dataclass
class Fix:
    codemod: str
    line: int
    column: int
    old: str
    new: str
    message: str
    safety: Safety
    applied: bool = True

    def to_dict(self) -> dict:
        data = asdict(self)
        data["safety"] = self.safety.value
        return data


@dataclass
class Finding:
    """Something wrong with nothing unambiguous to apply; carries suggestions."""

    codemod: str
    line: int
    column: int
    message: str
    suggestions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SkippedBlock:
    """A markdown code block that could not be repaired (it does not parse, or did not converge)."""

    line: int
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


class Status(str, Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    SKIPPED = "skipped"  # cannot hold provider code; not parsed
    ERROR = "error"  # could not be read, parsed or repaired; left as it was


@dataclass
class RepairResult:
    source: str
    new_source: str
    fixes: list[Fix] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    status: Status = Status.UNCHANGED
    error: str | None = None
    skipped: list[SkippedBlock] = field(default_factory=list)  # markdown blocks left as they were
    target: str | None = None  # what the code was checked against: "cdktf 0.21.0 + cdktf-cdktf-provider-aws 21.22.1"

    @property
    def changed(self) -> bool:
        return self.new_source != self.source

    def to_dict(self) -> dict:
        from cdktf_fix.io.regions import EditLocator

        spans = EditLocator(self.source, self.new_source).spans(self.fixes)
        return {
            "status": self.status.value,
            "error": self.error,
            "target": self.target,
            # region: the exact span of ``old`` in the source as read, when it is sure (cdktf_fix.io.regions)
            "fixes": [{**f.to_dict(), "region": span.to_dict() if span else None} for f, span in zip(self.fixes, spans)],
            "findings": [f.to_dict() for f in self.findings],
            "skipped_blocks": [b.to_dict() for b in self.skipped],
        }
