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
START, HOLD, BATCH, HOLD_STEP, SEEDS, LEAST = 30, 20, 5, 10, 2, 60  # see `adaptive`


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
    model_stop = None  # the first round at which the model's own interval alone would have stopped the design
    while True:
        model = Surrogate(cube, case.claim, fit, seed=seed)
        labels = [float(bool(e.values) and case.claim.satisfied(float(np.mean(e.values)))) for e in unseen]
        share = ppi_share(model.p_holds(pool), model.p_holds([e.setting for e in unseen]), labels)
        own = model.share(pool, seed=seed)
        if model_stop is None and (own["ci"][1] - own["ci"][0]) / 2 <= HALF_WIDTH and len(fit) >= LEAST:
            model_stop = {"trials": len(fit) * SEEDS, "ci": own["ci"], "estimate": own["estimate"]}
        narrow = (share["ci"][1] - share["ci"][0]) / 2 <= HALF_WIDTH
        if (narrow and len(fit) >= LEAST) or runner.ran >= most:
            break
        fit += runner.evaluate_fixed(model.batch(cube.sample(600, rng), BATCH), "refine", SEEDS)
        unseen += runner.evaluate_fixed(cube.sample(HOLD_STEP, rng), "unseen", SEEDS)
    return {"settings": len(fit) + len(unseen), "trials": runner.ran, "estimate": share["estimate"], "ci": share["ci"],
            "model_only": own, "model_stop": model_stop}


def morris_coverage(replicates: int = 200) -> dict:
    """How often the Morris intervals of `screening` hold the true mu* and sigma, on f = 2 x1 + 4 x2 x3 +
    sin(3 x4) + 0 x5 over [0, 1]^5, whose elementary effects on the 4-level grid are enumerated exactly. The
    intervals are computed as `screening.morris` does (Student-t over trajectories for mu*, chi-square for sigma)."""
    import itertools
    import math

    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    from mummybench.screening import DELTA, LEVELS, chi2_quantile
    from mummybench.stats import mean_interval

    def f(x):
        return 2 * x[..., 0] + 4 * x[..., 1] * x[..., 2] + np.sin(3 * x[..., 3])

    d = 5
    grid = np.arange(LEVELS) / (LEVELS - 1)
    problem = {"num_vars": d, "names": [f"x{i + 1}" for i in range(d)], "bounds": [[0, 1]] * d}
    # every step on the grid: axis i from a level that stays on the grid after +DELTA, the others anywhere
    truth = []
    for i in range(d):
        effects = []
        for point in itertools.product(grid, repeat=d):
            x = np.array(point)
            if x[i] + DELTA <= 1 + 1e-9:
                y = x.copy()
                y[i] += DELTA
                effects.append((f(y) - f(x)) / DELTA)
        effects = np.array(effects)
        truth.append((float(np.mean(np.abs(effects))), float(np.std(effects))))
    out = {}
    for r in (4, 10, 20):
        hit_mu = hit_sigma = total = 0
        for rep in range(replicates):
            x = sample.sample(problem, r, num_levels=LEVELS, seed=1000 * r + rep)
            y = f(x)
            full = analyze.analyze(problem, x, y, num_levels=LEVELS, num_resamples=2, seed=1)
            rows = x.reshape(r, d + 1, d)
            each = [analyze.analyze(problem, rows[t], y.reshape(r, d + 1)[t], num_levels=LEVELS, num_resamples=2,
                                    seed=1) for t in range(r)]
            for i in range(d):
                if truth[i][0] == 0:
                    continue
                _, low, high = mean_interval([float(e["mu_star"][i]) for e in each], 0.95)
                hit_mu += low <= truth[i][0] <= high
                s = float(full["sigma"][i])
                lo_s = s * math.sqrt((r - 1) / chi2_quantile(0.975, r - 1))
                hi_s = s * math.sqrt((r - 1) / chi2_quantile(0.025, r - 1))
                hit_sigma += lo_s <= truth[i][1] <= hi_s
                total += 1
        out[str(r)] = {"mu_star": hit_mu / total, "sigma": hit_sigma / total, "intervals": total}
    return {"coverage": out, "replicates": replicates, "function": "2 x1 + 4 x2 x3 + sin(3 x4) + 0 x5"}


