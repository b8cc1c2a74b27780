"""The pure discount rules, without a database: amounts and when a code may be used."""

import datetime
from decimal import Decimal

import pytest

from leergang.invoicing import discount_rules as dr

FEE = Decimal("2995.00")


@pytest.mark.parametrize(
    ("fee", "kind", "value", "expected"),
    [
        (FEE, dr.PERCENTAGE, "10", "299.50"),
        (FEE, dr.PERCENTAGE, "15", "449.25"),
        (FEE, dr.PERCENTAGE, "100", "2995.00"),
        (FEE, dr.PERCENTAGE, "0.01", "0.30"),  # 0.2995 rounds half up to 0.30
        ("0.05", dr.PERCENTAGE, "50", "0.03"),  # 0.025 rounds half up, not to the even 0.02
        ("1.00", dr.PERCENTAGE, "12.5", "0.13"),  # 0.125 rounds half up
        (FEE, dr.PERCENTAGE, "33.333", "998.32"),
        (FEE, dr.AMOUNT, "250", "250.00"),
        (FEE, dr.AMOUNT, "2995.00", "2995.00"),
        (FEE, dr.AMOUNT, "5000.00", "2995.00"),  # never more than the fee: the total stays 0.00, not negative
        ("0.00", dr.AMOUNT, "100", "0.00"),
        ("0.00", dr.PERCENTAGE, "50", "0.00"),
    ],
)
def test_the_amount_a_code_takes_off(fee, kind, value, expected):
    amount = dr.discount_amount(fee, kind=kind, value=value)
    assert amount == Decimal(expected)
    assert amount.as_tuple().exponent == -2  # always in cents
    assert Decimal(fee) - amount >= 0


@pytest.mark.parametrize(("kind", "value"), [(dr.PERCENTAGE, "100.01"), (dr.PERCENTAGE, "-1"), (dr.AMOUNT, "-5"), ("gift", "5")])
def test_impossible_discounts_are_refused_loudly(kind, value):
    with pytest.raises(ValueError):
        dr.discount_amount(FEE, kind=kind, value=value)


DAY = datetime.date(2027, 1, 4)
PROGRAMME, EDITION = 7, 70


@pytest.mark.parametrize(
    ("terms", "uses", "expected"),
    [
        (dr.Terms(), 0, None),
        (dr.Terms(active=False), 0, dr.INACTIVE),
        (dr.Terms(valid_from=DAY), 0, None),  # the first day counts
        (dr.Terms(valid_from=DAY + datetime.timedelta(days=1)), 0, dr.NOT_YET_VALID),
        (dr.Terms(valid_until=DAY), 0, None),  # the last day counts
        (dr.Terms(valid_until=DAY - datetime.timedelta(days=1)), 0, dr.EXPIRED),
        (dr.Terms(programme_id=PROGRAMME), 0, None),
        (dr.Terms(programme_id=PROGRAMME + 1), 0, dr.WRONG_PROGRAMME),
        (dr.Terms(edition_id=EDITION), 0, None),
        (dr.Terms(edition_id=EDITION + 1), 0, dr.WRONG_EDITION),
        (dr.Terms(programme_id=PROGRAMME, edition_id=EDITION + 1), 0, dr.WRONG_EDITION),
        (dr.Terms(max_uses=3), 2, None),
        (dr.Terms(max_uses=3), 3, dr.EXHAUSTED),
        (dr.Terms(max_uses=1), 1, dr.EXHAUSTED),
        (dr.Terms(max_uses=None), 10_000, None),
        # Where a code applies comes before when, and an inactive code is refused whatever else holds.
        (dr.Terms(active=False, edition_id=EDITION + 1), 0, dr.INACTIVE),
        (dr.Terms(edition_id=EDITION + 1, valid_until=DAY - datetime.timedelta(days=1)), 0, dr.WRONG_EDITION),
        (dr.Terms(valid_until=DAY - datetime.timedelta(days=1), max_uses=1), 1, dr.EXPIRED),
    ],
)
def test_whether_a_code_may_be_used(terms, uses, expected):
    assert dr.refusal(terms, uses=uses, programme_id=PROGRAMME, edition_id=EDITION, on=DAY) == expected


def test_every_reason_has_a_message_for_the_applicant():
    reasons = [dr.UNKNOWN, dr.INACTIVE, dr.WRONG_PROGRAMME, dr.WRONG_EDITION, dr.NOT_YET_VALID, dr.EXPIRED, dr.EXHAUSTED]
    assert set(dr.MESSAGES) == set(reasons)
    assert len({str(message) for message in dr.MESSAGES.values()}) == len(reasons)
