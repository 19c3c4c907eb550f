"""What differs between two runs: verdicts and brackets of two summary.json files (asv's `compare` is the model).

Useful across a changed library version, another machine, another plan or new statistics: the same case's
summaries, side by side, reduced to the lines that differ.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .report import _num


def load_summary(path: Path) -> dict[str, Any]:
    """summary.json from a file or from a run folder holding one."""
    path = Path(path)
    if path.is_dir():
        path = path / "summary.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _bracket(b: dict[str, Any] | None) -> str:
    return "none" if not b else f"{b['holds_at']} holds / {b['breaks_at']} breaks"


def _axes(prefix: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    out = []
    by_name = {a["name"]: a for a in new}
    for a in old:
        b = by_name.get(a["name"])
        if b is None:
            out.append(f"{prefix}{a['name']}: only in A")
            continue
        for side in ("below", "above"):
            if _bracket(a.get(side)) != _bracket(b.get(side)) or a.get(f"{side}_status") != b.get(f"{side}_status"):
                out.append(f"{prefix}{a['name']} {side}: {_bracket(a.get(side))} [{a.get(f'{side}_status')}] -> "
                           f"{_bracket(b.get(side))} [{b.get(f'{side}_status')}]")
        if a.get("categories") != b.get("categories"):
            for k in sorted(set(a.get("categories") or {}) | set(b.get("categories") or {})):
                va, vb = (a.get("categories") or {}).get(k), (b.get("categories") or {}).get(k)
                if va != vb:
                    out.append(f"{prefix}{a['name']}={k}: {va} -> {vb}")
    out += [f"{prefix}{name}: only in B" for name in by_name if name not in {a["name"] for a in old}]
    return out


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """One line per verdict or bracket that differs between two summaries of the same case."""
    if a.get("case") != b.get("case"):
        return [f"different cases: {a.get('case')} and {b.get('case')}"]
    out = []
    ra, rb = a["reproduction"], b["reproduction"]
    if ra["verdict"] != rb["verdict"]:
        out.append(f"anchor: {ra['verdict']} ({_num(ra['mean'])}, n={ra['n_seeds']}) -> {rb['verdict']} "
                   f"({_num(rb['mean'])}, n={rb['n_seeds']})")
    out += _axes("", a["axes"], b["axes"])
    for xa, xb in zip(a.get("also") or [], b.get("also") or []):
        if xa["reproduction"]["verdict"] != xb["reproduction"]["verdict"]:
            out.append(f"also `{xa['label']}`: {xa['reproduction']['verdict']} -> {xb['reproduction']['verdict']}")
    ca, cb = a.get("compare") or {}, b.get("compare") or {}
    for va, vb in zip(ca.get("variants") or [], cb.get("variants") or []):
        if va["verdict"] != vb["verdict"]:
            out.append(f"{ca['axis']}={va['value']}: {va['verdict']} -> {vb['verdict']}")
        out += _axes(f"{ca['axis']}={va['value']} / ", va["axes"], vb["axes"])
    sa, sb = a["robust_share"], b["robust_share"]
    if (sa["holds"], sa["samples"]) != (sb["holds"], sb["samples"]):
        out.append(f"robust share: {sa['holds']} of {sa['samples']} -> {sb['holds']} of {sb['samples']}")
    ma, mb = (a.get("map") or {}).get("verdicts"), (b.get("map") or {}).get("verdicts")
    if ma != mb:
        out.append("map verdicts differ")
    return out
