"""Trials as a table: one row per stored trial, for pandas, spreadsheets and notebooks.

Columns (Optuna's `trials_dataframe` is the model): `setting_<axis>` for every axis, `seed`, `metric_<name>` for
every metric, `error`, and the provenance of the trial (`key`, `code`, `threads`, `isa_mode`, `cpu`, `wall_s`,
`peak_rss_mb`, `finished_at` as UTC), plus `version_<library>` for the libraries that key the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .store import Store

PROVENANCE = ("key", "code", "threads", "wall_s", "peak_rss_mb")


def rows(records: Iterable[dict[str, Any]], case: str | None = None) -> list[dict[str, Any]]:
    """Flat dict rows of stored trial records (of one case, if named), oldest first."""
    out = []
    for r in sorted(records, key=lambda r: r.get("finished_at") or 0):
        if case is not None and r.get("case") != case:
            continue
        row: dict[str, Any] = {f"setting_{k}": v for k, v in (r.get("setting") or {}).items()}
        row["seed"] = r.get("seed")
        row.update({f"metric_{k}": v for k, v in (r.get("metrics") or {}).items()})
        row["error"] = (r.get("error") or "").strip().splitlines()[-1] if r.get("error") else None
        row.update({k: r.get(k) for k in PROVENANCE})
        runtime = r.get("runtime") or {}
        row["isa_mode"], row["cpu"] = runtime.get("isa_mode"), runtime.get("cpu")
        row.update({f"version_{k}": v for k, v in (r.get("versions") or {}).items()})
        t = r.get("finished_at")
        row["finished_at"] = datetime.fromtimestamp(t, tz=timezone.utc).isoformat() if t else None
        out.append(row)
    return out


def trials_dataframe(case: str, results: str | Path = "results") -> Any:
    """Every stored trial of `case` (CLI name) under `results` as a pandas DataFrame, one row per trial.
    Raises FileNotFoundError when there is no store, ImportError without pandas (`pip install 'mummybench[export]'`)."""
    import pandas as pd

    path = Path(results) / case.replace("-", "_") / "trials.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"no store at {path}")
    with Store(path) as store:
        return pd.DataFrame(rows(store.records.values(), case))
