"""Intervals and the three-way verdict."""

import math

import pytest

from mummybench import Claim
from mummybench.stats import mean_interval, wilson_interval


def test_t_interval_matches_textbook_value():
    """n=3 values 1,2,3: mean 2, half-width t(0.975, 2) * 1/sqrt(3) = 2.484."""
    mean, low, high = mean_interval([1.0, 2.0, 3.0])
    assert mean == 2.0
    assert high - mean == pytest.approx(4.302653 / math.sqrt(3), rel=1e-5)


def test_interval_needs_two_values():
    """One value has a mean but no interval."""
    mean, low, high = mean_interval([0.7])
    assert mean == 0.7 and math.isnan(low) and math.isnan(high)


def test_wilson_interval_is_inside_unit_range():
    """Wilson intervals of 0/10 and 10/10 stay in [0, 1] and are not degenerate."""
    assert wilson_interval(0, 10)[1] == pytest.approx(0.0, abs=1e-12) and wilson_interval(0, 10)[2] > 0.2
    assert wilson_interval(10, 10)[2] == pytest.approx(1.0) and wilson_interval(10, 10)[1] < 0.8


@pytest.mark.parametrize("op, low, high, expected", [
    (">=", 0.9, 1.0, "holds"), (">=", 0.5, 0.89, "breaks"), (">=", 0.8, 0.95, "inconclusive"),
    ("<=", 0.1, 0.2, "holds"), ("<", 0.5, 0.6, "breaks"), (">", 0.85, 0.9, "breaks"),
])
def test_verdict(op, low, high, expected):
    """holds when the whole interval satisfies the claim, breaks when none of it does."""
    assert Claim("t", "s", "m", op, 0.9 if op in (">=", ">") else 0.3).verdict(low, high) == expected


def test_paired_claim_uses_difference():
    """A comparative claim evaluates metric - baseline within one trial."""
    claim = Claim("A beats B", "s", "a", ">", 0.1, baseline="b")
    assert claim.value({"a": 0.9, "b": 0.7}) == pytest.approx(0.2)
