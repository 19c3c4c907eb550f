"""Tables and drawings of a trial's examples (left out of the code hash: they change no metric)."""

from __future__ import annotations

from typing import Any

# The 2020 paper's abstract, verified (arXiv 2011.14439; the same numbers head the repository's README table).
QUOTE = ("The training examples are 20 times smaller than MNIST examples yet they differentiate more clearly between "
         "linear, nonlinear, and convolutional models which attain 32, 68, and 94% accuracy respectively "
         "(these models obtain 94, 99+, and 99+% on MNIST).")


def table(examples: dict[str, Any]) -> str:
    curves = examples.get("curves") or {}
    if not curves:
        return ""
    lines = ["| model | steps | train accuracy | test accuracy |", "|---|---|---|---|"]
    for name, c in curves.items():
        if c["step"]:
            lines.append(f"| {name.upper()} | {c['step'][-1]} | {c['train'][-1]:.3f} | {c['test'][-1]:.3f} |")
    wrong = examples.get("misclassified") or []
    if wrong:
        lines += ["", "Test signals the CNN gets wrong (first of the test set), with what each model said:", "",
                  "| test index | true digit | CNN | MLP |", "|---|---|---|---|"]
        lines += [f"| {w['index']} | {w['true']} | **{w['cnn']}** | {w['mlp']}{'' if w['mlp'] == w['true'] else ' ✗'} |"
                  for w in wrong]
    return "\n".join(lines)


def figure(examples: dict[str, Any], title: str) -> Any:
    """Learning curves (left) and misclassified test signals drawn as 1-D signals (right)."""
    curves = examples.get("curves") or {}
    if not curves:
        return None
    import matplotlib.pyplot as plt

    wrong = (examples.get("misclassified") or [])[:8]
    fig = plt.figure(figsize=(12, 4.6))
    grid = fig.add_gridspec(2, 6)
    ax = fig.add_subplot(grid[:, :2])
    colours = {"cnn": "#1b7837", "mlp": "#762a83"}
    for name, c in curves.items():
        ax.plot(c["step"], c["test"], "-", color=colours.get(name), label=f"{name.upper()} test")
        ax.plot(c["step"], c["train"], "--", color=colours.get(name), alpha=0.7, label=f"{name.upper()} train")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("training step")
    ax.set_ylabel("accuracy")
    ax.axhline(0.94, color="#999", lw=0.8, ls=":")
    ax.axhline(0.68, color="#999", lw=0.8, ls=":")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("learning curves (dotted: published 94% / 68%)", fontsize=9)
    for k, w in enumerate(wrong):
        sub = fig.add_subplot(grid[k // 4, 2 + k % 4])
        # drawn upright (the authors' plot_signals also inverts the y-axis)
        sub.plot(w["signal"], range(len(w["signal"])), color="#333", lw=1.2)
        sub.set_title(f"true {w['true']}: CNN {w['cnn']}, MLP {w['mlp']}", fontsize=7)
        sub.set_xticks([])
        sub.set_yticks([])
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
