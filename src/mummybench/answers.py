"""Checkable answers to a lesson's exercises, read from a results folder's summary.json, never typed.

A case's `solutions/answers.toml` lists, per exercise, what kind of answer it has and where in summary.json it
lives; `mummybench answer <case> <exercise> <your answer>` checks a student's answer against the committed results
(or `--results DIR`, one's own run). Kinds:

- `verdict` — holds / breaks / inconclusive at the anchor setting (`claim` names an `also` claim, else the main one);
- `breaking_point` — a number on `axis`, `side` ("below" or "above" the anchor): right anywhere in the closed
  bracket between the last value that keeps the anchor's verdict and the first that flips it (the inconclusive
  values between included: the plan cannot place the break more finely);
- `categories` — the values of a categorical `axis` whose verdict is `verdict`, in any order;
- `interaction` — the two axes of the strongest measured interaction, in any order.
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .space import SettingError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KINDS = ("verdict", "breaking_point", "categories", "interaction")
VERDICTS = ("holds", "breaks", "inconclusive")
WIDEST = 1 / 3  # a bracket wider than this share of its side accepts nearly any answer: not checkable
HOW = {"verdict": "one of holds, breaks, inconclusive",
       "breaking_point": "a number on the axis, anywhere in the bracket where the verdict flips",
       "categories": "the values, separated by commas, in any order",
       "interaction": "the two axes, separated by a comma, in any order"}


@dataclass(frozen=True)
class Exercise:
    """One checkable exercise of a lesson: its number, the question, the kind of answer and where it lives."""

    id: int
    question: str
    kind: str
    axis: str | None = None
    side: str | None = None
    verdict: str | None = None
    claim: str | None = None


@dataclass(frozen=True)
class Answer:
    """The answer the results give: `value` for display, `accepts(text)` for checking."""

    value: str
    detail: str
    kind: str
    low: float | None = None
    high: float | None = None
    items: frozenset[str] = frozenset()
    choices: frozenset[str] = frozenset()  # every name a set answer may use (categories, axes)
    too_wide: str = ""  # why a breaking point cannot be checked (its bracket spans most of its side), if it cannot
    side: str = ""  # "below" or "above": which side of the anchor the exercise asks about
    anchor: float | None = None

    def accepts(self, text: str) -> bool:
        """True when `text` is a right answer. Raises SettingError for text that is not an answer of this kind."""
        if self.kind == "breaking_point":
            if self.too_wide:
                raise SettingError(self.too_wide)
            try:
                x = float(text)
            except ValueError:
                raise SettingError(f"a breaking point is a number; got '{text}'") from None
            if not math.isfinite(x):
                raise SettingError(f"a breaking point is a finite number; got '{text}'")
            return self.low <= x <= self.high  # type: ignore[operator]
        if self.kind == "verdict":
            word = text.strip().lower()
            if word not in VERDICTS:
                raise SettingError(f"a verdict is one of {', '.join(VERDICTS)}; got '{text}'")
            return word == self.value
        given = _items(text)
        unknown = sorted(given - self.choices) if self.choices else []
        if unknown:
            raise SettingError(f"not a name this answer can use: {', '.join(unknown)}; the names are "
                               + ", ".join(sorted(self.choices)))
        return given == self.items

    def hint(self, text: str) -> str:
        """For a wrong breaking point: on which side of the committed bracket it lies (a student's own sweep may
        place the flip a grid step away, and should hear so, not only 'wrong')."""
        if self.kind != "breaking_point" or self.too_wide:
            return ""
        x = float(text)
        if self.anchor is not None and (x >= self.anchor if self.side == "below" else x <= self.anchor):
            return (f"on the other side of the anchor ({self.anchor:g}): this exercise asks about values "
                    f"{self.side} it")
        toward_anchor = (x > self.high) if self.side == "below" else (x < self.low)  # type: ignore[operator]
        return ("between the anchor and the committed bracket: the committed full plan still keeps the anchor's "
                "verdict there" if toward_anchor else "past the committed bracket: the committed full plan has "
                "already flipped there; the flip lies closer to the anchor")


def _items(text: str) -> frozenset[str]:
    """Names separated by commas, 'and', '×' or ' x '; numbers compared as numbers (10 and 10.0 are one); 'none'
    is the empty set."""
    parts = re.split(r",|\band\b|×|\sx\s", text)
    names = {p.strip() for p in parts if p.strip() and p.strip().lower() != "none"}
    return frozenset(_canonical(n) for n in names)


def _canonical(name: str) -> str:
    """One spelling per name: numbers as floats (10 and 10.0 are one), words in lower case."""
    try:
        return repr(float(name))
    except ValueError:
        return name.strip().lower()


def load(path: Path) -> dict[int, Exercise]:
    """Exercises by number from an answers.toml. Raises SettingError naming the file for a malformed one."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise SettingError(f"{path}: {err}") from None
    out: dict[int, Exercise] = {}
    for entry in data.get("exercise", []):
        try:
            ex = Exercise(**entry)
        except TypeError as err:
            raise SettingError(f"{path}: {err}") from None
        if ex.kind not in KINDS:
            raise SettingError(f"{path}: exercise {ex.id} has kind '{ex.kind}'; kinds are {', '.join(KINDS)}")
        if ex.id in out:
            raise SettingError(f"{path}: exercise {ex.id} is listed twice")
        out[ex.id] = ex
    return out


