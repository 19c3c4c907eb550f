"""Everything written to disk is plain JSON, JSON lines, Markdown or PNG, and nothing is read back with pickle."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_results_are_plain_files():
    allowed = {".json", ".jsonl", ".md", ".png"}
    odd = [p for p in (ROOT / "results").rglob("*") if p.is_file() and p.suffix not in allowed]
    assert not odd, odd


def test_no_pickle_loading_in_harness_or_cases():
    pattern = re.compile(r"pickle\.loads?\(|allow_pickle\s*=\s*True|joblib\.load\(|torch\.load\(")
    hits = [f"{p}:{i}" for folder in ("src", "cases") for p in (ROOT / folder).rglob("*.py")
            for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert not hits, hits
