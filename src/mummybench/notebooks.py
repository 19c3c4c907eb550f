"""The case notebooks (`cases/<name>/notebook.py`, jupytext's percent format): helpers they call, and running them.

A notebook walks its case's lesson on the quick plan. Where it writes is set by the environment, so that a class,
`make notebooks` and the tests run the same file: `MUMMYBENCH_NOTEBOOK_RESULTS` (default `runs/notebook` in the repository) and
`MUMMYBENCH_NOTEBOOK_JOBS` (default: the number of cores; 0 runs in-process).

    python -m mummybench.notebooks [--out runs/executed-notebooks] [case ...]   # execute, write .ipynb with outputs
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


def headline(found: dict[str, Any]) -> Any:
    """Print the verdict at the run's base setting and of each further claim; return the `verdicts` table."""
    rep = found["reproduction"]
    print(f"at the base setting: {rep['verdict']}, mean {rep['mean']:.3f}, 95% interval "
          f"[{rep['ci'][0]:.3f}, {rep['ci'][1]:.3f}], {rep['n_seeds']} seeds")
    for also in found.get("also") or []:
        print(f"also on trial, {also['label']}: {also['reproduction']['verdict']} ({also['reproduction']['mean']:.3f})")
    return verdicts(found)


def verdicts(found: dict[str, Any]) -> Any:
    """One row per axis: its anchor and, on each side, where the verdict flips (or the verdict per category), in the
    words of the README's results table."""
    import pandas as pd

    from .readme import _side

    rows = []
    for a in found["axes"]:
        row = {"axis": a["name"], "anchor": a["anchor"]}
        if a.get("categories"):
            row["categories"] = ", ".join(f"{k}: {v}" for k, v in a["categories"].items())
        else:
            row.update({side: _side(a, side).replace("**", "") for side in ("below", "above")})
        rows.append(row)
    return pd.DataFrame(rows).set_index("axis")


def one_axis(trials: Any, case: Any, axis: str, base: dict[str, Any]) -> Any:
    """The trials where only `axis` differs from the run's base setting (summary.json's `reproduction.setting`:
    the anchor, or the plan's base), on the search's own seeds (below FRESH_SEEDS: the interaction checks' fresh
    seeds would give some values more seeds than others), with the claim's value per trial (metric, or metric
    minus baseline) in a column `claim_value`. Failed trials are kept, with their `error`, so that a plot can
    count them."""
    from .region import FRESH_SEEDS

    others = [c for c in trials.columns if c.startswith("setting_") and c != f"setting_{axis}"
              and c[len("setting_"):] in base]
    mask = trials["seed"] < FRESH_SEEDS
    for column in others:
        mask &= trials[column] == base[column[len("setting_"):]]
    rows = trials[mask].copy()
    claim = case.claim
    value = rows.get(f"metric_{claim.metric}")
    rows["claim_value"] = (value - rows[f"metric_{claim.baseline}"]) if claim.baseline and value is not None else value
    return rows


def plot_axis(rows: Any, case: Any, axis: str, base: dict[str, Any]) -> Any:
    """Mean claim value per value of `axis` (each seed a dot, n and failed trials written under each value), the
    threshold and the base value marked; numbers on their own scale (log where they span over 20×)."""
    import matplotlib.pyplot as plt

    column = f"setting_{axis}"
    ok = rows[rows["error"].isna()]
    means = ok.groupby(column)["claim_value"].mean()
    counts = rows.groupby(column).agg(n=("seed", "size"), failed=("error", lambda e: int(e.notna().sum())))
    values = list(counts.index)
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    place = (lambda v: v) if numeric else {v: i for i, v in enumerate(values)}.__getitem__
    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.plot([place(v) for v in means.index], means.values, "o-", color="#333333", label="mean over seeds")
    ax.scatter([place(v) for v in ok[column]], ok["claim_value"], s=10, color="#888888", label="one seed")
    if numeric and min(values) > 0 and max(values) / min(values) > 20:
        ax.set_xscale("log")
    if not numeric:
        ax.set_xticks(range(len(values)), [str(v) for v in values], rotation=30)
    for v, row in counts.iterrows():
        ax.annotate(f"n={row['n']}" + (f", {row['failed']} failed" if row["failed"] else ""), (place(v), 0),
                    xycoords=("data", "axes fraction"), xytext=(0, 3), textcoords="offset points", ha="center",
                    fontsize=6, color="#c51b7d" if row["failed"] else "#555555")
    ax.axhline(case.claim.threshold, color="#c51b7d", linestyle="--", label=f"threshold {case.claim.threshold:g}")
    if base[axis] in values:
        ax.axvline(place(base[axis]), color="#1b7837", linestyle=":",
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
    parser.add_argument("--out", default="runs/executed-notebooks", help="folder for the executed .ipynb files")
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
