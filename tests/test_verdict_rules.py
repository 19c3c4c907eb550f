"""Verdicts say no more than the data do: agreeing seeds, bounded metrics, ties, failed and NaN trials."""

import math

import pytest

from mummybench import Claim, Outcome
from mummybench.execute import InProcessExecutor, Task
from mummybench.runner import Runner
from mummybench.stats import mean_interval
from mummybench.store import Store

ACCURACY = Claim("acc", "test", "acc", ">=", 0.9, bounds=(0.0, 1.0), resolution=0.1)


def test_seeds_that_all_agree_do_not_give_a_zero_width_interval():
    """Two seeds of 1.0 on a metric of resolution 0.1: the interval has width, and the claim is not proven."""
    mean, low, high = mean_interval([1.0, 1.0], 0.95, ACCURACY.bounds, ACCURACY.sd_floor)
    assert mean == 1.0 and high == 1.0 and low < 0.9
    assert ACCURACY.verdict(low, high) == "inconclusive"


def test_bounded_intervals_stay_inside_the_metric_range():
    """An accuracy's interval never leaves [0, 1], however few or spread the seeds."""
    for values in ([0.0, 0.05], [0.95, 1.0], [0.0, 1.0, 0.5]):
        _, low, high = mean_interval(values, 0.99, (0.0, 1.0), 0.05)
        assert 0.0 <= low <= high <= 1.0


def test_a_float32_tie_with_the_threshold_satisfies_the_claim():
    """0.900 - 0.640 in float32 is 0.25999999; against a threshold of 0.26 it is a tie, not a miss."""
    import numpy as np

    margin = float(np.float32(0.9) - np.float32(0.64))
    assert margin < 0.26
    claim = Claim("margin", "test", "a", ">=", 0.26, baseline="b", bounds=(-1.0, 1.0), resolution=0.001)
    assert claim.satisfied(margin)
    assert not Claim("strict", "test", "a", ">", 0.26, resolution=0.001).satisfied(margin)
    assert claim.verdict(margin, margin + 0.01) == "holds"


def test_missing_interval_decides_nothing():
    """Fewer than two values: NaN ends, inconclusive (never 'breaks')."""
    assert ACCURACY.verdict(math.nan, math.nan) == "inconclusive"


class _NaN:
    """A toy case whose trial returns NaN at a == 1, no claim metric at a == 2, and 0.95 otherwise."""

    def __new__(cls):
        from cases.synthetic.case import Synthetic

        class NaNCase(Synthetic):
            name = "nan-toy"

            def trial(self, data, setting, seed):
                if setting["a"] == 1.0:
                    return Outcome(metrics={"score": float("nan")})
                if setting["a"] == 2.0:
                    return Outcome(metrics={"other": 1.0})
                return super().trial(data, setting, seed)

        return NaNCase()


def test_nan_or_missing_metric_fails_the_trial_with_its_reason(tmp_path):
    """Such trials are stored as they came, failed for the claim with the reason, listed in the report, never
    counted as seed noise, and a setting where every trial failed gets no more seeds."""
    case = _NaN()
    plan = case.plan("full")
    with Store(tmp_path / "t.jsonl") as store:
        runner = Runner(case, store, plan, InProcessExecutor(case))
        nan, missing, fine = runner.evaluate([{**case.anchor, "a": 1.0}, {**case.anchor, "a": 2.0}, case.anchor], "x")
        stored = [r for r in store.records.values() if r["setting"]["a"] in (1.0, 2.0)]
    assert nan.values == [] and len(nan.failed) == plan.seeds_min and nan.verdict == "inconclusive"
    assert "not a finite number" in nan.failed[0]["error"]
    assert "returned no metric 'score'" in missing.failed[0]["error"]
    assert len(stored) == 2 * plan.seeds_min  # stored, and no extra seeds spent on settings that cannot succeed
    assert len(runner.unjudgeable) == 2 * plan.seeds_min
    assert fine.verdict == "holds" and not fine.failed


def test_an_also_claims_nan_never_removes_a_seed_from_the_headline(tmp_path):
    """A NaN in a metric only a further claim needs fails that claim's trial, not the headline's."""
    from cases.synthetic.case import Synthetic

    class Aux(Synthetic):
        name = "aux"
        also = (Claim("aux", "test", "aux", ">=", 0.0),)

        def trial(self, data, setting, seed):
            out = super().trial(data, setting, seed)
            return Outcome(metrics={**out.metrics, "aux": float("nan") if seed == 1 else 1.0})

    case = Aux()
    with Store(tmp_path / "t.jsonl") as store:
        runner = Runner(case, store, case.plan("quick"), InProcessExecutor(case))
        ev, = runner.evaluate([case.anchor], "x")
        aux = runner.judge(case.also[0], case.anchor, ev.seeds, ev.schedule)
    assert not ev.failed and len(ev.values) == len(ev.seeds)
    assert [f["seed"] for f in aux.failed] == [1]


