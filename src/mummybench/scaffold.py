"""`mummybench new NAME`: a case folder that runs at once, with its README skeleton and its contract test.

The case it writes is a real, tiny one (a nearest-centroid classifier on two Gaussian blobs, numpy only) so that
`run`, `report` and the tests work before you replace it with your own claim.
"""

from __future__ import annotations

import re
from pathlib import Path

CASE = '''"""{title}: replace this toy with the technique and the claim you put on trial."""

from __future__ import annotations

import numpy as np

from mummybench import Axis, Case, Claim, Float, Int, Outcome, Plan


class {cls}(Case):
    name = "{name}"
    title = "{title}"
    claim = Claim(
        text="A nearest-centroid classifier separates two Gaussian blobs with accuracy of at least 0.9.",
        source="TODO: the work (authors, year, title, venue)",
        version="TODO: which version you read (arXiv vN, a repository commit)",
        locator="TODO: where in it (table, figure, section, page)",
        quote="",  # the source's own words, verbatim, once you have checked them
        quote_by="",  # who wrote the quote: the paper, or its library's docs?
        reported="",  # the number on trial as the source gives it, with its spread ("94 +- 2, s.d. over 3 runs")
        metric="accuracy", op=">=", threshold=0.9, bounds=(0.0, 1.0), resolution=0.001)  # 1 test point in 1,000
    axes = (
        # `source`: where the source states the anchor value; or `reason`: why we chose it. One of the two.
        Axis("separation", Float(0.1, 10.0, log=True), anchor=3.0, plausible=(0.5, 6.0),
             source="TODO: e.g. 'Table 2, p. 5'", why="TODO: why a paper would not mention it"),
        Axis("n_train", Int(2, 10_000, log=True), anchor=100, plausible=(4, 1000),
             reason="TODO: e.g. 'our anchor: the paper does not say'", why="TODO: why a paper would not mention it"),
    )
    map_axes = ("separation", "n_train")
    libraries = ("numpy",)  # their versions key the store
    plans = {{
        "quick": Plan("quick", seeds_min=3, seeds_max=6, seeds_step=3, grid_points=4, depth=2, map_resolution=3,
                      random_samples=8),
        "full": Plan("full", seeds_min=3, seeds_max=9, seeds_step=3, grid_points=6, depth=4, map_resolution=5,
                     random_samples=40),
    }}

    def trial(self, data: object, setting: dict, seed: int) -> Outcome:
        rng = np.random.default_rng(seed)  # every random draw from `seed`: a trial is a pure function
        d = setting["separation"]
        centres = np.array([[-d / 2, 0.0], [d / 2, 0.0]])
        train_y = rng.integers(0, 2, setting["n_train"])
        train_x = centres[train_y] + rng.normal(size=(len(train_y), 2))
        test_y = rng.integers(0, 2, 1000)
        test_x = centres[test_y] + rng.normal(size=(1000, 2))
        means = np.array([train_x[train_y == k].mean(axis=0) if (train_y == k).any() else np.zeros(2) for k in (0, 1)])
        predicted = np.argmin(((test_x[:, None, :] - means[None]) ** 2).sum(axis=2), axis=1)
        wrong = np.flatnonzero(predicted != test_y)[:3]
        return Outcome(metrics={{"accuracy": float((predicted == test_y).mean())}},
                       examples={{"misclassified": [[round(float(v), 3) for v in test_x[i]] for i in wrong]}})

    def describe(self, examples: dict) -> str:
        wrong = examples.get("misclassified") or []
        return "Misclassified test points: " + (", ".join(map(str, wrong)) or "none")
'''

README = '''# {title}

<!-- A lesson for students: fill in every TODO, and check every statement about a source against the source. -->

## The claim

TODO: the claim in the source's own words (a verbatim quote), its locator (table, figure, page, version) and
the number on trial, with the spread the source gives.

## The setting

TODO: every value of the anchor setting: which the source states (with its locator) and which we chose (and why).

## The hidden parameters

TODO: each axis, its plausible range, and why a paper would not mention it.

## What we found

<!-- results:start (generated: do not edit by hand) -->
<!-- results:end -->

TODO: what the numbers mean; which findings hold on a second dataset and which do not.

## Reproduce

```sh
mummybench {cases_opt}run {name} --plan full --jobs 2 --results results
mummybench {cases_opt}trial {name} --seed 0 --set separation=1
```

## Exercises

1. TODO: an exercise with a checkable answer (a breaking point, a verdict), and what to look for.

## Sources

| statement | where checked | status |
|---|---|---|
| TODO: each statement about a source (quote, number, setting) | TODO: page, file, version read | verified or not |
'''

TEST = '''"""The contract of the {name} case, and one trial at its anchor."""

from mummybench.testing import check_case
{import_line}


def test_{folder}_keeps_the_contract():
    check_case({cls}, trials=True)
'''


def _names(name: str) -> tuple[str, str, str]:
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name):
        raise ValueError(f"a case name is lower-case words joined by hyphens, like 'my-case'; got {name!r}")
    folder = name.replace("-", "_")
    cls = "".join(part.capitalize() for part in name.split("-"))
    return folder, cls, name.replace("-", " ").capitalize()


def scaffold(name: str, root: Path, tests: Path | None) -> list[Path]:
    """Write the case folder `root/<folder>` (and its test in `tests`, or inside the folder when None).
    Refuses to touch an existing folder or file (FileExistsError)."""
    folder, cls, title = _names(name)
    target = root / folder
    if target.exists():
        raise FileExistsError(f"{target} exists: choose another name or folder")
    test_path = (tests or target) / f"test_{folder}.py"
    if test_path.exists():
        raise FileExistsError(f"{test_path} exists")
    target.mkdir(parents=True)
    if not (root / "__init__.py").exists():
        (root / "__init__.py").write_text("")
    builtin = tests is not None
    files = {
        target / "__init__.py": "",
        target / "case.py": CASE.format(name=name, cls=cls, title=title),
        target / "README.md": README.format(name=name, title=title,
                                            cases_opt="" if builtin else f"--cases {root} "),
        test_path: TEST.format(name=name, folder=folder, cls=cls,
                               import_line=f"from {root.name}.{folder}.case import {cls}"),
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
