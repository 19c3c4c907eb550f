"""The verdict procedure keeps its stated error rate, measured on toy cases whose answers are known."""

import pytest
from quality import bracket_coverage, false_decisions

from mummybench.registry import discover


def _seedings():
    """Every distinct seeding of the built-in plans: (first, last, step) and the anchor's own schedule."""
    out = {}
    for cls in discover().values():
        for plan in cls.plans.values():
            out[(plan.seeds_min, plan.seeds_max, plan.seeds_step, None)] = plan
            if plan.anchor_seeds:
                out[(plan.seeds_min, plan.seeds_max, plan.seeds_step, plan.anchor_seeds)] = plan
    return sorted(out.items(), key=lambda kv: str(kv[0]))


@pytest.mark.parametrize("key, plan", _seedings(), ids=lambda v: str(v) if isinstance(v, tuple) else "")
def test_false_decision_rate_at_the_threshold_is_at_most_five_percent(key, plan):
    """2,500 settings whose true mean is exactly the threshold: at most 5% get a verdict, under every built-in
    plan's sequential seeding (its looks and, for the paper setting, its anchor_seeds)."""
    result = false_decisions(plan, settings=2500, anchor=key[3] is not None)
    assert result["rate"] <= 0.05, result


def test_brackets_cover_the_true_breaking_points():
    """200 noise realisations of the synthetic case's axis a (true breaks at 3 and 7), independent noise per
    setting: at least 95% of the brackets contain their true breaking point."""
    result = bracket_coverage(200, crn=False, dense_every=0)
    assert result["coverage_per_bracket"] >= 0.95, result


def test_optional_stopping_with_ordinary_intervals_would_fail_this_check(monkeypatch):
    """The check has teeth: deciding at every look with an uncorrected 95% interval (the old procedure) makes
    the false-decision rate of looks 2..10 far exceed 5%."""
    from mummybench import stats
    from mummybench.plan import Plan

    monkeypatch.setattr("mummybench.runner.per_look_level", lambda schedule, level=0.95: 0.95)
    result = false_decisions(Plan("old", seeds_min=2, seeds_max=10, seeds_step=1), settings=2000)
    assert result["rate"] > 0.10, result
    assert stats.per_look_level((2, 3, 4, 5, 6, 7, 8, 9, 10)) > 0.98
