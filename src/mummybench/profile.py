"""The fragility profile: one slide per case, and an overview across cases, drawn from summary.json alone.

Every swept axis is a row on a common scale: its plausible range mapped to [-1, 1] with the anchor (the paper's
setting) at 0, piecewise-linearly on each side in the axis's own scale (logarithmic for log axes). A tested value
is a dot coloured by its verdict; the stretch between two neighbouring tested values is coloured when both agree
and left grey when they differ (the verdict flips somewhere in between, or is undecided). A categorical axis shows
its anchor value at 0 and every other value as a labelled square to the right. The strongest interaction the
global phases measured is written in the title, and its two axes are set in bold.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

from .figures import COLOURS, plt, save

UNKNOWN = "#dddddd"
ANCHOR_NOTE = ("Where the claim holds, every hidden parameter on one scale. Anchor setting: the source's values "
               "where it states them, ours where it does not (the report says which)")


def position(axis: dict[str, Any], value: Any) -> float | None:
    """Where `value` sits on the common scale: the plausible range mapped to [-1, 1] with the anchor at 0."""
    try:
        low, high, anchor, x = (float(v) for v in (*axis["plausible"], axis["anchor"], value))
    except (TypeError, ValueError):
        return None
    if axis.get("kind") == "log" and min(low, high, anchor, x) > 0:
        low, high, anchor, x = (math.log(v) for v in (low, high, anchor, x))
    if x == anchor:
        return 0.0
    span = (anchor - low) if x < anchor else (high - anchor)
    if span <= 0:
        return -1.0 if x < anchor else 1.0
    return max(-1.0, min(1.0, (x - anchor) / span))


def _row(ax: Any, y: float, axis: dict[str, Any]) -> None:
    """One axis's row: verdict-coloured stretches between tested values, dots, and the range's ends labelled."""
    points = sorted(((position(axis, p["value"]), p) for p in axis.get("points") or []
                     if position(axis, p["value"]) is not None), key=lambda t: t[0])
    for (x0, p0), (x1, p1) in zip(points, points[1:]):
        colour = COLOURS[p0["verdict"]] if p0["verdict"] == p1["verdict"] != "inconclusive" else UNKNOWN
        ax.plot([x0, x1], [y, y], color=colour, lw=6, solid_capstyle="butt", alpha=0.55)
    for x, p in points:
        ax.plot([x], [y], "o", ms=4.5, color=COLOURS.get(p["verdict"], UNKNOWN), mec="white", mew=0.5)
    low, high = axis["plausible"]
    if position(axis, low) != 0.0:
        ax.text(-1.04, y, f"{low:g}" if isinstance(low, (int, float)) else str(low), ha="right", va="center", fontsize=6)
    if position(axis, high) != 0.0:
        ax.text(1.04, y, f"{high:g}" if isinstance(high, (int, float)) else str(high), ha="left", va="center", fontsize=6)
    for side in ("below", "above"):
        b = axis.get(side)
        x = position(axis, b["flip_at"]) if b else None
        if x is not None:
            ax.annotate(f"{b['flip_at']:g}", (x, y), xytext=(0, 6), textcoords="offset points", ha="center",
                        fontsize=6, color=COLOURS["breaks" if axis.get("anchor_verdict") == "holds" else "holds"])


def _category_row(ax: Any, y: float, axis: dict[str, Any]) -> None:
    """A categorical axis: the anchor's value at 0 (outlined), every other value a square to its right, each
    coloured by its verdict."""
    cats = list((axis.get("categories") or {}).items())
    others = [c for c in cats if str(c[0]) != str(axis["anchor"])]
    placed = [(0.0, c) for c in cats if str(c[0]) == str(axis["anchor"])]
    placed += [((k + 1) / len(others), c) for k, c in enumerate(others)]
    for k, (x, (value, verdict)) in enumerate(placed):
        anchor = str(value) == str(axis["anchor"])
        ax.plot([x], [y], "s", ms=7, color=COLOURS.get(verdict, UNKNOWN), mec="black" if anchor else "white",
                mew=1.2 if anchor else 0.5)
        below = len(placed) > 3 and k % 2 == 0 and not anchor  # many values: alternate labels above and below
        ax.annotate(str(value), (x, y), xytext=(0, -11 if below else 6), textcoords="offset points", ha="center",
                    fontsize=6)


def interaction_note(summary: dict[str, Any]) -> str:
    """One line on the strongest interaction the global phases measured, from summary.json's `region`."""
    st = (summary.get("region") or {}).get("strongest")
    if not st:
        return "strongest interaction: not searched" if not summary.get("region") else \
            "strongest interaction: none found among the most important axes"
    m = st["measured"]
    what = (f"{st['axes'][0]} × {st['axes'][1]}, measured contrast {m['contrast']:.3g} "
            f"[{m['ci'][0]:.3g}, {m['ci'][1]:.3g}] on {m['n_seeds']} fresh seeds")
    if not st.get("found"):
        return f"strongest interaction: none measured (candidate {what})"
    return f"strongest interaction: {what}" + (" (saturation, not synergy)" if st.get("saturated") else "")


