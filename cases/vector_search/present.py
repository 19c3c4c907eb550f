"""Tables and drawings of a trial's examples (left out of the code hash: they change no metric)."""

from __future__ import annotations

from typing import Any

# The paper's abstract (IEEE TPAMI 42(4), 2018), verified against the published text.
QUOTE = ("Performance evaluation has demonstrated that the proposed general metric space search index is able to "
         "strongly outperform previous opensource state-of-the-art vector-only approaches.")
SCALING_QUOTE = ("Starting the search from the upper layer together with utilizing the scale separation boosts the "
                 "performance compared to NSW and allows a logarithmic complexity scaling.")


def table(examples: dict[str, Any]) -> str:
    curve = examples.get("curve") or []
    if not curve:
        return ""
    knob = "nprobe" if examples["implementation"] == "faiss_ivf" else "efSearch"
    lines = [f"Recall–cost curve of `{examples['implementation']}` at this setting (one thread, one batch of queries; "
             "queries per second are this machine's):", "",
             f"| {knob} | recall@{examples['k']} | distance computations per query | queries per second |",
             "|---|---|---|---|"]
    lines += [f"| {c['budget']} | {c['recall']:.3f} | {c.get('distances', float('nan')):,.0f} | {c['qps']:,.0f} |"
              for c in curve]
    scaling = examples.get("scaling") or []
    if scaling:
        lines += ["", "Search cost at recall 0.9 as the index grows (the same recipe on the first n/8, n/4, n/2 "
                  "vectors and on all n):", "", "| vectors | distance computations per query |", "|---|---|"]
        lines += [f"| {s['n']:,} | " + ("not reached" if s["distances"] is None else f"{s['distances']:,.0f}") + " |"
                  for s in scaling]
    if examples.get("warnings"):
        lines += ["", "The library printed: " + "; ".join(f"`{w}`" for w in examples["warnings"])]
    worst = examples.get("worst") or []
    if worst and all(w["recall"] >= 1 for w in worst):
        lines += ["", "Every query found all its true neighbours at this setting's search budget."]
    elif worst:
        lines += ["", f"Queries with the lowest recall ({examples['metric']} distances; ids of base vectors):", ""]
        for w in worst:
            true_ids = {t[0] for t in w["true"]}
            missed = [f"{t[0]} ({t[1]:.3g})" for t in w["true"] if t[0] not in {r[0] for r in w["returned"]}]
            wrong = [f"{r[0]} ({r[1]:.3g})" for r in w["returned"] if r[0] not in true_ids]
            lines.append(f"- query {w['query']}: recall {w['recall']:.2f}; true neighbours missed: "
                         f"{', '.join(missed[:6]) or 'none'}{' …' if len(missed) > 6 else ''}; returned instead: "
                         f"{', '.join(wrong[:6]) or 'none'}{' …' if len(wrong) > 6 else ''}")
    return "\n".join(lines)


def figure(examples: dict[str, Any], title: str) -> Any:
    """The recall-cost curve (the ann-benchmarks plot, cost in distance computations) and the distances of the
    worst query's neighbours."""
    curve = examples.get("curve") or []
    if not curve:
        return None
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    cost = [c.get("distances", float("nan")) for c in curve]
    left.plot([c["recall"] for c in curve], cost, "o-", color="#2166ac")
    for c, y in zip(curve, cost):
        left.annotate(str(c["budget"]), (c["recall"], y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    left.axvline(0.9, color="#c51b7d", ls="--", lw=1, label="recall 0.9 (our operating point)")
    if examples.get("n"):
        left.axhline(examples["n"], color="#4d4d4d", lw=1, label=f"exact search ({examples['n']:,})")
        left.axhline(examples["n"] / 10, color="#4d4d4d", ls=":", lw=1, label="10 times fewer (the claim)")
    left.legend(fontsize=8, loc="lower left")
    left.set_yscale("log")
    lowest = min(min(c["recall"] for c in curve), 0.9)
    left.set_xlim(max(0.0, lowest - 0.05), 1.005)  # the measured range, not 0-1: high recalls sit in the last tenth
    left.set_xlabel(f"recall@{examples['k']}")
    left.set_ylabel("distance computations per query")
    knob = "nprobe" if examples["implementation"] == "faiss_ivf" else "efSearch"
    left.set_title(f"{examples['implementation']}: recall against cost ({knob} annotated)", fontsize=9)
    worst = (examples.get("worst") or [None])[0]
    if worst:
        right.plot(range(1, len(worst["true"]) + 1), [t[1] for t in worst["true"]], "o-", color="#1b7837",
                   label="true neighbours")
        right.plot(range(1, len(worst["returned"]) + 1), [r[1] for r in worst["returned"]], "s--", color="#c51b7d",
                   label="returned")
        right.set_xlabel("rank")
        right.set_ylabel(f"{examples['metric']} distance to the query")
        right.set_title(f"worst query ({worst['query']}): recall {worst['recall']:.2f}", fontsize=9)
        right.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
