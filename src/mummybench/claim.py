"""The claim on trial: which metric, compared how, against what, and where it was published."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

OPS = (">=", ">", "<=", "<")


@dataclass(frozen=True)
class Claim:
    """A headline statement such as "recall@10 >= 0.9" or, when `baseline` is set, the
    paired difference "metric - baseline > threshold" computed within each trial."""

    text: str
    source: str
    metric: str
    op: str
    threshold: float
    baseline: str | None = None
    quote: str = ""

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"claim op must be one of {OPS}; got {self.op!r}")

    def value(self, metrics: Mapping[str, float]) -> float:
        """The per-trial number the verdict is about (a paired difference if comparative)."""
        value = float(metrics[self.metric])
        return value - float(metrics[self.baseline]) if self.baseline else value

    @property
    def label(self) -> str:
        name = f"{self.metric} - {self.baseline}" if self.baseline else self.metric
        return f"{name} {self.op} {self.threshold:g}"

    def satisfied(self, x: float) -> bool:
        t = self.threshold
        return {">=": x >= t, ">": x > t, "<=": x <= t, "<": x < t}[self.op]

    def verdict(self, low: float, high: float) -> str:
        """holds if the whole interval satisfies the claim, breaks if none of it does."""
        if self.satisfied(low) and self.satisfied(high):
            return "holds"
        if not self.satisfied(low) and not self.satisfied(high):
            return "breaks"
        return "inconclusive"

    def as_dict(self) -> dict:
        return {"text": self.text, "source": self.source, "quote": self.quote, "metric": self.metric,
                "baseline": self.baseline, "op": self.op, "threshold": self.threshold}
