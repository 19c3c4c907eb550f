"""The search: reproduce at the anchor setting, sweep one axis at a time and bisect to the
breaking points, map a pair of axes, and sample the plausible space at random."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import region, screening
from .case import Case
from .cube import Cube
from .plan import Plan
from .runner import Evaluation, Runner
from .space import Axis, Setting, SettingError, validate
from .stats import pooled_variance, wilson_interval

OPPOSITE = {"holds": "breaks", "breaks": "holds"}


@dataclass
class Side:
    """One direction away from the anchor value on one axis, and its bracket."""

    axis: str
    side: str  # "below" or "above"
    same: Any  # last value with the paper's verdict
    flip: Any = None  # first value with the opposite verdict
    status: str = "open"  # open, bracketed, robust (no flip in range), refined to plan depth, grid only
    grey: list[Any] = field(default_factory=list)  # inconclusive values between same and flip, nearest first
    recovers: list[Any] = field(default_factory=list)  # grid values past the flip where the paper's verdict returns
    tried: list[Any] = field(default_factory=list)  # grid values on this side (for "no break among ...")

    def bracket(self, anchor: str, evals: dict[Any, Evaluation]) -> dict[str, Any] | None:
        if self.flip is None:
            return None
        holds, breaks = (self.same, self.flip) if anchor == "holds" else (self.flip, self.same)
        h, b = evals[holds], evals[breaks]
        return {"holds_at": holds, "breaks_at": breaks, "holds_mean": h.mean, "holds_ci": [h.low, h.high],
                "breaks_mean": b.mean, "breaks_ci": [b.low, b.high], "inconclusive_between": list(self.grey),
                "paper_verdict_returns_at": list(self.recovers), "flip_at": self.flip}

    def midpoints(self, axis: Axis) -> list[Any]:
        """Bisect the gaps next to each decided end; the grey zone between them stays."""
        if not self.grey:
            return [m for m in [axis.between(self.same, self.flip)] if m is not None]
        return [m for m in (axis.between(self.same, self.grey[0]), axis.between(self.grey[-1], self.flip)) if m is not None]

    def update(self, axis: Axis, value: Any, verdict: str, anchor: str) -> None:
        if verdict == anchor:
            self.same = value
        elif verdict == OPPOSITE[anchor]:
            self.flip = value
        else:
            self.grey.append(value)
        ends = sorted((axis.position(self.same), axis.position(self.flip)))
        paper_side = axis.position(self.same)
        self.grey = sorted((g for g in set(self.grey) if ends[0] < axis.position(g) < ends[1]),
                           key=lambda g: abs(axis.position(g) - paper_side))


@dataclass
class AxisResult:
    axis: Axis
    points: dict[Any, Evaluation] = field(default_factory=dict)
    sides: dict[str, Side] = field(default_factory=dict)


@dataclass
class Variant:
    """The comparison's sweeps at one category of the compared axis."""

    value: Any
    base: Setting
    reproduction: Evaluation
    axes: list[AxisResult]

    @property
    def anchor(self) -> str:
        return self.reproduction.verdict


@dataclass
class SearchResult:
    case: Case
    plan: Plan
    base: Setting
    reproduction: Evaluation
    axes: list[AxisResult]
    map: dict[str, Any] | None
    random: dict[str, Any]
    runner: Runner
    compare: tuple[str, list[Variant]] | None = None
    screening: dict[str, Any] | None = None  # {"morris": ..., "sobol": ...} (see `screening`)
    region: dict[str, Any] | None = None  # the surrogate's holding region (see `region`)
    surrogate: Any = None  # the final `surrogate.Surrogate` behind `region` (not saved)

    @property
    def anchor(self) -> str:
        return self.reproduction.verdict


