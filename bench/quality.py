"""The verdict procedure measured on toy cases whose answers are known exactly.

- false decisions: settings whose true mean sits exactly on the threshold; any verdict other than
  inconclusive is an error (the interval excluded the true mean). Nominal rate: 5%.
- bracket coverage: the search on the synthetic case's axis `a`, whose claim breaks exactly at a = 3 and
  a = 7, repeated over independent noise realisations; a bracket covers when the true breaking point
  lies between its holding and its breaking value.
- cost: the search's trials against a dense grid with the bracket's width, both judged the same way.

Used by `make bench` (full sizes) and by the tests (small sizes, same code).
"""

from __future__ import annotations

import hashlib
import json
import statistics
from pathlib import Path
from typing import Any

import numpy as np

from cases.synthetic.case import Synthetic
from mummybench import Outcome, Plan
from mummybench.execute import InProcessExecutor
from mummybench.runner import Runner
from mummybench.search import search
from mummybench.store import Store

TRUTH = {"below": 3.0, "above": 7.0}
THRESHOLD = 0.8  # the synthetic claim's (a trial never reads its claim: declarations do not key the store)


class MemoryStore(Store):
    """A store that keeps records in memory only (simulations write tens of thousands)."""

    def __init__(self) -> None:
        super().__init__(Path("/nonexistent/mummybench-memory-store"))

    def append(self, record: dict[str, Any]) -> None:
        self.records[record["key"]] = record


class Toy(Synthetic):
    """The synthetic case with Gaussian noise drawn per noise realisation, either shared by every setting
    for a given seed (`crn`: common random numbers, as the harness's seeds 0..n-1 give a case whose noise
    depends on the seed alone) or independent per (setting, seed). `flat` puts every setting's true mean
    exactly on the threshold."""

    name = "toy"

    def __init__(self, realisation: int = 0, crn: bool = True, flat: bool = False, sigma: float = 0.01) -> None:
        self.realisation, self.crn, self.flat, self.sigma = realisation, crn, flat, sigma

    def truth(self, setting: dict) -> float:
        return THRESHOLD if self.flat else 1.0 - 0.1 * abs(setting["a"] - 5.0)

    def trial(self, data: object, setting: dict, seed: int) -> Outcome:
        parts: list[Any] = [self.realisation, seed]
        if not self.crn:
            parts.append(int.from_bytes(hashlib.sha256(json.dumps(setting, sort_keys=True).encode()).digest()[:8], "little"))
        noise = np.random.default_rng(parts).normal(0.0, self.sigma)
        return Outcome(metrics={"score": self.truth(setting) + noise})


def false_decisions(plan: Plan, settings: int = 2000, anchor: bool = False) -> dict[str, Any]:
    """Share of `settings` exactly at the threshold (independent noise) that get a verdict, with the plan's
    seeding (its anchor_seeds schedule when `anchor`)."""
    case = Toy(realisation=1, crn=False, flat=True)
    runner = Runner(case, MemoryStore(), plan, InProcessExecutor(case))
    grid = [{**case.anchor, "a": float(v)} for v in np.linspace(0.0, 10.0, settings)]
    evals = runner.evaluate(grid, "flat", plan.anchor_seeds if anchor else None)
    wrong = sum(ev.verdict != "inconclusive" for ev in evals)
    schedule = runner.schedule(plan.anchor_seeds if anchor else None)
    return {"plan": plan.name, "looks": list(schedule), "settings": settings, "decided": wrong,
            "rate": wrong / settings, "trials": runner.ran, "mean_seeds": runner.ran / settings}


def _search_a(case: Toy, plan: Plan) -> tuple[dict[str, Any], Runner]:
    plan = Plan(**{**plan.as_dict(), "axes": ("a",), "map_resolution": 0, "random_samples": 0, "compare": False})
    runner = Runner(case, MemoryStore(), plan, InProcessExecutor(case))
    result = search(case, plan, runner)
    axis = result.axes[0]
    return {name: side.bracket(result.anchor, axis.points) for name, side in axis.sides.items()}, runner


def bracket_coverage(realisations: int = 200, crn: bool = True, plan: Plan | None = None,
                     dense_every: int = 10, sigma: float = 0.01) -> dict[str, Any]:
    """Coverage of the true breaking points a = 3 and a = 7 by the search's brackets on axis `a`, over noise
    realisations; and, for every `dense_every`-th realisation, the trials of a dense grid whose spacing is
    that run's narrowest bracket, judged the same way, with its own coverage."""
    plan = plan or Synthetic.plans["full"]
    covered = {"below": 0, "above": 0}
    both, widths, trials, ratios, dense_cover = 0, [], [], [], []
    for k in range(realisations):
        case = Toy(realisation=1000 + k, crn=crn, sigma=sigma)
        brackets, runner = _search_a(case, plan)
        ok = {}
        for name, b in brackets.items():
            lo, hi = sorted((b["holds_at"], b["breaks_at"])) if b else (None, None)
            ok[name] = b is not None and lo <= TRUTH[name] <= hi
            covered[name] += ok[name]
            if b:
                widths.append(hi - lo)
        both += all(ok.values())
        trials.append(runner.ran)
        found = [abs(b["holds_at"] - b["breaks_at"]) for b in brackets.values() if b]
        if dense_every and k % dense_every == 0 and found:
            width = min(found)
            dense, dense_ok = _dense(case, plan, width)
            ratios.append(runner.ran / dense)
            dense_cover.append(dense_ok)
    n = realisations
    return {"realisations": n, "common_random_numbers": crn, "plan": plan.name, "sigma": sigma,
            "coverage_below": covered["below"] / n, "coverage_above": covered["above"] / n,
            "coverage_per_bracket": (covered["below"] + covered["above"]) / (2 * n), "coverage_both": both / n,
            "median_bracket_width": statistics.median(widths) if widths else None,
            "median_search_trials": statistics.median(trials),
            "cost_ratio_to_dense_grid": statistics.median(ratios) if ratios else None,
            "dense_grid_coverage": statistics.mean(dense_cover) if dense_cover else None,
            "dense_grid_runs": len(ratios)}


def _dense(case: Toy, plan: Plan, width: float) -> tuple[int, float]:
    """Trials of a grid over a in [0, 10] with the given spacing, every point judged with the plan's seeding;
    and the share of the two true breaking points that its adjacent holds/breaks pairs bracket."""
    runner = Runner(case, MemoryStore(), plan, InProcessExecutor(case))
    values = [float(v) for v in np.linspace(0.0, 10.0, int(round(10.0 / width)) + 1)]
    evals = runner.evaluate([{**case.anchor, "a": v} for v in values], "dense")
    verdicts = dict(zip(values, (ev.verdict for ev in evals)))
    ok = 0
    for name, truth in TRUTH.items():
        walk = [v for v in values if (v <= 5.0 if name == "below" else v >= 5.0)]
        walk = walk[::-1] if name == "below" else walk
        last_hold = first_break = None  # walking away from a = 5: the last hold before the first break
        for w in walk:
            if verdicts[w] == "breaks":
                first_break = w
                break
            if verdicts[w] == "holds":
                last_hold = w
        if last_hold is not None and first_break is not None:
            lo, hi = sorted((last_hold, first_break))
            ok += lo <= truth <= hi
    return runner.ran, ok / 2
