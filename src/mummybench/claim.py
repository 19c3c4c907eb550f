"""The claim on trial: which metric, compared how, against what, and where it was published."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

OPS = (">=", ">", "<=", "<")


@dataclass(frozen=True)
class Claim:
    """A headline statement such as "recall@10 >= 0.9" or, when `baseline` is set, the
    paired difference "metric - baseline > threshold" computed within each trial."""

    text: str
    source: str  # the work: authors, year, title, venue
    metric: str
    op: str
    threshold: float
    baseline: str | None = None
    quote: str = ""  # verbatim, as `quote_by` wrote it
    # A citation a reader can check: which version of the source (an arXiv version, a repository commit),
    # where in it (table, figure, section, page), who wrote the quote (a paper is not its library's docs),
    # and the number on trial as the source gives it, with its spread ("94 ± 2, s.d. over 3 runs").
    version: str = ""
    locator: str = ""
    quote_by: str = ""
    reported: str = ""
    # the range the per-trial value can take (e.g. (0, 1) for an accuracy, (-1, 1) for a difference of two):
    # intervals are clipped to it. None: unbounded.
    bounds: tuple[float, float] | None = None
    # the smallest difference in the value that means anything (one test item of 1,000: 0.001; one bar of
    # ten: 0.1). Values within half of it of the threshold are ties, and half of it is the least seed-to-seed
    # standard deviation an interval assumes, so that seeds which all agree never prove a claim outright.
    # None: a thousandth of `bounds`, or 1e-6 of the threshold's size when unbounded.
    resolution: float | None = None

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"claim op must be one of {OPS}; got {self.op!r}")
        if self.bounds is not None:
            lo, hi = self.bounds
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ValueError(f"claim bounds must be two finite numbers, low < high; got {self.bounds!r}")
            object.__setattr__(self, "bounds", (float(lo), float(hi)))
        if self.resolution is not None and not (math.isfinite(self.resolution) and self.resolution > 0):
            raise ValueError(f"claim resolution must be a positive number; got {self.resolution!r}")

    @property
    def unit(self) -> float:
        """The resolution in force (declared or default)."""
        if self.resolution is not None:
            return self.resolution
        if self.bounds is not None:
            return (self.bounds[1] - self.bounds[0]) / 1000
        return 1e-6 * max(1.0, abs(self.threshold))

    @property
    def sd_floor(self) -> float:
        """The least seed-to-seed standard deviation an interval assumes: half a resolution unit (the spread of
        a value that moves by one unit half of the time)."""
        return self.unit / 2

    @property
    def tie(self) -> float:
        """Values this close to the threshold count as equal to it."""
        return self.unit / 2

    def problem(self, metrics: Mapping[str, float | None]) -> str | None:
        """Why a trial's metrics cannot be judged by this claim, or None: a metric it needs is missing, NaN or
        infinite (stored as null), or its value lies outside the claim's bounds (beyond a tie)."""
        for name in (m for m in (self.metric, self.baseline) if m):
            if name not in metrics:
                returned = ", ".join(sorted(metrics)) or "none"
                return f"the trial returned no metric '{name}' (the claim needs it; it returned: {returned})"
            value = metrics[name]
            if value is None or not math.isfinite(float(value)):
                return f"metric '{name}' is {'NaN or infinite' if value is None else value} (not a finite number)"
        x = self.value(metrics)
        if self.bounds and not self.bounds[0] - self.tie <= x <= self.bounds[1] + self.tie:
            return f"the claim's value {x:g} lies outside its bounds [{self.bounds[0]:g}, {self.bounds[1]:g}]"
        return None

    def value(self, metrics: Mapping[str, float]) -> float:
        """The per-trial number the verdict is about (a paired difference if comparative)."""
        value = float(metrics[self.metric])
        return value - float(metrics[self.baseline]) if self.baseline else value

    @property
    def label(self) -> str:
        name = f"{self.metric} - {self.baseline}" if self.baseline else self.metric
        return f"{name} {self.op} {self.threshold:g}"

    def satisfied(self, x: float) -> bool:
        """Whether a value satisfies the claim, judged at the resolution: a tie with the threshold
        satisfies `>=` and `<=` and fails `>` and `<`."""
        t, tie = self.threshold, self.tie
        return {">=": x >= t - tie, ">": x > t + tie, "<=": x <= t + tie, "<": x < t - tie}[self.op]

    def verdict(self, low: float, high: float) -> str:
        """holds if the whole interval satisfies the claim, breaks if none of it does; an interval
        that is not there (NaN ends: fewer than two values) decides nothing."""
        if not (math.isfinite(low) and math.isfinite(high)):
            return "inconclusive"
        if self.satisfied(low) and self.satisfied(high):
            return "holds"
        if not self.satisfied(low) and not self.satisfied(high):
            return "breaks"
        return "inconclusive"

    def citation(self) -> str:
        """The source, its version and the locator in one line."""
        return ", ".join(p for p in (self.source.rstrip(". "), self.version, self.locator) if p)

    def as_dict(self) -> dict:
        return {"text": self.text, "source": self.source, "version": self.version, "locator": self.locator,
                "citation": self.citation(),
                "quote": self.quote, "quote_by": self.quote_by, "reported": self.reported, "metric": self.metric,
                "baseline": self.baseline, "op": self.op, "threshold": self.threshold,
                "bounds": list(self.bounds) if self.bounds else None, "resolution": self.unit}
