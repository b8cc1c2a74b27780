"""The place's page reads its documents with what each still settles as SQL columns and only the
columns it shows (performance bar P2, views_changes._documents): the same amounts as
balances.with_balances, the corrected invoice's number, in a fixed number of queries."""

import pytest
from django.utils import timezone

from leergang.enrolment import changes, views_changes
from leergang.invoicing import balances, refunds
from leergang.invoicing.models import Invoice

from .test_place_pages import edition, later_edition, make_place, office, programme, url  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(make_place, later_edition, coordinator):  # noqa: F811
    """A paid place moved to a later edition (an invoice, its credit note, a new invoice) and a
    cancelled place whose credit note was partly refunded (what is paid back, what is still owed back)."""
    enrolment, _invoice = make_place(paid="500.00")
    change = changes.transfer(actor=coordinator, enrolment_id=enrolment.pk, to_edition_id=later_edition.pk)
    cancelled, _invoice = make_place(paid="1000.00")
    credit_note = changes.cancel_enrolment(actor=coordinator, enrolment_id=cancelled.pk, waive_fee=True).credit_note
    refunds.record_refund(actor=coordinator, credit_note_number=credit_note.number, paid_on=timezone.localdate(), amount="400.00")
    return [enrolment, change.new, cancelled]


def test_the_documents_settle_what_balances_says(moved):
    seen = set()
    for enrolment in moved:
        documents = views_changes._documents(enrolment)
        expected = list(balances.with_balances(Invoice.objects.filter(enrolment=enrolment).order_by("year", "sequence")))
        assert [d.invoice.pk for d in documents] == [e.pk for e in expected]
        for document, invoice in zip(documents, expected, strict=True):
            assert (document.invoice.paid, document.invoice.refunded, document.invoice.paid_on_corrected) == (
                invoice.paid,
                invoice.refunded,
                invoice.paid_on_corrected,
            )
            assert document.balance == balances.balance(invoice)
            assert document.invoice.corrects_number == (invoice.corrects.number if invoice.corrects_id else None)
            seen.add((invoice.kind, document.balance != 0))
    # Invoices and credit notes, with and without something still to settle.
    assert {("invoice", False), ("credit_note", True), ("credit_note", False)} <= seen


def test_the_place_page_shows_the_corrected_invoice_in_nine_queries(office, moved, django_assert_num_queries):  # noqa: F811
    enrolment = moved[0]
    corrected = Invoice.objects.get(enrolment=enrolment, kind="invoice")
    # The session, the user, the place (no deferred column read later), its documents, the changes
    # before and after it (changes.history: three), the places and documents they name.
    with django_assert_num_queries(9):
        page = office.get(url("detail", enrolment.pk)).content.decode()
    assert f"corrects {corrected.number}" in page and 'data-kind="credit_note"' in page
