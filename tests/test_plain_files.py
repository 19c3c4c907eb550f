"""Everything written to disk is plain JSON, JSON lines, Markdown or PNG, and nothing is read back with pickle."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_results_are_plain_files():
    """The committed results (what git tracks; a run's lock file is not committed) are plain files."""
    import subprocess

    allowed = {".json", ".jsonl", ".md", ".png", ".svg"}
    listed = subprocess.run(["git", "ls-files", "results"], cwd=ROOT, capture_output=True, text=True)
    files = [ROOT / f for f in listed.stdout.splitlines()] if listed.returncode == 0 else \
        [p for p in (ROOT / "results").rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    odd = [p for p in files if p.suffix not in allowed]
    assert files and not odd, odd


def test_no_pickle_loading_in_harness_or_cases():
    pattern = re.compile(r"pickle\.loads?\(|allow_pickle\s*=\s*True|joblib\.load\(|torch\.load\(")
    hits = [f"{p}:{i}" for folder in ("src", "cases") for p in (ROOT / folder).rglob("*.py")
            for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert not hits, hits
