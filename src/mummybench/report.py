"""Writes results/<case>/: report.md, figures/*.png and summary.json from a search."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import citation
from .formatting import num
from .report_global import region_lines, screening_lines
from .runner import Evaluation
from .search import OPPOSITE, AxisResult, SearchResult
from .stats import LEVEL, per_look_level
from .store import _clean

SUMMARY_VERSION = 2  # 2: `screening` and `region` (issue 14)
FIGURE_STYLE = 6  # bump when the figure code changes, so that cached figures are redrawn
# the summary.json keys a fragility profile is drawn from: its cache inputs, in a report and in the overview
PROFILE_INPUTS = ("case", "claim", "reproduction", "axes", "region", "anchor", "also", "compare")


_num = num  # the name other modules import from here


def _ci(ev: Evaluation) -> str:
    return f"{_num(ev.mean)} [{_num(ev.low)}, {_num(ev.high)}]"


def distance(axis_result: AxisResult, paper: Any, value: Any) -> str:
    """How far a breaking value sits from the anchor value, in the axis's own terms."""
    axis = axis_result.axis
    if not axis.numeric:
        steps = int(axis.position(value) - axis.position(paper))
        return f"{steps:+d} step(s)"
    if paper and axis.log and value:
        return f"×{value / paper:.3g}"
    if paper:
        return f"{(value - paper) / abs(paper):+.0%}"
    return f"{value - paper:+g} (absolute)"


def _gap(axis_result: AxisResult, paper: Any, value: Any) -> float:
    axis = axis_result.axis
    if axis.log and paper and value:
        return abs(math.log(value / paper))
    return abs(axis.position(value) - axis.position(paper))


def summary(result: SearchResult, provenance: dict[str, Any]) -> dict[str, Any]:
    case, rep = result.case, result.reproduction
    axes = [_axis_entry(r, result.base, result.anchor) for r in result.axes]
    compare = None
    if result.compare:
        by, variants = result.compare
        compare = {"axis": by, "variants": [
            {"value": v.value, "verdict": v.anchor, "mean": v.reproduction.mean,
             "metrics": result.runner.metric_means(v.reproduction),
             "ci": [v.reproduction.low, v.reproduction.high], "n_seeds": len(v.reproduction.values),
             "axes": [_axis_entry(r, v.base, v.anchor) for r in v.axes]} for v in variants]}
    rnd = result.random
    runner = result.runner
    failed = [{"setting": r["setting"], "seed": r["seed"], "error": r.get("error") or runner.unjudgeable[key]}
              for key, r in runner.used.items() if r.get("error") or key in runner.unjudgeable]
    return _clean({
        "summary_version": SUMMARY_VERSION,
        "case": case.name,
        "claim": case.claim.as_dict(),
        "reproduction": {"setting": result.base, "verdict": rep.verdict, "mean": rep.mean, "ci": [rep.low, rep.high],
                         "n_seeds": len(rep.values), "values": rep.values, "metrics": runner.metric_means(rep),
                         "spread": [min(rep.values), max(rep.values)] if rep.values else None},
        "anchor": anchor_table(result),
        "axes": axes,
        "map": result.map,
        "compare": compare,
        "also": also_judged(result),
        "robust_share": {k: rnd.get(k) for k in ("estimate", "ci", "samples", "requested", "dropped", "failed", "holds",
                                                 "breaks", "inconclusive")},
        "screening": result.screening,
        "region": result.region,
        "statistics": statistics_block(result),
        "failed": failed,
        "flags": flagged(result),
        "provenance": provenance,
    })


def flagged(result: SearchResult) -> dict[str, Any]:
    """For each metric the case declares a flag: how many of the trials behind this report raised it (value
    above 0), of how many that report it, and the settings where it was raised (as changes from the base, with
    the trials and the flag's total there)."""
    out: dict[str, Any] = {}
    records = [r for r in result.runner.used.values() if not r.get("error")]
    for name in result.case.flags:
        having = [r for r in records if (r.get("metrics") or {}).get(name) is not None]
        raised = [r for r in having if float(r["metrics"][name]) > 0]
        where: dict[str, dict[str, Any]] = {}
        for r in raised:
            changed = {k: v for k, v in r["setting"].items() if result.base.get(k) != v}
            entry = where.setdefault(json.dumps(changed, sort_keys=True, default=str),
                                     {"changes": changed, "trials": 0, "total": 0.0})
            entry["trials"] += 1
            entry["total"] += float(r["metrics"][name])
        out[name] = {"trials": len(raised), "of": len(having),
                     "settings": sorted(where.values(), key=lambda e: -e["trials"])}
    return out


