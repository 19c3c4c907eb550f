"""The report's standard plots: one per axis, and the 2-D fragility map."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import matplotlib

if "ipykernel" not in sys.modules:  # in a notebook, keep its inline backend so that figures show
    matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "mummybench"  # stable ids inside SVG files, so identical figures are identical
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .claim import Claim  # noqa: E402
from .search import AxisResult  # noqa: E402

COLOURS = {"holds": "#1b7837", "breaks": "#c51b7d", "inconclusive": "#999999"}


def _finite(x: float) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def axis_plot(result: AxisResult, claim: Claim, paper: Any, path: Path) -> None:
    """Mean claim value with its interval against the axis, threshold and anchor value marked."""
    axis = result.axis
    values = axis.order(result.points)
    xs = [axis.position(v) for v in values]
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for x, v in zip(xs, values):
        ev = result.points[v]
        if not _finite(ev.mean):
            continue
        lo = ev.low if _finite(ev.low) else ev.mean
        hi = ev.high if _finite(ev.high) else ev.mean
        ax.errorbar([x], [ev.mean], yerr=[[ev.mean - lo], [hi - ev.mean]], fmt="o", capsize=3,
                    color=COLOURS[ev.verdict], label=ev.verdict)
    if not axis.categorical:  # a line between unordered categories would suggest an order that is not there
        means = [result.points[v].mean for v in values]
        ax.plot([x for x, m in zip(xs, means) if _finite(m)], [m for m in means if _finite(m)], color="#444", lw=0.8,
                zorder=0)
    ax.axhline(claim.threshold, color="#c51b7d", ls="--", lw=1, label=f"threshold {claim.threshold:g}")
    ax.axvline(axis.position(paper), color="#2166ac", ls=":", lw=1.2, label=f"anchor: {paper}")
    if not axis.numeric:
        ax.set_xticks(xs, [str(v) for v in values], rotation=30 if len(values) > 4 else 0)
    elif axis.log:
        _log_axis(ax, xs)
    ax.set_xlabel(axis.name + (f" ({axis.unit})" if axis.unit else ""))
    ax.set_ylabel(value_name(claim))
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), fontsize=7, loc="best")
    ax.set_title(f"{claim.label} against {axis.name}: mean and 95% repeated CI over seeds", fontsize=9)
    fig.tight_layout()
    save(fig, path)


def value_name(claim: Claim) -> str:
    """What the plotted numbers are: the metric, or the paired difference the claim is about."""
    return claim.metric if not claim.baseline else f"{claim.metric} − {claim.baseline}"


def _log_axis(ax: Any, values: list[float]) -> None:
    """A log x-axis labelled at the values tried (at most 7 of them, spread out), in plain numbers."""
    from matplotlib.ticker import NullFormatter, NullLocator

    ax.set_xscale("log")
    ticks = sorted({float(v) for v in values if v and v > 0})
    if len(ticks) > 7:
        step = math.ceil(len(ticks) / 7)
        ticks = ticks[::step] + ([ticks[-1]] if (len(ticks) - 1) % step else [])
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks], fontsize=8)
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())


def compare_plot(by: str, curves: list[tuple[str, AxisResult, Any]], claim: Claim, path: Path) -> None:
    """One axis swept at each category of another: one line (mean, 95% repeated-CI band) per category."""
    fig, ax = plt.subplots(figsize=(6.8, 3.9))
    axis = curves[0][1].axis if curves else None
    for k, (label, result, _paper) in enumerate(curves):
        values = [v for v in result.axis.order(result.points) if _finite(result.points[v].mean)]
        xs = [result.axis.position(v) for v in values]
        means = np.array([result.points[v].mean for v in values])
        lo = np.array([result.points[v].low if _finite(result.points[v].low) else result.points[v].mean for v in values])
        hi = np.array([result.points[v].high if _finite(result.points[v].high) else result.points[v].mean for v in values])
        colour = plt.get_cmap("tab10")(k % 10)
        ax.plot(xs, means, "o-", ms=3, lw=1.2, color=colour, label=f"{by}={label}")
        ax.fill_between(xs, lo, hi, color=colour, alpha=0.15, lw=0)
    ax.axhline(claim.threshold, color="#c51b7d", ls="--", lw=1, label=f"threshold {claim.threshold:g}")
    if axis is not None:
        paper = curves[0][2]
        ax.axvline(axis.position(paper), color="#2166ac", ls=":", lw=1.2, label=f"anchor: {paper}")
        if axis.log:
            _log_axis(ax, sorted({axis.position(v) for _, r, _ in curves for v in r.points}))
        ax.set_xlabel(axis.name + (f" ({axis.unit})" if axis.unit else ""))
    ax.set_ylabel(value_name(claim))
    ax.legend(fontsize=7, loc="best")
    ax.set_title(f"{claim.label} against {axis.name if axis else ''}, for each {by}: mean and 95% repeated CI",
                 fontsize=9)
    fig.tight_layout()
    save(fig, path)


def map_plot(fragility: dict[str, Any], claim: Claim, path: Path, paper: tuple[Any, Any] | None = None) -> None:
    """Heatmap of the mean claim value over two axes; cells that break are hatched, the paper's setting marked."""
    from matplotlib.patches import Rectangle

    xs, ys = fragility["x"]["values"], fragility["y"]["values"]
    grid = np.array([[np.nan if v is None else v for v in row] for row in fragility["values"]], dtype=float)
    fig, ax = plt.subplots(figsize=(5.8, 4.8))
    image = ax.imshow(grid, origin="lower", cmap="viridis", aspect="auto")
    fig.colorbar(image, ax=ax, label=value_name(claim))
    if paper is not None:
        px, py = _cell_position(xs, paper[0], fragility["x"].get("log")), _cell_position(ys, paper[1], fragility["y"].get("log"))
        if px is not None and py is not None:
            label = f"anchor setting: {fragility['x']['name']}={paper[0]}, {fragility['y']['name']}={paper[1]}"
            if px.is_integer() and py.is_integer():  # a cell of the map: outline it
                ax.add_patch(Rectangle((px - 0.5, py - 0.5), 1, 1, fill=False, ec="#ff7f00", lw=3, label=label))
            else:  # between cells: a star where it would sit
                ax.plot([px], [py], marker="*", ms=14, color="#ff7f00", mec="black", mew=0.8, ls="none", label=label)
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.14), frameon=False)
    for j, row in enumerate(fragility["verdicts"]):
        for i, verdict in enumerate(row):
            if verdict is None:
                continue
            if verdict == "breaks":
                ax.add_patch(Rectangle((i - 0.5, j - 0.5), 1, 1, fill=False, hatch="///", ec="#c51b7d", lw=0))
            mark = {"holds": "✓", "breaks": "✗", "inconclusive": "?"}[verdict]
            value = grid[j, i]
            text = f"{mark}\n{value:.2f}" if math.isfinite(value) else mark
            ax.text(i, j, text, ha="center", va="center", fontsize=8,
                    color="white" if not math.isfinite(value) or value < np.nanmean(grid) else "black")
    ax.set_xticks(range(len(xs)), [str(x) for x in xs])
    ax.set_yticks(range(len(ys)), [str(y) for y in ys])
    ax.set_xlabel(fragility["x"]["name"])
    ax.set_ylabel(fragility["y"]["name"])
    ax.set_title(f"{claim.label}: ✓ holds, ✗ breaks (hatched), ? inconclusive", fontsize=9)
    fig.tight_layout()
    save(fig, path)