def _axis(summary: dict[str, Any], name: str | None) -> dict[str, Any]:
    for axis in summary["axes"]:
        if axis["name"] == name:
            return axis
    raise SettingError(f"summary.json has no axis '{name}'")


def _share(axis: dict[str, Any], a: float, b: float, side: str) -> float:
    """How much of one side of the plausible range (anchor to its end) the interval [a, b] covers, in the axis's
    own scale (log for log axes)."""
    low, high = (float(v) for v in axis["plausible"])
    anchor = float(axis["anchor"])
    end = low if side == "below" else high
    scale = math.log if axis.get("kind") == "log" and min(low, a, b, anchor) > 0 else (lambda x: x)
    width = abs(scale(anchor) - scale(end))
    return abs(scale(a) - scale(b)) / width if width else 1.0


def answer(ex: Exercise, summary: dict[str, Any]) -> Answer:
    """The answer `summary` gives to `ex`. Raises SettingError when the summary holds none (e.g. no bracket)."""
    if ex.kind == "verdict":
        rep = summary["reproduction"]
        if ex.claim:
            found = [a["reproduction"] for a in summary.get("also") or [] if a["label"] == ex.claim]
            if not found:
                raise SettingError(f"summary.json has no claim '{ex.claim}'")
            rep = found[0]
        return Answer(rep["verdict"], f"mean {rep['mean']:.4g} over {rep['n_seeds']} seeds", ex.kind)
    if ex.kind == "breaking_point":
        axis = _axis(summary, ex.axis)
        b = axis.get(ex.side or "")
        if not b:
            raise SettingError(f"summary.json has no breaking point on '{ex.axis}' {ex.side} the anchor "
                               f"({axis.get(f'{ex.side}_status') or 'not swept'})")
        grey = b.get("inconclusive_between") or []
        # the end that keeps the anchor's verdict: holds_at when the anchor holds, breaks_at when it breaks
        kept = b["breaks_at"] if axis.get("anchor_verdict") == "breaks" else b["holds_at"]
        low, high = sorted([float(kept), float(b["flip_at"])])
        if float(kept) == float(axis["anchor"]):  # the anchor itself is never the answer: it keeps its verdict
            low, high = (low, math.nextafter(high, -math.inf)) if high == float(kept) else \
                (math.nextafter(low, math.inf), high)
        share = _share(axis, float(kept), float(b["flip_at"]), ex.side or "")
        wide = (f"the bracket on '{ex.axis}' {ex.side} the anchor ({kept} to {b['flip_at']}) spans {share:.0%} of "
                "that side of the range: too wide to check an answer against") if share > WIDEST else ""
        first, last = sorted([kept, b["flip_at"]], key=float)
        return Answer(f"between {first} and {last}",
                      f"{axis['anchor_verdict']} at {kept}, flips at {b['flip_at']}"
                      + (f", inconclusive at {', '.join(map(str, grey))}" if grey else "")
                      + (f"; {wide}" if wide else ""), ex.kind, low, high, too_wide=wide, side=ex.side or "",
                      anchor=float(axis["anchor"]))
    if ex.kind == "categories":
        axis = _axis(summary, ex.axis)
        cats = axis.get("categories") or {}
        chosen = sorted(k for k, v in cats.items() if v == ex.verdict)
        return Answer(", ".join(chosen) or "none", "; ".join(f"{k}: {v}" for k, v in cats.items()), ex.kind,
                      items=frozenset(_canonical(c) for c in chosen), choices=frozenset(_canonical(c) for c in cats))
    st = (summary.get("region") or {}).get("strongest")
    if not st or not st.get("found"):
        raise SettingError("summary.json has no measured interaction")
    m = st["measured"]
    return Answer(" × ".join(st["axes"]), f"contrast {m['contrast']:.3g} [{m['ci'][0]:.3g}, {m['ci'][1]:.3g}] over "
                  f"{m['n_seeds']} fresh seeds" + ("; saturation, not synergy" if st.get("saturated") else ""),
                  ex.kind, items=frozenset(_canonical(a) for a in st["axes"]),
                  choices=frozenset(_canonical(a["name"]) for a in summary.get("anchor") or summary["axes"]))


def read_summary(results: Path) -> dict[str, Any]:
    """summary.json of a results folder, or a SettingError naming the file."""
    path = results / "summary.json"
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise SettingError(f"{path}: {err}") from None


def solutions_block(exercises: dict[int, Exercise], summary: dict[str, Any], results_link: str) -> str:
    """The answer key as Markdown, every answer from summary.json (for the solutions README's generated block)."""
    rows = [f"Generated from [`summary.json`]({results_link}/summary.json) by `make readme`.", "",
            "| exercise | question | answer (committed full plan) | from |", "|---|---|---|---|"]
    for ex in sorted(exercises.values(), key=lambda e: e.id):
        a = answer(ex, summary)
        rows.append(f"| {ex.id} | {ex.question} | **{a.value}**{' (not checkable)' if a.too_wide else ''} | "
                    f"{a.detail} |")
    return "\n".join(rows)
