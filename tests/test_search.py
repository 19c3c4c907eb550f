"""Quality and cost of the search on the synthetic case, whose breaking points are known."""

from mummybench.execute import InProcessExecutor
from mummybench.runner import Runner
from mummybench.search import search
from mummybench.store import Store


def run(case, plan, tmp_path):
    store = Store(tmp_path / "trials.jsonl")
    runner = Runner(case, store, plan, InProcessExecutor(case))
    return search(case, plan, runner), runner


def brackets(result):
    return {r.axis.name: {n: s.bracket(result.anchor, r.points) for n, s in r.sides.items()} for r in result.axes}


def test_reproduction_holds_at_paper(synthetic, tmp_path):
    """At the paper setting the score is 1.0 +- noise: the claim holds."""
    result, _ = run(synthetic, synthetic.plan("quick"), tmp_path)
    assert result.reproduction.verdict == "holds"
    assert abs(result.reproduction.mean - 1.0) < 0.03


def test_brackets_contain_true_breaking_points(synthetic, tmp_path):
    """Every bracket has the true breaking point between its holding and breaking values."""
    result, _ = run(synthetic, synthetic.plan("full"), tmp_path)
    b = brackets(result)
    assert b["a"]["below"]["breaks_at"] <= 3.0 <= b["a"]["below"]["holds_at"]
    assert b["a"]["above"]["holds_at"] <= 7.0 <= b["a"]["above"]["breaks_at"]
    assert b["n"]["below"]["breaks_at"] < 10 <= b["n"]["below"]["holds_at"]
    assert b["n"]["above"] is None  # the n penalty reaches the threshold only at 1000, the end of the range
    assert b["level"]["above"] == {**b["level"]["above"], "holds_at": 3, "breaks_at": 4}
    mode = next(r for r in result.axes if r.axis.name == "mode")
    assert {v: e.verdict for v, e in mode.points.items()} == {"good": "holds", "bad": "breaks"}


def test_bisection_narrows_brackets_to_the_noise(synthetic, tmp_path):
    """With depth 6 the bracket around a=3 is far narrower than the grid step (2.0): about as narrow as seed
    noise (sd 0.01 on a slope of 0.1 per unit) lets 10 seeds tell the mean from the threshold."""
    result, _ = run(synthetic, synthetic.plan("full"), tmp_path)
    side = brackets(result)["a"]["below"]
    assert side["holds_at"] - side["breaks_at"] < 0.3


def test_bisection_costs_at_most_a_third_of_a_dense_grid():
    """Cost bound: where the plan's depth, not the noise, limits the bracket (noise sd 0.002), the search spends
    at most a third of the trials of a dense grid of the bracket's width (make bench reports the exact ratio)."""
    from quality import bracket_coverage

    result = bracket_coverage(20, crn=False, dense_every=2, sigma=0.002)
    assert result["cost_ratio_to_dense_grid"] <= 1 / 3, result
    assert result["coverage_per_bracket"] >= 0.95


def test_robust_share_matches_analytic_share(synthetic, tmp_path):
    """The random sample's interval covers the analytic share where the claim holds (0.0275)."""
    result, _ = run(synthetic, synthetic.plan("full"), tmp_path)
    # 1/2 (mode good) * [2/5 (level 1-2) * 4/30 + 1/5 (level 3) * 0.25/30], areas in (a, log10 n)
    low, high = result.random["ci"]
    assert low <= 0.0275 <= high


def test_rerun_from_store_runs_nothing(synthetic, tmp_path):
    """A second search over the same store runs no trial and reaches the same verdicts."""
    first, _ = run(synthetic, synthetic.plan("quick"), tmp_path)
    second, runner = run(synthetic, synthetic.plan("quick"), tmp_path)
    assert runner.ran == 0
    assert brackets(first) == brackets(second)


def test_also_claims_are_judged_on_the_same_trials(tmp_path):
    """A second claim (score >= 0.9) flips nearer the paper value than the headline (>= 0.8), with no extra trials."""
    from cases.synthetic.case import Synthetic
    from mummybench import Claim
    from mummybench.execute import InProcessExecutor
    from mummybench.report import also_judged
    from mummybench.runner import Runner
    from mummybench.search import search
    from mummybench.store import Store

    class Stricter(Synthetic):
        also = (Claim(text="stricter", source="test", metric="score", op=">=", threshold=0.9),)

    case = Stricter()
    plan = case.plan("quick")
    with Store(tmp_path / "t.jsonl") as store:
        runner = Runner(case, store, plan, InProcessExecutor(case))
        result = search(case, plan, runner)
        ran = runner.ran
        judged = also_judged(result)
        assert runner.ran == ran
    a = next(x for x in judged[0]["axes"] if x["name"] == "a")
    assert judged[0]["reproduction"]["verdict"] == "holds"
    assert 3.0 <= a["below"] < 4.0 + 1e-9 and 6.0 - 1e-9 < a["above"] <= 7.0


def test_compare_crosses_several_choice_axes(synthetic, tmp_path):
    """`compare = ((axis, axis), swept)` re-sweeps at every combination of the compared categories: one variant per
    (mode, level) pair, named 'mode / level', each at the base setting with both values set."""
    from dataclasses import replace

    from mummybench.search import compare_bases, compare_label

    class Crossed(type(synthetic)):
        compare = (("mode", "level"), ("a",))

    case = Crossed()
    assert compare_label(case) == "mode × level"
    assert len(compare_bases(case, case.anchor)) == 2 * 5
    plan = replace(case.plan("quick"), axes=(), random_samples=0, map_resolution=2, compare=True)
    result, _ = run(case, plan, tmp_path)
    by, variants = result.compare
    assert by == "mode × level" and len(variants) == 10
    named = {v.value: v for v in variants}
    assert named["good / 2"].base == {**case.anchor, "mode": "good", "level": 2}
    assert named["good / 2"].anchor == "holds" and named["bad / 2"].anchor == "breaks"
    assert named["good / 4"].anchor == "breaks"  # level 4 breaks on its own
