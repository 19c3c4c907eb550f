"""README results are generated from the committed summary.json files, never typed."""

from pathlib import Path

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

    axis = {"name": "nprobe", "paper": 16, "plausible": [1, 128], "anchor_verdict": "holds",
            "below_status": "robust", "below_tried": [], "below_at_end": False,
            "above_status": "robust", "above_tried": [], "above_at_end": False,
            "points": [{"value": 0, "n_seeds": 0, "n_failed": 3}]}
    assert _side(axis, "below").startswith("not swept")
    assert _side({**axis, "paper": 1, "below_at_end": True}, "below").startswith("—")
    grey = {**axis, "below_status": "inconclusive", "below_inconclusive": [0]}
    assert "0 (every trial failed)" in _side(grey, "below")
    summary = {"reproduction": {"verdict": "holds"}, "axes": [
        {"name": "n", "paper": 2000, "below": {"holds_at": 2000, "breaks_at": 158, "flip_at": 158,
                                               "inconclusive_between": [1713, 232]}}]}
    assert _flips(summary) == "breaks at: n 2000→158 (inconclusive from 1713)"
