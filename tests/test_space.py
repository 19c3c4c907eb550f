"""Axes validate and parse values, and say what is wrong when they can't."""

import math

import pytest

from mummybench import Axis, Choice, Float, Int, SettingError
from mummybench.space import parse_assignments, validate

AXES = (
    Axis("k", Int(1, 100, log=True), anchor=10),
    Axis("x", Float(0.0, 1.0), anchor=0.5, plausible=(0.1, 0.9)),
    Axis("mode", Choice(("a", "b", 1.0)), anchor="a"),
    Axis("size", Choice(("s", "m", "l"), ordered=True), anchor="m"),
)


def test_validate_completes_with_paper_values():
    """A partial setting is completed with the paper's values."""
    assert validate(AXES, {"k": 20}) == {"k": 20, "x": 0.5, "mode": "a", "size": "m"}


@pytest.mark.parametrize("values, fragment", [
    ({"nope": 1}, "unknown axis 'nope'"),
    ({"k": 0}, "must be in [1, 100]"),
    ({"k": 2.5}, "takes an integer"),
    ({"k": True}, "takes an integer"),
    ({"x": math.nan}, "finite"),
    ({"x": "0.5"}, "takes a number"),
    ({"mode": "c"}, "takes one of"),
])
def test_validate_rejects_with_a_message(values, fragment):
    """Unknown names, wrong types and out-of-domain values raise SettingError naming the fix."""
    with pytest.raises(SettingError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        validate(AXES, values)


def test_parse_assignments_types_values():
    """--set strings become typed values; numeric category values parse from text."""
    assert parse_assignments(AXES, ["k=1e1", "x=0.25", "mode=1", "size=l"]) == {"k": 10, "x": 0.25, "mode": 1.0, "size": "l"}


@pytest.mark.parametrize("text", ["k", "=3", "k=abc", "k=inf", "x=nan", "x=", "size=xl", "k=1.5", "ghost=1"])
def test_parse_assignments_rejects(text):
    """Malformed or out-of-domain --set values raise SettingError."""
    with pytest.raises(SettingError):
        parse_assignments(AXES, [text])


def test_grid_contains_paper_and_respects_log():
    """Grids span the plausible range, include the paper value, and are geometric on log axes."""
    assert AXES[0].grid(3) == [1, 10, 100]
    assert 0.5 in AXES[1].grid(4) and min(AXES[1].grid(4)) == 0.1
    assert AXES[3].grid(2) == ["s", "m", "l"]


def test_between_bisects_and_stops_when_adjacent():
    """Bisection midpoints are geometric on log axes and None for adjacent integers or choices."""
    assert AXES[0].between(1, 100) == 10
    assert AXES[0].between(4, 5) is None
    assert AXES[3].between("s", "l") == "m"
    assert AXES[3].between("s", "m") is None


def test_axis_rejects_bad_paper_value():
    """A case cannot declare a paper value outside its own domain."""
    with pytest.raises(SettingError):
        Axis("k", Int(1, 10), anchor=11)