def morris_lines(v: dict) -> list[str]:
    out = ["## Morris intervals: measured coverage", "",
           f"On {v['function']} over [0, 1]^5, {v['replicates']} designs per row, the true μ* and σ enumerated on "
           "the 4-level grid (x5, inert, left out). Target: 95%.", "",
           "| trajectories | μ* intervals holding the truth | σ intervals holding it |", "|---|---|---|"]
    for r, c in v["coverage"].items():
        out.append(f"| {r} | {c['mu_star']:.1%} | {c['sigma']:.1%} |")
    return out


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
            stop = ad["model_stop"] or {"trials": None, "ci": [None, None]}
            own = stop["ci"]
            rows.append({"uniform": u, "adaptive": ad,
                         "model_only_covers": own[0] is not None and own[0] <= share <= own[1],
                         "adaptive_covers": ad["ci"][0] <= share <= ad["ci"][1],
                         "uniform_covers": u["ci"][0] <= share <= u["ci"][1]})
        ratio = statistics.median(x["adaptive"]["trials"] / x["uniform"]["trials"] for x in rows)
        model_trials = [x["adaptive"]["model_stop"]["trials"] for x in rows if x["adaptive"]["model_stop"]]
        model_ratio = statistics.median(x["adaptive"]["model_stop"]["trials"] / x["uniform"]["trials"] for x in rows
                                        if x["adaptive"]["model_stop"]) if model_trials else None
        out.append({"toy": case.name, "true_share": share, "replicates": rows, "median_ratio": ratio,
                    "median_ratio_model_only": model_ratio,
                    "median_trials_model_only": statistics.median(model_trials) if model_trials else None,
                    "adaptive_covered": sum(x["adaptive_covers"] for x in rows),
                    "model_only_covered": sum(x["model_only_covers"] for x in rows),
                    "uniform_covered": sum(x["uniform_covers"] for x in rows),
                    "median_trials_uniform": statistics.median(x["uniform"]["trials"] for x in rows),
                    "median_trials_adaptive": statistics.median(x["adaptive"]["trials"] for x in rows)})
    return {"toys": out, "half_width": HALF_WIDTH, "ratio_target": 1 / 3,
            "design": f"adaptive: {START} uniform settings to fit on and {HOLD} kept unseen, then rounds of {BATCH} "
                      f"chosen by the straddle score and {HOLD_STEP} more unseen, {SEEDS} seeds each, {LEAST} fitted "
                      "settings at least; uniform: 20 settings at a time, seeds 2 then 4 where undecided"}


def lines(v: dict) -> list[str]:
    out = ["## Adaptive design against uniform sampling, for the holding share", "",
           f"Trials until the share's 95% interval is ±{v['half_width']} or narrower ({v['design']}). Target: "
           f"the adaptive design needs a third or fewer of the uniform design's trials.", "",
           "Two stopping rules for the adaptive design: the prediction-powered interval (valid whatever the model; "
           "it needs labelled settings the model never saw), and the model's own posterior interval (trusts the "
           "kernel; counts only the fitted settings' trials).", "",
           "| toy | true share | uniform: median trials | adaptive, prediction-powered: median trials (ratio) | "
           "covering the truth | adaptive, the model's own interval: median trials (ratio) | covering the truth | "
           "uniform (Wilson) covering the truth |", "|---|---|---|---|---|---|---|---|"]
    for t in v["toys"]:
        n = len(t["replicates"])
        mr = t.get("median_ratio_model_only")
        model = (f"{t['median_trials_model_only']:g} ({mr:.3f}, {'met' if mr <= v['ratio_target'] else 'MISSED'})"
                 if mr is not None else "never narrow enough")
        out.append(f"| {t['toy']} | {t['true_share']:.4f} | {t['median_trials_uniform']:g} | "
                   f"{t['median_trials_adaptive']:g} ({t['median_ratio']:.3f}, "
                   f"{'met' if t['median_ratio'] <= v['ratio_target'] else 'MISSED'}) | {t['adaptive_covered']} of {n} | "
                   f"{model} | {t['model_only_covered']} of {n} | {t['uniform_covered']} of {n} |")
    return out
