"""Which hidden parameters matter: global sensitivity of the claim's per-trial value over every axis's
plausible range, with SALib (Herman & Usher 2017).

- Morris elementary effects (Morris 1991; mu* of Campolongo et al. 2007): r trajectories of D+1 points through
  a 4-level grid of the unit cube (`cube`), each step moving one axis by 2/3 of its range. mu* is the mean
  absolute effect of a step, sigma its spread (large: the effect depends on the other axes, or is not linear).
- Sobol' first-order (S1) and total-order (ST) indices from Saltelli's scheme (N (D+2) points), where trials
  are cheap: S1 is the share of the value's variance an axis explains alone, ST - S1 its share in interactions.

Each design point is one trial per seed in `screen_seeds`, so the indices include seed noise; the noise floor
(what mu* and sigma would be if nothing but seeds moved the value) is given beside them. A design point the
case cannot run (`check`) drops its whole trajectory (Morris) or its Saltelli block (Sobol'), as does one
whose every trial failed: the report says how many. Intervals are 95% bootstrap intervals: over trajectories
for mu* and sigma, SALib's own for S1 and ST.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .cube import Cube
from .plan import Plan
from .runner import Evaluation, Runner

LEVELS = 4  # Morris grid levels; SALib's default and the usual choice
DELTA = LEVELS / (2 * (LEVELS - 1))  # the step of every elementary effect in the unit cube (2/3)
RESAMPLES = 1000
CATEGORICAL_WORDS = ("A category axis is the unit interval cut into equal parts, one per category (a uniform draw "
                     "takes every category equally often). A Morris step of 2/3 always changes the category, so its "
                     "mu* is the mean absolute change when the category changes (divided by 2/3, like every other "
                     "axis's); with three or more categories the 4-level grid reaches only some pairs of categories. "
                     "Sobol' indices need no such caveat: they are defined for any input distribution.")


def _mean_value(ev: Evaluation) -> float:
    return float(np.mean(ev.values)) if ev.values else math.nan


def morris(cube: Cube, plan: Plan, runner: Runner, noise_sd: float) -> tuple[dict[str, Any] | None, list[Evaluation]]:
    """Morris screening over the cube: per axis mu*, sigma and mu with 95% bootstrap intervals, ranked by mu*.
    `noise_sd` is the seed-to-seed standard deviation at the anchor (the noise floor's scale)."""
    r = plan.morris_trajectories
    if r == 0 or not cube.axes:
        return None, []
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    problem = cube.problem()
    group_of = {a: g for g, members in plan.morris_groups.items() for a in members}
    names = list(dict.fromkeys(group_of.get(n, n) for n in cube.names))  # groups (or axes), in the cube's order
    if group_of:
        problem["groups"] = [group_of.get(n, n) for n in cube.names]
    d = len(names)  # a trajectory moves one group at a time: d + 1 settings
    candidates = sample.sample(problem, 4 * r, num_levels=LEVELS, seed=plan.sample_seed)
    kept_x, kept_s, invalid = [], [], 0
    for t in range(4 * r):
        block = candidates[t * (d + 1):(t + 1) * (d + 1)]
        settings = [cube.decode(u) for u in block]
        if not all(cube.valid(s) for s in settings):
            invalid += 1
            continue
        kept_x.append(block)
        kept_s.append(settings)
        if len(kept_x) == r:
            break
    flat = [s for block in kept_s for s in block]
    evals = runner.evaluate_fixed(flat, "screen: Morris elementary effects", plan.screen_seeds) if flat else []
    y = np.array([_mean_value(ev) for ev in evals]).reshape(len(kept_s), d + 1) if flat else np.zeros((0, d + 1))
    ok = np.isfinite(y).all(axis=1)
    x = np.asarray(kept_x)[ok] if kept_x else np.zeros((0, d + 1, len(cube.axes)))
    y = y[ok]
    out: dict[str, Any] = {"method": "morris", "levels": LEVELS, "delta": DELTA, "trajectories": int(ok.sum()),
                           "requested": r, "invalid_dropped": invalid, "failed_dropped": int((~ok).sum()),
                           "seeds_per_point": plan.screen_seeds, "trials": len(flat) * plan.screen_seeds,
                           "categorical": CATEGORICAL_WORDS}
    # what mu* and sigma are when seeds alone move the value: a step's effect is then the difference of two
    # means of m seeds, N(0, 2 s^2 / m), divided by the step
    m = plan.screen_seeds
    out["noise_floor"] = {"mu_star": 2 * noise_sd / (DELTA * math.sqrt(math.pi * m)),
                          "sigma": noise_sd * math.sqrt(2 / m) / DELTA, "seed_sd": noise_sd}
    if len(y) < 2:
        out["axes"] = []
        out["note"] = "fewer than two trajectories could be measured: no indices"
        return out, evals
    rows = lambda idx: (x[idx].reshape(-1, len(cube.axes)), y[idx].reshape(-1))  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = analyze.analyze(problem, *rows(np.arange(len(y))), num_resamples=10, num_levels=LEVELS,
                               seed=plan.sample_seed)
        rng = np.random.default_rng(plan.sample_seed)
        boot = {"mu_star": [], "sigma": [], "mu": []}
        for _ in range(200):
            pick = rng.integers(0, len(y), len(y))
            res = analyze.analyze(problem, *rows(pick), num_resamples=2, num_levels=LEVELS, seed=plan.sample_seed)
            for key in boot:
                boot[key].append(np.asarray(res[key], dtype=float))
    axes = []
    for i, name in enumerate(names):
        entry: dict[str, Any] = {"axis": name}
        if group_of:
            entry["members"] = [n for n in cube.names if group_of.get(n, n) == name]
        for key in ("mu_star", "sigma", "mu"):
            if not np.isfinite(full[key][i]):  # SALib gives no sigma (nor mu) for a group of several axes
                entry[key], entry[f"{key}_ci"] = None, [None, None]
                continue
            values = np.array([b[i] for b in boot[key]])
            entry[key] = float(full[key][i])
            entry[f"{key}_ci"] = [float(np.quantile(values, 0.025)), float(np.quantile(values, 0.975))]
        entry["above_noise"] = entry["mu_star_ci"][0] > out["noise_floor"]["mu_star"]
        axes.append(entry)
    out["axes"] = sorted(axes, key=lambda e: -e["mu_star"])
    out["grouped"] = bool(group_of)
    return out, evals


def sobol(cube: Cube, plan: Plan, runner: Runner, noise_sd: float) -> tuple[dict[str, Any] | None, list[Evaluation]]:
    """Sobol' S1 and ST per axis with SALib's 95% bootstrap intervals, from N (D+2) points (`sobol_samples` = N)."""
    n, d = plan.sobol_samples, len(cube.axes)
    if n == 0 or d == 0:
        return None, []
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problem = cube.problem()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib warns when N is not a power of 2; Plan's docs say to use one
        design = sample.sample(problem, n, calc_second_order=False, seed=plan.sample_seed)
    blocks = [design[j * (d + 2):(j + 1) * (d + 2)] for j in range(n)]
    kept, invalid = [], 0
    for block in blocks:
        settings = [cube.decode(u) for u in block]
        if all(cube.valid(s) for s in settings):
            kept.append(settings)
        else:
            invalid += 1
    flat = [s for block in kept for s in block]
    evals = runner.evaluate_fixed(flat, "screen: Sobol' indices", plan.screen_seeds) if flat else []
    y = np.array([_mean_value(ev) for ev in evals]).reshape(len(kept), d + 2) if flat else np.zeros((0, d + 2))
    ok = np.isfinite(y).all(axis=1)
    y = y[ok]
    out: dict[str, Any] = {"method": "sobol", "base_samples": int(ok.sum()), "requested": n, "invalid_dropped": invalid,
                           "failed_dropped": int((~ok).sum()), "seeds_per_point": plan.screen_seeds,
                           "trials": len(flat) * plan.screen_seeds, "categorical": CATEGORICAL_WORDS}
    variance = float(np.var(y)) if y.size else math.nan
    out["value_variance"] = variance
    # seed noise's share of the variance of one point's value: no axis can explain it
    out["noise_share"] = (noise_sd ** 2 / plan.screen_seeds) / variance if variance and variance > 0 else None
    if len(y) < 4 or not variance > 0:
        out["axes"] = []
        out["note"] = "too few measured blocks, or a constant value: no indices"
        return out, evals
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = analyze.analyze(problem, y.reshape(-1), calc_second_order=False, num_resamples=RESAMPLES,
                              conf_level=0.95, seed=plan.sample_seed)
    axes = []
    for i, name in enumerate(cube.names):
        entry = {"axis": name}
        for key in ("S1", "ST"):
            v, c = float(res[key][i]), float(res[f"{key}_conf"][i])
            entry[key], entry[f"{key}_ci"] = v, [v - c, v + c]
        axes.append(entry)
    out["axes"] = sorted(axes, key=lambda e: -e["ST"])
    return out, evals
