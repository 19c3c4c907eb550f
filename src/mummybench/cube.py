"""Every axis's plausible range as the unit interval: the coordinates SALib's designs are drawn in and the
surrogate's inputs are written in.

A number u in [0, 1] becomes a value by the axis's own scale: linear, or geometric for a `log` axis, rounded as
the axis rounds (integers, short decimals). A choice axis with k plausible values cuts [0, 1] into k equal
parts and takes the value of the part u falls in (the last part includes 1). So a uniform u draws every
category equally often, which is what Sobol indices over a categorical input assume. For the surrogate a
category is one-hot (no order between categories), an ordered choice is its rank scaled to [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .case import Case
from .space import Axis, Choice, Int, Setting, SettingError, _short


def options(axis: Axis) -> list[Any]:
    """A choice axis's plausible values, in order."""
    assert isinstance(axis.domain, Choice)
    return axis.domain.grid(axis.plausible[0], axis.plausible[1], 0)


def to_value(axis: Axis, u: float, order: Sequence[Any] | None = None) -> Any:
    """The value at position u in [0, 1] of the axis's plausible range; a choice's parts in `order` if given (a
    permutation of its plausible values)."""
    u = min(max(float(u), 0.0), 1.0)
    d = axis.domain
    if isinstance(d, Choice):
        opts = list(order) if order is not None else options(axis)
        return opts[min(int(math.floor(u * len(opts))), len(opts) - 1)]
    lo, hi = float(axis.plausible[0]), float(axis.plausible[1])
    x = math.exp(math.log(lo) + u * (math.log(hi) - math.log(lo))) if axis.log and lo > 0 else lo + u * (hi - lo)
    if isinstance(d, Int):
        return int(min(max(round(x), d.low), d.high))
    return _short(x, lo, hi)


def to_unit(axis: Axis, value: Any) -> float:
    """Where a value sits in the plausible range, 0 to 1 (values outside it fall outside [0, 1]); a choice sits
    at the middle of its part."""
    if isinstance(axis.domain, Choice):
        opts = options(axis)
        i = opts.index(value) if value in opts else axis.domain.index(value) - axis.domain.index(opts[0])
        return (i + 0.5) / len(opts)
    lo, hi = float(axis.plausible[0]), float(axis.plausible[1])
    if hi == lo:
        return 0.0
    if axis.log and lo > 0:
        return (math.log(float(value)) - math.log(lo)) / (math.log(hi) - math.log(lo))
    return (float(value) - lo) / (hi - lo)


@dataclass(frozen=True)
class Cube:
    """The axes a global analysis varies (every axis the plan does not fix, with more than one plausible value),
    and the base setting the others keep."""

    case: Case
    base: Setting
    axes: tuple[Axis, ...]

    @classmethod
    def of(cls, case: Case, base: Setting, fixed: Sequence[str] = ()) -> Cube:
        varied = tuple(a for a in case.axes if a.name not in fixed and a.plausible[0] != a.plausible[1])
        return cls(case, dict(base), varied)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.axes]

    def problem(self) -> dict[str, Any]:
        """SALib's problem: every varied axis on [0, 1]."""
        return {"num_vars": len(self.axes), "names": self.names, "bounds": [[0.0, 1.0]] * len(self.axes)}

    def decode(self, u: Sequence[float], orders: dict[str, Sequence[Any]] | None = None) -> Setting:
        """The setting at a point of the cube, made valid where the case resets idle axes (`normalize`); `orders`
        permutes the parts of some choice axes (see `screening.morris`)."""
        orders = orders or {}
        raw = {**self.base, **{a.name: to_value(a, x, orders.get(a.name)) for a, x in zip(self.axes, u)}}
        return self.case.normalize(raw)

    def decode_setting(self, setting: Setting) -> Setting:
        """A full setting made valid the same way (`normalize`)."""
        return self.case.normalize(dict(setting))

    def valid(self, setting: Setting) -> bool:
        try:
            self.case.check(setting)
            return True
        except SettingError:
            return False

    def sample(self, n: int, rng: np.random.Generator, tries: int = 100) -> list[Setting]:
        """n valid settings drawn uniformly from the cube (each redrawn up to `tries` times if invalid)."""
        out: list[Setting] = []
        for _ in range(n):
            for _attempt in range(tries):
                s = self.decode(rng.random(len(self.axes)))
                if self.valid(s):
                    out.append(s)
                    break
        return out

    # --- the surrogate's inputs ----------------------------------------------------------------------
    def columns(self) -> list[tuple[str, Any]]:
        """The surrogate's input columns: (axis, None) for a number or an ordered choice, (axis, category) per
        category of an unordered choice (one-hot)."""
        out: list[tuple[str, Any]] = []
        for a in self.axes:
            if a.categorical:
                out += [(a.name, c) for c in options(a)]
            else:
                out.append((a.name, None))
        return out

    def features(self, settings: Sequence[Setting]) -> np.ndarray:
        """(n, columns) array: numbers and ordered choices at their unit position (a choice's rank scaled to
        [0, 1]), categories one-hot scaled by 1/sqrt(2) so that two categories lie one unit apart."""
        rows = []
        for s in settings:
            row: list[float] = []
            for a in self.axes:
                if a.categorical:
                    row += [(s[a.name] == c) / math.sqrt(2) for c in options(a)]
                elif isinstance(a.domain, Choice):
                    k = len(options(a))
                    row.append(0.0 if k < 2 else (to_unit(a, s[a.name]) * k - 0.5) / (k - 1))
                else:
                    row.append(to_unit(a, s[a.name]))
            rows.append(row)
        return np.asarray(rows, dtype=float).reshape(len(rows), len(self.columns()))

    def distance(self, setting: Setting) -> float:
        """How far a setting lies from the base: the sum over axes of the unit-range distance (a changed
        category counts 1)."""
        total = 0.0
        for a in self.axes:
            if setting[a.name] == self.base[a.name]:
                continue
            total += 1.0 if a.categorical else abs(to_unit(a, setting[a.name]) - to_unit(a, self.base[a.name]))
        return total

    def line(self, axis: Axis, points: int) -> list[Any]:
        """Values along one axis for a slice: its plausible categories, or `points` values across its range
        with the base value."""
        if isinstance(axis.domain, Choice):
            return options(axis)
        values = {to_value(axis, i / (points - 1)) for i in range(points)} | {self.base[axis.name]}
        return sorted(values)