def resolve_base(case: Case, plan: Plan) -> Setting:
    """The anchor setting with the plan's overrides, validated."""
    try:
        base = case.setting(validate(case.axes, plan.base))
    except SettingError as err:
        raise SettingError(f"plan '{plan.name}': {err}") from None
    for name in (*(plan.axes or ()), *(plan.map_axes or ())):
        case.axis(name)
    for members in plan.morris_groups.values():
        for name in members:
            case.axis(name)
    for name, values in plan.values.items():  # Plan checked the shape; the values must suit their axis
        for v in values:
            case.axis(name).check(v)
    if case.compare:
        for by in compared_axes(case):
            if case.axis(by).numeric:
                raise SettingError(f"case '{case.name}': compare needs choice axes; '{by}' is numeric")
        for name in case.compare[1]:
            case.axis(name)
    return base


def compared_axes(case: Case) -> tuple[str, ...]:
    """The choice axes a case compares across: one name, or several whose categories are crossed."""
    by = case.compare[0]
    return (by,) if isinstance(by, str) else tuple(by)


def compare_label(case: Case) -> str:
    """How reports name the compared axis or axes, e.g. 'implementation' or 'corpus × implementation'."""
    return " × ".join(compared_axes(case))


def compare_bases(case: Case, base: Setting) -> list[Setting]:
    """The base setting at every valid combination of the compared axes' categories (the anchor's included)."""
    names = compared_axes(case)
    combos = itertools.product(*(case.axis(n).domain.values for n in names))
    return [b for b in (_with(base, **dict(zip(names, c))) for c in combos) if _valid(case, b)]


def compare_value(case: Case, setting: Setting) -> Any:
    """One compared category's name: the value itself for one axis, 'a / b' for crossed axes."""
    names = compared_axes(case)
    return setting[names[0]] if len(names) == 1 else " / ".join(str(setting[n]) for n in names)


def _with(base: Setting, **changes: Any) -> Setting:
    return {**base, **changes}


def _valid(case: Case, setting: Setting) -> bool:
    try:
        case.check(setting)
        return True
    except SettingError:
        return False


def search(case: Case, plan: Plan, runner: Runner) -> SearchResult:
    base = resolve_base(case, plan)
    reproduction = runner.evaluate([base], "reproduce", plan.anchor_seeds)[0]
    axes = [case.axis(n) for n in plan.axes] if plan.axes is not None else list(case.axes)
    results = _sweep(case, base, axes, plan, runner, reproduction.verdict)
    result = SearchResult(case, plan, base, reproduction, results, _map(case, base, plan, runner),
                          _random(case, base, plan, runner), runner, _compare(case, base, plan, runner))
    result.screening, result.region, result.surrogate = _global(case, base, plan, runner, reproduction,
                                                                result.random["evaluations"])
    return result


def _global(case: Case, base: Setting, plan: Plan, runner: Runner, reproduction: Evaluation,
            random: list[Evaluation]) -> tuple[dict[str, Any] | None, dict[str, Any] | None, Any]:
    """Global screening (Morris, Sobol') and the holding region, over every axis the plan does not fix."""
    cube = Cube.of(case, base, fixed=tuple(plan.base))
    # seed noise pooled over every setting judged on two or more seeds (the anchor's alone can be far quieter)
    noise_sd = max(math.sqrt(pooled_variance([ev.values for ev in runner.evaluations()])), case.claim.sd_floor)
    morris, m_evals = screening.morris(cube, plan, runner, noise_sd)
    sobol, s_evals = screening.sobol(cube, plan, runner, noise_sd)
    found = {k: v for k, v in (("morris", morris), ("sobol", sobol)) if v is not None} or None
    if found is not None:
        found["axes_varied"] = cube.names
        found["fixed_by_plan"] = sorted(plan.base)
    held, model = region.region(cube, plan, runner, [*runner.evaluations(), *m_evals, *s_evals], found, random,
                                reproduction.verdict)
    return found, held, model


def _compare(case: Case, base: Setting, plan: Plan, runner: Runner) -> tuple[str, list[Variant]] | None:
    """Sweep the chosen axes again at every category of the compared axis (the paper's one included)."""
    if not (plan.compare and case.compare):
        return None
    bases = compare_bases(case, base)
    reproductions = runner.evaluate(bases, "compare")
    axes = [case.axis(n) for n in case.compare[1]]
    variants = [Variant(compare_value(case, b), b, rep, _sweep(case, b, axes, plan, runner, rep.verdict))
                for b, rep in zip(bases, reproductions)]
    return compare_label(case), variants


