"""The contract every case keeps, as a public test helper (scikit-learn's `check_estimator` is the model).

`check_case(MyCase)` raises AssertionError with the first broken rule. The built-in cases run it in
tests/test_contract.py; a case scaffolded by `mummybench new` runs it in its own test file.
"""

from __future__ import annotations

import inspect
import math
from pathlib import Path
from typing import Any

from .case import Case
from .space import SettingError

README_SECTIONS = ("## The claim", "## The hidden parameters", "## What we found", "## Reproduce", "## Exercises",
                   "## Sources")


def check_case(case: Case | type[Case], trials: bool = False, readme: bool = True) -> None:
    """Check the declarations of a case (and, with `trials`, that one trial at the anchor is deterministic and
    judgeable). Cheap without `trials`: nothing runs."""
    case = case() if inspect.isclass(case) else case
    cls = type(case)
    assert isinstance(case.name, str) and case.name and case.name == case.name.lower(), "name: lower-case, non-empty"
    for claim in (case.claim, *case.also):
        assert claim.resolution is not None, f"claim '{claim.label}' declares no resolution"
        if claim.bounds is not None:  # None: an unbounded metric (a score, a time)
            lo, hi = claim.bounds
            assert lo <= claim.threshold <= hi, f"claim '{claim.label}': threshold outside its bounds"
    assert {"quick", "full"} <= set(case.plans), "plans: needs 'quick' and 'full'"
    names = [a.name for a in case.axes]
    assert len(names) == len(set(names)), "axes: duplicate names"
    case.setting({})  # the anchor setting validates and passes check()
    for axis in case.axes:
        for end in axis.plausible:
            axis.check(end)
    for pair in [case.map_axes, *(p.map_axes for p in case.plans.values())]:
        if pair:
            for name in pair:
                case.axis(name)
    for plan in case.plans.values():
        for name in plan.axes or ():
            case.axis(name)
        case.setting(plan.base)
    import numpy as np

    rng = np.random.default_rng(0)
    for _ in range(20):  # random draws made valid by normalize() are accepted
        draw = case.normalize({a.name: a.sample(rng) for a in case.axes})
        try:
            case.setting(draw)
        except SettingError:
            pass  # check() may reject a draw; the search then draws again
    assert case.threads >= 1, "threads: at least 1"
    if case.listed:  # a real case says where each anchor value comes from, and where its claims are stated
        for axis in case.axes:
            assert bool(axis.source) != bool(axis.reason), \
                f"axis '{axis.name}': declare `source` (where the source states {axis.anchor!r}) or `reason` (why we chose it)"
        for claim in (case.claim, *case.also):
            assert claim.version and claim.locator, \
                f"claim '{claim.label}': give the source's version (arXiv vN, commit) and the locator (table, figure, page)"
            assert not claim.quote or claim.quote_by, f"claim '{claim.label}': say who wrote the quote (`quote_by`)"
    if readme and case.listed:  # the toy cases of the tests have no lesson
        path = Path(inspect.getfile(cls)).parent / "README.md"
        assert path.is_file(), f"{path}: every case has a README (the lesson)"
        text = path.read_text(encoding="utf-8")
        missing = [s for s in README_SECTIONS if s not in text]
        assert not missing, f"{path}: missing sections {missing}"
        assert "<!-- results:start" in text and "<!-- results:end -->" in text, f"{path}: no results block"
    if trials:
        _check_trial(case)


def _check_trial(case: Case) -> None:
    from .execute import InProcessExecutor, Task

    executor = InProcessExecutor(case)
    anchor = case.setting(case.plans["quick"].base)
    (_, first), (_, second) = executor.map([Task("a", anchor, 0), Task("b", anchor, 0)])
    assert first["error"] is None, f"the anchor's trial failed: {first['error']}"
    assert first["metrics"] == second["metrics"], "the same (setting, seed) gave different metrics"
    problem = case.claim.problem(first["metrics"])
    assert problem is None, f"the claim cannot judge the anchor's trial: {problem}"
    assert all(isinstance(v, float) and (math.isfinite(v) or math.isnan(v)) for v in first["metrics"].values())
    _check_population(case, anchor)


def same_population_violations(case: Case, base: dict[str, Any], seed: int = 0) -> list[str]:
    """Like for like: a trial that names its items (`Outcome.population`) must score the same items at every value
    of every axis not declared `Axis(population=True)`. Runs one trial at `base` and one at each end of each
    treatment axis's plausible range (each category, for a choice); returns the axes that change the items, with
    how. Empty when the case does not name its items."""
    data = case.prepare()
    reference = case.trial(data, base, seed).population
    if reference is None:
        return []
    out = []
    for axis in case.axes:
        if axis.population:
            continue
        values = list(axis.domain.values) if not axis.numeric else list(axis.plausible)
        for value in values:
            if value == base[axis.name]:
                continue
            setting = {**base, axis.name: value}
            try:
                case.check(setting)
            except SettingError:
                continue
            items = case.trial(data, setting, seed).population
            if items is not None and sorted(items) != sorted(reference):
                lost, gained = set(reference) - set(items), set(items) - set(reference)
                out.append(f"axis '{axis.name}'={value!r} changes the scored items ({len(lost)} dropped, "
                           f"{len(gained)} added): a treatment must score the same items at every value")
                break
    return out


def _check_population(case: Case, base: dict[str, Any]) -> None:
    violations = same_population_violations(case, base)
    assert not violations, violations[0]


def contract_cases() -> list[Any]:
    """Every discovered case class (for a parametrized contract test)."""
    from .registry import discover

    return [cls for _, cls in sorted(discover().items())]


def run_notebook(folder: str, results: Path, jobs: int, monkeypatch: Any) -> Any:
    """Execute `cases/<folder>/notebook.py` with its quick-plan run writing under `results` and `jobs` workers (the
    case smoke tests: CI executes every notebook this way). Raises nbclient's CellExecutionError naming the cell."""
    from . import notebooks

    monkeypatch.setenv("MUMMYBENCH_NOTEBOOK_RESULTS", str(results))
    monkeypatch.setenv("MUMMYBENCH_NOTEBOOK_JOBS", str(jobs))
    return notebooks.execute(notebooks.CASES / folder / "notebook.py")
