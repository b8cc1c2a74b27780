"""The pure cancellation terms: free until and including the date, then a fee, never above what was invoiced."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from leergang.enrolment.cancellation_rules import Terms, fee, is_free, summary

UNTIL = datetime.date(2027, 1, 1)
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("terms", "on", "invoiced", "expected"),
    [
        (Terms(UNTIL, "percentage", D("50")), UNTIL, "2995.00", "0.00"),  # the date itself is still free
        (Terms(UNTIL, "percentage", D("50")), UNTIL + DAY, "2995.00", "1497.50"),
        (Terms(UNTIL, "percentage", D("33.33")), UNTIL + DAY, "100.00", "33.33"),
        (Terms(UNTIL, "percentage", D("12.5")), UNTIL + DAY, "0.04", "0.01"),  # half a cent rounds up
        (Terms(None, "percentage", D("100")), UNTIL - 400 * DAY, "2695.50", "2695.50"),  # no free period
        (Terms(UNTIL, "amount", D("250")), UNTIL + DAY, "2995.00", "250.00"),
        (Terms(UNTIL, "amount", D("5000")), UNTIL + DAY, "2995.00", "2995.00"),  # never more than invoiced
        (Terms(None, "amount", D("250")), UNTIL, "0.00", "0.00"),  # a free place costs nothing to cancel
        (Terms(None, "amount", D("0")), UNTIL, "2995.00", "0.00"),  # no fee: always free
    ],
)
def test_the_fee_on_a_day(terms, on, invoiced, expected):
    assert fee(terms, invoiced=D(invoiced), on=on) == D(expected)


@given(
    kind=st.sampled_from(["percentage", "amount"]),
    value=st.decimals(min_value=0, max_value=100, places=2),
    invoiced=st.decimals(min_value=0, max_value=10000, places=2),
    offset=st.integers(-60, 60),
)
def test_the_fee_is_between_nothing_and_the_invoice_and_nothing_while_free(kind, value, invoiced, offset):
    terms, on = Terms(UNTIL, kind, value), UNTIL + offset * DAY
    charged = fee(terms, invoiced=invoiced, on=on)
    assert D("0.00") <= charged <= invoiced
    assert (charged == 0) or not is_free(terms, on)
    if offset <= 0:
        assert charged == 0


def test_the_terms_read_as_a_sentence_in_both_languages():
    terms = Terms(UNTIL, "percentage", D("12.5"))
    with translation.override("en"):
        assert summary(terms) == (
            "Cancelling is free of charge until and including 1 January 2027; after that it costs 12.5% of the invoiced amount."
        )
        assert summary(Terms(None, "amount", D("0"))) == "Cancelling is free of charge."
        assert summary(Terms(None, "amount", D("250"))) == "Cancelling costs €250."
    with translation.override("nl"):
        assert "12,5%" in summary(terms) and "1 januari 2027" in summary(terms)