def sweep_values(case: Case, base: Setting, axis: Axis, plan: Plan) -> list[Any]:
    """The values one axis is swept at: the plan's listed values or its grid, with the base value, all valid."""
    values = axis.order([*plan.values.get(axis.name, axis.grid(plan.grid_points)), base[axis.name]])
    return [v for v in values if _valid(case, _with(base, **{axis.name: v}))]


def map_cells(case: Case, base: Setting, plan: Plan) -> tuple[Axis, Axis, list[Any], list[Any], list[tuple]] | None:
    """The 2-D map's axes, grid values and valid cells (i, j, setting), or None when the plan draws no map."""
    pair = plan.map_axes or case.map_axes
    if not pair or plan.map_resolution < 2:
        return None
    ax, ay = (case.axis(n) for n in pair)
    xs, ys = ax.grid(plan.map_resolution), ay.grid(plan.map_resolution)
    cells = [(i, j, _with(base, **{ax.name: x, ay.name: y})) for j, y in enumerate(ys) for i, x in enumerate(xs)]
    return ax, ay, xs, ys, [c for c in cells if _valid(case, c[2])]


def _sweep(case: Case, base: Setting, axes: list[Axis], plan: Plan, runner: Runner, anchor: str) -> list[AxisResult]:
    results = [AxisResult(axis) for axis in axes]
    grid = [(r, v) for r in results for v in sweep_values(case, base, r.axis, plan)]
    evals = runner.evaluate([_with(base, **{r.axis.name: v}) for r, v in grid], "sweep")
    for (r, value), ev in zip(grid, evals):
        r.points[value] = ev
    if anchor not in OPPOSITE:
        return results  # no brackets around an inconclusive reproduction
    open_sides: list[tuple[AxisResult, Side]] = []
    for r in results:
        if r.axis.categorical:
            continue
        paper = base[r.axis.name]
        ordered = r.axis.order(r.points)
        below = [v for v in ordered if r.axis.position(v) < r.axis.position(paper)][::-1]
        above = [v for v in ordered if r.axis.position(v) > r.axis.position(paper)]
        for name, walk in (("below", below), ("above", above)):
            side = Side(r.axis.name, name, same=paper, tried=list(walk))
            for k, value in enumerate(walk):
                verdict = r.points[value].verdict
                if verdict == OPPOSITE[anchor]:
                    side.flip = value
                    # a dip: the paper's verdict comes back further along the axis
                    side.recovers = [v for v in walk[k + 1:] if r.points[v].verdict == anchor]
                    break
                if verdict == anchor:
                    side.same, side.grey = value, []
                else:
                    side.grey.append(value)
            # no flip: robust if every value held, "inconclusive" if some stayed within seed noise (kept in grey)
            side.status = "open" if side.flip is not None else ("inconclusive" if side.grey else "robust")
            r.sides[name] = side
            if side.flip is not None:
                open_sides.append((r, side))
    for step in range(plan.depth):
        todo = [(r, side, mid) for r, side in open_sides for mid in side.midpoints(r.axis)
                if _valid(case, _with(base, **{r.axis.name: mid}))]
        if not todo:
            break
        evals = runner.evaluate([_with(base, **{r.axis.name: mid}) for r, _, mid in todo],
                                f"bisect, step {step + 1} of {plan.depth}")
        for (r, side, mid), ev in zip(todo, evals):
            r.points[mid] = ev
            side.update(r.axis, mid, ev.verdict, anchor)
    for r, side in open_sides:
        if not side.midpoints(r.axis):
            side.status = "bracketed"  # nothing lies between the two ends: the bracket is exact on this axis
        else:
            side.status = "refined to plan depth" if plan.depth > 0 else "grid only (plan depth 0: not bisected)"
    return results


