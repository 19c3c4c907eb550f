"""Course material and citable results (issue 15): every case has a lesson, solutions kept apart with answers a
student can check in one command, and a notebook; results carry a version that moves with the numbers and a
suggested citation; every case has a fragility profile, in SVG for slides."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import pytest

from mummybench import answers, citation, profile
from mummybench.cli import main
from mummybench.space import SettingError

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted(p.parent.name for p in (ROOT / "results").glob("*/summary.json"))

TOY = {"case": "toy", "claim": {"text": "t", "metric": "m", "op": ">=", "threshold": 0.5},
       "reproduction": {"verdict": "holds", "mean": 0.9, "n_seeds": 3, "ci": [0.8, 1.0]},
       "also": [{"label": "m2 >= 0.7", "reproduction": {"verdict": "breaks", "mean": 0.6, "n_seeds": 3}}],
       "axes": [{"name": "x", "anchor": 100, "anchor_verdict": "holds", "plausible": [10, 1000], "kind": "log",
                 "below": {"holds_at": 40, "breaks_at": 20, "flip_at": 20, "inconclusive_between": [30]},
                 "points": [{"value": 10, "verdict": "breaks"}, {"value": 20, "verdict": "breaks"},
                            {"value": 30, "verdict": "inconclusive"}, {"value": 40, "verdict": "holds"},
                            {"value": 100, "verdict": "holds"}]},
                {"name": "c", "anchor": "a", "categories": {"a": "holds", "b": "breaks", "d": "breaks"}}],
       "region": {"strongest": {"found": True, "axes": ["x", "c"], "saturated": False,
                                "measured": {"contrast": -0.5, "ci": [-0.6, -0.4], "n_seeds": 9}}},
       "failed": [], "provenance": {"git_commit": "abcdef0123", "git_dirty": False, "rendered_at": "then"}}


@pytest.mark.parametrize("ex, right, wrong", [
    (answers.Exercise(1, "q", "verdict"), "holds", "breaks"),
    (answers.Exercise(2, "q", "verdict", claim="m2 >= 0.7"), "Breaks", "holds"),
    (answers.Exercise(3, "q", "breaking_point", axis="x", side="below"), "25", "45"),
    (answers.Exercise(4, "q", "categories", axis="c", verdict="breaks"), "d, b", "b"),
    (answers.Exercise(5, "q", "interaction"), "c × x", "x"),
])
def test_an_answer_is_accepted_exactly_when_the_summary_gives_it(ex, right, wrong):
    key = answers.answer(ex, TOY)
    assert key.accepts(right) and not key.accepts(wrong)


def test_a_breaking_point_is_right_anywhere_in_its_bracket_ends_included():
    key = answers.answer(answers.Exercise(1, "q", "breaking_point", axis="x", side="below"), TOY)
    assert [key.accepts(v) for v in ("19.9", "20", "30", "40", "40.1")] == [False, True, True, True, False]
    assert "already flipped" in key.hint("12") and "still keeps" in key.hint("60")
    assert "other side of the anchor" in key.hint("300")
    with pytest.raises(SettingError, match="a number"):
        key.accepts("forty")
    with pytest.raises(SettingError, match="finite"):
        key.accepts("nan")
    with pytest.raises(SettingError, match="no breaking point"):
        answers.answer(answers.Exercise(1, "q", "breaking_point", axis="x", side="above"), TOY)


def test_a_bracket_spanning_most_of_its_side_is_shown_but_not_checkable():
    wide = json.loads(json.dumps(TOY))
    wide["axes"][0]["below"] = {"holds_at": 100, "breaks_at": 10, "flip_at": 10, "inconclusive_between": [40]}
    key = answers.answer(answers.Exercise(1, "q", "breaking_point", axis="x", side="below"), wide)
    assert key.value == "between 10 and 100" and "too wide" in key.too_wide
    with pytest.raises(SettingError, match="too wide"):
        key.accepts("50")


def test_set_answers_ignore_case_and_order_and_refuse_unknown_names():
    key = answers.answer(answers.Exercise(4, "q", "categories", axis="c", verdict="breaks"), TOY)
    assert key.accepts("B and D") and not key.accepts("b")
    with pytest.raises(SettingError, match="not a name"):
        key.accepts("b, title")
    pair = answers.answer(answers.Exercise(5, "q", "interaction"), TOY)
    assert pair.accepts("X x C")
    with pytest.raises(SettingError, match="not a name"):
        pair.accepts("x, nonsense")


def test_answer_command_exits_0_right_1_wrong_2_bad_input(capsys):
    assert main(["answer", "language-id", "1", "holds"]) == 0
    assert main(["answer", "language-id", "1", "breaks"]) == 1
    assert "--show" in capsys.readouterr().out  # a wrong answer says how to see the right one, not what it is
    assert main(["answer", "language-id", "99", "holds"]) == 2
    assert main(["answer", "language-id", "1", "maybe"]) == 2
    assert main(["answer", "language-id", "1", "holds", "--results", "/nonexistent"]) == 2
    assert "/nonexistent/language_id/summary.json" in capsys.readouterr().err


def test_a_malformed_answers_file_is_named(tmp_path):
    bad = tmp_path / "answers.toml"
    bad.write_text('[[exercise]]\nid = 1\nquestion = "q"\nkind = "guess"\n')
    with pytest.raises(SettingError, match="answers.toml.*kind 'guess'"):
        answers.load(bad)


@pytest.mark.parametrize("folder", CASES)
def test_every_case_has_a_lesson_solutions_kept_apart_and_a_notebook(folder):
    case_dir = ROOT / "cases" / folder
    lesson = (case_dir / "lesson.md").read_text()
    for heading in ("## Learning objectives", "## Prerequisites", "## The story", "## Exercises", "**Time:**"):
        assert heading in lesson, f"{folder}/lesson.md lacks {heading}"
    key = answers.load(case_dir / "solutions" / "answers.toml")
    cited = {int(n) for n in re.findall(rf"mummybench answer {folder.replace('_', '-')} (\d+)", lesson)}
    assert cited == set(key), f"{folder}: the lesson checks exercises {sorted(cited)}, answers.toml has {sorted(key)}"
    summary = json.loads((ROOT / "results" / folder / "summary.json").read_text())
    for ex in key.values():
        key_answer = answers.answer(ex, summary)  # every answer is in the committed results
        assert not key_answer.too_wide, f"{folder} exercise {ex.id}: {key_answer.too_wide}"
    assert (case_dir / "solutions" / "README.md").is_file()
    notebook = jupytext.read(case_dir / "notebook.py")
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    for step in ('"trial"', '"run"', "notebooks.headline", "trials_dataframe", "plot_axis"):
        assert step in code, f"{folder}/notebook.py does not {step}"


def test_the_fingerprint_moves_with_a_number_not_with_provenance_or_prose():
    base = citation.fingerprint(TOY)
    assert citation.fingerprint({**TOY, "provenance": {"git_commit": "other", "rendered_at": "now"}}) == base
    assert citation.fingerprint({**TOY, "claim": {**TOY["claim"], "text": "reworded " * 20}}) == base
    moved = json.loads(json.dumps(TOY))
    moved["axes"][0]["below"]["breaks_at"] = 21
    assert citation.fingerprint(moved) != base
    tiny = json.loads(json.dumps(TOY))
    tiny["reproduction"]["mean"] = 0.9 + 1e-12  # last-bit noise is not a new result
    assert citation.fingerprint(tiny) == base


def test_the_results_version_is_bumped_once_per_change(tmp_path):
    assert citation.bump(tmp_path, TOY)["version"] == 1
    assert citation.bump(tmp_path, {**TOY, "provenance": {"git_commit": "x"}})["version"] == 1
    moved = json.loads(json.dumps(TOY))
    moved["reproduction"]["verdict"] = "breaks"
    record = citation.bump(tmp_path, moved)
    assert record["version"] == 2 and [h["version"] for h in record["history"]] == [1, 2]
    line = citation.suggested(moved, record)
    assert "results v2" in line and "commit abcdef0" in line and "case toy" in line
    assert record["fingerprint"][:8] in line  # two folders' "v2" are told apart by their fingerprints


def test_wall_clock_metrics_named_as_ignored_do_not_move_the_version(tmp_path):
    timed = json.loads(json.dumps(TOY))
    timed["reproduction"]["metrics"] = {"m": 0.9, "qps": 3760.0}
    record = citation.bump(tmp_path, timed, ["qps"])
    timed["reproduction"]["metrics"]["qps"] = 7600.0
    assert citation.bump(tmp_path, timed, ["qps"])["version"] == record["version"] == 1
    timed["reproduction"]["metrics"]["m"] = 0.8
    assert citation.bump(tmp_path, timed, ["qps"])["version"] == 2


@pytest.mark.parametrize("folder", CASES)
def test_committed_results_carry_a_current_version_a_citation_and_a_profile(folder):
    """A summary.json whose numbers moved without a new results version fails here: rerender with `report`."""
    out = ROOT / "results" / folder
    summary = json.loads((out / "summary.json").read_text())
    record = citation.read(out)
    assert record and record["fingerprint"] == citation.fingerprint(summary, record["ignored_metrics"]), \
        f"results/{folder}: summary.json moved since results v{record and record['version']}"
    report = (out / "report.md").read_text()
    assert f"results v{record['version']}" in report and "## How to cite" in report
    for suffix in (".png", ".svg"):
        assert (out / "figures" / f"fragility_profile{suffix}").is_file()
    assert "fragility_profile.png" in report


def test_the_overview_figure_exists_for_slides():
    for suffix in (".png", ".svg"):
        assert (ROOT / "results" / "figures" / f"overview{suffix}").is_file()


def test_the_profile_scale_puts_the_anchor_at_0_and_keeps_lengths_true_within_a_row():
    """Each row: distance from the anchor in the axis's own scale, over the longer side; so the longer side ends at
    ±1 and the shorter side is drawn to the same unit, not stretched."""
    axis = TOY["axes"][0]  # log, plausible 10..1000, anchor 100: both sides one decade
    assert profile.position(axis, 100) == 0.0
    assert profile.position(axis, 10) == pytest.approx(-1.0) and profile.position(axis, 1000) == pytest.approx(1.0)
    assert profile.position(axis, 31.6227766) == pytest.approx(-0.5, abs=1e-6)  # log scale: halfway in log
    lopsided = {"anchor": 48, "plausible": [1, 60], "kind": "linear"}
    assert profile.position(lopsided, 1) == -1.0
    assert profile.position(lopsided, 60) == pytest.approx(12 / 47)  # the short side stays short
    assert profile.position(lopsided, 24) == pytest.approx(-24 / 47)
    assert profile.position(axis, "page") is None
    assert "x × c" in profile.interaction_note(TOY)
