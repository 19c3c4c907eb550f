"""The fragility profile: one slide per case, and an overview across cases, drawn from summary.json alone.

Every axis swept one at a time is a row. The base setting (the anchor, unless the plan moved it) is at 0; each
value sits at its distance from it in the axis's own scale (logarithmic for log axes), divided by the longer of the
row's two sides, so that within a row lengths are true and every row spans at most [-1, 1]. A tested value is a
dot coloured by its verdict (a cross where every trial failed); two neighbouring tested values that agree are
joined by a thin line (nothing was tested between them), and values that differ are not joined (the verdict flips
somewhere in between). A categorical axis shows its base value at 0 and the others as squares, numeric ones on
the side where they lie. A row whose anchor is ours, not the source's, is starred. The title gives the verdicts
(the headline and any further claims) and the strongest interaction the global phases measured; the axes held
fixed are listed beneath.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

from .figures import COLOURS, plt, save
from .formatting import claim_label

UNKNOWN = "#dddddd"
ANCHOR_NOTE = ("Where the claim holds along each hidden parameter swept one at a time. 0 is the anchor setting (the "
               "source's values, ours where it states none); each row in its own scale, its longer side = 1; "
               "a line joins tested values that agree (nothing tested between)")


def _scale(axis: dict[str, Any], *values: float) -> tuple[float, ...]:
    log = axis.get("kind") == "log" and min(values) > 0
    return tuple(math.log(v) for v in values) if log else values


def position(axis: dict[str, Any], value: Any, base: Any = None) -> float | None:
    """Where `value` sits on its row: its distance from the base value (default: the anchor) in the axis's own scale,
    over the longer of the two sides of the plausible range; None for a value that is not a number."""
    try:
        low, high, anchor, x = (float(v) for v in (*axis["plausible"], axis["anchor"] if base is None else base,
                                                    value))
    except (TypeError, ValueError):
        return None
    low, high, anchor, x = _scale(axis, low, high, anchor, x)
    span = max(anchor - low, high - anchor)
    if span <= 0:
        return 0.0
    return max(-1.0, min(1.0, (x - anchor) / span))


def _row(ax: Any, y: float, axis: dict[str, Any], base: Any) -> None:
    """One axis's row: dots by verdict, thin joins between neighbours that agree, the range's ends labelled."""
    placed = ((position(axis, p["value"], base), p) for p in axis.get("points") or [])
    points = sorted(((x, p) for x, p in placed if x is not None), key=lambda t: t[0])
    for (x0, p0), (x1, p1) in zip(points, points[1:]):
        if p0["verdict"] == p1["verdict"] != "inconclusive" and p0.get("n_seeds") and p1.get("n_seeds"):
            ax.plot([x0, x1], [y, y], color=COLOURS[p0["verdict"]], lw=1.4, alpha=0.8)
    for x, p in points:
        if not p.get("n_seeds") and p.get("n_failed"):
            ax.plot([x], [y], "x", ms=5, color="black")
        else:
            ax.plot([x], [y], "o", ms=5, color=COLOURS.get(p["verdict"], UNKNOWN), mec="white", mew=0.5)
    low, high = axis["plausible"]
    for end, ha, dx in ((low, "right", -0.03), (high, "left", 0.03)):
        x = position(axis, end, base)
        if x is not None and x != 0.0:
            ax.text(x + dx, y, f"{end:g}" if isinstance(end, (int, float)) else str(end), ha=ha, va="center",
                    fontsize=6, color="#555555")
    for side in ("below", "above"):
        b = axis.get(side)
        x = position(axis, b["flip_at"], base) if b else None
        if x is not None:
            ax.annotate(f"{b['flip_at']:g}", (x, y), xytext=(0, 6), textcoords="offset points", ha="center",
                        fontsize=6, color=COLOURS["breaks" if axis.get("anchor_verdict") == "holds" else "holds"])


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _category_row(ax: Any, y: float, axis: dict[str, Any], base: Any) -> None:
    """A categorical axis: the base value at 0 (outlined); numeric values to the side where they lie, by rank;
    names to the right."""
    cats = list((axis.get("categories") or {}).items())
    others = [c for c in cats if str(c[0]) != str(base)]
    pivot = _number(base)
    lower = sorted((c for c in others if pivot is not None and _number(c[0]) is not None and _number(c[0]) < pivot),
                   key=lambda c: _number(c[0]))
    upper = [c for c in others if c not in lower]
    upper.sort(key=lambda c: (_number(c[0]) is None, _number(c[0]) or 0.0))
    placed = [(0.0, c) for c in cats if str(c[0]) == str(base)]
    placed += [(-(len(lower) - k) / max(len(lower), len(upper)), c) for k, c in enumerate(lower)]
    placed += [((k + 1) / max(len(lower), len(upper)), c) for k, c in enumerate(upper)]
    names = [x for x, c in placed if _number(c[0]) is None and str(c[0]) != str(base)]
    if names and len(names) < len(placed) - 1:  # numbers and names on one row: a mark where the names begin
        ax.plot([min(names) - 0.5 / max(len(lower), len(upper))] * 2, [y - 0.25, y + 0.25], color="#999999", lw=0.8)
    for k, (x, (value, verdict)) in enumerate(sorted(placed, key=lambda t: t[0])):
        anchor = str(value) == str(base)
        ax.plot([x], [y], "s", ms=7, color=COLOURS.get(verdict, UNKNOWN), mec="black" if anchor else "white",
                mew=1.2 if anchor else 0.5)
        below = len(placed) > 3 and k % 2 == 0 and not anchor  # many values: alternate labels above and below
        ax.annotate(str(value), (x, y), xytext=(0, -11 if below else 6), textcoords="offset points", ha="center",
                    fontsize=6)


def interaction_note(summary: dict[str, Any]) -> str:
    """One line on the strongest interaction the global phases measured, from summary.json's `region`."""
    reg = summary.get("region") or {}
    st = reg.get("strongest")
    among = f"among the {len(reg.get('pair_axes') or [])} most important axes"
    if not st:
        return "strongest interaction: not searched" if not reg else f"strongest interaction: none found {among}"
    m = st["measured"]
    what = (f"{st['axes'][0]} × {st['axes'][1]}, measured contrast {m['contrast']:.3g} "
            f"[{m['ci'][0]:.3g}, {m['ci'][1]:.3g}] on {m['n_seeds']} fresh seeds")
    if not st.get("found"):
        return f"strongest interaction {among}: none distinguishable from 0 (the surrogate's candidate {what})"
    return f"strongest interaction {among}: {what}" + (" (saturation, not synergy)" if st.get("saturated") else "")


