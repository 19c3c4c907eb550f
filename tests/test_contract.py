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
