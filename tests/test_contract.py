"""The contract every case keeps (scikit-learn's test_common): a new case gets these checks for free."""

import dataclasses

import pytest

from mummybench.testing import check_case, contract_cases


@pytest.mark.parametrize("cls", contract_cases(), ids=lambda c: c.name)
def test_case_keeps_the_contract(cls):
    """Claims declare their resolution (and bounds, when bounded), quick and full plans exist and validate, the
    anchor and plausible ranges are inside the domains, random draws validate, and the README is a lesson with a
    generated results block."""
    check_case(cls)


def test_the_toy_case_keeps_the_contract_with_trials():
    """The synthetic case's anchor trial is deterministic and judgeable."""
    from cases.synthetic.case import Synthetic

    check_case(Synthetic, trials=True)


def test_a_case_without_a_resolution_fails_the_contract():
    """The contract has teeth: a claim with no resolution is caught."""
    from cases.synthetic.case import Synthetic
    from mummybench import Claim

    class Sloppy(Synthetic):
        claim = Claim("sloppy", "test", "score", ">=", 0.8)

    with pytest.raises(AssertionError, match="resolution"):
        check_case(Sloppy)


def test_a_real_case_says_whose_every_anchor_is_and_where_its_claim_is_stated():
    """A listed case whose axis has neither a source locator nor a reason, or whose claim has no version or
    locator, fails the contract; the toy case (not listed) is exempt."""
    from cases.synthetic.case import Synthetic
    from mummybench import Axis, Claim, Float

    cited = Claim("c", "a paper", "score", ">=", 0.8, resolution=0.01, version="v1", locator="Table 1")

    class Unlabelled(Synthetic):  # the toy's axes say nothing about their anchors
        listed = True
        claim = cited

    with pytest.raises(AssertionError, match="declare `source`"):
        check_case(Unlabelled, readme=False)

    class Uncited(Synthetic):
        listed = True
        axes = tuple(dataclasses.replace(a, reason="ours") for a in Synthetic.axes)

    with pytest.raises(AssertionError, match="version"):
        check_case(Uncited, readme=False)

    assert Axis("a", Float(0.0, 10.0), anchor=2.0, source="Fig. 2").anchor_words() == "source: 2.0 (Fig. 2)"
    assert Uncited.axes[0].anchor_words() == "our anchor: 5.0 (ours)"
    with pytest.raises(ValueError, match="not both"):
        Axis("a", Float(0.0, 10.0), anchor=2.0, source="Fig. 2", reason="ours")


def test_a_treatment_axis_that_changes_the_scored_items_fails_the_contract():
    """Like for like: a trial that names its items must score the same ones at every value of a treatment axis.
    A toy whose 'bad' mode scores only half its items is caught; declaring the axis `population=True` (it is
    meant to change the items, like a corpus) passes."""
    from cases.synthetic.case import Synthetic
    from mummybench import Outcome
    from mummybench.testing import same_population_violations

    class Narrows(Synthetic):
        def trial(self, data, setting, seed):
            out = super().trial(data, setting, seed)
            items = [f"item{i}" for i in range(10)]
            return Outcome(out.metrics, out.examples, population=tuple(items[:5] if setting["mode"] == "bad" else items))

    case = Narrows()
    violations = same_population_violations(case, case.anchor)
    assert len(violations) == 1 and "axis 'mode'='bad'" in violations[0] and "5 dropped" in violations[0]
    with pytest.raises(AssertionError, match="changes the scored items"):
        check_case(Narrows, trials=True, readme=False)

    class Declared(Narrows):
        axes = tuple(dataclasses.replace(a, population=a.name == "mode") for a in Synthetic.axes)

    assert same_population_violations(Declared(), Declared().anchor) == []
    check_case(Declared, trials=True, readme=False)
