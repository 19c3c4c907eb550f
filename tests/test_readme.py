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
