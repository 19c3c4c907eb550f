import sys
from pathlib import Path

import pytest

import mummybench  # noqa: F401 - before any test imports numpy, so that the instruction-set pins apply

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests", ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


@pytest.fixture
def synthetic():
    from cases.synthetic.case import Synthetic

    return Synthetic()
