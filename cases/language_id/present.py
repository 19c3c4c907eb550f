"""Tables and drawings of a trial's examples (left out of the code hash: they change no metric)."""

from __future__ import annotations

from typing import Any

from .catalogues import GROUP_VARIETIES, GROUPS, VARIETIES

# The paper's abstract, verified against the published text (see README.md for what could not be checked).
QUOTE = ("We find that langid.py maintains consistently high accuracy across all domains, making it ideal for "
         "end-users that require language identification without wanting to invest in preparation of in-domain "
         "training data.")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(examples: dict[str, Any]) -> str:
    """Markdown: the worst languages, the confusable groups' errors, and misidentified texts."""
    per = examples.get("per_variety") or {}
    if not per:
        return ""
    worst = sorted(per.items(), key=lambda kv: (kv[1], kv[0]))[:8]
    lines = [f"Identifier `{examples['implementation']}`, texts of {examples['text_length']} characters. "
             "Lowest accuracy by language variety: " + ", ".join(f"{v} {a:.2f}" for v, a in worst) + ".", ""]
    confusion = examples.get("confusion") or {}
    if confusion:
        lines += ["Inside the confusable groups (gold variety: what was said, count):", ""]
        for group, members in GROUPS.items():
            cells = []
            for variety in GROUP_VARIETIES:
                if VARIETIES[variety] in members and variety in confusion:
                    said = sorted(confusion[variety].items(), key=lambda kv: -kv[1])
                    cells.append(f"{variety} → " + ", ".join(f"{k} {n}" for k, n in said))
            if cells:
                lines.append(f"- {group}: " + "; ".join(cells))
        lines.append("")
    wrong = examples.get("wrong") or []
    if wrong:
        names = list(wrong[0]["said"])
        lines += ["Misidentified texts (the identifier's most confident mistakes, one per language), "
                  "and what each identifier says of them (label, confidence):", "",
                  "| gold | text | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
        for w in wrong:
            said = [f"{'**' if s[0] != w['gold'] else ''}{s[0]}{'**' if s[0] != w['gold'] else ''} {s[1]:.2f}"
                    for s in (w["said"][n] for n in names)]
            text = w["text"]
            if "<" in text:  # markup: show what a reader sees, and say it was wrapped
                from .catalogues import clean

                text = f"(in markup) {clean(text)}"
            text = text if len(text) <= 140 else text[:137] + "..."
            lines.append(f"| {w['variety']} | {_cell(text)} | " + " | ".join(said) + " |")
        lines += ["", "Wrong labels in bold."]
    return "\n".join(lines)


WORST = 20  # varieties shown in the example figure


def figure(examples: dict[str, Any], title: str) -> Any:
    """Accuracy per language variety (left) and the confusion matrix of the confusable groups (right)."""
    per = examples.get("per_variety") or {}
    if not per:
        return None
    import matplotlib.pyplot as plt
    import numpy as np

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 6.5), gridspec_kw={"width_ratios": [1, 1.2]})
    ranked = sorted(per.items(), key=lambda kv: (kv[1], kv[0]))
    items = ranked[:WORST][::-1]  # the worst varieties, worst at the top, readable at slide size
    ys = np.arange(len(items))
    left.barh(ys, [a for _, a in items], color=["#c51b7d" if a < 0.9 else "#1b7837" for _, a in items])
    left.set_yticks(ys, [v for v, _ in items], fontsize=9)
    for y, (_, a) in zip(ys, items):  # the value beside each bar: a bar at 0 is otherwise invisible
        left.text(min(a, 0.9) + 0.01, y, f"{a:.2f}", va="center", fontsize=8)
    left.set_xlim(0, 1)
    left.axvline(0.9, color="#444", ls="--", lw=0.8, label="the claim's 0.90")
    left.legend(fontsize=8, loc="lower right")
    left.set_xlabel("accuracy (share of texts labelled correctly)")
    left.set_title(f"the {len(items)} worst of {len(ranked)} varieties", fontsize=10)
    confusion = examples.get("confusion") or {}
    rows = [v for v in GROUP_VARIETIES if v in confusion]
    if rows:
        golds = [VARIETIES[v] for v in rows]
        others = sorted({k for v in rows for k in confusion[v]} - set(golds))
        cols = list(dict.fromkeys(golds)) + others
        grid = np.array([[confusion[v].get(c, 0) for c in cols] for v in rows], dtype=float)
        grid /= np.maximum(grid.sum(axis=1, keepdims=True), 1)
        right.imshow(grid, cmap="Greys", vmin=0, vmax=1, aspect="auto")
        for j, v in enumerate(rows):
            for i, c in enumerate(cols):
                if grid[j, i] > 0:
                    right.text(i, j, f"{grid[j, i]:.2f}".lstrip("0"), ha="center", va="center", fontsize=6,
                               color="white" if grid[j, i] > 0.5 else ("#c51b7d" if c != VARIETIES[v] else "black"))
        right.set_xticks(range(len(cols)), cols, fontsize=8, rotation=90)
        right.set_yticks(range(len(rows)), [f"{v} → {VARIETIES[v]}" for v in rows], fontsize=8)
        right.set_xlabel("label given (the group's own labels first, then others)")
        right.set_ylabel("gold variety → its correct label")
        right.set_title("confusable groups: share of each row (rows are varieties, columns labels)", fontsize=9)
    else:
        right.axis("off")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
