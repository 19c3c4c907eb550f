"""Tables and drawings of a trial's examples (left out of the code hash: they change no metric)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import bars
from .fit import RECOVERED_AT

# The caption of Fig. 1 as PubMed's display of the article shows it (PMID 14872004); the display stops after
# "on this data", hence the ellipsis. See the README's Sources.
QUOTE = ("Fig. 1. (a) Graphical representation of 10 topics, combined to produce \"documents\" like those shown in b, "
         "where each image is the result of 100 samples from a unique mixture of these topics. (c) Performance of three "
         "algorithms on this data…")


def table(examples: dict[str, Any]) -> str:
    """Markdown: each true bar, its matched cosine, and what the matched topic resembles."""
    sims = examples.get("similarity", [])
    if not sims:
        return ""
    lines = [f"Recovered {sum(s >= RECOVERED_AT for s in sims)} of {len(sims)} bars "
             f"(a bar counts when its matched topic has cosine >= {RECOVERED_AT}).", "",
             "| true bar | matched cosine | the learned topic resembles |", "|---|---|---|"]
    for name, sim, mix in zip(bars.NAMES, sims, examples.get("mixture_of", [])):
        flag = "" if sim >= RECOVERED_AT else " ✗"
        lines.append(f"| {name} | {sim:.2f}{flag} | {', '.join(mix) or 'nothing (no topic left to match)'} |")
    raised = examples.get("warnings") or []
    if raised:
        lines += ["", "The library warned during this fit:", "", *(f"- `{w}`" for w in raised)]
    return "\n".join(lines)


def figure(examples: dict[str, Any], title: str) -> Any:
    """True bars (top) above the learned topics matched to them (bottom), as 5x5 images."""
    if not examples.get("true"):
        return None
    import matplotlib.pyplot as plt

    true, matched, sims = examples["true"], examples["matched"], examples["similarity"]
    fig, axes = plt.subplots(2, len(true), figsize=(1.1 * len(true), 2.7))
    for i, (t, m, s) in enumerate(zip(true, matched, sims)):
        axes[0, i].imshow(np.reshape(t, (bars.SIDE, bars.SIDE)), cmap="Greys", vmin=0)
        axes[0, i].set_title(bars.NAMES[i], fontsize=7)
        if m is not None:
            axes[1, i].imshow(np.reshape(m, (bars.SIDE, bars.SIDE)), cmap="Greys", vmin=0)
        axes[1, i].set_title(f"cos {s:.2f}", fontsize=7, color="black" if s >= RECOVERED_AT else "#c51b7d")
        for ax in axes[:, i]:
            ax.set_xticks([])
            ax.set_yticks([])
    axes[0, 0].set_ylabel("true", fontsize=8)
    axes[1, 0].set_ylabel("learned", fontsize=8)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return fig