def _cell_position(values: list[Any], paper: Any, log: bool) -> float | None:
    """Where the anchor value sits on a map's cell index scale (between cells when it is not a grid value)."""
    if paper in values:
        return float(values.index(paper))
    try:
        points = [float(v) for v in values]
        x = float(paper)
    except (TypeError, ValueError):
        return None
    if log and min(points) > 0 and x > 0:
        points, x = [math.log(v) for v in points], math.log(x)
    return float(np.interp(x, points, range(len(points)))) if points[0] <= x <= points[-1] else None


def save(fig: Any, path: Path) -> bool:
    """Write a figure as PNG and, beside it, SVG (for slides); False when there is no figure."""
    if fig is None:
        return False
    fig.savefig(path, dpi=110)
    fig.savefig(path.with_suffix(".svg"), metadata={"Date": None})  # no timestamp: a redraw changes nothing
    plt.close(fig)
    return True


def screening_plot(morris: dict[str, Any] | None, sobol: dict[str, Any] | None, path: Path) -> bool:
    """Morris mu* per axis with its 95% bootstrap interval and the seed-noise floor; beside it, Sobol' S1 and ST."""
    panels = [p for p in (morris, sobol) if p and p.get("axes")]
    if not panels:
        return False
    order = [e["axis"] for e in panels[0]["axes"]][::-1]
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 0.34 * len(order) + 1.6), squeeze=False)
    ys = np.arange(len(order))
    for ax, panel in zip(axes[0], panels):
        by = {e["axis"]: e for e in panel["axes"]}
        if panel["method"] == "morris":
            mu = np.array([by[n]["mu_star"] for n in order])
            lo = np.array([by[n]["mu_star_ci"][0] for n in order])
            hi = np.array([by[n]["mu_star_ci"][1] for n in order])
            ax.barh(ys, mu, color="#4393c3")
            ax.errorbar(mu, ys, xerr=[np.maximum(mu - lo, 0), np.maximum(hi - mu, 0)], fmt="none", ecolor="black",
                        capsize=2, lw=0.8)
            ax.axvline(panel["noise_floor"]["mu_star"], color="#999", ls="--", lw=1, label="seed noise alone")
            ax.set_xlabel("Morris μ* (95% bootstrap CI)")
            ax.legend(fontsize=7, loc="lower right")
        else:
            for k, (key, colour) in enumerate((("S1", "#92c5de"), ("ST", "#2166ac"))):
                v = np.array([by[n][key] if n in by else np.nan for n in order])
                lo = np.array([by[n][f"{key}_ci"][0] if n in by else np.nan for n in order])
                hi = np.array([by[n][f"{key}_ci"][1] if n in by else np.nan for n in order])
                ax.barh(ys + (k - 0.5) * 0.38, v, height=0.38, color=colour, label=key)
                ax.errorbar(v, ys + (k - 0.5) * 0.38, xerr=[np.maximum(v - lo, 0), np.maximum(hi - v, 0)], fmt="none",
                            ecolor="black", capsize=2, lw=0.8)
            ax.set_xlabel("Sobol' index (95% bootstrap CI)")
            ax.legend(fontsize=7, loc="lower right")
        ax.set_yticks(ys, order, fontsize=8)
    fig.suptitle("Which hidden parameters matter: every axis moving at once over its plausible range", fontsize=9)
    fig.tight_layout()
    return save(fig, path)