def _verdicts(summary: dict[str, Any]) -> str:
    rep = summary["reproduction"]
    where = "the anchor" if _base_is_anchor(summary) else "the plan's base setting (not the anchor)"
    line = f"{rep['verdict']} at {where} ({rep['mean']:.3g}, {rep['n_seeds']} seeds)"
    for also in summary.get("also") or []:
        r = also["reproduction"]
        line += f"; also `{also['label']}`: {r['verdict']} ({r['mean']:.3g})"
    return line


def _base_is_anchor(summary: dict[str, Any]) -> bool:
    setting = summary["reproduction"].get("setting") or {}
    return all(str(setting.get(a["name"], a.get("value"))) == str(a.get("value")) for a in summary.get("anchor") or [])


def _swept(summary: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in summary["axes"] if a.get("points") or a.get("categories")]


def draw(ax: Any, summary: dict[str, Any], title: str | None = None) -> None:
    """The profile of one case on `ax`: a row per swept axis, the base setting at 0, verdicts and the interaction
    in the title, the axes held fixed beneath."""
    axes = _swept(summary)
    setting = summary["reproduction"].get("setting") or {}
    ours = {a["name"] for a in summary.get("anchor") or [] if a.get("from") == "ours"} & {a["name"] for a in axes}
    for k, axis in enumerate(axes):
        y = len(axes) - 1 - k
        base = setting.get(axis["name"], axis["anchor"])
        (_category_row if axis.get("categories") else _row)(ax, y, axis, base)
    ax.axvline(0, color="#2166ac", lw=1.2, ls=":")
    ax.set_yticks(range(len(axes)), [a["name"] + (" *" if a["name"] in ours else "") for a in axes][::-1], fontsize=7)
    pair = (summary.get("region") or {}).get("strongest") or {}
    for label in ax.get_yticklabels():  # the measured interaction's two axes in bold, unless it is saturation
        if pair.get("found") and not pair.get("saturated") and label.get_text().rstrip(" *") in pair.get("axes", []):
            label.set_fontweight("bold")
    ax.set_ylim(-0.7, len(axes) - 0.3)
    ax.set_xlim(-1.3, 1.3)
    ax.set_xticks([0], ["anchor setting" if _base_is_anchor(summary) else "the plan's base setting"], fontsize=6)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fixed = [a["name"] for a in summary.get("anchor") or [] if a["name"] not in {x["name"] for x in axes}]
    notes = [interaction_note(summary)]
    if summary.get("compare"):
        notes.append(f"the report also re-sweeps by `{summary['compare']['axis']}` (not shown)")
    ax.set_title(textwrap.fill(f"{title or summary['case']}: {_verdicts(summary)}", 108) + "\n"
                 + textwrap.fill("; ".join(notes), 108), fontsize=7, loc="left")
    foot = ("* anchor value ours (the source states none)" if ours else "") + \
        (("; " if ours else "") + "held fixed, not swept one at a time: " + ", ".join(fixed) if fixed else "")
    if foot:
        ax.set_xlabel(textwrap.fill(foot, 130), fontsize=6, loc="left", color="#555555")


