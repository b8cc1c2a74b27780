"""Discount codes through the real services: checking, redeeming at registration, the invoice line
after admission, the credit note, the PDF and the series."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from leergang.core.models import AuditEntry
from leergang.enrolment import changes
from leergang.enrolment import services as enrolment
from leergang.enrolment.models import Application
from leergang.invoicing import discounts
from leergang.invoicing.models import DiscountCode, DiscountRedemption, Invoice
from leergang.invoicing.pdf import invoice_pdf
from leergang.invoicing.selectors import documents
from leergang.notifications.models import OutboxEmail
from tests import factories

from .helpers import pdf_text

pytestmark = pytest.mark.django_db


def application_input(email: str, code: str = "", language: str = "en") -> enrolment.ApplicationInput:
    return enrolment.ApplicationInput(
        first_name="Sanne",
        last_name="Bakker",
        email=email,
        organisation="Gemeente Zwolle",
        job_title="Teamleider",
        education_level="wo",
        years_experience=10,
        leadership_role=True,
        challenge="Meer vertrouwen, minder regels.",
        invoice_organisation="Gemeente Zwolle",
        invoice_address="Grote Kerkplein 15",
        invoice_postal_code="8011 PK",
        invoice_city="Zwolle",
        invoice_email="facturen@zwolle.example.org",
        privacy_consent=True,
        terms_accepted=True,
        discount_code=code,
        language=language,
    )


def submit(edition, email: str, code: str = "", **kwargs) -> Application:
    return enrolment.submit_application(edition_id=edition.pk, data=application_input(email, code), **kwargs)


def admit(application, coordinator):
    return enrolment.decide(actor=coordinator, application_id=application.pk, decision="admit")


def make_code(code="EARLY2027", kind="percentage", value="10", **fields) -> DiscountCode:
    return DiscountCode.objects.create(code=code, kind=kind, value=Decimal(value), **fields)


def today() -> datetime.date:
    return timezone.localdate()


def refusal(edition, code: str) -> discounts.CodeRefused:
    with translation.override("en"), pytest.raises(discounts.CodeRefused) as caught:
        discounts.check_code(code=code, edition=edition)
    assert caught.value.status == 422
    assert [error["field"] for error in caught.value.errors] == ["discount_code"]
    return caught.value


# --- checking a code ----------------------------------------------------------------------------


def test_a_code_is_matched_regardless_of_case_and_spaces(edition):
    code = make_code(programme=edition.programme)
    assert discounts.normalise("  early 20 27 ") == "EARLY2027"
    assert discounts.check_code(code="  early 20 27 ", edition=edition) == code
    assert discounts.check_code(code="Early2027", edition=edition) == code


@pytest.mark.parametrize(
    ("fields", "reason", "message"),
    [
        ({"active": False}, "inactive", "This discount code can no longer be used."),
        ({"valid_until": -1}, "expired", "This discount code has expired."),
        ({"valid_from": 1}, "not_yet_valid", "This discount code is not valid yet; you can use it from"),
    ],
)
def test_a_code_refused_by_its_terms_says_why(edition, fields, reason, message):
    days = {name: today() + datetime.timedelta(days=value) for name, value in fields.items() if name.startswith("valid")}
    make_code(**{**fields, **days})
    refused = refusal(edition, "early2027")
    assert refused.reason == reason
    assert refused.errors[0]["message"].startswith(message)


def test_the_period_includes_its_first_and_last_day(edition):
    make_code(valid_from=today(), valid_until=today())
    assert discounts.check_code(code="EARLY2027", edition=edition).code == "EARLY2027"


def test_an_unknown_code_asks_to_check_for_typing_errors(edition):
    make_code()
    refused = refusal(edition, "EARLY2026")
    assert refused.reason == "unknown"
    assert refused.errors[0]["message"] == "We do not know this discount code; check it for typing errors."


def test_a_code_for_another_edition_or_programme_is_refused(edition):
    later = factories.EditionFactory(programme=edition.programme, start_date=datetime.date(2028, 1, 12))
    other_programme = factories.ProgrammeFactory()
    make_code("EDITION", edition=later)
    make_code("PROGRAMME", programme=other_programme)
    assert refusal(edition, "edition").errors[0]["message"] == "This discount code is not valid for this edition."
    assert refusal(edition, "programme").errors[0]["message"] == "This discount code is not valid for this programme."
    assert discounts.check_code(code="edition", edition=later).code == "EDITION"


# --- redeeming at registration --------------------------------------------------------------------


def test_registration_redeems_the_code_and_audits_it(edition):
    code = make_code(max_uses=5)
    application = submit(edition, "a@example.org", " early2027 ")
    assert application.discount_code == "EARLY2027"
    redemption = DiscountRedemption.objects.get()
    assert (redemption.discount, redemption.application) == (code, application)
    entry = AuditEntry.objects.get(action="discount_code.redeemed")
    assert entry.object_id == str(code.pk) and entry.after["application"] == application.pk


def test_the_redemption_an_invoice_reads_is_what_the_orm_reads(edition):
    """discounts.redemption_for reads it as SQL (core.sql_rows): every field, value and type the same."""
    make_code(code="HALF", kind="amount", value="1234.56", max_uses=3, valid_until=today(), edition=edition)
    application = submit(edition, "a@example.org", "half")
    submit(edition, "b@example.org")  # no code
    found = discounts.redemption_for(application.pk)
    expected = DiscountRedemption.objects.select_related("discount").get(application=application)

    def fields_of(instance) -> list:
        return [(f.attname, type(v := getattr(instance, f.attname)), v) for f in type(instance)._meta.concrete_fields]

    assert fields_of(found) == fields_of(expected) and fields_of(found.discount) == fields_of(expected.discount)
    assert found.discount.value == Decimal("1234.56") and found.discount.valid_until == today()
    assert discounts.redemption_for(Application.objects.get(email="b@example.org").pk) is None


def test_the_last_use_goes_once_and_the_next_registration_stores_nothing(edition):
    make_code(max_uses=1)
    submit(edition, "first@example.org", "EARLY2027")
    mails = OutboxEmail.objects.count()
    with translation.override("en"), pytest.raises(discounts.CodeRefused) as caught:
        submit(edition, "second@example.org", "EARLY2027")
    assert caught.value.reason == "exhausted"
    assert caught.value.errors == [{"field": "discount_code", "message": "This discount code has been used up."}]
    assert list(Application.objects.values_list("email", flat=True)) == ["first@example.org"]
    assert DiscountRedemption.objects.count() == 1
    assert OutboxEmail.objects.count() == mails


def test_a_refused_code_stores_nothing(edition):
    make_code(valid_until=today() - datetime.timedelta(days=1))
    with pytest.raises(discounts.CodeRefused):
        submit(edition, "late@example.org", "EARLY2027")
    assert not Application.objects.exists() and not DiscountRedemption.objects.exists()
    assert not AuditEntry.objects.exists() and not OutboxEmail.objects.exists()


def test_a_double_submit_redeems_once(edition):
    make_code(max_uses=1)
    key = "k" * 43
    first = submit(edition, "twice@example.org", "EARLY2027", submission_key=key)
    second = submit(edition, "twice@example.org", "EARLY2027", submission_key=key)
    assert first.pk == second.pk
    assert DiscountRedemption.objects.count() == 1


def test_without_a_code_there_is_no_discount(edition, coordinator):
    make_code()
    application = submit(edition, "plain@example.org", "   ")
    assert application.discount_code == ""
    invoice = admit(application, coordinator).invoice
    assert len(invoice.lines) == 1 and invoice.total == Decimal("2995.00")


# --- the invoice --------------------------------------------------------------------------------


def test_the_invoice_has_a_discount_line_after_the_fee_and_the_total_reconciles(edition, coordinator):
    make_code(kind="percentage", value="10")
    application = submit(edition, "ten@example.org", "early2027")
    invoice = admit(application, coordinator).invoice

    assert invoice.language == "en"
    assert [line["amount"] for line in invoice.lines] == ["2995.00", "-299.50"]
    assert invoice.lines[0]["description"].startswith("Participation in")
    assert invoice.lines[1]["description"] == "Discount (code EARLY2027)"
    assert invoice.total == Decimal("2695.50") == sum(Decimal(line["amount"]) for line in invoice.lines)
    assert invoice.vat_amount == Decimal("0.00")
    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.lines == invoice.lines and stored.total == invoice.total


def test_a_dutch_invoice_names_the_code_in_its_line(edition, coordinator):
    make_code(kind="amount", value="500")
    application = enrolment.submit_application(
        edition_id=edition.pk, data=application_input("nl@example.org", "EARLY2027", language="nl")
    )
    invoice = admit(application, coordinator).invoice
    assert invoice.language == "nl"
    with translation.override("nl"):
        from leergang.invoicing.discount_rules import DISCOUNT_LINE

        expected = str(DISCOUNT_LINE) % {"code": "EARLY2027"}
    assert invoice.lines[1] == {"description": expected, "amount": "-500.00"}
    assert invoice.total == Decimal("2495.00")


def test_a_fixed_amount_larger_than_the_fee_makes_a_zero_invoice_not_a_negative_one(edition, coordinator):
    make_code(kind="amount", value="5000")
    invoice = admit(submit(edition, "big@example.org", "EARLY2027"), coordinator).invoice
    assert [line["amount"] for line in invoice.lines] == ["2995.00", "-2995.00"]
    assert invoice.total == Decimal("0.00")


def test_a_full_discount_is_still_issued_in_the_series_and_its_credit_note_mirrors_it(edition, coordinator):
    make_code("FREE", kind="percentage", value="100")
    make_code("EARLY2027", kind="percentage", value="10")
    first = admit(submit(edition, "one@example.org"), coordinator).invoice
    free = admit(submit(edition, "free@example.org", "free"), coordinator)
    third = admit(submit(edition, "three@example.org", "early2027"), coordinator).invoice

    assert free.invoice.total == Decimal("0.00") and free.invoice.status == "paid"  # nothing to pay, never reminded
    assert "There is nothing to pay for this invoice." in pdf_text(invoice_pdf(documents().get(pk=free.invoice.pk)))
    assert [line["amount"] for line in free.invoice.lines] == ["2995.00", "-2995.00"]
    assert [first.sequence, free.invoice.sequence, third.sequence] == [1, 2, 3]

    credit_note = changes.cancel_enrolment(actor=coordinator, enrolment_id=free.enrolment.pk).credit_note
    assert credit_note.lines == [
        {"description": free.invoice.lines[0]["description"], "amount": "-2995.00"},
        {"description": "Discount (code FREE)", "amount": "2995.00"},
    ]
    assert credit_note.total == Decimal("0.00") and credit_note.sequence == 4
    assert credit_note.status == "credited"  # nothing was paid, so nothing is to be refunded


def test_the_credit_note_mirrors_the_discount_line(edition, coordinator):
    make_code(kind="amount", value="250")
    result = admit(submit(edition, "cancel@example.org", "EARLY2027"), coordinator)
    credit_note = changes.cancel_enrolment(actor=coordinator, enrolment_id=result.enrolment.pk).credit_note

    invoice = Invoice.objects.get(pk=result.invoice.pk)
    assert invoice.status == "credited"
    assert [line["description"] for line in credit_note.lines] == [line["description"] for line in invoice.lines]
    assert [line["amount"] for line in credit_note.lines] == ["-2995.00", "250.00"]
    assert credit_note.total == -invoice.total == Decimal("-2745.00")


def test_the_issued_invoice_keeps_its_discount_when_the_code_changes_later(edition, coordinator):
    code = make_code(kind="percentage", value="10")
    invoice = admit(submit(edition, "keep@example.org", "EARLY2027"), coordinator).invoice
    DiscountCode.objects.filter(pk=code.pk).update(value=Decimal("50"), active=False)
    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.lines[1]["amount"] == "-299.50" and stored.total == Decimal("2695.50")


def test_the_pdf_shows_the_discount_line(edition, coordinator):
    make_code(kind="percentage", value="10")
    invoice = admit(submit(edition, "pdf@example.org", "EARLY2027"), coordinator).invoice
    text = pdf_text(invoice_pdf(documents().get(pk=invoice.pk)))
    assert "Discount (code EARLY2027) \u2212€299.50" in text
    assert "Total €2,695.50" in text