def along_plot(along: list[dict[str, Any]], claim: Claim, path: Path) -> bool:
    """P(holds) from the surrogate along each important axis (others at the anchor), the anchor marked."""
    if not along:
        return False
    fig, axes = plt.subplots(1, len(along), figsize=(3.6 * len(along), 3.2), squeeze=False)
    for ax, a in zip(axes[0], along):
        values = a["values"]
        xs = list(range(len(values))) if a["categorical"] else [float(v) for v in values]
        style = "o" if a["categorical"] else "-"
        ax.plot(xs, a["p_holds"], style, color="#1b7837")
        ax.set_ylim(-0.03, 1.03)
        ax.axhline(0.5, color="#999", lw=0.6, ls=":")
        anchor = values.index(a["anchor"]) if a["categorical"] and a["anchor"] in values else a["anchor"]
        ax.axvline(float(anchor), color="#2166ac", ls=":", lw=1.2, label=f"anchor: {a['anchor']}")
        if a["categorical"]:
            ax.set_xticks(xs, [str(v) for v in values], rotation=30 if len(values) > 3 else 0, fontsize=8)
        elif a["log"]:
            ax.set_xscale("log")
        ax.set_xlabel(a["axis"])
        ax.legend(fontsize=7, loc="best")
    axes[0][0].set_ylabel(f"P({claim.label}), surrogate")
    fig.suptitle("Where the claim holds along each important axis (every other axis at the anchor)", fontsize=9)
    fig.tight_layout()
    return save(fig, path)


def slice_plot(grid: dict[str, Any], claim: Claim, path: Path) -> bool:
    """The surrogate's P(holds) over two axes, the anchor marked; blank where the case cannot run."""
    if not grid:
        return False
    p = np.array([[np.nan if v is None else v for v in row] for row in grid["p_holds"]], dtype=float)
    xs, ys = grid["x"]["values"], grid["y"]["values"]
    fig, ax = plt.subplots(figsize=(5.8, 4.6))
    image = ax.imshow(p, origin="lower", cmap="PiYG", vmin=0, vmax=1, aspect="auto")
    fig.colorbar(image, ax=ax, label=f"P({claim.label})")
    numeric = not (grid["x"].get("categorical") or grid["y"].get("categorical"))  # no contour between categories
    if numeric and np.isfinite(p).any() and np.nanmin(p) < 0.5 < np.nanmax(p):
        ax.contour(np.arange(len(xs)), np.arange(len(ys)), np.nan_to_num(p, nan=0.5), levels=[0.5], colors="black",
                   linewidths=1)
    px = _cell_position(xs, grid["anchor"][0], grid["x"].get("log"))
    py = _cell_position(ys, grid["anchor"][1], grid["y"].get("log"))
    if px is not None and py is not None:
        ax.plot([px], [py], marker="*", ms=14, color="#ff7f00", mec="black", mew=0.8, ls="none", label="anchor")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.14), frameon=False)
    step_x, step_y = max(1, len(xs) // 6), max(1, len(ys) // 6)
    ax.set_xticks(range(0, len(xs), step_x), [f"{x:.3g}" if isinstance(x, float) else str(x) for x in xs[::step_x]],
                  fontsize=8)
    ax.set_yticks(range(0, len(ys), step_y), [f"{y:.3g}" if isinstance(y, float) else str(y) for y in ys[::step_y]],
                  fontsize=8)
    ax.set_xlabel(grid["x"]["name"])
    ax.set_ylabel(grid["y"]["name"])
    ax.set_title("Surrogate's P(holds)" + ("; black line: P = 0.5" if numeric else ""), fontsize=9)
    fig.tight_layout()
    return save(fig, path)
