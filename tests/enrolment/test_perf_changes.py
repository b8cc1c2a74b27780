"""Changes of plan read what they need once (P2): the place's standing invoice is read once per
substitution or transfer, the cancel pages compute the fee from the invoice they show, and a
transfer to an edition that does not exist is still refused before anything changes."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.core.errors import Invalid
from leergang.enrolment import changes, views_changes
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.invoicing import payments, services
from leergang.invoicing.models import Invoice
from tests import factories
from tests.invoicing.conftest import RECIPIENT

pytestmark = pytest.mark.django_db

# The place's invoices, as the ORM reads them or as enrolment.locked_rows does.
STANDING_READS = (
    'FROM "invoicing_invoice" WHERE ("invoicing_invoice"."enrolment_id"',
    'FROM "invoicing_invoice" i WHERE i."enrolment_id"',
)


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory(vat_exempt=True)


@pytest.fixture
def edition(programme):
    edition = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 1, 13), fee=D("2995.00"))
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 1, 13))
    return edition


@pytest.fixture
def later_edition(programme):
    return factories.EditionFactory(
        programme=programme, start_date=datetime.date(2027, 9, 1), fee=D("3195.00"), capacity=2, status="open"
    )


@pytest.fixture
def place(edition, coordinator):
    enrolment = factories.EnrolmentFactory(edition=edition, organisation="Gemeente Utrecht")
    invoice = services.issue_invoice(actor=coordinator, enrolment=enrolment, recipient=dict(RECIPIENT), language="en")
    payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=timezone.localdate(), amount="1000.00")
    return enrolment


def _standing_reads(queries) -> int:
    return sum(1 for q in queries.captured_queries if any(read in q["sql"] for read in STANDING_READS))


def test_a_substitution_reads_the_standing_invoice_once_and_keeps_its_language(place, coordinator):
    with CaptureQueriesContext(connection) as queries:
        change = changes.substitute(
            actor=coordinator, enrolment_id=place.pk, first_name="Eva", last_name="de Wit", email="eva@example.org"
        )
    assert _standing_reads(queries) == 1
    # The default reason is in the language of the credited invoice (English here).
    assert change.credit_note.reason == "Place taken over by Eva de Wit"
    assert change.invoice.language == "en" and change.invoice.total == D("2995.00")


def test_a_transfer_reads_the_standing_invoice_once(place, later_edition, coordinator):
    with CaptureQueriesContext(connection) as queries:
        change = changes.transfer(actor=coordinator, enrolment_id=place.pk, to_edition_id=later_edition.pk)
    assert _standing_reads(queries) == 1
    assert change.new.edition_id == later_edition.pk and change.invoice.total == D("3195.00")
    assert change.credit_note.reason.startswith("Moved to the edition starting")


def test_a_transfer_to_an_unknown_edition_changes_nothing(place, coordinator):
    invoices = Invoice.objects.count()
    with pytest.raises(Invalid) as refused:
        changes.transfer(actor=coordinator, enrolment_id=place.pk, to_edition_id=999_999)
    assert refused.value.errors[0]["field"] == "edition"
    assert Enrolment.objects.get(pk=place.pk).status == EnrolmentStatus.ENROLLED
    assert Invoice.objects.count() == invoices


@pytest.mark.parametrize("free_until", [None, datetime.date(2000, 1, 1), datetime.date(2999, 1, 1)])
def test_the_cancel_pages_fee_is_the_services_fee(place, edition, free_until):
    edition.cancellation_free_until, edition.cancellation_fee_kind, edition.cancellation_fee_value = (
        free_until,
        "percentage",
        D("50"),
    )
    edition.save()
    place = Enrolment.objects.select_related("edition").get(pk=place.pk)
    facts = views_changes.cancel_facts(place)
    assert facts["fee"] == changes.cancellation_fee_for(place, on=facts["today"])
    assert facts["paid"] == D("1000.00")
