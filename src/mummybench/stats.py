"""Intervals for means and shares, and the sequential seeding rule that decides verdicts.

A setting is judged at *looks*: after n_1 seeds, then n_2, ... up to n_K (the plan's schedule). Deciding
as soon as an ordinary 95% interval clears the threshold is optional stopping, and its error rate grows
with every look (about 14% for looks 3, 5, 7, 8). Here every look uses a Student-t interval at one
nominal level, chosen so that under Gaussian seed noise the chance that *any* look's interval misses the
true mean is the stated 5%: a Pocock-type boundary for the t statistic, whose joint law over looks is
free of the unknown mean and variance, so one Monte-Carlo calibration per schedule is exact up to its
simulation error. These are repeated confidence intervals (Jennison & Turnbull, 1989): valid at
whichever look the sequence stopped, for the headline claim and for any other metric of the same trials.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import special as _special  # the quantile functions alone: scipy.stats takes ~1 s to import

LEVEL = 0.95
CALIBRATION_DRAWS = 200_000  # Monte-Carlo paths per schedule: the level's simulation error is ~0.05 points
# The intervals are calibrated to miss at most 4% of the time (not 5%): one point of margin for the
# calibration's own simulation error and for seed noise that is only roughly Gaussian, so that the stated
# 95% is a floor, as measured in `make bench`, rather than a coin flip around it.
MARGIN = 0.01


def looks(first: int, last: int, step: int) -> tuple[int, ...]:
    """Seed counts at which a setting is judged: first, first+step, ..., always ending at last."""
    first, last = int(first), max(int(first), int(last))
    out = list(range(first, last, max(1, int(step))))
    return tuple([*out, last]) if not out or out[-1] != last else tuple(out)


@lru_cache(maxsize=64)
def per_look_level(schedule: tuple[int, ...], level: float = LEVEL) -> float:
    """The nominal two-sided level of each look's t-interval such that, over all looks of `schedule`,
    the intervals miss the true mean with probability at most 1 - `level` (Gaussian seed noise; calibrated
    to 1 - `level` - MARGIN). A single look needs no simulation. Deterministic: a fixed simulation seed."""
    alpha = 1.0 - level - MARGIN
    if len(schedule) <= 1:
        return 1.0 - alpha
    rng = np.random.default_rng(20261129)
    n_max = schedule[-1]
    min_p = np.ones(CALIBRATION_DRAWS)
    chunk = 50_000
    for start in range(0, CALIBRATION_DRAWS, chunk):
        z = rng.standard_normal((min(chunk, CALIBRATION_DRAWS - start), n_max))
        csum, csq = np.cumsum(z, axis=1), np.cumsum(z * z, axis=1)
        best = np.ones(z.shape[0])
        for n in schedule:
            if n < 2:
                continue
            mean = csum[:, n - 1] / n
            var = np.maximum(csq[:, n - 1] - n * mean * mean, 0.0) / (n - 1)
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.abs(mean) / np.sqrt(var / n)
            p = 2.0 * _special.stdtr(n - 1, -t)
            best = np.minimum(best, np.nan_to_num(p, nan=1.0))
        min_p[start:start + z.shape[0]] = best
    return 1.0 - float(np.quantile(min_p, alpha))


def t_quantile(df: int, level: float) -> float:
    return float(_special.stdtrit(df, 0.5 + level / 2))


def mean_interval(values: Sequence[float], level: float = LEVEL, bounds: tuple[float, float] | None = None,
                  sd_floor: float = 0.0) -> tuple[float, float, float]:
    """(mean, low, high): Student-t interval of the mean at `level`, NaN bounds when n < 2.
    The standard deviation is at least `sd_floor`, so seeds that all agree never give a zero-width
    certainty, and the interval is clipped to the metric's `bounds` (it cannot leave them)."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = math.fsum(values) / n
    if n < 2:
        return mean, math.nan, math.nan
    var = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    sd = max(math.sqrt(var), sd_floor)
    half = t_quantile(n - 1, level) * sd / math.sqrt(n)
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return mean, low, high


def pooled_variance(samples: Sequence[Sequence[float]]) -> float:
    """The mean of the sample variances of every sample of two or more values (0 when there is none): the
    seed-to-seed variance pooled over settings, each setting weighted alike."""
    variances = [float(np.var(s, ddof=1)) for s in samples if len(s) > 1]
    return float(np.mean(variances)) if variances else 0.0


def wilson_interval(successes: int, n: int, level: float = LEVEL) -> tuple[float | None, float | None, float | None]:
    """(share, low, high): Wilson score interval of a binomial share; all None when n == 0."""
    if n == 0:
        return None, None, None
    z = float(_special.ndtri(0.5 + level / 2))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)
