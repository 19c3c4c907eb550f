"""Citable results: a results version per results folder, bumped whenever a change moves the numbers, and a
one-line suggested citation (case, claim, source, results version, commit).

`results/<case>/results_version.json` holds the current version, the fingerprint of the summary it was given to,
and the history of bumps. The fingerprint covers what a reader would quote (every number, verdict, bracket and
category of summary.json) and leaves out what does not change a result: provenance (times, commit, machine), the
claim's and axes' wording, and the text of failed trials' tracebacks (paths differ between checkouts). The idea
is AlgoPerf's, whose results carry a version that moves with the numbers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .formatting import claim_label

FILE = "results_version.json"
WORDS = 60  # strings longer than this are prose (reasons, quotes), not results
CLAIM_KEYS = ("metric", "baseline", "op", "threshold")
PROSE = frozenset({"reason", "why", "text", "source", "quote", "quote_by", "citation", "version", "reported"})


def _numbers(obj: Any, ignore: frozenset[str]) -> Any:
    """`obj` with prose and ignored keys dropped and floats rounded to 6 significant digits (last-bit noise is not
    a change)."""
    if isinstance(obj, dict):
        return {k: _numbers(v, ignore) for k, v in obj.items()
                if k not in ignore and k not in PROSE and not (isinstance(v, str) and len(v) > WORDS)}
    if isinstance(obj, list):
        return [_numbers(v, ignore) for v in obj]
    if isinstance(obj, float):
        return float(f"{obj:.6g}")
    return obj


def fingerprint(summary: dict[str, Any], ignore: Iterable[str] = ()) -> str:
    """A hash of the results in a summary.json: equal exactly when no quotable number or verdict differs.
    `ignore`: metric names whose values are wall-clock measurements (a case's metrics with infinite `verify`
    tolerance, e.g. queries per second), which differ on every run and are not results."""
    kept = {k: v for k, v in summary.items() if k not in ("provenance", "summary_version")}
    kept["claim"] = {k: summary.get("claim", {}).get(k) for k in CLAIM_KEYS}
    kept["failed"] = [{"setting": f.get("setting"), "seed": f.get("seed")} for f in summary.get("failed") or []]
    text = json.dumps(_numbers(kept, frozenset(ignore)), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read(folder: Path) -> dict[str, Any] | None:
    """The results version record of a folder, or None when it has none."""
    try:
        return json.loads((folder / FILE).read_text())
    except (OSError, json.JSONDecodeError):
        return None


def bump(folder: Path, summary: dict[str, Any], ignore: Iterable[str] = ()) -> dict[str, Any]:
    """The version record for `summary`, written to `folder`: the same version when its fingerprint is unchanged,
    the next one (with a history entry: date, commit, plan) when it moved, 1 for a folder that had none."""
    ignore = sorted(ignore)
    record = read(folder) or {"version": 0, "fingerprint": None, "history": []}
    digest = fingerprint(summary, ignore)
    if record["fingerprint"] == digest and record.get("ignored_metrics", []) == ignore:
        return record
    if record["fingerprint"] == digest:  # only the list of ignored metrics changed: same results, same version
        record = {**record, "ignored_metrics": ignore}
    else:
        prov = summary.get("provenance") or {}
        n = record["version"] + 1
        record = {"version": n, "fingerprint": digest, "ignored_metrics": ignore,
                  "history": [*record["history"], {"version": n, "fingerprint": digest,
                                                   "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
                                                   "commit": prov.get("git_commit"),
                                                   "plan": (prov.get("plan") or {}).get("name")}]}
    (folder / FILE).write_text(json.dumps(record, indent=1) + "\n")
    return record


def suggested(summary: dict[str, Any], record: dict[str, Any] | None) -> str:
    """One line to cite a case's results: case, claim, source, results version and the commit that rendered them."""
    claim, prov = summary["claim"], summary.get("provenance") or {}
    label = claim_label(claim)
    commit = (prov.get("git_commit") or "unknown")[:7] + (" with uncommitted changes" if prov.get("git_dirty") else "")
    last = record["history"][-1] if record else {}
    version = (f"results v{record['version']} ({last.get('plan') or 'plan unknown'} plan, {last['date']}, "
               f"fingerprint {record['fingerprint'][:8]})" if record else "results unversioned")
    software = (prov.get("versions") or {}).get("mummybench", "")
    edition = f" ({claim['version']})" if claim.get("version") else ""
    return (f"mummybench {software}, case {summary['case']}, our test of the claim \"{claim['text']}\" (`{label}`; "
            f"the report says which numbers are the source's and which ours); source: {claim.get('source')}"
            f"{edition}; {version}, rendered at commit {commit}.")