def _flag_lines(data: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, f in (data.get("flags") or {}).items():
        lines += [f"## Trials that raised `{name}`", "",
                  f"{f['trials']} of the {f['of']} successful trials behind this report have `{name}` above 0"
                  + (":" if f["settings"] else "."), ""]
        if f["settings"]:
            lines += ["| setting (changes from the base) | trials | total |", "|---|---|---|"]
            lines += [f"| {e['changes'] or 'the base setting'} | {e['trials']} | {_num(e['total'])} |"
                      for e in f["settings"][:15]]
            if len(f["settings"]) > 15:
                lines.append(f"| … {len(f['settings']) - 15} more settings (summary.json lists all) | | |")
            lines.append("")
    return lines


def anchor_table(result: SearchResult) -> list[dict[str, Any]]:
    """Every axis the case declares: its anchor value and whose it is (the source's, with the locator, or
    ours, with the reason), the plan's base value where the plan changes it, and how this run varied it
    (swept one at a time, on the map, drawn in the random sample, or held fixed)."""
    swept = {r.axis.name for r in result.axes}
    mapped = {result.map["x"]["name"], result.map["y"]["name"]} if result.map else set()
    drawn = set() if not result.random.get("samples") else {a.name for a in result.case.axes} - set(result.plan.base)
    rows = []
    for a in result.case.axes:
        row = {"name": a.name, **a.anchor_record()}
        if result.base[a.name] != a.anchor:
            row["plan_base"] = result.base[a.name]
        row["swept"] = a.name in swept
        row["mapped"] = a.name in mapped
        row["sampled"] = a.name in drawn
        rows.append(row)
    return rows


def _anchor_lines(data: dict[str, Any]) -> list[str]:
    """The anchor setting as a table: the source's values with their locators apart from our own choices."""
    lines = ["### The anchor setting", "",
             "Each axis starts at its anchor: the source's value where the source states it (with where), our "
             "own choice where it is silent (with why).", "",
             "| axis | anchor | whose | where the source states it, or why we chose it | this run |", "|---|---|---|---|---|"]
    for row in data["anchor"]:
        how = [k for k in ("swept", "mapped", "sampled") if row[k]] or ["held fixed"]
        base = f" (plan base: {row['plan_base']})" if "plan_base" in row else ""
        whose = "source" if row["from"] == "source" else "**ours**"
        lines.append(f"| {row['name']} | {row['value']}{base} | {whose} | {row.get('source') or row.get('reason') or '—'} "
                     f"| {', '.join(how)} |")
    return lines + [""]


def changed_base(result: SearchResult) -> dict[str, Any]:
    """The plan's changes to the anchor setting (entries of `base` equal to the anchor value are not changes)."""
    return {k: v for k, v in result.plan.base.items() if result.case.anchor.get(k) != v}


def anchor_words(result: SearchResult) -> tuple[str, str]:
    """How the report names the setting the search starts from, and one axis's value there."""
    return ("the anchor setting", "the anchor value") if not changed_base(result) else \
        ("the plan's base setting", "its value in the plan's base setting")


def _plain(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def plan_banner(result: SearchResult) -> list[str]:
    """A visible warning on any report that does not come from the case's full plan: what it is not, and what
    its plan changed."""
    plan, full = result.plan, result.case.plans.get("full")
    if full is not None and plan.as_dict() == full.as_dict():
        return []
    changed = []
    if changed_base(result):
        changed.append("it changes the setting (" + ", ".join(f"`{k}={v}`" for k, v in changed_base(result).items()) + ")")
    if full is not None:
        mine, theirs = plan.as_dict(), full.as_dict()
        diffs = [f"{k} {_plain(mine[k])} (full: {_plain(theirs[k])})" for k in mine
                 if k not in ("name", "base") and mine[k] != theirs[k]]
        if diffs:
            changed.append("its budget differs from the full plan's: " + "; ".join(diffs))
    return [f"> **Not the committed result.** This report comes from the plan `{plan.name}`, not the case's full "
            f"plan{': ' + '; '.join(changed) if changed else ''}. Treat it as a smoke test; quote the committed "
            "results instead" + (f" (`make case-{result.case.name}`)." if result.case.listed else
                                 f" (`mummybench run {result.case.name} --plan full`)."), ""]


def statistics_block(result: SearchResult) -> dict[str, Any]:
    """How the verdicts were decided, for summary.json and the report's method sentence."""
    runner, plan = result.runner, result.plan
    schedule = runner.schedule()
    anchor = runner.schedule(plan.anchor_seeds)
    claim = result.case.claim
    return {"procedure": "repeated confidence intervals: Student-t at one per-look level calibrated over the plan's "
                         "looks (Pocock-type boundary for the t statistic, Gaussian seed noise)",
            "level": LEVEL, "looks": list(schedule), "per_look_level": per_look_level(schedule),
            "anchor_looks": list(anchor), "anchor_per_look_level": per_look_level(anchor),
            "bounds": list(claim.bounds) if claim.bounds else None, "resolution": claim.unit, "tie": claim.tie,
            "sd_floor": claim.sd_floor, "common_random_numbers": True}


def method_sentence(st: dict[str, Any]) -> str:
    looks = ", ".join(map(str, st["looks"]))
    anchor = "" if st["anchor_looks"] == st["looks"] else \
        (f" (the anchor setting: looks at {', '.join(map(str, st['anchor_looks']))} seeds, each at "
         f"{100 * st['anchor_per_look_level']:.2f}%)")
    bounds = f", clipped to the metric's range [{st['bounds'][0]:g}, {st['bounds'][1]:g}]" if st["bounds"] else ""
    return (f"Each setting is judged after {looks} seeds{anchor}, stopping at the first look that decides. Every look uses "
            f"a Student-t interval at the nominal level {100 * st['per_look_level']:.2f}%, calibrated so that over all "
            f"looks together the intervals miss the true mean at most {100 * (1 - st['level']):.0f}% of the time "
            f"(a {100 * st['level']:.0f}% repeated confidence interval; the calibration assumes roughly Gaussian seed "
            f"noise){bounds}. The seed standard deviation is taken as at least {st['sd_floor']:g}, half the claim's "
            f"resolution of {st['resolution']:g}, so seeds that all agree never prove it outright, and values within "
            f"{st['tie']:g} of the threshold are ties. **holds**: the whole interval satisfies the claim; "
            "**breaks**: none of it does; otherwise **inconclusive**. Every setting uses seeds 0, 1, 2, ... "
            "(common random numbers).")


def also_judged(result: SearchResult) -> list[dict[str, Any]]:
    """The case's further claims, judged on the seeds the search ran: at the anchor setting, and the first
    value on each side of every swept axis where the verdict flips (grid and bisection points only)."""
    out = []
    for claim in result.case.also:
        def judge(ev: Evaluation, claim=claim) -> dict[str, Any]:
            j = result.runner.judge(claim, ev.setting, ev.seeds, ev.schedule)
            return {"mean": j.mean, "ci": [j.low, j.high], "n_seeds": len(j.values), "verdict": j.verdict}

        rep = judge(result.reproduction)
        axes = []
        for r in result.axes:
            points = {v: judge(r.points[v]) for v in r.axis.order(r.points)}
            entry: dict[str, Any] = {"name": r.axis.name, "points": [{"value": v, **p} for v, p in points.items()]}
            paper = result.base[r.axis.name]
            if r.axis.categorical:
                entry["categories"] = {str(v): p["verdict"] for v, p in points.items()}
            elif rep["verdict"] in OPPOSITE:
                for name, walk in (("below", [v for v in points if r.axis.position(v) < r.axis.position(paper)][::-1]),
                                   ("above", [v for v in points if r.axis.position(v) > r.axis.position(paper)])):
                    flip = next((v for v in walk if points[v]["verdict"] == OPPOSITE[rep["verdict"]]), None)
                    entry[name] = flip
            axes.append(entry)
        out.append({"claim": claim.as_dict(), "label": claim.label, "reproduction": rep, "axes": axes})
    return out


def _citation_lines(c: dict[str, Any]) -> list[str]:
    """From a claim's `as_dict()`: the quote credited to whoever wrote it, the source with its version and locator,
    and the number the source reports (with its spread)."""
    lines = []
    if c.get("quote"):
        lines += [f"> {c['quote']}", ">", f"> — {c.get('quote_by') or c['source']}", ""]
    lines += [f"Source: {c.get('citation') or c['source']}", ""]
    if c.get("reported"):
        lines += [f"The source reports: {c['reported']}", ""]
    return lines


def _anchor_cell(axis: Any, entry: dict[str, Any]) -> str:
    return f"{entry['anchor']} ({'source' if axis.from_source else 'ours'})"


def _also_lines(data: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for judged in data.get("also") or []:
        rep = judged["reproduction"]
        lines += [f"## Also on trial: {judged['claim']['text']}", "", *_citation_lines(judged["claim"]),
                  f"`{judged['label']}`, judged on the same trials as the headline claim (no search of its own). "
                  f"At the anchor setting: **{rep['verdict']}** — mean {_num(rep['mean'])} [{_num(rep['ci'][0])}, "
                  f"{_num(rep['ci'][1])}] over {rep['n_seeds']} seeds.", ""]
        if rep["verdict"] not in OPPOSITE:
            lines += ["The verdict at the anchor setting is inconclusive, so no axis can flip it.", ""]
        lines += ["| axis | first value below the anchor's that flips the verdict | first value above |", "|---|---|---|"]
        for a in judged["axes"]:
            if "categories" in a:
                lines.append(f"| {a['name']} | categories — " + ", ".join(f"{k}: {v}" for k, v in a["categories"].items())
                             + " | |")
            else:
                lines.append(f"| {a['name']} | {a.get('below') if a.get('below') is not None else '—'} | "
                             f"{a.get('above') if a.get('above') is not None else '—'} |")
        lines.append("")
    return lines


def _axis_entry(r: AxisResult, base: dict[str, Any], anchor: str) -> dict[str, Any]:
    """One swept axis for summary.json: its points, and the bracket on each side of the anchor value."""
    paper = base[r.axis.name]
    entry: dict[str, Any] = {"name": r.axis.name, "anchor": paper, "anchor_verdict": anchor,
                             "plausible": list(r.axis.plausible),
                             "kind": "category" if r.axis.categorical else
                                 ("ordered" if not r.axis.numeric else ("log" if r.axis.log else "linear")),
                                 "below": None, "above": None,
                                 "points": [{"value": v, **r.points[v].as_dict()} for v in r.axis.order(r.points)]}
    for name, side in r.sides.items():
        entry[name] = side.bracket(anchor, r.points)
        entry[f"{name}_status"] = side.status
        entry[f"{name}_tried"] = list(side.tried)  # the grid values on this side, nearest first
        entry[f"{name}_at_end"] = at_range_end(r.axis, paper, name)
        if side.flip is None and side.grey:
            entry[f"{name}_inconclusive"] = list(side.grey)
    if r.axis.categorical:
        entry["categories"] = {str(v): r.points[v].verdict for v in r.axis.order(r.points)}
    return entry


def first_breaks(result: SearchResult) -> list[tuple[str, Any, dict[str, Any]]]:
    """(label, figure slug, setting) of the first value past every bracket where the verdict flips (where it breaks
    when the anchor setting holds, where it holds when the anchor setting breaks)."""
    out = []
    for r in result.axes:
        for name, side in r.sides.items():
            bracket = side.bracket(result.anchor, r.points)
            if bracket:
                value = bracket["flip_at"]
                setting = {**result.base, r.axis.name: value}
                # the side is part of the slug: an axis that flips on both sides has two example figures
                out.append((f"{r.axis.name}={value} ({name} the anchor's value)", f"{r.axis.name}_{name}", setting))
    return out


class FigureCache:
    """Redraws a figure only when its inputs changed: a rerun from the store takes seconds.
    The manifest `figures/inputs.json` maps each PNG to the hash of what it was drawn from."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest_path = folder / "inputs.json"
        try:
            self.old = json.loads(self.manifest_path.read_text())
        except (OSError, json.JSONDecodeError):
            self.old = {}
        self.new: dict[str, str] = {}

    def draw(self, name: str, inputs: Any, render: Callable[[Path], bool]) -> bool:
        """Make figures/<name> with render(path) unless it exists with the same inputs; False if none was made."""
        digest = hashlib.sha256(json.dumps(_clean(inputs), sort_keys=True, default=str).encode()).hexdigest()[:16]
        path = self.folder / name
        if not (self.old.get(name) == digest and path.exists() and path.with_suffix(".svg").exists()):
            if not render(path):
                return False
        self.new[name] = digest
        return True

    def finish(self) -> None:
        for stale in set(self.old) - set(self.new):
            (self.folder / stale).unlink(missing_ok=True)
            (self.folder / stale).with_suffix(".svg").unlink(missing_ok=True)
        self.manifest_path.write_text(json.dumps(self.new, indent=1, sort_keys=True) + "\n")


def write(result: SearchResult, out: Path, provenance: dict[str, Any]) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    figs = out / "figures"
    figs.mkdir(exist_ok=True)
    cache = FigureCache(figs)
    data = summary(result, provenance)
    case, claim = result.case, result.case.claim

    def plot(name: str, inputs: Any, render: Callable[[Path], Any]) -> bool:
        return cache.draw(name, [FIGURE_STYLE, claim.as_dict(), inputs], render)

    for r, entry in zip(result.axes, data["axes"]):
        plot(f"axis_{r.axis.name}.png", [entry["points"], entry["anchor"]],
             lambda path, r=r: _draw("axis_plot", r, claim, result.base[r.axis.name], path))
    if result.map:
        paper_cell = (result.base[result.map["x"]["name"]], result.base[result.map["y"]["name"]])
        plot("map.png", [result.map, paper_cell],
             lambda path: _draw("map_plot", result.map, claim, path, paper_cell))
    if result.compare:
        by, variants = result.compare
        for k, name in enumerate(r.axis.name for r in variants[0].axes if variants):
            curves = [(str(v.value), v.axes[k], v.base[name]) for v in variants]
            plot(f"compare_{name}.png", [by, [e["axes"][k]["points"] for e in data["compare"]["variants"]]],
                 lambda path, curves=curves, name=name: _draw("compare_plot", by, curves, claim, path))
    if result.screening:
        plot("screening.png", [result.screening], lambda path: _draw("screening_plot", result.screening.get("morris"),
                                                                      result.screening.get("sobol"), path))
    if result.region:
        reg = data["region"]
        plot("region_along.png", [reg["along"]], lambda path: _draw("along_plot", reg["along"], claim, path))
        if reg.get("slice"):
            plot("region_slice.png", [reg["slice"]], lambda path: _draw("slice_plot", reg["slice"], claim, path))
    examples = [(anchor_words(result)[0], "paper", result.base), *[(lbl, f"breaks_{n}", s) for lbl, n, s in first_breaks(result)]]
    if result.compare:  # each compared category at the base setting, e.g. every implementation's own examples
        by, variants = result.compare
        examples += [(f"{by} = {v.value} at the base setting", re.sub(r"[^A-Za-z0-9_.+-]+", "_", f"{by}_{v.value}"),
                      v.base) for v in variants if v.base != result.base]
    shown = []
    drawing_code = case.code_hash(presentation=True)
    for label, slug, setting in examples:
        record = result.runner.record(setting, 0)
        if not record or record.get("error"):
            continue
        title, found = f"{claim.label} — {label}, seed 0", record.get("examples") or {}
        made = plot(f"examples_{slug}.png", [found, title, drawing_code],
                    lambda path, found=found, title=title: _draw("save", case.draw(found, title), path))
        shown.append((label, setting, record, f"examples_{slug}.png" if made else None))
    shape = {k: data.get(k) for k in PROFILE_INPUTS}
    profile = plot("fragility_profile.png", [shape], lambda path: _draw_profile(data, path))
    cache.finish()
    timings = [m for m, tol in case.tolerance.items() if tol == math.inf]  # wall-clock metrics: not results
    version = citation.bump(out, data, timings)
    (out / "summary.json").write_text(json.dumps(data, indent=1, sort_keys=False, default=str) + "\n")
    (out / "report.md").write_text(markdown(result, data, shown, profile=profile, version=version))
    return data


def _draw_profile(data: dict[str, Any], path: Path) -> bool:
    from . import profile

    return profile.profile_plot(data, path)


def _draw(function: str, *args: Any) -> bool:
    """Call a function of `figures`, importing matplotlib only when a figure must be drawn."""
    from . import figures

    made = getattr(figures, function)(*args)
    return True if made is None else bool(made)


def _bracket_cells(r: AxisResult, entry: dict[str, Any]) -> tuple[str, str, str]:
    """Markdown cells for the brackets below and above the anchor value, and the nearest break's distance."""
    cells, nearest = [], None  # nearest: (distance on the axis, breaking value)
    if not r.sides:  # an inconclusive reproduction: no bracket, but say where the verdict is decided
        paper = r.axis.position(entry["anchor"])
        for name in ("below", "above"):
            walk = [p for p in entry["points"] if (r.axis.position(p["value"]) < paper if name == "below"
                                                   else r.axis.position(p["value"]) > paper)]
            walk.sort(key=lambda p: abs(r.axis.position(p["value"]) - paper))
            decided = next((p for p in walk if p["verdict"] in OPPOSITE), None)
            cells.append(f"nearest decided: {decided['value']} ({decided['verdict']})" if decided else
                         ("inconclusive throughout" if walk else "—"))
        return cells[0], cells[1], "—"
    for name in ("below", "above"):
        b = entry.get(name)
        status = entry.get(f"{name}_status", "n/a")
        if b:
            grey = b.get("inconclusive_between") or []
            back = b.get("paper_verdict_returns_at") or []
            cells.append(f"{b['holds_at']} → **{b['breaks_at']}**"
                         + (f" (inconclusive between: {grey_words(entry, grey)})" if grey else "")
                         + (" (not bisected: plan depth 0)" if status.startswith("grid only") else "")
                         + (f"; **a dip**: the paper's verdict returns at {', '.join(map(str, back))}" if back else ""))
            d = _gap(r, entry["anchor"], b["flip_at"])
            if nearest is None or d < nearest[0]:
                nearest = (d, b["flip_at"])
        elif status == "inconclusive":
            cells.append("no clear break; inconclusive at " + grey_words(entry, entry.get(f"{name}_inconclusive", [])))
        elif status == "robust":
            cells.append(_no_break(r, entry.get(f"{name}_tried") or [], entry.get("anchor_verdict", "holds"), name,
                                   entry["anchor"]))
        else:
            cells.append(status)
    return cells[0], cells[1], distance(r, entry["anchor"], nearest[1]) if nearest else "—"


def not_swept(at_end: bool) -> str:
    """Why a side has no grid value: the anchor is the end of the plausible range, or no value there was asked for
    (a sweep of listed values) or is valid here."""
    return "— (the anchor is the end of the range)" if at_end else \
        "not swept (no value on this side was asked for, or none is valid at this setting)"


def grey_words(entry: dict[str, Any], values: list[Any]) -> str:
    """Inconclusive values, each marked when every trial there failed (nothing was measured, not seed noise)."""
    failed = {str(p["value"]) for p in entry.get("points", []) if not p.get("n_seeds") and p.get("n_failed")}
    return ", ".join(f"{v} (every trial failed)" if str(v) in failed else str(v) for v in values)


def at_range_end(axis: Any, value: Any, side: str) -> bool:
    """Whether `value` is at (or past) the end of the axis's plausible range on that side."""
    end = axis.plausible[0] if side == "below" else axis.plausible[1]
    pos, limit = axis.position(value), axis.position(end)
    return pos <= limit if side == "below" else pos >= limit


def _no_break(r: AxisResult, tried: list[Any], anchor: str, side: str, paper: Any) -> str:
    """'No flip' with what it rests on: how many grid values, over what range, at what spacing. With a breaking
    anchor it says the claim never holds there, not that nothing breaks."""
    if not tried:
        return not_swept(at_range_end(r.axis, paper, side))
    values = sorted(tried, key=r.axis.position)
    span = f"{values[0]}–{values[-1]}" if len(values) > 1 else f"{values[0]}"
    if not r.axis.numeric:
        step = "every choice"
    elif len(values) < 2:
        step = "one value"
    elif r.axis.log and values[0] > 0:
        step = f"spaced ×{(values[-1] / values[0]) ** (1 / (len(values) - 1)):.3g}"
    else:
        step = f"spaced {(values[-1] - values[0]) / (len(values) - 1):.3g}"
    what = "no break" if anchor == "holds" else "never holds"
    return (f"{what} at the {len(values)} grid value(s) tried ({span}, {step}); a {'dip' if anchor == 'holds' else 'peak'} "
            "narrower than the spacing would not be seen")


def _compare_lines(result: SearchResult, data: dict[str, Any]) -> list[str]:
    """The per-category table: verdict at the base setting and the brackets of each re-swept axis."""
    if not result.compare:
        return []
    by, variants = result.compare
    lines = [f"## Breaking points by {by}", "",
             f"Each value of `{by}` at the base setting (every other axis unchanged), then the same one-axis sweeps "
             "from there: the brackets side by side.", "",
             f"| {by} | at the base setting | axis | below: holds at → breaks at | above: holds at → breaks at |",
             "|---|---|---|---|---|"]
    for v, entry in zip(variants, data["compare"]["variants"]):
        at_base = f"{v.anchor}: {_ci(v.reproduction)}"
        for r, axis_entry in zip(v.axes, entry["axes"]):
            if len(r.points) <= 1:  # the case rejects every other value here (the axis does nothing for it)
                lines.append(f"| {v.value} | {at_base} | {r.axis.name} | not swept: the case accepts no other value "
                             f"with {by}={v.value} | |")
                continue
            below, above, _ = _bracket_cells(r, axis_entry)
            lines.append(f"| {v.value} | {at_base} | {r.axis.name} | {below} | {above} |")
    lines.append("")
    for name in [r.axis.name for r in variants[0].axes] if variants else []:
        lines += [f"![{by} × {name}](figures/compare_{name}.png)", ""]
    return lines


def markdown(result: SearchResult, data: dict[str, Any], shown: list, profile: bool = False,
             version: dict[str, Any] | None = None) -> str:
    case, claim, rep, prov = result.case, result.case.claim, result.reproduction, data["provenance"]
    where, value_word = anchor_words(result)
    spread = f"{_num(min(rep.values))} to {_num(max(rep.values))}" if rep.values else "n/a"
    lines = [f"# {case.title or case.name}", ""]
    if prov.get("stale"):
        lines += [f"> **STALE REPORT.** These trials ran with older case code or library versions "
                  f"({prov['stale']['why']}). The numbers below may not hold for the code as it is now: rerun "
                  f"`mummybench run {case.name}` before quoting them.", ""]
    lines += plan_banner(result)
    lines += [f"**Claim on trial:** {claim.text}", ""]
    lines += _citation_lines(claim.as_dict())
    st = data["statistics"]
    lines += [f"Tested as: `{claim.label}` per trial, averaged over seeds. {method_sentence(st)}", "",
              "## Reproduction at the anchor setting" if not changed_base(result) else
              "## At the plan's base setting (not the paper's: "
              + ", ".join(f"{k}={v}" for k, v in changed_base(result).items()) + ")", "",
              f"Verdict: **{rep.verdict}** — mean {_ci(rep)} over {len(rep.values)} seeds "
              f"(seed-only spread: {spread}).", "",
              "Setting: " + ", ".join(f"`{k}={v}`" for k, v in case.active(result.base).items()), "", *_anchor_lines(data)]
    if rep.all_failed:
        lines += [f"**Every trial at {where} failed** ({len(rep.failed)}): see Failed trials below.", ""]
    elif rep.values and not all(claim.satisfied(v) for v in rep.values) and any(claim.satisfied(v) for v in rep.values):
        lines += ["**Seed noise alone crosses the threshold here:** some seeds satisfy the claim and some do not.", ""]
    elif rep.verdict == "inconclusive":
        lines += [f"**Inconclusive at {where}:** the interval still straddles the threshold after "
                  f"{len(rep.values)} seeds, so no axis can flip the verdict.", ""]
    if profile:
        lines += ["## Fragility profile", "",
                  "Every axis swept one at a time is a row, with the base setting at 0 and each value at its distance "
                  "from it in the axis's own scale (log for log axes), over the longer of the row's two sides. A dot "
                  "is a tested value coloured by its verdict (a cross: every trial failed); a thin line joins "
                  "neighbouring values that agree, and nothing was tested between them. Starred rows have our anchor, "
                  "not the source's; the axes held fixed are listed beneath. The title gives the verdicts and the "
                  "strongest interaction the global phases measured. SVG for slides: `figures/fragility_profile.svg`.",
                  "", "![fragility profile](figures/fragility_profile.png)", ""]
    lines += ["## Breaking points, one axis at a time", "",
              f"Each axis moves alone from {value_word} across its plausible range; the bracket is the last value "
              "that holds and the first that breaks, refined by bisection. Values listed as inconclusive lie between "
              "the two: there the claim is within seed noise of its threshold.", "",
              "| axis | anchor | below: holds at → breaks at | above: holds at → breaks at | nearest break, relative |",
              "|---|---|---|---|---|"]
    for r, entry in zip(result.axes, data["axes"]):
        if r.axis.categorical:
            cats = ", ".join(f"{k}: {v}" for k, v in entry["categories"].items())
            lines.append(f"| {r.axis.name} | {_anchor_cell(r.axis, entry)} | categories — {cats} | | |")
            continue
        below, above, rel = _bracket_cells(r, entry)
        lines.append(f"| {r.axis.name} | {_anchor_cell(r.axis, entry)} | {below} | {above} | {rel} |")
    lines += ["", "### Each axis", ""]
    for r in result.axes:
        lines += [f"**{r.axis.name}** — {r.axis.why}", "", f"![{r.axis.name}](figures/axis_{r.axis.name}.png)", ""]
    if result.map:
        m = result.map
        lines += ["## Fragility map", "", f"`{m['x']['name']}` × `{m['y']['name']}`, every other axis at {value_word}.", "",
                  "![map](figures/map.png)", ""]
    lines += _compare_lines(result, data)
    lines += _also_lines(data)
    rs = data["robust_share"]
    lines += ["## How much of the plausible space holds", ""]
    if rs.get("failed"):
        lines += [f"{rs['failed']} of the settings drawn at random could not be measured (every trial failed; see "
                  "Failed trials): they are left out of the share below, not counted as breaking.", ""]
    if rs["samples"]:
        lines += [f"Of {rs['samples']} settings drawn at random from every axis's plausible range and measured, the claim "
                  f"holds in "
                  f"{rs['holds']}, breaks in {rs['breaks']} and is inconclusive in {rs['inconclusive']}: "
                  f"share holding {_num(rs['estimate'])} (95% Wilson interval [{_num(rs['ci'][0])}, {_num(rs['ci'][1])}]; "
                  "inconclusive settings count as not holding).", ""]
    elif rs.get("requested"):
        lines += [f"The plan asked for {rs['requested']} random settings, but every draw was one the case cannot run "
                  "(its `check` rejected 100 tries each), so no share is estimated.", ""]
    else:
        lines += ["This plan draws no random settings (`random_samples` is 0), so it estimates no share.", ""]
    if rs["samples"] and rs.get("dropped"):
        lines += [f"{rs['dropped']} of the {rs['requested']} requested draws were dropped: the case's `check` rejected "
                  "100 tries each.", ""]
    lines += screening_lines(result, data)
    lines += region_lines(result, data)
    lines += ["## Concrete examples", "", f"Seed 0 at {where} and at each first value where the verdict flips"
              + (f", and at each `{result.compare[0]}` compared." if result.compare else "."), ""]
    for label, _setting, record, png in shown:
        lines += [f"### {label}", ""]
        if png:
            lines += [f"![{label}](figures/{png})", ""]
        text = case.describe(record.get("examples") or {})
        metrics = ", ".join(f"{k}={_num(v)}" for k, v in sorted(record["metrics"].items()))
        lines += [f"Metrics: {metrics}", "", text, ""] if text else [f"Metrics: {metrics}", ""]
    lines += _flag_lines(data)
    if data["failed"]:
        lines += ["## Failed trials", "", "| setting | seed | error (last line) |", "|---|---|---|"]
        for f in data["failed"]:
            last = (f["error"] or "").strip().splitlines()[-1][:160].replace("|", "\\|")
            changed = {k: v for k, v in f["setting"].items() if result.base.get(k) != v}
            lines.append(f"| {changed or 'anchor'} | {f['seed']} | {last} |")
        lines.append("")
    lines += ["## How to cite", "", "Suggested citation (the results version moves whenever a change moves the numbers; "
              "its history: `results_version.json`):", "", f"> {citation.suggested(data, version)}", ""]
    lines += ["## Provenance", "", "### The trials", ""]
    span = prov.get("trials_span")
    if span:
        lines.append(f"- {prov.get('trials_used')} trials behind this report, finished between {span[0]} and {span[1]} "
                     f"(UTC); trial compute: {_num(prov.get('compute_s'))} s")
    for env in prov.get("trial_environments") or []:
        e = env["env"]
        where = "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in e.items())
        lines.append(f"- {env['trials']} trial(s) ran on: {where}")
    last = prov.get("last_run") or {}
    if last.get("command"):
        lines.append(f"- the last run: `{last['command']}` ({_num(last.get('wall_s'))} s wall, "
                     f"{last.get('trials_run')} trials run, {last.get('trials_cached')} from the store)")
    lines += ["- library versions (the store key): " + ", ".join(f"{k} {v}" for k, v in prov.get("versions", {}).items()),
              f"- plan: `{json.dumps(prov.get('plan'))}`",
              "", "### This rendering", "",
              f"- command: `{prov.get('command', '')}`; rendered {prov.get('rendered_at', 'n/a')} (UTC)",
              f"- git commit: {prov.get('git_commit')} (dirty: {prov.get('git_dirty')})",
              f"- python {prov.get('python')} on {prov.get('platform')}; CPU: {prov.get('cpu')} ({prov.get('cores')} cores)",
              f"- wall time of this command: {_num(prov.get('wall_s'))} s; trials it ran: {prov.get('trials_run')}, "
              f"taken from the store: {prov.get('trials_cached')}"]
    elsewhere = prov.get("trials_elsewhere") or 0
    if elsewhere:
        rt = prov.get("runtime") or {}
        lines.append(f"- **Rendered on another machine than {elsewhere} of the {prov.get('trials_used')} trials ran on** "
                     f"(this one: {rt.get('cpu')}, instruction set {rt.get('isa_mode')}; theirs above).")
    lines.append("")
    return "\n".join(lines)