def test_a_value_outside_the_claims_bounds_is_a_failed_trial():
    """An accuracy of 1.5 is a broken trial, not a number to average (it would invert the clipped interval)."""
    assert "outside its bounds" in ACCURACY.problem({"acc": 1.5})
    assert ACCURACY.problem({"acc": 1.0}) is None and ACCURACY.problem({"acc": 1.0 + 1e-9}) is None


def test_one_nan_seed_is_a_failed_trial_not_a_smaller_sample(tmp_path):
    """With NaN on one seed only, the report's failed list names it and n counts the good seeds only."""
    from cases.synthetic.case import Synthetic

    class OneNaN(Synthetic):
        name = "one-nan"

        def trial(self, data, setting, seed):
            if seed == 1:
                return Outcome(metrics={"score": float("inf")})
            return super().trial(data, setting, seed)

    case = OneNaN()
    with Store(tmp_path / "t.jsonl") as store:
        ev, = Runner(case, store, case.plan("quick"), InProcessExecutor(case)).evaluate([case.anchor], "x")
    assert [f["seed"] for f in ev.failed] == [1] and len(ev.values) == len(ev.seeds) - 1


def test_trial_runs_at_the_cases_fixed_thread_count_whatever_the_executor():
    """The in-process executor and the pool both run a trial at Case.threads and record it with the runtime."""
    from cases.synthetic.case import Synthetic
    from mummybench.execute import PoolExecutor

    case = Synthetic()
    (_, local), = InProcessExecutor(case).map([Task("k", case.anchor, 0)])
    pool = PoolExecutor(case, jobs=2)
    try:
        (_, remote), = pool.map([Task("k", case.anchor, 0)])
    finally:
        pool.close()
    assert local["threads"] == remote["threads"] == case.threads == 1
    assert local["metrics"] == remote["metrics"]
    for result in (local, remote):
        assert result["runtime"]["threads"] == 1 and result["runtime"]["isa_mode"] in ("portable", "native")
        assert "numpy_dispatch" in result["runtime"]


def test_the_harness_pins_portable_instruction_sets_unless_told_otherwise(monkeypatch):
    """On an x86-64 AVX2 machine the pins are set (without overriding the user's); MUMMYBENCH_ISA=native sets none."""
    from mummybench import runtime

    monkeypatch.setattr(runtime, "_cpu_flags", lambda: {"avx2", "fma"})
    monkeypatch.setattr(runtime.platform, "machine", lambda: "x86_64")
    env = {"OPENBLAS_CORETYPE": "Zen"}
    assert runtime.pin_isa(env) == "portable"
    assert env["OPENBLAS_CORETYPE"] == "Zen" and env["ATEN_CPU_CAPABILITY"] == "avx2" and env["FAISS_SIMD_LEVEL"] == "AVX2"
    monkeypatch.setenv("MUMMYBENCH_ISA", "native")
    env = {}
    assert runtime.pin_isa(env) == "native" and env == {}


@pytest.mark.parametrize("edit, reruns", [
    ("claim = Claim(text='reworded', source='a corrected citation', metric='score', op='>=', threshold=0.8, quote='x')",
     False),
    ("title = 'a new title'  # and a comment", False),
    ("axes = (Axis('a', Float(0.0, 10.0), anchor=2.0, why='reworded', source='Table 9, p. 4'),)", False),
    ("axes = (Axis('a', Float(0.0, 10.0), anchor=2.0, why='reworded', reason='our own anchor, for a reason'),)", False),
    ("sigma = 0.02", True),
])
def test_words_do_not_key_the_store_but_code_does(tmp_path, edit, reruns):
    """Rewording the claim, its source or quote, a title, a comment, or an axis's why, source or reason keeps the
    code hash; code changes it."""
    import importlib.util
    import sys

    folder = tmp_path / "wordcase"
    folder.mkdir()
    head = ("from cases.synthetic.case import Synthetic\nfrom mummybench import Axis, Claim, Float\n\n\n"
            "class Toy(Synthetic):\n    \"\"\"A docstring.\"\"\"\n    name = 'toy'\n")
    hashes = []
    for k, body in enumerate(("", f"    {edit}\n")):
        path = folder / f"v{k}" / "case.py"
        path.parent.mkdir()
        path.write_text(head + body)
        spec = importlib.util.spec_from_file_location(f"wordcase_v{k}", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        hashes.append(module.Toy.code_hash())
    assert (hashes[0] != hashes[1]) == reruns
