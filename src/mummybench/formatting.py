"""Numbers written for people, the same in every report and README."""

from __future__ import annotations

import math
from typing import Any


def num(x: Any, digits: int = 3) -> str:
    """A number for people: 3 significant digits, 'n/a' for NaN, inf and None (the store's null)."""
    if x is None:
        return "n/a"
    if isinstance(x, float):
        return "n/a" if not math.isfinite(x) else f"{x:.{digits}g}"
    return str(x)


def claim_label(claim: dict[str, Any]) -> str:
    """A claim from summary.json's `claim` as its inequality, e.g. 'cnn_test − mlp_test >= 0.26'."""
    return f"{claim['metric']}" + (f" − {claim['baseline']}" if claim.get("baseline") else "") + \
        f" {claim['op']} {claim['threshold']:g}"
