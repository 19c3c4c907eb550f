"""Intervals for means and shares. Small n is the rule here, so means get a t-interval."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import special as _special  # the quantile functions alone: scipy.stats takes ~1 s to import

LEVEL = 0.95


def mean_interval(values: Sequence[float], level: float = LEVEL) -> tuple[float, float, float]:
    """(mean, low, high): Student-t interval of the mean; NaN bounds when n < 2."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = math.fsum(values) / n
    if n < 2:
        return mean, math.nan, math.nan
    var = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    half = float(_special.stdtrit(n - 1, 0.5 + level / 2)) * math.sqrt(var / n)
    return mean, mean - half, mean + half


def wilson_interval(successes: int, n: int, level: float = LEVEL) -> tuple[float, float, float]:
    """(share, low, high): Wilson score interval of a binomial share."""
    if n == 0:
        return math.nan, math.nan, math.nan
    z = float(_special.ndtri(0.5 + level / 2))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)