def _map(case: Case, base: Setting, plan: Plan, runner: Runner) -> dict[str, Any] | None:
    found = map_cells(case, base, plan)
    if found is None:
        return None
    ax, ay, xs, ys, cells = found
    evals = runner.evaluate([c[2] for c in cells], "map")
    values = [[None] * len(xs) for _ in ys]
    verdicts = [[None] * len(xs) for _ in ys]
    for (i, j, _), ev in zip(cells, evals):
        values[j][i], verdicts[j][i] = ev.mean, ev.verdict
    return {"x": {"name": ax.name, "values": xs, "log": ax.log}, "y": {"name": ay.name, "values": ys, "log": ay.log},
            "values": values, "verdicts": verdicts}


def sample_settings(case: Case, base: Setting, plan: Plan) -> list[Setting]:
    """Random settings over every axis's plausible range (plan overrides stay fixed)."""
    rng = np.random.default_rng(plan.sample_seed)
    out: list[Setting] = []
    for _ in range(plan.random_samples):
        for _attempt in range(100):
            setting = case.normalize({a.name: base[a.name] if a.name in plan.base else a.sample(rng) for a in case.axes})
            if _valid(case, setting):
                out.append(setting)
                break
    return out


def _random(case: Case, base: Setting, plan: Plan, runner: Runner) -> dict[str, Any]:
    """Verdicts at random settings and the share that holds (Wilson interval; None when there are none). A setting
    whose every trial failed (the library refused it) measured nothing: it is counted as `failed` and left out of
    the share, rather than counted as not holding."""
    settings = sample_settings(case, base, plan)
    evals = runner.evaluate(settings, "random") if settings else []
    judged = [ev for ev in evals if not ev.all_failed]
    holds = sum(ev.verdict == "holds" for ev in judged)
    share, low, high = wilson_interval(holds, len(judged))
    return {"estimate": share, "ci": [low, high], "samples": len(judged), "requested": plan.random_samples,
            "dropped": plan.random_samples - len(settings), "failed": len(evals) - len(judged), "holds": holds,
            "breaks": sum(ev.verdict == "breaks" for ev in judged),
            "inconclusive": sum(ev.verdict == "inconclusive" for ev in judged), "evaluations": evals}


def planned(case: Case, plan: Plan, schedule: tuple[int, ...],
            anchor: tuple[int, ...]) -> list[tuple[str, list[Setting], int, int]]:
    """What a plan will evaluate before it has seen any result: (phase, settings, first-look seeds, most seeds)
    per phase, for the runner's seeding `schedule` (and the reproduction's `anchor` schedule). Bisection and extra
    seeds depend on the verdicts, so they are bounded, not listed (`--dry-run`)."""
    base = resolve_base(case, plan)
    first, most = schedule[0], schedule[-1]
    out = [("reproduce", [base], anchor[0], anchor[-1])]
    axes = [case.axis(n) for n in plan.axes] if plan.axes is not None else list(case.axes)
    out.append(("sweep", [_with(base, **{a.name: v}) for a in axes for v in sweep_values(case, base, a, plan)], first, most))
    sides = sum(2 for a in axes if not a.categorical)
    out.append(("bisect", [], 0, sides * plan.depth * 2 * most))  # at most two midpoints per side and step
    cells = map_cells(case, base, plan)
    if cells is not None:
        out.append(("map", [c[2] for c in cells[4]], first, most))
    out.append(("random", sample_settings(case, base, plan), first, most))
    if plan.compare and case.compare:
        out.append(("compare", compare_bases(case, base), first, most))
    d = len(Cube.of(case, base, fixed=tuple(plan.base)).axes)
    if plan.morris_trajectories:
        out.append(("morris", [], 0, plan.morris_trajectories * (d + 1) * plan.screen_seeds))
    if plan.sobol_samples:
        out.append(("sobol", [], 0, plan.sobol_samples * (d + 2) * plan.screen_seeds))
    if plan.region:
        out.append(("refine", [], 0, plan.refine_rounds * plan.refine_batch * plan.refine_seeds))
        # the strongest interaction's four corners and the joint flips, on fresh seeds
        out.append(("confirm", [], 0, (4 + plan.confirm) * plan.seeds_max))
    return out
