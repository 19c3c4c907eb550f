"""Where a result came from: code, libraries, machine, plan and command."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .store import library_versions

BASE_LIBRARIES = ("mummybench", "numpy", "scipy", "matplotlib")


def _git(*args: str, cwd: Path) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


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
    }