def _legend(fig: Any) -> None:
    handles = [plt.Line2D([], [], color=COLOURS[v], marker="o", lw=1.4, label=v) for v in COLOURS]
    handles.append(plt.Line2D([], [], color="black", marker="x", lw=0, label="every trial failed"))
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=6, frameon=False)


def _claim_label(summary: dict[str, Any]) -> str:
    return f"{summary['case']} — {claim_label(summary['claim'])}"


def profile_plot(summary: dict[str, Any], path: Path) -> bool:
    """The fragility profile of one case (PNG and SVG at `path`); False when no axis was swept."""
    rows = _swept(summary)
    if not rows:
        return False
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(rows) + 2.2))
    draw(ax, summary, _claim_label(summary))
    fig.suptitle(textwrap.fill(ANCHOR_NOTE, 115), fontsize=7)
    _legend(fig)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return save(fig, path)


def overview_plot(summaries: dict[str, dict[str, Any]], path: Path) -> bool:
    """Every case's profile, one panel each, stacked (the README's overview figure)."""
    sizes = {k: len(_swept(s)) for k, s in summaries.items()}
    chosen = [k for k in summaries if sizes[k]]
    if not chosen:
        return False
    fig, axes = plt.subplots(len(chosen), 1, figsize=(7.5, sum(0.36 * sizes[k] + 1.3 for k in chosen) + 0.6),
                             gridspec_kw={"height_ratios": [sizes[k] + 2.5 for k in chosen]}, squeeze=False)
    for ax, key in zip(axes[:, 0], chosen):
        draw(ax, summaries[key], _claim_label(summaries[key]))
    fig.suptitle(textwrap.fill(ANCHOR_NOTE, 115), fontsize=7)
    _legend(fig)
    fig.tight_layout(rect=(0, 0.02, 1, 0.99))
    return save(fig, path)
