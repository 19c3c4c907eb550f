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
whose every trial failed: the report says how many. Intervals: for mu* and mu a 95% Student-t interval over
trajectories (each trajectory gives one effect per axis), for sigma the chi-square interval of a standard
deviation; for S1 and ST SALib's own, 1.96 times the standard deviation of its bootstrap. With few trajectories
these are approximate: `make bench` measures their coverage on a function whose indices are known.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .cube import Cube, options
from .plan import Plan
from .runner import Evaluation, Runner
from .stats import mean_interval


def chi2_quantile(q: float, df: int) -> float:
    from scipy.special import chdtri

    return float(chdtri(df, 1.0 - q))

LEVELS = 4  # Morris grid levels; SALib's default and the usual choice
DELTA = LEVELS / (2 * (LEVELS - 1))  # the step of every elementary effect in the unit cube (2/3)
RESAMPLES = 1000
CATEGORICAL_WORDS = ("A category axis is the unit interval cut into equal parts, one per category (a uniform draw "
                     "takes every category equally often). A Morris step of 2/3 always changes the category, so its "
                     "mu* is the mean absolute change when the category changes (divided by 2/3, like every other "
                     "axis's); with three or more categories the 4-level grid reaches only some pairs of categories "
                     "(with three: the first and the third, the second and the third). "
                     "Sobol' indices need no such caveat: they are defined for any input distribution.")


def _mean_value(ev: Evaluation) -> float:
    return float(np.mean(ev.values)) if ev.values else math.nan


