"""Where the claim holds: the surrogate (`surrogate`) fitted on every setting the run measured, refined by
level-set estimation, then read out as the holding share with its interval, P(holds) along the axes that
matter, the strongest two-axis interaction, and the settings nearest the anchor where the claim flips only
when two axes move together (each alone keeps the anchor's verdict). Those joint flips are then measured
for real, with the search's own sequential seeding, so the report quotes trials, not the model.

Level-set estimation after Bryan, Schneider, Nichol, Miller, Genovese & Wasserman (2005), "Active learning for
identifying function threshold boundaries" (the straddle heuristic): each round measures the candidate settings
where the verdict is least certain.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from scipy.special import betaincinv

from .cube import Cube
from .plan import Plan
from .runner import Evaluation, Runner, setting_id
from .stats import mean_interval
from .surrogate import Surrogate

CANDIDATES = 600  # random settings each refinement round chooses its batch from
SHARE_POINTS = 800  # settings the share is averaged over
SURE = 0.975  # P(verdict) at which the surrogate's verdict counts as decided (two-sided 95%)
PAIR_AXES = 6  # the interactions are looked for among this many most important axes
SLICE_POINTS = 21
PAIR_POINTS = 7
Z_FOUND = 3.0  # an interaction counts as found when its contrast is this many posterior sds from 0
# What the surrogate chose (an interaction, joint flips) is measured on seeds from here on: trials that no earlier
# phase ran and the surrogate never saw, so that choosing where the noise happened to look largest biases nothing
FRESH_SEEDS = 10_000


def _unique(evaluations: list[Evaluation]) -> list[Evaluation]:
    """One evaluation per setting: the one on the most seeds."""
    best: dict[str, Evaluation] = {}
    for ev in evaluations:
        sid = setting_id(ev.setting)
        if sid not in best or len(ev.values) > len(best[sid].values):
            best[sid] = ev
    return list(best.values())


def refine(cube: Cube, plan: Plan, runner: Runner, evaluations: list[Evaluation],
           unseen: set[str] = frozenset()) -> tuple[list[Evaluation], list[dict]]:
    """`refine_rounds` rounds of `refine_batch` settings each, chosen by the straddle score, each measured on
    `refine_seeds` seeds. The settings in `unseen` (the random phase's: the sample the share is checked on) are
    never shown to the model that chooses, so that what it chose cannot depend on them. Returns every evaluation
    so far and a log of the rounds."""
    evaluations = _unique(evaluations)
    log = []
    for k in range(plan.refine_rounds):
        model = Surrogate(cube, runner.case.claim, [e for e in evaluations if setting_id(e.setting) not in unseen],
                          seed=plan.sample_seed)
        pool = cube.sample(CANDIDATES, np.random.default_rng([plan.sample_seed, 14, k]))
        picked = model.batch(pool, plan.refine_batch)
        before = model.p_holds(picked)
        new = runner.evaluate_fixed(picked, f"refine: level set, round {k + 1} of {plan.refine_rounds}",
                                    plan.refine_seeds)
        log.append({"round": k + 1, "settings": len(picked), "p_holds_before": [float(p) for p in before]})
        evaluations = _unique([*evaluations, *new])
    return evaluations, log


def _ranked(screening: dict[str, Any] | None, cube: Cube, model: Surrogate) -> list[str]:
    """Axes by importance: Morris mu*, else Sobol ST, else the surrogate's shortest length scale."""
    for method in ("morris", "sobol"):
        found = (screening or {}).get(method) or {}
        if found.get("axes") and not found.get("grouped"):  # a grouped screening ranks groups, not axes
            return [e["axis"] for e in found["axes"]]
    scales = model.length_scales()
    best = {a.name: min(v for k, v in scales.items() if k == a.name or k.startswith(a.name + "=")) for a in cube.axes}
    return sorted(best, key=best.get)


def _at(cube: Cube, **values: Any) -> dict[str, Any] | None:
    s = cube.decode_setting({**cube.base, **values})
    return s if cube.valid(s) else None


def corners(cube: Cube, a: str, v: Any, b: str, w: Any) -> list[dict[str, Any] | None]:
    """The four settings of an interaction contrast: both moved, a alone, b alone, neither (None where the case
    cannot run one)."""
    return [_at(cube, **{a: v, b: w}), _at(cube, **{a: v}), _at(cube, **{b: w}), cube.base]


def along(model: Surrogate, cube: Cube, name: str) -> dict[str, Any]:
    """P(holds) and the value's posterior along one axis, every other axis at the base setting."""
    axis = cube.case.axis(name)
    found = [(v, _at(cube, **{name: v})) for v in cube.line(axis, SLICE_POINTS)]
    values = [v for v, s in found if s is not None]
    settings = [s for _, s in found if s is not None]
    p = model.p_holds(settings)
    mean, sd = model.predict(settings)
    return {"axis": name, "values": values, "p_holds": p.tolist(), "mean": mean.tolist(), "sd": sd.tolist(),
            "anchor": cube.base[name], "log": axis.log, "categorical": not axis.numeric}


def pairs(model: Surrogate, cube: Cube, names: list[str], anchor_verdict: str) -> tuple[list[dict], list[dict]]:
    """For each pair of axes: the strongest interaction contrast on a grid around the base setting,
    f(a, b) - f(a, b0) - f(a0, b) + f(a0, b0), with its posterior sd; and every grid cell where the surrogate
    flips the anchor's verdict although each axis moved alone keeps it (P >= SURE each way)."""
    found, joint = [], []
    keep = anchor_verdict  # the verdict each single move keeps
    for a, b in itertools.combinations(names, 2):
        ax, bx = cube.case.axis(a), cube.case.axis(b)
        a0, b0 = cube.base[a], cube.base[b]
        best: dict[str, Any] | None = None
        for v, w in itertools.product(cube.line(ax, PAIR_POINTS), cube.line(bx, PAIR_POINTS)):
            if v == a0 or w == b0:
                continue
            four = corners(cube, a, v, b, w)
            if any(c is None for c in four):
                continue
            c, sd = model.contrast(four, [1, -1, -1, 1])
            z = abs(c) / sd if sd > 0 else 0.0
            if best is None or (z >= Z_FOUND, abs(c)) > (best["z"] >= Z_FOUND, abs(best["contrast"])):
                best = {"axes": [a, b], "at": {a: v, b: w}, "contrast": c, "sd": sd, "z": z}
            p = model.p_holds(four[:3])
            single = (p[1], p[2])
            holds_alone = all(q >= SURE for q in single) if keep == "holds" else all(q <= 1 - SURE for q in single)
            flips = p[0] <= 1 - SURE if keep == "holds" else p[0] >= SURE
            if holds_alone and flips:
                joint.append({"setting": four[0], "changed": {a: v, b: w}, "p_holds": float(p[0]),
                              "p_holds_alone": {a: float(single[0]), b: float(single[1])},
                              "distance": cube.distance(four[0])})
        if best is not None:
            found.append(best)
    found.sort(key=lambda e: (e["z"] >= Z_FOUND, abs(e["contrast"])), reverse=True)
    joint.sort(key=lambda e: e["distance"])
    return found, joint


def grid2d(model: Surrogate, cube: Cube, a: str, b: str) -> dict[str, Any]:
    """P(holds) on a grid of two axes, every other axis at the base setting (None where the case cannot run)."""
    ax, bx = cube.case.axis(a), cube.case.axis(b)
    xs, ys = cube.line(ax, SLICE_POINTS), cube.line(bx, SLICE_POINTS)
    grid = [[_at(cube, **{a: x, b: y}) for x in xs] for y in ys]
    flat = [s for row in grid for s in row if s is not None]
    p = iter(model.p_holds(flat).tolist())
    return {"x": {"name": a, "values": xs, "log": ax.log, "categorical": not ax.numeric},
            "y": {"name": b, "values": ys, "log": bx.log, "categorical": not bx.numeric},
            "p_holds": [[next(p) if s is not None else None for s in row] for row in grid],
            "anchor": [cube.base[a], cube.base[b]]}


def measure_interaction(cube: Cube, plan: Plan, runner: Runner, candidate: dict[str, Any]) -> dict[str, Any]:
    """The surrogate's strongest interaction, measured: its four corners on the same `seeds_max` fresh seeds
    (FRESH_SEEDS on), and the paired per-seed contrast f(a, b) - f(a, b0) - f(a0, b) + f(a0, b0) with a 95%
    t-interval. The surrogate only nominates; `found` is true when the measured interval excludes 0."""
    a, b = candidate["axes"]
    v, w = candidate["at"][a], candidate["at"][b]
    four = corners(cube, a, v, b, w)
    seeds = plan.seeds_max
    runner.evaluate_fixed(four, "confirm: the strongest interaction, on fresh seeds", seeds, FRESH_SEEDS)
    claim = runner.case.claim
    per_seed, values = [], []
    for seed in range(FRESH_SEEDS, FRESH_SEEDS + seeds):
        records = [runner.record(c, seed) for c in four]
        if any(r is None or r.get("error") or claim.problem(r["metrics"]) for r in records):
            continue
        y = [claim.value(r["metrics"]) for r in records]
        values.append(y)
        per_seed.append(y[0] - y[1] - y[2] + y[3])
    # four terms, each at least the claim's least seed-to-seed sd: the contrast's sd is at least twice that
    mean, low, high = mean_interval(per_seed, 0.95, None, 2 * claim.sd_floor)
    found = bool(np.isfinite(low) and (low > 0 or high < 0))
    means = [float(np.mean([v[k] for v in values])) if values else None for k in range(4)]
    # each move alone already takes the mean past the threshold: together they cannot do more (a floor or
    # ceiling), so the contrast measures saturation, not a need for both
    saturated = bool(values) and not claim.satisfied(means[1]) and not claim.satisfied(means[2]) \
        and claim.satisfied(means[3])
    # the claim's value at each corner, averaged over the same seeds: both moved, a alone, b alone, neither
    return {**candidate, "measured": {"contrast": mean, "ci": [low, high], "n_seeds": len(per_seed),
                                      "seeds": [FRESH_SEEDS, FRESH_SEEDS + seeds - 1],
                                      "corner_means": dict(zip(("both", "first_alone", "second_alone", "neither"),
                                                               means))},
            "found": found, "saturated": saturated, "corners": four}


def held_out(cube: Cube, claim: Any, evaluations: list[Evaluation], random: list[Evaluation], pool: list[dict],
             seed: int) -> tuple[dict | None, dict | None]:
    """The surrogate fitted without the random phase's settings (a uniform sample that neither it nor the
    refinement that chose its other settings saw), and judged on that sample: (1) how often its verdict
    (P(holds) >= 0.5) agrees with the measured one where that was decided; (2) the share holding by
    prediction-powered inference (`ppi_share`). A random setting whose every trial failed counts as not holding
    (the library refused it)."""
    if len(random) < 2:
        return None, None
    held = {setting_id(ev.setting) for ev in random}
    model = Surrogate(cube, claim, [ev for ev in evaluations if setting_id(ev.setting) not in held], seed=seed)
    decided = [ev for ev in random if ev.verdict in ("holds", "breaks")]
    check = None
    if decided:
        p = model.p_holds([ev.setting for ev in decided])
        agree = sum((q >= 0.5) == (ev.verdict == "holds") for q, ev in zip(p, decided))
        check = {"agree": int(agree), "decided": len(decided), "accuracy": agree / len(decided)}
    labels = [float(bool(ev.values) and claim.satisfied(float(np.mean(ev.values)))) for ev in random]
    return check, ppi_share(model.p_holds(pool), model.p_holds([ev.setting for ev in random]), labels)


def _mean_bounds(values: np.ndarray, delta: float) -> tuple[float, float]:
    """One-sided (lower, upper) bounds, each at level 1 - delta, on the mean of values in [0, 1]: Clopper-Pearson
    with the sum as the count of successes (a binomial is the widest law of a [0, 1] mean)."""
    n, s = len(values), float(np.sum(values))
    lower = 0.0 if s <= 0 else float(betaincinv(s, n - s + 1, delta))
    upper = 1.0 if s >= n else float(betaincinv(s + 1, n - s, 1 - delta))
    return lower, upper


def ppi_share(pool_p: np.ndarray, labelled_p: np.ndarray, labels: list[float], level: float = 0.95) -> dict[str, Any]:
    """The share holding by prediction-powered inference (Angelopoulos, Bates, Fannjiang, Jordan & Zrnic 2023,
    Science 382:669): the model's mean P(holds) over uniform settings (`pool_p`) plus its mean residual, label minus
    P(holds), on a uniform sample it never saw (`labels`: 1 where the mean of a setting's seeds satisfies the
    claim). Their interval is a normal one; at 20 to 40 labels it covers 85-90% when a confident model is wrong
    on a region of 10-15% of the space (measured), so ours bounds the residual without the normal approximation:
    its positive and negative parts, each a [0, 1] mean, get Clopper-Pearson bounds at a quarter of the error rate
    each, and the pool's own sampling error adds a normal term. Conservative: `tests/test_global.py` measures
    coverage on rare, confident mistakes."""
    alpha = 1.0 - level
    residual = np.asarray(labels, dtype=float) - np.asarray(labelled_p, dtype=float)
    positive, negative = np.maximum(residual, 0.0), np.maximum(-residual, 0.0)
    low_pos, high_pos = _mean_bounds(positive, alpha / 4)
    low_neg, high_neg = _mean_bounds(negative, alpha / 4)
    model_only = float(np.mean(pool_p))
    pool_se = float(np.std(pool_p, ddof=1) / np.sqrt(len(pool_p))) if len(pool_p) > 1 else 0.0
    estimate = model_only + float(residual.mean())
    low = model_only + low_pos - high_neg - 1.96 * pool_se
    high = model_only + high_pos - low_neg + 1.96 * pool_se
    return {"estimate": min(max(estimate, 0.0), 1.0), "ci": [max(low, 0.0), min(high, 1.0)],
            "unseen_settings": len(residual), "points": len(pool_p), "mean_residual": float(residual.mean()),
            "model_only": model_only, "labels_holding": int(sum(labels))}


def region(cube: Cube, plan: Plan, runner: Runner, evaluations: list[Evaluation], screening: dict[str, Any] | None,
           random: list[Evaluation], anchor_verdict: str) -> tuple[dict[str, Any] | None, Surrogate | None]:
    """The holding region (see the module's docstring) for summary.json, and the final surrogate; (None, None)
    when the plan asks for none."""
    if not plan.region or not cube.axes:
        return None, None
    claim = runner.case.claim
    evaluations, log = refine(cube, plan, runner, evaluations, {setting_id(ev.setting) for ev in random})
    model = Surrogate(cube, claim, evaluations, seed=plan.sample_seed)
    pool = cube.sample(SHARE_POINTS, np.random.default_rng([plan.sample_seed, 14, 999]))
    share = model.share(pool, seed=plan.sample_seed)
    check, ppi = held_out(cube, claim, evaluations, random, pool, plan.sample_seed)
    ranked = _ranked(screening, cube, model)
    important = ranked[:3]
    interactions, joint = pairs(model, cube, ranked[:PAIR_AXES], anchor_verdict) if anchor_verdict in ("holds", "breaks") \
        else ([], [])
    candidate = next((i for i in interactions if i["z"] >= Z_FOUND), None)
    strongest = measure_interaction(cube, plan, runner, candidate) if candidate else None
    slice_axes = candidate["axes"] if candidate else ranked[:2]
    confirmed = []
    nearest = joint[:plan.confirm]
    if nearest:
        measured = runner.evaluate_fixed([j["setting"] for j in nearest], "confirm: joint flips, on fresh seeds",
                                         plan.seeds_max, FRESH_SEEDS)
        seeds = [FRESH_SEEDS, FRESH_SEEDS + plan.seeds_max - 1]
        for j, ev in zip(nearest, measured):
            confirmed.append({**j, "measured": {"verdict": ev.verdict, "mean": ev.mean, "ci": [ev.low, ev.high],
                                                "n_seeds": len(ev.values), "seeds": seeds}})
    return {
        "settings_measured": model.n, "refinement": {"rounds": log, "seeds_per_setting": plan.refine_seeds},
        "share": share, "kernel": str(model.kernel), "seed_sd": float(np.sqrt(model.seed_var)),
        "held_out": check, "share_ppi": ppi,
        "important": important, "along": [along(model, cube, n) for n in important],
        "interactions": interactions[:10], "strongest": strongest, "z_found": Z_FOUND, "pair_axes": ranked[:PAIR_AXES],
        "slice": grid2d(model, cube, *slice_axes) if len(slice_axes) == 2 else None,
        "joint_flips": joint[:10], "joint_flips_total": len(joint), "confirmed": confirmed,
    }, model