def draw(ax: Any, summary: dict[str, Any], title: str | None = None) -> None:
    """The profile of one case on `ax`: a row per swept axis, the anchor at 0, the interaction in the title."""
    axes = [a for a in summary["axes"] if a.get("points") or a.get("categories")]
    for k, axis in enumerate(axes):
        y = len(axes) - 1 - k
        (_category_row if axis.get("categories") else _row)(ax, y, axis)
    ax.axvline(0, color="#2166ac", lw=1.2, ls=":")
    ax.set_yticks(range(len(axes)), [a["name"] for a in axes][::-1], fontsize=7)
    pair = ((summary.get("region") or {}).get("strongest") or {})
    for label in ax.get_yticklabels():  # the measured interaction's two axes in bold
        if pair.get("found") and label.get_text() in pair.get("axes", []):
            label.set_fontweight("bold")
    ax.set_ylim(-0.7, len(axes) - 0.3)
    ax.set_xlim(-1.3, 1.3)
    ax.set_xticks([-1, 0, 1], ["low end of\nplausible range", "anchor setting", "high end of\nplausible range"],
                  fontsize=6)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    rep = summary["reproduction"]
    head = title or summary["case"]
    note = textwrap.fill(interaction_note(summary), 120)
    ax.set_title(f"{head}: {rep['verdict']} at the anchor ({rep['mean']:.3g}, {rep['n_seeds']} seeds)\n{note}",
                 fontsize=7, loc="left")


def _legend(fig: Any) -> None:
    handles = [plt.Line2D([], [], color=COLOURS[v], marker="o", lw=4, alpha=0.7, label=v) for v in COLOURS]
    handles.append(plt.Line2D([], [], color=UNKNOWN, lw=4, label="flips or undecided between tested values"))
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=6, frameon=False)


def profile_plot(summary: dict[str, Any], path: Path) -> bool:
    """The fragility profile of one case (PNG and SVG at `path`); False when no axis was swept."""
    rows = [a for a in summary["axes"] if a.get("points") or a.get("categories")]
    if not rows:
        return False
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(rows) + 1.9))
    draw(ax, summary, f"{summary['case']} — {summary['claim']['metric']}"
         + (f" − {summary['claim']['baseline']}" if summary["claim"].get("baseline") else "")
         + f" {summary['claim']['op']} {summary['claim']['threshold']:g}")
    fig.suptitle(textwrap.fill(ANCHOR_NOTE, 115), fontsize=7)
    _legend(fig)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return save(fig, path)


def overview_plot(summaries: dict[str, dict[str, Any]], path: Path) -> bool:
    """Every case's profile, one panel each, stacked on the same scale (the README's overview figure)."""
    sizes = {k: len([a for a in s["axes"] if a.get("points") or a.get("categories")]) for k, s in summaries.items()}
    chosen = [k for k in summaries if sizes[k]]
    if not chosen:
        return False
    fig, axes = plt.subplots(len(chosen), 1, figsize=(7.5, sum(0.36 * sizes[k] + 1.0 for k in chosen) + 0.6),
                             gridspec_kw={"height_ratios": [sizes[k] + 1.5 for k in chosen]}, squeeze=False)
    for ax, key in zip(axes[:, 0], chosen):
        draw(ax, summaries[key])
    fig.suptitle(textwrap.fill(ANCHOR_NOTE, 115), fontsize=7)
    _legend(fig)
    fig.tight_layout(rect=(0, 0.03, 1, 0.99))
    return save(fig, path)
