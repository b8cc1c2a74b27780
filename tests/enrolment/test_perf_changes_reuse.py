"""Changes of plan reuse the rows and amounts already in hand (P2): the place's standing invoice is
read (and locked) once and credited as read, the new place is invoiced without reading it again, and
the amounts the services keep on the documents (paid, refunded, paid on the corrected invoice) are
what a fresh read says, so carrying money over, sending the documents and the page's message read
no sums again. The pages' SQL counts (seats, what was paid) agree with the ORM expressions."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.catalog.models import Edition
from leergang.core.errors import Conflict
from leergang.enrolment import changes, inbox, selectors
from leergang.enrolment.models import Application, Offer
from leergang.invoicing import payments, refunds, services
from leergang.invoicing.models import Invoice
from tests import factories
from tests.invoicing.conftest import RECIPIENT

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAYMENT_SUM = 'SUM("invoicing_payment"."amount")'
REFUND_SUM = 'SUM("invoicing_refund"."amount")'
INVOICE_BY_ID = 'FROM "invoicing_invoice" WHERE "invoicing_invoice"."id" ='
ENROLMENT_REREAD = 'AS "edition_end_date"'


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory(vat_exempt=True)


@pytest.fixture
def edition(programme):
    edition = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 1, 13), fee=D("2995.00"))
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 1, 13))
    factories.SessionFactory(edition=edition, number=7, kind="closing", date=datetime.date(2027, 6, 30))
    return edition


@pytest.fixture
def later_edition(programme):
    edition = factories.EditionFactory(
        programme=programme, start_date=datetime.date(2027, 9, 1), fee=D("3195.00"), capacity=2, status="open"
    )
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 9, 1))
    factories.SessionFactory(edition=edition, number=7, kind="closing", date=datetime.date(2028, 2, 2))
    return edition


def _place(edition, coordinator, paid="1000.00"):
    enrolment = factories.EnrolmentFactory(edition=edition, organisation="Gemeente Utrecht")
    invoice = services.issue_invoice(actor=coordinator, enrolment=enrolment, recipient=dict(RECIPIENT), language="nl")
    if paid:
        payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=TODAY, amount=paid)
    return enrolment


def _count(queries, text: str) -> int:
    return sum(1 for q in queries.captured_queries if text in q["sql"])


def _fresh(document: Invoice) -> Invoice:
    return Invoice.objects.get(pk=document.pk)


def _kept_amounts_are_fresh(credit_note: Invoice, invoice: Invoice) -> None:
    """What the services kept on the documents is what reading them again says."""
    assert refunds.still_owed_back(credit_note) == refunds.still_owed_back(_fresh(credit_note))
    assert payments.paid_of(invoice) == payments._paid(invoice)
    assert (credit_note.status, invoice.status) == (_fresh(credit_note).status, _fresh(invoice).status)


def test_a_substitution_reads_each_sum_once_and_no_document_again(edition, coordinator):
    place = _place(edition, coordinator)
    with CaptureQueriesContext(connection) as queries:
        change = changes.substitute(
            actor=coordinator, enrolment_id=place.pk, first_name="Eva", last_name="de Wit", email="eva@example.org"
        )
    # What was paid on the credited invoice, once (it decides the credit note's status and the carry-over).
    assert _count(queries, PAYMENT_SUM) == 1
    assert _count(queries, REFUND_SUM) == 0
    assert _count(queries, INVOICE_BY_ID) == 0  # neither the credited invoice nor the new documents read again
    assert _count(queries, ENROLMENT_REREAD) == 0  # the new place is invoiced as created
    # The money moved as before: 1000.00 carried over, nothing owed back, the new invoice partly paid.
    assert change.invoice.total == D("2995.00") and change.invoice.edition_end_date == datetime.date(2027, 6, 30)
    assert change.invoice.participant_name == "Eva de Wit"
    assert (change.credit_note.status, change.invoice.status) == ("paid", "partly_paid")
    assert payments.paid_of(change.invoice) == D("1000.00")
    _kept_amounts_are_fresh(change.credit_note, change.invoice)


def test_a_transfer_invoices_the_later_edition_as_created(edition, later_edition, coordinator):
    place = _place(edition, coordinator, paid="2995.00")
    with CaptureQueriesContext(connection) as queries:
        change = changes.transfer(actor=coordinator, enrolment_id=place.pk, to_edition_id=later_edition.pk)
    assert _count(queries, PAYMENT_SUM) == 1 and _count(queries, REFUND_SUM) == 0
    assert _count(queries, INVOICE_BY_ID) == 0 and _count(queries, ENROLMENT_REREAD) == 0
    invoice = change.invoice
    assert invoice.total == D("3195.00") and invoice.edition_start_date == datetime.date(2027, 9, 1)
    assert invoice.edition_end_date == datetime.date(2028, 2, 2) and invoice.enrolment_id == change.new.pk
    # All 2995.00 carried over to the dearer invoice: the credit note settled, 200.00 still to pay.
    assert (change.credit_note.status, invoice.status) == ("paid", "partly_paid")
    assert refunds.still_owed_back(change.credit_note) == 0
    _kept_amounts_are_fresh(change.credit_note, invoice)


def test_cancelling_with_a_fee_carries_over_from_the_amounts_in_hand(edition, coordinator):
    edition.cancellation_free_until, edition.cancellation_fee_kind, edition.cancellation_fee_value = None, "amount", D("750")
    edition.save()
    place = _place(edition, coordinator, paid="2995.00")
    with CaptureQueriesContext(connection) as queries:
        result = changes.cancel_enrolment(actor=coordinator, enrolment_id=place.pk)
    assert _count(queries, PAYMENT_SUM) == 1 and _count(queries, REFUND_SUM) == 0
    assert _count(queries, INVOICE_BY_ID) == 0
    assert result.fee == D("750.00") and result.fee_invoice.total == D("750.00")
    assert (result.credit_note.status, result.fee_invoice.status) == ("open", "paid")
    assert refunds.still_owed_back(result.credit_note) == D("2245.00")
    _kept_amounts_are_fresh(result.credit_note, result.fee_invoice)


def test_carrying_over_between_documents_read_afresh_still_sums_the_payments(edition, coordinator):
    """carry_over with documents that carry no kept amounts (read from the database) reads them."""
    place = _place(edition, coordinator, paid="500.00")
    old = Invoice.objects.get(enrolment=place, kind="invoice")
    credit_note = _fresh(services.issue_credit_note(actor=coordinator, invoice=old))
    fee = _fresh(services.issue_fee_invoice(actor=coordinator, credited=_fresh(old), amount="300.00", cancelled_on=TODAY))
    refund = refunds.carry_over(actor=coordinator, credit_note=credit_note, invoice=fee)
    assert refund.amount == D("300.00")
    assert (_fresh(credit_note).status, _fresh(fee).status) == ("open", "paid")
    assert refunds.still_owed_back(_fresh(credit_note)) == D("200.00")


def test_crediting_twice_is_refused_by_name_even_when_the_status_was_not_kept(edition, coordinator):
    place = _place(edition, coordinator, paid=None)
    invoice = Invoice.objects.get(enrolment=place, kind="invoice")
    credit_note = services.issue_credit_note(actor=coordinator, invoice=invoice)
    with connection.cursor() as cursor:  # a row out of step (the model refuses such a save)
        cursor.execute('UPDATE "invoicing_invoice" SET "status" = %s WHERE "id" = %s', ["open", invoice.pk])
    with pytest.raises(Conflict) as refused:
        services.issue_credit_note(actor=coordinator, invoice=_fresh(invoice))
    assert credit_note.number in str(refused.value.detail)


# -- the pages' SQL counts ---------------------------------------------------------------------------


def _old_count(model, **filters):
    rows = model.objects.filter(edition=OuterRef("pk"), **filters).order_by().values("edition")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0))


def _application(edition, n: int, status: str) -> Application:
    return Application.objects.create(
        edition=edition, first_name="Iris", last_name="Kok", email=f"iris{n}@example.org", organisation="Gemeente",
        job_title="Manager", education_level="wo", years_experience=8, leadership_role=True, challenge="-",
        invoice_organisation="Gemeente", invoice_address="Plein 1", invoice_postal_code="1000 AA",
        invoice_city="Amsterdam", invoice_email="f@example.org", privacy_consent=True, status=status,
    )  # fmt: skip


def test_the_seats_panel_counts_agree_with_the_orm_subqueries(edition, later_edition):
    factories.EnrolmentFactory(edition=edition)
    factories.EnrolmentFactory(edition=edition, status="cancelled")
    for n, status in enumerate(["open", "open", "expired", "refused"]):
        Offer.objects.create(
            application=_application(edition, n, "offered"),
            edition=edition,
            status=status,
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )
    for n in range(10, 13):
        _application(edition, n, "waitlisted")
    _application(later_edition, 20, "waitlisted")
    for checked in (edition, later_edition):
        shown = inbox._edition(checked.pk)
        old = Edition.objects.annotate(
            taken=selectors.SEATS_TAKEN,
            held=_old_count(Offer, status="open"),
            waiting=_old_count(Application, status="waitlisted"),
        ).get(pk=checked.pk)
        assert (shown.seats_taken, shown.held_offers, shown.waiting) == (old.taken, old.held, old.waiting)
    shown = inbox._edition(edition.pk)
    assert (shown.seats_taken, shown.held_offers, shown.waiting) == (3, 2, 3)


def test_the_paid_column_is_the_sum_of_the_payments(edition, coordinator):
    amounts = [[], ["0.10", "0.20"], ["2995.00"], ["1000", "0.01", "999.99"]]
    for paid in amounts:
        enrolment = factories.EnrolmentFactory(edition=edition)
        invoice = services.issue_invoice(actor=coordinator, enrolment=enrolment, recipient=dict(RECIPIENT), language="nl")
        for amount in paid:
            payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=TODAY, amount=amount)
    column = dict(Invoice.objects.annotate(paid=payments.PaidColumn()).values_list("number", "paid"))
    summed = dict(payments.with_paid(Invoice.objects.all()).values_list("number", "paid"))
    assert column == summed
    assert sorted(column.values()) == [D("0.00"), D("0.30"), D("2000.00"), D("2995.00")]
