"""Where a result came from: code, libraries, machine, plan and command."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .runtime import cpu_model, fingerprint
from .store import library_versions

BASE_LIBRARIES = ("mummybench", "numpy", "scipy", "matplotlib")


def _git(*args: str, cwd: Path) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def collect(libraries: Iterable[str], root: Path | None = None) -> dict[str, Any]:
    """Versions, Python, CPU and git state (dirty ignores results/, which a run rewrites)."""
    root = root or Path.cwd()
    commit = _git("rev-parse", "HEAD", cwd=root)
    status = _git("status", "--porcelain", "--", ".", ":(exclude)results", cwd=root)
    return {
        "versions": library_versions([*BASE_LIBRARIES, *libraries]),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "git_commit": commit,
        "git_dirty": bool(status) if status is not None else None,
        "runtime": fingerprint(),  # this process: where the report was rendered
    }


ENV_KEYS = ("cpu", "platform", "isa_mode", "blas", "numpy_dispatch", "torch_cpu_capability", "faiss_simd", "threads")


def trial_environments(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where the trials behind a report ran: each distinct runtime (CPU, platform, instruction-set paths,
    threads) with its number of trials; records from before runtimes were stored count as 'not recorded'."""
    seen: dict[str, dict[str, Any]] = {}
    for record in records:
        rt = record.get("runtime")
        env = {k: rt.get(k) for k in ENV_KEYS if rt.get(k) is not None} if isinstance(rt, dict) else \
            {"not recorded": "trial stored before runtimes were recorded", "threads": record.get("threads")}
        key = repr(sorted(env.items()))
        entry = seen.setdefault(key, {"env": env, "trials": 0, "last": 0.0})
        entry["trials"] += 1
        entry["last"] = max(entry["last"], float(record.get("finished_at") or 0.0))
    return sorted(seen.values(), key=lambda e: -e["trials"])


def _utc(t: float) -> str:
    return datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m-%d %H:%M")


def trial_span(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """When the trials behind a report finished (first, last), how many there are, and when this is rendered."""
    times = [float(r["finished_at"]) for r in records if r.get("finished_at")]
    out: dict[str, Any] = {"rendered_at": _utc(time.time()), "trials_used": len(times)}
    if times:
        out["trials_span"] = [_utc(min(times)), _utc(max(times))]
    return out


def trials_elsewhere(envs: list[dict[str, Any]], here: dict[str, Any]) -> int:
    """How many of the trials ran on another CPU model or instruction-set mode than this process."""
    keys = ("cpu", "isa_mode")
    return sum(e["trials"] for e in envs if any(e["env"].get(k) != here.get(k) for k in keys))
