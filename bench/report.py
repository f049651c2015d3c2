"""Turning per-round samples into the markdown the bench prints: figures, paired ratios, verdicts."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from bench.workloads import Results


@dataclass(frozen=True)
class Ratio:
    """Per-round ratios of one route to the reference: median, min and max."""

    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def text(self) -> str:
        return f"{self.median:.2f}x ({min(self.values):.2f}-{max(self.values):.2f})"


def ratio(results: Results, name: str, ref: str, attribute: str = "wall") -> Ratio:
    """Route ``name`` over ``ref`` in each round (both measured back to back in that round)."""
    pairs = zip(results[name], results[ref], strict=True)
    return Ratio([getattr(ours, attribute) / getattr(theirs, attribute) for ours, theirs in pairs])


def median_of(results: Results, name: str, attribute: str = "wall") -> float:
    return statistics.median(getattr(sample, attribute) for sample in results[name])


def median_extra(results: Results, name: str, key: str) -> float:
    return statistics.median(sample.extra[key] for sample in results[name])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    targets: list[list[str]] = field(default_factory=list)

    def emit(self, *lines: str) -> None:
        self.lines.extend(lines)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.emit("| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|")
        self.emit(*("| " + " | ".join(row) + " |" for row in rows), "")

    def target(self, name: str, measured: list[str], passed: bool | None) -> None:
        verdict = "n/a" if passed is None else ("PASS" if passed else "**FAIL**")
        self.targets.append([name, *measured, verdict])

    def text(self) -> str:
        return "\n".join(self.lines)
