"""The global phases on toys whose answers are known exactly: Sobol' indices of the Ishigami function, and a claim
with an interaction and a narrow dip that one-at-a-time sweeps miss (cases/global_toys)."""

import json

import numpy as np
import pytest

from cases.global_toys.case import Dip, Ishigami, dip_value, ishigami_indices
from mummybench import report
from mummybench.cube import Cube, to_unit, to_value
from mummybench.execute import InProcessExecutor
from mummybench.plan import Plan
from mummybench.runner import Runner
from mummybench.search import search
from mummybench.space import SettingError
from mummybench.store import Store


def _search(case, plan, folder):
    store = Store(folder / "trials.jsonl")
    return search(case, plan, Runner(case, store, plan, InProcessExecutor(case))), store


@pytest.fixture(scope="module")
def dip(tmp_path_factory):
    case = Dip()
    return case, *_search(case, case.plan("full"), tmp_path_factory.mktemp("dip"))


def test_a_category_takes_equal_parts_of_the_unit_interval():
    """A uniform u draws each of k categories with probability 1/k, and each category's middle maps back to it."""
    axis = Dip.axes[3]
    draws = [to_value(axis, u) for u in np.linspace(0, 1, 3001)]
    counts = {c: draws.count(c) for c in ("a", "b", "c")}
    assert max(counts.values()) - min(counts.values()) <= 1
    assert all(to_value(axis, to_unit(axis, c)) == c for c in ("a", "b", "c"))


def test_sobol_indices_of_the_ishigami_function_fall_within_their_intervals_of_the_truth(tmp_path):
    """SALib's Sobol' estimates through our cube and runner, 1,024 base samples: each first- and total-order index's
    95% interval (SALib's) contains the analytic value (`ishigami_indices`)."""
    case = Ishigami()
    result, _ = _search(case, case.plan("quick"), tmp_path)
    truth = ishigami_indices()
    found = {e["axis"]: e for e in result.screening["sobol"]["axes"]}
    assert set(found) == {"x1", "x2", "x3"} and result.screening["sobol"]["base_samples"] == 1024
    for name, (s1, st) in truth.items():
        assert found[name]["S1_ci"][0] <= s1 <= found[name]["S1_ci"][1], (name, found[name], s1)
        assert found[name]["ST_ci"][0] <= st <= found[name]["ST_ci"][1], (name, found[name], st)
    assert found["x3"]["ST"] - found["x3"]["S1"] > 0.15  # x3 acts only through its interaction with x1


def test_one_at_a_time_sweeps_miss_what_the_surrogate_finds(dip):
    """From the anchor no axis breaks the Dip claim alone, and the 5-point grid steps over the dip in z. The global
    phases find both: the x × y interaction (measured, not only predicted) and the dip along z."""
    case, result, _ = dip
    assert all(s.flip is None for r in result.axes for s in r.sides.values())  # one at a time: never breaks
    reg = result.region
    assert reg["strongest"]["found"] and set(reg["strongest"]["axes"]) == {"x", "y"}
    assert reg["strongest"]["measured"]["ci"][1] < 0  # x y lowers the value more than x and y apart
    assert reg["strongest"]["measured"]["seeds"][0] >= 10_000  # measured on trials the surrogate never saw
    assert any({"x", "y"} == set(j["changed"]) for j in reg["joint_flips"])  # x and y: each alone holds, together not
    assert reg["confirmed"] and all(c["measured"]["verdict"] == "breaks" for c in reg["confirmed"])
    z = next(a for a in reg["along"] if a["axis"] == "z")
    dip_at = [v for v, p in zip(z["values"], z["p_holds"]) if p < 0.05]
    assert dip_at and all(0.5 < v < 0.75 for v in dip_at), z


def test_the_surrogate_classifies_held_out_random_settings(dip):
    """On 500 fresh uniform settings, the surrogate's verdict (P(holds) >= 0.5) matches the noise-free truth at
    95% or more, and the inert category ranks last in the Morris screening, within seed noise."""
    case, result, _ = dip
    cube = Cube.of(case, result.base)
    settings = cube.sample(500, np.random.default_rng(2026))
    truth = np.array([dip_value(s["x"], s["y"], s["z"]) >= 0.5 for s in settings])
    predicted = result.surrogate.p_holds(settings) >= 0.5
    assert (predicted == truth).mean() >= 0.95
    morris = result.screening["morris"]["axes"]
    assert morris[-1]["axis"] == "mode" and not morris[-1]["above_noise"]


