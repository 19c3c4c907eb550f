"""The contract every case keeps (scikit-learn's test_common): a new case gets these checks for free."""

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
