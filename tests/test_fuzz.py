"""Fuzzing the CLI's inputs with Hypothesis: every bad `--set` value and plan file gets one clear
line on stderr and exit code 2, and no store or results folder is written."""

import contextlib
import io
import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mummybench.cli import main

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

nasty_numbers = st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e308", "-0.5", "10.0001",
                                 "99999999999999999999999", "0x10", "1_0", "", " ", "١٢", "5\x00", "tru", "None"])
nasty_text = st.text(st.characters(blacklist_categories=("Nd",)), min_size=0, max_size=30)


def _run(argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, err.getvalue()


def _assert_clean_error(code, err):
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mummybench: error:"), err


@FUZZ
@given(axis=st.sampled_from(["a", "n", "level", "mode"]), value=st.one_of(nasty_numbers, nasty_text))
def test_bad_set_values(axis, value):
    """Out-of-range, non-finite, empty, unicode: rejected before any trial runs."""
    if axis == "mode" and value in ("good", "bad"):
        return
    _assert_clean_error(*_run(["trial", "synthetic", "--set", f"{axis}={value}"]))


@FUZZ
@given(text=nasty_text)
def test_bad_assignment_syntax_and_unknown_axes(text):
    if "=" in text:
        name = text.split("=", 1)[0].strip()
        if name in ("a", "n", "level", "mode"):
            return
    _assert_clean_error(*_run(["trial", "synthetic", "--set", text]))


BAD_PLAN_VALUES = {
    "seeds_min": st.one_of(st.integers(max_value=1), st.floats(allow_nan=True), st.text(), st.just(None), st.booleans()),
    "grid_points": st.one_of(st.integers(max_value=1), st.integers(min_value=10**6 + 1), st.text(), st.lists(st.integers())),
    "timeout_s": st.one_of(st.just(float("nan")), st.just(float("inf")), st.floats(max_value=0), st.text(), st.booleans()),
    "memory_mb": st.one_of(st.floats(max_value=63), st.just(float("nan")), st.text(), st.booleans()),
    "axes": st.one_of(st.lists(nasty_text, min_size=1), st.text(min_size=1), st.integers()),
    "map_axes": st.one_of(st.lists(st.sampled_from(["a", "n"]), min_size=3), st.lists(nasty_text, min_size=2, max_size=2)),
    "base": st.one_of(st.dictionaries(st.sampled_from(["a", "n"]), st.one_of(
        st.just(float("nan")), st.just(float("inf")), st.just(1e300), st.text(), st.just(None))), st.text(min_size=1)),
    "compare": st.one_of(st.text(), st.integers(), st.just(None)),
    "unknown_key": st.just(1),
}


@FUZZ
@given(data=st.data(), key=st.sampled_from(sorted(BAD_PLAN_VALUES)))
def test_bad_plan_files(tmp_path_factory, data, key):
    """A plan file with one bad field: exit 2 with one line, and nothing written under --results."""
    value = data.draw(BAD_PLAN_VALUES[key])
    if key == "base" and value == {}:
        return
    if key == "axes" and isinstance(value, list) and set(value) <= {"a", "n", "level", "mode"}:
        return
    if key == "map_axes" and isinstance(value, list) and len(value) == 2 and set(value) <= {"a", "n", "level", "mode"}:
        return
    if key == "memory_mb" and isinstance(value, float) and not math.isnan(value) and value >= 64:
        return
    folder = tmp_path_factory.mktemp("fuzz")
    plan = folder / "plan.json"
    plan.write_text(json.dumps({"name": "fuzz", key: value}))
    results = folder / "results"
    _assert_clean_error(*_run(["run", "synthetic", "--plan", str(plan), "--jobs", "0", "--results", str(results), "--quiet"]))
    assert not results.exists()


@FUZZ
@given(content=st.one_of(st.binary(max_size=60), st.text(max_size=60).map(str.encode)))
def test_garbage_plan_files(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("garbage")
    plan = folder / "plan.json"
    plan.write_bytes(content)
    try:
        parsed = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        parsed = None
    if isinstance(parsed, dict) and set(parsed) <= {"name"}:
        return  # a valid (empty) plan
    _assert_clean_error(*_run(["run", "synthetic", "--plan", str(plan), "--jobs", "0",
                               "--results", str(folder / "results"), "--quiet"]))
    assert not (folder / "results").exists()
