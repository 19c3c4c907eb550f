"""`make bench`: trials the adaptive design (the surrogate refined by level-set estimation) needs to estimate the
holding share within ±0.05, against uniform random sampling with Wilson intervals, on toys whose true share is
known; and how often the adaptive interval covers the truth."""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

import numpy as np

from mummybench.cube import Cube
from mummybench.execute import InProcessExecutor
from mummybench.plan import Plan
from mummybench.region import ppi_share
from mummybench.runner import Runner
from mummybench.stats import wilson_interval
from mummybench.store import Store
from mummybench.surrogate import Surrogate

HALF_WIDTH = 0.05
START, HOLD, BATCH, HOLD_STEP, SEEDS, LEAST = 30, 20, 5, 5, 2, 60  # see `adaptive`


def _runner(case, plan: Plan, folder: Path) -> Runner:
    return Runner(case, Store(folder / "trials.jsonl"), plan, InProcessExecutor(case))


def true_share(case, truth, draws: int = 400_000) -> float:
    cube = Cube.of(case, case.anchor)
    rng = np.random.default_rng(99)
    return float(np.mean([truth(cube.decode(u)) for u in rng.random((draws, len(cube.axes)))]))


def uniform(case, plan: Plan, folder: Path, seed: int, step: int = 20, most: int = 3000) -> dict:
    """Random settings judged with the plan's sequential seeding, added `step` at a time until the Wilson
    interval of the share holding is ±0.05 or narrower; inconclusive settings count as not holding."""
    runner = _runner(case, plan, folder)
    cube = Cube.of(case, case.anchor)
    rng = np.random.default_rng([seed, 1])
    evals = []
    while len(evals) < most:
        evals += runner.evaluate(cube.sample(step, rng), "uniform")
        holds = sum(e.verdict == "holds" for e in evals)
        p, low, high = wilson_interval(holds, len(evals))
        if (high - low) / 2 <= HALF_WIDTH:
            break
    return {"settings": len(evals), "trials": runner.ran, "estimate": p, "ci": [low, high]}


def adaptive(case, plan: Plan, folder: Path, seed: int, most: int = 3000) -> dict:
    """START uniform settings to fit on and HOLD uniform settings kept unseen, then rounds of BATCH settings chosen
    by the straddle score and HOLD_STEP more unseen uniform ones, each on SEEDS seeds, until the prediction-powered
    share interval (`region.ppi_share`) is ±0.05 or narrower with LEAST settings fitted."""
    runner = _runner(case, plan, folder)
    cube = Cube.of(case, case.anchor)
    rng = np.random.default_rng([seed, 2])
    fit = runner.evaluate_fixed(cube.sample(START, rng), "start", SEEDS)
    unseen = runner.evaluate_fixed(cube.sample(HOLD, rng), "unseen", SEEDS)
    pool = cube.sample(800, np.random.default_rng([seed, 3]))
    while True:
        model = Surrogate(cube, case.claim, fit, seed=seed)
        share = ppi_share(model, pool, unseen)
        own = model.share(pool, seed=seed)
        narrow = (share["ci"][1] - share["ci"][0]) / 2 <= HALF_WIDTH
        if (narrow and len(fit) >= LEAST) or runner.ran >= most:
            break
        fit += runner.evaluate_fixed(model.batch(cube.sample(600, rng), BATCH), "refine", SEEDS)
        unseen += runner.evaluate_fixed(cube.sample(HOLD_STEP, rng), "unseen", SEEDS)
    return {"settings": len(fit) + len(unseen), "trials": runner.ran, "estimate": share["estimate"], "ci": share["ci"],
            "model_only": own}


def adaptive_against_uniform(replicates: int = 6) -> dict:
    from cases.global_toys.case import Dip, dip_value
    from cases.synthetic.case import Synthetic

    toys = [
        (Dip(), lambda s: dip_value(s["x"], s["y"], s["z"]) >= 0.5),
        (Synthetic(), lambda s: 1.0 - 0.1 * abs(s["a"] - 5.0) - 0.2 * abs(np.log10(s["n"] / 100))
         - 0.15 * max(s["level"] - 2, 0) - 0.5 * (s["mode"] == "bad") >= 0.8),
    ]
    out = []
    for case, truth in toys:
        plan = Plan("bench", seeds_min=2, seeds_max=4, seeds_step=2)
        share = true_share(case, truth)
        rows = []
        for r in range(replicates):
            with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
                u, ad = uniform(case, plan, Path(a), r), adaptive(case, plan, Path(b), r)
            own = ad["model_only"]["ci"]
            rows.append({"uniform": u, "adaptive": ad, "model_only_covers": own[0] <= share <= own[1],
                         "adaptive_covers": ad["ci"][0] <= share <= ad["ci"][1],
                         "uniform_covers": u["ci"][0] <= share <= u["ci"][1]})
        ratio = statistics.median(x["adaptive"]["trials"] / x["uniform"]["trials"] for x in rows)
        out.append({"toy": case.name, "true_share": share, "replicates": rows, "median_ratio": ratio,
                    "adaptive_covered": sum(x["adaptive_covers"] for x in rows),
                    "model_only_covered": sum(x["model_only_covers"] for x in rows),
                    "uniform_covered": sum(x["uniform_covers"] for x in rows),
                    "median_trials_uniform": statistics.median(x["uniform"]["trials"] for x in rows),
                    "median_trials_adaptive": statistics.median(x["adaptive"]["trials"] for x in rows)})
    return {"toys": out, "half_width": HALF_WIDTH, "ratio_target": 1 / 3,
            "design": f"adaptive: {START} uniform settings, then rounds of {BATCH} by the straddle score, {SEEDS} seeds "
                      f"each, {LEAST} settings at least; uniform: 20 settings at a time, seeds 2 then 4 where undecided"}


def lines(v: dict) -> list[str]:
    out = ["## Adaptive design against uniform sampling, for the holding share", "",
           f"Trials until the share's 95% interval is ±{v['half_width']} or narrower ({v['design']}). Target: "
           f"the adaptive design needs a third or fewer of the uniform design's trials.", "",
           "The adaptive interval is prediction-powered (the model's mean P(holds) corrected by its error on uniform "
           "settings it was not fitted on); the model's own posterior interval is counted beside it.", "",
           "| toy | true share | uniform: median trials | adaptive: median trials | median ratio | adaptive intervals "
           "covering the truth | the model's own intervals covering it | uniform (Wilson) intervals covering it |",
           "|---|---|---|---|---|---|---|---|"]
    for t in v["toys"]:
        n = len(t["replicates"])
        out.append(f"| {t['toy']} | {t['true_share']:.4f} | {t['median_trials_uniform']:g} | "
                   f"{t['median_trials_adaptive']:g} | {t['median_ratio']:.3f} "
                   f"({'met' if t['median_ratio'] <= v['ratio_target'] else 'MISSED'}) | {t['adaptive_covered']} of {n} | "
                   f"{t['model_only_covered']} of {n} | {t['uniform_covered']} of {n} |")
    return out
