"""The pure payment rules (payment_rules.py): status, what is still owed, overdue, and typed input. No database."""

import datetime
from decimal import Decimal

import pytest

from leergang.core.errors import Invalid
from leergang.invoicing import payment_rules

D = Decimal
TOTAL = D("2995.00")
DAY = datetime.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("paid", "credited", "expected"),
    [
        (D("0.00"), False, "open"),
        (D("0.01"), False, "partly_paid"),
        (D("1000.00"), False, "partly_paid"),
        (D("2994.99"), False, "partly_paid"),
        (D("2995.00"), False, "paid"),
        (D("3000.00"), False, "paid"),
        (D("0.00"), True, "credited"),
        (D("1000.00"), True, "credited"),
        (D("2995.00"), True, "credited"),
    ],
)
def test_the_status_follows_the_payments_and_credited_wins(paid, credited, expected):
    assert payment_rules.status_for(total=TOTAL, paid=paid, credited=credited) == expected


@pytest.mark.parametrize(
    ("total", "paid", "owed"),
    [(TOTAL, D("0"), D("2995.00")), (TOTAL, D("995.50"), D("1999.50")), (TOTAL, TOTAL, D("0.00")), (D("10"), D("20"), D("0.00"))],
)
def test_still_owed_never_goes_below_zero(total, paid, owed):
    assert payment_rules.still_owed(total, paid) == owed


@pytest.mark.parametrize(
    ("status", "due_on", "expected"),
    [
        ("open", DAY - datetime.timedelta(days=1), True),
        ("partly_paid", DAY - datetime.timedelta(days=30), True),
        ("open", DAY, False),  # the due date itself is still in time
        ("open", DAY + datetime.timedelta(days=1), False),
        ("paid", DAY - datetime.timedelta(days=30), False),
        ("credited", DAY - datetime.timedelta(days=30), False),
        ("cancelled", DAY - datetime.timedelta(days=30), False),
    ],
)
def test_overdue_means_outstanding_after_the_due_date(status, due_on, expected):
    assert payment_rules.is_overdue(status=status, due_on=due_on, on=DAY) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2995", D("2995.00")), ("0.01", D("0.01")), (D("12.5"), D("12.50")), ("100.000", D("100.00")), (250, D("250.00"))],
)
def test_a_valid_amount(value, expected):
    assert payment_rules.clean_amount(value) == expected


@pytest.mark.parametrize("value", ["0", "0.00", "-5", "1.005", "abc", "", "NaN", "Infinity", "1000000000.00", None])
def test_an_invalid_amount_names_the_field(value):
    with pytest.raises(Invalid) as caught:
        payment_rules.clean_amount(value)
    assert [error["field"] for error in caught.value.errors] == ["amount"]


@pytest.mark.parametrize(
    ("typed", "read"),
    [("1.500,00", "1500.00"), ("1,500.00", "1500.00"), ("€ 250,50", "250.50"), ("2995", "2995"), (" 12.5 ", "12.5")],
)
def test_amounts_as_people_type_them(typed, read):
    assert payment_rules.parse_typed_amount(typed) == read


def test_the_payment_date_lies_between_the_invoice_and_today():
    issued = datetime.date(2027, 1, 4)
    assert payment_rules.check_paid_on(issued, issued_on=issued, today=DAY) == issued
    assert payment_rules.check_paid_on(DAY, issued_on=issued, today=DAY) == DAY
    for wrong in (DAY + datetime.timedelta(days=1), issued - datetime.timedelta(days=1)):
        with pytest.raises(Invalid) as caught:
            payment_rules.check_paid_on(wrong, issued_on=issued, today=DAY)
        assert caught.value.errors[0]["field"] == "paid_on"


def test_the_reference_is_one_line_of_at_most_140_characters():
    assert payment_rules.clean_reference("  NL12 \n batch  7 ") == "NL12 batch 7"
    assert payment_rules.clean_reference(None) == ""
    with pytest.raises(Invalid) as caught:
        payment_rules.clean_reference("x" * 141)
    assert caught.value.errors[0]["field"] == "reference"
