"""The case notebooks (`cases/<name>/notebook.py`, jupytext's percent format): helpers they call, and running them.

A notebook walks its case's lesson on the quick plan. Where it writes is set by the environment, so that a class,
`make notebooks` and the tests run the same file: `MUMMYBENCH_NOTEBOOK_RESULTS` (default `runs/notebook` in the repository) and
`MUMMYBENCH_NOTEBOOK_JOBS` (default: the number of cores; 0 runs in-process).

    python -m mummybench.notebooks [--out runs/notebooks] [case ...]   # execute, write .ipynb with outputs
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from .space import SettingError

CASES = Path(__file__).resolve().parents[2] / "cases"
COMMITTED = CASES.parent / "results"  # the committed full-plan results, wherever the notebook's kernel runs


def results_root() -> str:
    """Where the notebook's quick-plan run writes (an absolute path: a kernel's working folder is the notebook's):
    never the committed results/."""
    return os.environ.get("MUMMYBENCH_NOTEBOOK_RESULTS", str(CASES.parent / "runs" / "notebook"))


def jobs() -> int:
    """Worker processes for the notebook's run."""
    return int(os.environ.get("MUMMYBENCH_NOTEBOOK_JOBS", os.cpu_count() or 1))


def summary(case_name: str, results: str | Path) -> dict[str, Any]:
    """The run's summary.json as a dict."""
    return json.loads((Path(results) / case_name.replace("-", "_") / "summary.json").read_text())


def verdicts(found: dict[str, Any]) -> Any:
    """One row per axis: its anchor and, on each side, where the verdict flips (or the verdict per category)."""
    import pandas as pd

    rows = []
    for a in found["axes"]:
        row = {"axis": a["name"], "anchor": a["anchor"]}
        if a.get("categories"):
            row["categories"] = ", ".join(f"{k}: {v}" for k, v in a["categories"].items())
        for side in ("below", "above"):
            b = a.get(side)
            row[side] = (f"{a['anchor_verdict']} at {b['holds_at']}, flips at {b['flip_at']}" if b
                         else a.get(f"{side}_status") or "")
        rows.append(row)
    return pd.DataFrame(rows).set_index("axis")


def one_axis(trials: Any, case: Any, axis: str, base: dict[str, Any]) -> Any:
    """The trials where only `axis` differs from the run's base setting (summary.json's `reproduction.setting`:
    the anchor, or the plan's base), with the claim's value per trial (metric, or metric minus baseline) in a
    column `claim_value`; failed trials left out."""
    anchor = base
    others = [c for c in trials.columns if c.startswith("setting_") and c != f"setting_{axis}"
              and c[len("setting_"):] in anchor]
    mask = trials["error"].isna()
    for column in others:
        mask &= trials[column] == anchor[column[len("setting_"):]]
    rows = trials[mask].copy()
    claim = case.claim
    rows["claim_value"] = rows[f"metric_{claim.metric}"] - (rows[f"metric_{claim.baseline}"] if claim.baseline else 0)
    return rows


def plot_axis(rows: Any, case: Any, axis: str, base: dict[str, Any]) -> Any:
    """Mean claim value per value of `axis` (each seed a dot), the threshold and the base value marked."""
    import matplotlib.pyplot as plt

    column = f"setting_{axis}"
    fig, ax = plt.subplots(figsize=(6, 3.2))
    means = rows.groupby(column)["claim_value"].mean()
    ax.plot(range(len(means)), means.values, "o-", color="#333333", label="mean over seeds")
    positions = {v: i for i, v in enumerate(means.index)}
    ax.scatter([positions[v] for v in rows[column]], rows["claim_value"], s=10, color="#888888", label="one seed")
    ax.set_xticks(range(len(means)), [str(v) for v in means.index], rotation=30)
    ax.axhline(case.claim.threshold, color="#c51b7d", linestyle="--", label=f"threshold {case.claim.threshold:g}")
    if base[axis] in positions:
        ax.axvline(positions[base[axis]], color="#1b7837", linestyle=":",
                   label="the run's base setting" if base != case.anchor else "the anchor setting")
    ax.set_xlabel(axis)
    ax.set_ylabel(case.claim.label)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def execute(source: Path, timeout: int = 900) -> Any:
    """Run a percent-format notebook top to bottom in a fresh kernel (cwd: the repository root) and return it
    with its outputs. A cell that raises makes nbclient raise CellExecutionError, naming the cell."""
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(source)
    root = source.resolve().parents[2]
    NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(root)}}).execute()
    return notebook


def main(argv: list[str] | None = None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(prog="python -m mummybench.notebooks", description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case names (default: every case with a notebook)")
    parser.add_argument("--out", default="runs/notebooks", help="folder for the executed .ipynb files")
    args = parser.parse_args(argv)
    found = {p.parent.name: p for p in sorted(CASES.glob("*/notebook.py"))}
    chosen = [c.replace("-", "_") for c in args.cases] or list(found)
    unknown = [c for c in chosen if c not in found]
    if unknown:
        print(f"mummybench.notebooks: error: no notebook for {', '.join(unknown)}; there are {', '.join(found)}",
              file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in chosen:
        print(f"running {found[name]} ...", file=sys.stderr)
        nbformat.write(execute(found[name]), out / f"{name}.ipynb")
        print(f"wrote {out / f'{name}.ipynb'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SettingError as err:
        print(f"mummybench.notebooks: error: {err}", file=sys.stderr)
        sys.exit(2)