def test_the_share_interval_contains_the_true_share(dip):
    """The holding share's 95% interval contains the share of the plausible space where the noise-free value
    satisfies the claim (dense Monte Carlo), and is narrower than ±0.05."""
    case, result, _ = dip
    rng = np.random.default_rng(1)
    x, y, z = rng.random((3, 200_000))
    true = np.mean(1 - 1.2 * x * y - 0.8 * np.exp(-((z - 0.62) ** 2) / (2 * 0.04 ** 2)) >= 0.5)
    for share in (result.region["share"], result.region["share_ppi"]):  # the model's own, and prediction-powered
        assert share["ci"][0] <= true <= share["ci"][1], (share, true)
    assert result.region["share"]["ci"][1] - result.region["share"]["ci"][0] < 0.1


@pytest.mark.parametrize("labelled", [20, 40])
def test_the_prediction_powered_share_covers_the_truth_when_the_model_is_confidently_wrong(labelled):
    """The claim holds on half the space. A model is wrong, and sure of itself, on a region of mass q (0 to 16%,
    where the normal interval of the paper covers 85-90% at these sizes); its P(holds) is 1 or 0, or 0.8 or 0.2.
    Over 300 replicates of each, the 95% interval covers the true share at least 95% of the time."""
    from mummybench.region import ppi_share

    rng = np.random.default_rng(labelled)
    for q in (0.0, 0.05, 0.1, 0.16):
        for sure in (1.0, 0.8):
            def draw(n, q=q, sure=sure):
                u = rng.random(n)
                truth = u < 0.5
                said = np.where(u > 1 - q, ~truth, truth)  # the model's mistakes: a region of mass q
                return truth.astype(float), np.where(said, sure, 1 - sure)

            covered = 0
            for _ in range(300):
                labels, p = draw(labelled)
                _, pool = draw(800)
                ci = ppi_share(pool, p, list(labels))["ci"]
                covered += ci[0] <= 0.5 <= ci[1]
            assert covered / 300 >= 0.95, (q, sure, covered)


def test_a_rerun_from_the_store_chooses_the_same_settings(dip, tmp_path):
    """The report is re-rendered from the store alone: the refinement's choices are deterministic, so replaying the
    search needs no trial the store lacks, and gives the same region."""
    case, result, store = dip
    plan = case.plan("full")
    again = search(case, plan, Runner(case, store, plan, executor=None))
    assert again.region["share"] == result.region["share"]
    assert again.screening == result.screening


def test_the_report_shows_the_global_sections(dip, tmp_path):
    case, result, _ = dip
    data = report.write(result, tmp_path, {"plan": case.plan("full").as_dict()})
    text = (tmp_path / "report.md").read_text()
    assert "## Which hidden parameters matter" in text and "## Where the claim holds" in text
    assert "both together, measured on fresh seeds: the claim breaks" in text
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert saved["summary_version"] == 2 and saved["region"]["share"] == data["region"]["share"]
    assert {"screening.png", "region_along.png", "region_slice.png"} <= {p.name for p in (tmp_path / "figures").iterdir()}


@pytest.mark.parametrize("field,value", [("morris_trajectories", -1), ("region", "yes"), ("screen_seeds", 0),
                                         ("sobol_samples", 10**6)])
def test_a_bad_global_plan_field_is_refused(field, value):
    with pytest.raises(SettingError, match=field):
        Plan("p", **{field: value})


def test_permuted_categories_keep_their_types(tmp_path):
    """A category of mixed types with more values than the Morris grid has levels (topic modeling's alpha:
    'symmetric', 0.01, 1.0, ...) is permuted per trajectory, and every setting the screening runs still holds
    the axis's own values, never strings numpy made of them."""
    from mummybench import Axis, Case, Choice, Claim, Float, Outcome

    options = ("symmetric", 0.01, 0.1, 1.0, 10.0, "auto")

    class Mixed(Case):
        name = "mixed"
        claim = Claim(text="t", source="test", metric="v", op=">=", threshold=0.0, resolution=1e-3)
        listed = False
        axes = (Axis("alpha", Choice(options), anchor=1.0, why="mixed types"),
                Axis("x", Float(0.0, 1.0), anchor=0.5, why="a number"))
        plans = {"quick": Plan("quick", seeds_min=2, seeds_max=2, random_samples=0, map_resolution=0,
                               morris_trajectories=6)}

        def trial(self, data, setting, seed):
            assert any(setting["alpha"] == o and type(setting["alpha"]) is type(o) for o in options), setting
            return Outcome(metrics={"v": setting["x"] + (setting["alpha"] == "auto")})

    case = Mixed()
    result, store = _search(case, case.plan("quick"), tmp_path)
    morris = result.screening["morris"]
    assert morris["permuted"] == ["alpha"] and morris["failed_dropped"] == 0 and morris["trajectories"] == 6
