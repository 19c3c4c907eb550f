"""Axes, their typed domains, and validation of settings against them.

Every value that reaches a trial has passed through `Axis.parse` or `Axis.check`, so a
bad `--set` or plan file fails before anything runs, with a message that says the fix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Setting = dict[str, Any]


class SettingError(ValueError):
    """A setting, axis name or value that the case cannot accept (the CLI exits 2)."""


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _number(text: str) -> float:
    """A plain ASCII decimal (1, -2.5, 1e-3); Python's float() would also take '1_0', 'nan' and other scripts' digits."""
    text = text.strip()
    if not _DECIMAL.fullmatch(text) or not text.isascii():
        raise ValueError(text)
    return float(text)


@dataclass(frozen=True)
class Int:
    """Integers in [low, high]; `log` spaces grids and bisection geometrically."""

    low: int
    high: int
    log: bool = False

    def check(self, name: str, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise SettingError(f"axis '{name}' takes an integer in [{self.low}, {self.high}]; got {value!r}")
        if not self.low <= value <= self.high:
            raise SettingError(f"axis '{name}' must be in [{self.low}, {self.high}]; got {value}")
        return value

    def parse(self, name: str, text: str) -> int:
        try:
            number = _number(text)
        except ValueError:
            raise SettingError(f"axis '{name}' takes an integer; got {text!r}") from None
        if not math.isfinite(number) or not number.is_integer():
            raise SettingError(f"axis '{name}' takes an integer; got {text!r}")
        return self.check(name, int(number))

    def between(self, a: int, b: int) -> int | None:
        """The midpoint strictly between a and b, or None when they are adjacent."""
        mid = round(math.sqrt(a * b)) if self.log and a > 0 and b > 0 else (a + b) // 2
        lo, hi = min(a, b), max(a, b)
        mid = min(max(mid, lo + 1), hi - 1)
        return mid if lo < mid < hi else None

    def grid(self, low: Any, high: Any, points: int) -> list[int]:
        raw = _spaced(float(low), float(high), points, self.log)
        return sorted({min(max(round(v), self.low), self.high) for v in raw})

    def sample(self, low: Any, high: Any, rng: Any) -> int:
        return int(round(_draw(float(low), float(high), self.log, rng)))


@dataclass(frozen=True)
class Float:
    """Reals in [low, high]; `log` spaces grids and bisection geometrically."""

    low: float
    high: float
    log: bool = False

    def check(self, name: str, value: Any) -> float:
        if not _is_real(value):
            raise SettingError(f"axis '{name}' takes a number in [{self.low}, {self.high}]; got {value!r}")
        value = float(value)
        if not math.isfinite(value):
            raise SettingError(f"axis '{name}' takes a finite number; got {value}")
        if not self.low <= value <= self.high:
            raise SettingError(f"axis '{name}' must be in [{self.low}, {self.high}]; got {value}")
        return value

    def parse(self, name: str, text: str) -> float:
        try:
            number = _number(text)
        except ValueError:
            raise SettingError(f"axis '{name}' takes a number; got {text!r}") from None
        return self.check(name, number)

    def between(self, a: float, b: float) -> float | None:
        """A short decimal strictly between a and b, or None when no double lies between them."""
        mid = math.sqrt(a * b) if self.log and a > 0 and b > 0 else (a + b) / 2
        lo, hi = min(a, b), max(a, b)
        short = _short(mid, lo, hi, strict=True)
        return short if short is not None and lo < short < hi else None

    def grid(self, low: Any, high: Any, points: int) -> list[float]:
        lo, hi = float(low), float(high)
        raw = _spaced(lo, hi, points, self.log)
        # the ends exactly, inner points as short decimals that never leave [lo, hi]
        return sorted({lo, hi, *(_short(v, lo, hi) for v in raw[1:-1])})

    def sample(self, low: Any, high: Any, rng: Any) -> float:
        return _short(_draw(float(low), float(high), self.log, rng), float(low), float(high))


@dataclass(frozen=True)
class Choice:
    """A finite list of values. `ordered` choices get brackets by bisection over their
    positions; unordered ones (categories) get one verdict per value."""

    values: tuple[Any, ...]
    ordered: bool = False

    def check(self, name: str, value: Any) -> Any:
        for option in self.values:
            if value == option and type(value) is type(option) or (_is_real(value) and _is_real(option) and value == option):
                return option
        raise SettingError(f"axis '{name}' takes one of {list(self.values)}; got {value!r}")

    def parse(self, name: str, text: str) -> Any:
        text = text.strip()
        for option in self.values:
            if text == str(option):
                return option
            if _is_real(option):
                try:
                    if _number(text) == option:
                        return option
                except ValueError:
                    pass
        raise SettingError(f"axis '{name}' takes one of {[str(v) for v in self.values]}; got {text!r}")

    def index(self, value: Any) -> int:
        return self.values.index(value)

    def between(self, a: Any, b: Any) -> Any | None:
        i, j = sorted((self.index(a), self.index(b)))
        return self.values[(i + j) // 2] if j - i > 1 else None

    def grid(self, low: Any, high: Any, points: int) -> list[Any]:
        i, j = sorted((self.index(low), self.index(high)))
        return list(self.values[i : j + 1])

    def sample(self, low: Any, high: Any, rng: Any) -> Any:
        options = self.grid(low, high, 0)
        return options[int(rng.integers(len(options)))]


def _short(value: float, low: float, high: float, strict: bool = False) -> float:
    """`value` written with as few significant digits as keep it inside [low, high] (or (low, high) when
    `strict`): at least 4, as a person would type it. Rounding never moves a value out of the domain."""
    for digits in range(4, 18):
        short = float(f"{value:.{digits}g}")
        if (low < short < high) if strict else (low <= short <= high):
            return short
    return value


def _spaced(low: float, high: float, points: int, log: bool) -> list[float]:
    points = max(points, 2)
    if log and low > 0:
        step = (math.log(high) - math.log(low)) / (points - 1)
        return [math.exp(math.log(low) + i * step) for i in range(points)]
    step = (high - low) / (points - 1)
    return [low + i * step for i in range(points)]


def _draw(low: float, high: float, log: bool, rng: Any) -> float:
    if log and low > 0:
        return math.exp(rng.uniform(math.log(low), math.log(high)))
    return float(rng.uniform(low, high))


Domain = Int | Float | Choice


@dataclass(frozen=True)
class Axis:
    """One hidden parameter: its domain, the anchor value, the plausible range a practitioner
    might use, and why a paper would not mention it.

    The anchor is the value the claim is reproduced at. Where the source states it, `source` says
    where (table, figure, page, file: "Fig. 1 caption"); where the source is silent and we chose it,
    `reason` says why. A case declares exactly one of the two (the contract suite checks it)."""

    name: str
    domain: Domain
    anchor: Any
    plausible: tuple[Any, Any] | None = None
    why: str = ""
    unit: str = ""
    prepared: bool = field(default=False)  # changes the prepared data rather than only the fit
    source: str = ""  # where the source states the anchor value (then the anchor is the source's value)
    reason: str = ""  # why we chose the anchor value where the source states none
    # True: this axis changes which items are scored (a corpus, a test-set size). Every other axis is a treatment
    # and must score the same items at every value (the contract suite checks it where trials name their items)
    population: bool = False

    def __post_init__(self) -> None:
        self.domain.check(self.name, self.anchor)
        if self.source and self.reason:
            raise ValueError(f"axis '{self.name}': give `source` (the source states the value) or `reason` "
                             "(we chose it), not both")
        if self.plausible is None:
            d = self.domain
            object.__setattr__(self, "plausible", (d.values[0], d.values[-1]) if isinstance(d, Choice) else (d.low, d.high))
        for end in self.plausible:
            self.domain.check(self.name, end)

    @property
    def paper(self) -> Any:
        """The anchor value (the name older case code reads; renaming it there would change its code hash)."""
        return self.anchor

    @property
    def from_source(self) -> bool:
        """Whether the source states the anchor value (else we chose it)."""
        return bool(self.source)

    def anchor_words(self) -> str:
        """'source: 100 (Fig. 1)' or 'our anchor: 200 (the paper tests whole documents)'. "source", not
        "paper": the value may come from the authors' code or toolbox, which the locator names."""
        if self.source:
            return f"source: {self.anchor} ({self.source})"
        return f"our anchor: {self.anchor}" + (f" ({self.reason})" if self.reason else " (no reason given)")

    def anchor_record(self) -> dict[str, Any]:
        """The anchor for summary.json: value, whose it is, and the locator or the reason."""
        return {"value": self.anchor, "from": "source" if self.source else "ours",
                **({"source": self.source} if self.source else {"reason": self.reason})}

    @property
    def numeric(self) -> bool:
        return not isinstance(self.domain, Choice)

    @property
    def log(self) -> bool:
        return bool(getattr(self.domain, "log", False))

    @property
    def categorical(self) -> bool:
        return isinstance(self.domain, Choice) and not self.domain.ordered

    def check(self, value: Any) -> Any:
        return self.domain.check(self.name, value)

    def describe_domain(self) -> str:
        """Every value the axis accepts, in words: bounds for numbers, every choice for choices."""
        d = self.domain
        if isinstance(d, Choice):
            kind = "ordered choice" if d.ordered else "category"
            return f"{kind}: {', '.join(map(str, d.values))}"
        kind = "integer" if isinstance(d, Int) else "number"
        return f"{kind} in [{d.low:g}, {d.high:g}]" + (" (log scale)" if d.log else "")

    def parse(self, text: str) -> Any:
        return self.domain.parse(self.name, text)

    def grid(self, points: int) -> list[Any]:
        """Grid over the plausible range, always containing the anchor value."""
        values = self.domain.grid(self.plausible[0], self.plausible[1], points)
        if self.anchor not in values:
            values.append(self.anchor)
        return self.order(values)

    def order(self, values: Sequence[Any]) -> list[Any]:
        if isinstance(self.domain, Choice):
            return sorted(set(values), key=self.domain.index)
        return sorted(set(values))

    def position(self, value: Any) -> float:
        """Where a value sits on the axis, for ordering and distances."""
        return float(self.domain.index(value)) if isinstance(self.domain, Choice) else float(value)

    def between(self, a: Any, b: Any) -> Any | None:
        mid = self.domain.between(a, b)
        return None if mid is None or mid in (a, b) else mid

    def sample(self, rng: Any) -> Any:
        return self.domain.sample(self.plausible[0], self.plausible[1], rng)


def validate(axes: Sequence[Axis], values: Mapping[str, Any]) -> Setting:
    """Check a partial setting against the axes and complete it with anchor values."""
    by_name = {a.name: a for a in axes}
    unknown = sorted(set(values) - set(by_name))
    if unknown:
        raise SettingError(f"unknown axis '{unknown[0]}'; axes are: {', '.join(by_name)}")
    return {a.name: a.check(values[a.name]) if a.name in values else a.anchor for a in axes}


def parse_assignments(axes: Sequence[Axis], assignments: Sequence[str]) -> dict[str, Any]:
    """Parse `name=value` strings from the command line against the axes."""
    by_name = {a.name: a for a in axes}
    parsed: dict[str, Any] = {}
    for text in assignments:
        name, sep, raw = text.partition("=")
        name = name.strip()
        if not sep or not name:
            raise SettingError(f"--set takes NAME=VALUE; got {text!r}")
        if name not in by_name:
            raise SettingError(f"unknown axis '{name}'; axes are: {', '.join(by_name)}")
        parsed[name] = by_name[name].parse(raw)
    return parsed
