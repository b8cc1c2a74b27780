"""The pure rules: numbers, amounts as the contract and the documents write them."""

import datetime
from decimal import Decimal

import pytest

from leergang.invoicing import rules


def test_numbers_are_the_year_and_a_four_digit_sequence():
    assert rules.invoice_number(2027, 1) == "2027-0001"
    assert rules.invoice_number(2027, 42) == "2027-0042"
    assert rules.invoice_number(2027, 12345) == "2027-12345"


@pytest.mark.parametrize(
    ("amount", "nl", "en"),
    [
        (Decimal("2995"), "€\u00a02.995,00", "€2,995.00"),
        (Decimal("2995.5"), "€\u00a02.995,50", "€2,995.50"),
        (Decimal("0"), "€\u00a00,00", "€0.00"),
        (Decimal("-2995.00"), "\u2212€\u00a02.995,00", "\u2212€2,995.00"),
        (Decimal("1234567.891"), "€\u00a01.234.567,89", "€1,234,567.89"),
    ],
)
def test_money_on_documents_always_shows_cents(amount, nl, en):
    assert rules.money(amount, "nl") == nl
    assert rules.money(amount, "en") == en


def test_amounts_in_the_api_are_decimal_strings_with_two_places():
    assert rules.amount_text(Decimal("2995")) == "2995.00"
    assert rules.amount_text("0.005") == "0.01"
    assert rules.amount_text(Decimal("-0.00")) in {"0.00", "-0.00"}


def test_a_credit_note_reverses_every_line_and_the_total():
    lines = [rules.line("Deelname", Decimal("2995")), rules.line("Korting", Decimal("-300")), rules.line("Boek", 0)]

    credited = rules.credited_lines(lines)

    assert [item["amount"] for item in credited] == ["-2995.00", "300.00", "0.00"]
    assert rules.lines_total(credited) == Decimal("-2695.00")


def test_due_date_and_iban_as_printed():
    assert rules.due_date(datetime.date(2027, 1, 4), 30) == datetime.date(2027, 2, 3)
    assert rules.iban_groups("nl91abna0417164300") == "NL91 ABNA 0417 1643 00"