def morris(cube: Cube, plan: Plan, runner: Runner, noise_sd: float) -> tuple[dict[str, Any] | None, list[Evaluation]]:
    """Morris screening over the cube: per axis (or group) mu*, sigma and mu with 95% intervals, ranked by mu*.
    `noise_sd` is the seed-to-seed standard deviation pooled over the search's settings (the noise floor's scale).

    A category with more parts than the grid has levels would never be visited at some values, so each trajectory
    permutes its categories at random (a step then compares a random pair). A trajectory the case cannot run
    (`check`) is replaced before it runs; one with a failed trial is replaced after, up to 3 rounds, so the indices
    are conditional on settings that run (the report says how many were replaced)."""
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
    many = [a for a in cube.axes if a.categorical and len(options(a)) > LEVELS]
    rng = np.random.default_rng([plan.sample_seed, 7])
    candidates = sample.sample(problem, 8 * r, num_levels=LEVELS, seed=plan.sample_seed)
    pending = []
    invalid = 0
    for t in range(8 * r):
        block = candidates[t * (d + 1):(t + 1) * (d + 1)]
        # permute positions, not values: numpy would turn a mixed list ("symmetric", 0.01, 1.0) into strings
        orders = {a.name: [options(a)[i] for i in rng.permutation(len(options(a)))] for a in many}
        settings = [cube.decode(u, orders) for u in block]
        if all(cube.valid(s) for s in settings):
            pending.append((block, settings))
        else:
            invalid += 1
    kept: list[tuple[np.ndarray, list, np.ndarray]] = []
    evals: list[Evaluation] = []
    failed = trials = 0
    for round_ in range(3):
        batch, pending = pending[:r - len(kept)], pending[r - len(kept):]
        if not batch:
            break
        flat = [s for _, block in batch for s in block]
        got = runner.evaluate_fixed(flat, "screen: Morris elementary effects"
                                    + (f" (replacing failed trajectories, round {round_ + 1})" if round_ else ""),
                                    plan.screen_seeds)
        evals += got
        trials += len(flat) * plan.screen_seeds
        values = np.array([_mean_value(ev) for ev in got]).reshape(len(batch), d + 1)
        for (block, settings), y in zip(batch, values):
            if np.isfinite(y).all():
                kept.append((block, settings, y))
            else:
                failed += 1
        if len(kept) == r:
            break
    out: dict[str, Any] = {"method": "morris", "levels": LEVELS, "delta": DELTA, "trajectories": len(kept),
                           "requested": r, "invalid_dropped": invalid, "failed_dropped": failed,
                           "seeds_per_point": plan.screen_seeds, "trials": trials, "grouped": bool(group_of),
                           "categorical": CATEGORICAL_WORDS, "permuted": [a.name for a in many]}
    # what mu* and sigma are when seeds alone move the value: a step's effect is then the difference of two
    # means of m seeds, N(0, 2 s^2 / m), divided by the step (independent noise at the two ends; the same seed at
    # both ends can correlate it, so the floor errs on the side of "not shown to matter")
    m = plan.screen_seeds
    out["noise_floor"] = {"mu_star": 2 * noise_sd / (DELTA * math.sqrt(math.pi * m)),
                          "sigma": noise_sd * math.sqrt(2 / m) / DELTA, "seed_sd": noise_sd}
    if len(kept) < 2:
        out["axes"] = []
        out["note"] = "fewer than two trajectories could be measured: no indices"
        return out, evals
    x = np.array([k[0] for k in kept])
    y = np.array([k[2] for k in kept])
    moved = _moved(cube, names, group_of, [k[0] for k in kept], [k[1] for k in kept])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = analyze.analyze(problem, x.reshape(-1, len(cube.axes)), y.reshape(-1), num_resamples=10,
                               num_levels=LEVELS, seed=plan.sample_seed)
        # each trajectory alone: its elementary effect per axis (mu) and its absolute value (mu*)
        each = [analyze.analyze(problem, xi, yi, num_resamples=2, num_levels=LEVELS, seed=plan.sample_seed)
                for xi, yi in zip(x, y)]
    n = len(kept)
    # seeds that all agree never prove an effect exactly 0: an effect's sd is at least the claim's least seed-to-seed
    # sd at both ends of a step, divided by the step
    floor = runner.case.claim.sd_floor * math.sqrt(2) / DELTA
    axes = []
    for i, name in enumerate(names):
        entry: dict[str, Any] = {"axis": name, "moved": moved[name]}
        if group_of:
            entry["members"] = [a for a in cube.names if group_of.get(a, a) == name]
        for key in ("mu_star", "mu"):
            per = np.array([float(e[key][i]) for e in each])
            mean, low, high = mean_interval(list(per), 0.95, None, floor)
            entry[key], entry[f"{key}_ci"] = float(full[key][i]), [low, high]
        entry["mu_star_ci"][0] = max(entry["mu_star_ci"][0], 0.0)  # a mean of absolute values is not negative
        s = full["sigma"][i]
        if np.isfinite(s):  # chi-square interval of a standard deviation (normal effects)
            entry["sigma"] = float(s)
            entry["sigma_ci"] = [float(s * math.sqrt((n - 1) / chi2_quantile(0.975, n - 1))),
                                 float(s * math.sqrt((n - 1) / chi2_quantile(0.025, n - 1)))]
        else:  # SALib gives no sigma for a group of several axes (its mu is a mean)
            entry["sigma"], entry["sigma_ci"] = None, [None, None]
        entry["above_noise"] = entry["mu_star_ci"][0] > out["noise_floor"]["mu_star"]
        axes.append(entry)
    out["axes"] = sorted(axes, key=lambda e: -e["mu_star"])
    return out, evals


def _moved(cube: Cube, names: list[str], group_of: dict[str, str], blocks: list, settings: list) -> dict[str, int]:
    """Per axis (or group): in how many trajectories its step changed the setting (a step on an axis the case
    resets, such as an index's knob under another index, changes nothing)."""
    column_group = [group_of.get(n, n) for n in cube.names]
    count = dict.fromkeys(names, 0)
    for block, rows in zip(blocks, settings):
        for i in range(len(block) - 1):
            changed = np.flatnonzero(block[i + 1] != block[i])
            if len(changed) and rows[i + 1] != rows[i]:
                count[column_group[changed[0]]] += 1
    return count


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
        # SALib's analyze leaves its bootstrap unseeded for seed 0 (`if seed:`): never pass it 0
        res = analyze.analyze(problem, y.reshape(-1), calc_second_order=False, num_resamples=RESAMPLES,
                              conf_level=0.95, seed=plan.sample_seed or 1)
    axes = []
    for i, name in enumerate(cube.names):
        entry = {"axis": name}
        for key in ("S1", "ST"):
            v, c = float(res[key][i]), float(res[f"{key}_conf"][i])
            entry[key], entry[f"{key}_ci"] = v, [v - c, v + c]
        axes.append(entry)
    out["axes"] = sorted(axes, key=lambda e: -e["ST"])
    return out, evals
