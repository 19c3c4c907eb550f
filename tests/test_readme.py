"""README results are generated from the committed summary.json files, never typed."""

from pathlib import Path

import pytest

from mummybench.readme import START, stale_blocks

ROOT = Path(__file__).resolve().parents[1]


def test_every_readme_results_block_matches_its_summary():
    """README.md and each case README hold a results block, identical to what `make readme` renders."""
    assert stale_blocks(ROOT) == []


def test_every_case_with_results_has_a_block():
    """A case whose results are committed shows them in its README."""
    for summary in (ROOT / "results").glob("*/summary.json"):
        readme = ROOT / "cases" / summary.parent.name / "README.md"
        assert START in readme.read_text(), readme


def test_blocks_say_why_a_side_has_no_value_and_when_nothing_was_measured():
    """A side with no grid value is 'not swept' unless the anchor ends the range; a grey value where every
    trial failed says so; the index row shows where a grey zone starts."""
    from mummybench.readme import _flips, _side

    axis = {"name": "nprobe", "anchor": 16, "plausible": [1, 128], "anchor_verdict": "holds",
            "below_status": "robust", "below_tried": [], "below_at_end": False,
            "above_status": "robust", "above_tried": [], "above_at_end": False,
            "points": [{"value": 0, "n_seeds": 0, "n_failed": 3}]}
    assert _side(axis, "below").startswith("not swept")
    assert _side({**axis, "anchor": 1, "below_at_end": True}, "below").startswith("—")
    grey = {**axis, "below_status": "inconclusive", "below_inconclusive": [0]}
    assert "0 (every trial failed)" in _side(grey, "below")
    summary = {"reproduction": {"verdict": "holds"}, "axes": [
        {"name": "n", "anchor": 2000, "below": {"holds_at": 2000, "breaks_at": 158, "flip_at": 158,
                                               "inconclusive_between": [1713, 232]}}]}
    assert _flips(summary) == "breaks at: n 2000→158 (inconclusive from 1713)"


# Every case whose results prose is written against summary.json (all of them since issue 12).
CHECKED_PROSE = ("topic_modeling", "small_deep_model", "language_id", "vector_search")


@pytest.mark.parametrize("folder", CHECKED_PROSE)
def test_results_prose_quotes_only_numbers_its_summary_holds(folder):
    """Every number in a case README's results prose (outside its "What changed" notes) is a number of its
    summary.json at the precision written: a typed-in result that the data does not give fails here."""
    import json

    from mummybench.readme import unsourced_numbers

    text = (ROOT / "cases" / folder / "README.md").read_text(encoding="utf-8")
    summary = json.loads((ROOT / "results" / folder / "summary.json").read_text())
    assert unsourced_numbers(text, summary) == []


def test_the_prose_check_catches_a_typed_number():
    """The check has teeth: a number the summary does not hold is reported; one it holds, or a percentage of
    it, is not; "What changed" notes are exempt."""
    from mummybench.readme import END, unsourced_numbers

    summary = {"reproduction": {"mean": 0.2837}, "provenance": {"trials_used": 79}}
    text = (f"{END}\n\nThe margin is 0.284 (28.4 %) over 79 trials, and 0.93 elsewhere.\n\n"
            "### What changed\n\nIt was 0.51 before.\n\n## Reproduce\n\n0.77\n")
    assert unsourced_numbers(text, summary) == ["0.93"]
