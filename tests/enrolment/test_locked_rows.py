"""The rows a change of plan locks, read as SQL (enrolment.locked_rows, core.sql_rows), are what the
ORM's select_for_update with select_related loads: every field, with the same value and type."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.catalog.models import Edition
from leergang.core import sql_rows
from leergang.enrolment import changes, locked_rows
from leergang.enrolment.models import Application, Enrolment, Offer
from leergang.enrolment.selectors import SeatsTaken
from leergang.invoicing import services
from leergang.invoicing.models import Invoice
from tests import factories
from tests.invoicing.conftest import RECIPIENT

pytestmark = pytest.mark.django_db


def fields_of(instance) -> list:
    return [(f.attname, type(v := getattr(instance, f.attname)), v) for f in type(instance)._meta.concrete_fields]


@pytest.fixture
def places(coordinator):
    programme = factories.ProgrammeFactory(vat_exempt=True, title_en="Leading <b>&</b> trust", fee_includes_nl="")
    first = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 1, 13), fee=D("2995.00"))
    later = factories.EditionFactory(
        programme=programme, start_date=datetime.date(2027, 9, 1), fee=D("1234.50"), cancellation_fee_value=D("12.25"),
        paper_deadline=datetime.date(2027, 12, 1), location="Amsterdam", status="open",
    )  # fmt: skip
    made = []
    for n, edition in enumerate([first, first, later]):
        person = factories.UserFactory(first_name="" if n == 1 else "Anna", preferred_language="en" if n else "nl")
        enrolment = factories.EnrolmentFactory(edition=edition, participant=person, organisation="Gemeente" if n else "")
        if n != 2:
            services.issue_invoice(actor=coordinator, enrolment=enrolment, recipient=dict(RECIPIENT), language="nl")
        made.append(enrolment)
    Enrolment.objects.filter(pk=made[1].pk).update(cancelled_at=timezone.now())
    return made


def test_the_editions_are_what_the_orm_locked(places):
    first, later = places[0].edition, places[2].edition
    with transaction.atomic():
        for place_id, also, ids in ((places[0].pk, None, [first.pk]), (places[0].pk, later.pk, [first.pk, later.pk]),
                                    (places[2].pk, first.pk, [first.pk, later.pk]), (999999, later.pk, [later.pk]),
                                    (999999, None, [])):  # fmt: skip
            with CaptureQueriesContext(connection) as captured:
                found = locked_rows.editions(place_id=place_id, also=also)
            assert len(captured) == 1
            assert list(found) == ids  # in id order
            for pk, edition in found.items():
                expected = Edition.objects.select_for_update(of=("self",)).select_related("programme").get(pk=pk)
                assert fields_of(edition) == fields_of(expected)
                assert fields_of(edition.programme) == fields_of(expected.programme)
                assert not edition._state.adding and edition._state.db == "default"


def test_the_place_and_its_invoice_are_what_the_orm_locked(places):
    with transaction.atomic():
        for place in places:
            expected = Enrolment.objects.select_for_update(of=("self",)).select_related("participant").get(pk=place.pk)
            found = locked_rows.place(place.pk)
            assert fields_of(found) == fields_of(expected)
            assert fields_of(found.participant) == fields_of(expected.participant)
            invoice = locked_rows.standing_invoice(place.pk)
            orm = Invoice.objects.select_for_update().filter(enrolment=place, kind="invoice").exclude(status="credited").first()
            assert (invoice is None) == (orm is None) == (place is places[2])
            if orm is not None:
                assert fields_of(invoice) == fields_of(orm)
                assert invoice.lines == orm.lines and isinstance(invoice.total, D)
        assert locked_rows.place(999999) is None and locked_rows.standing_invoice(999999) is None


def test_a_credited_invoice_no_longer_stands(places, coordinator):
    changes.cancel_enrolment(actor=coordinator, enrolment_id=places[0].pk)
    assert locked_rows.standing_invoice(places[0].pk) is None


def test_the_rows_are_locked_on_postgresql():
    if connection.vendor != "postgresql":
        assert sql_rows.lock_clause("d") == ""  # SQLite: the transaction holds the write lock
        return
    assert sql_rows.lock_clause("d") == " FOR UPDATE OF d"
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        locked_rows.editions(place_id=1, also=2)
        locked_rows.place(1)
        locked_rows.standing_invoice(1)
        locked_rows.first_waitlisted(1)
    assert [q["sql"].rsplit(" FOR UPDATE", 1)[1] for q in captured.captured_queries] == [" OF d", " OF e", " OF i", " OF a"]


def _application(edition, n: int, status: str, waitlisted_at) -> Application:
    return Application.objects.create(
        edition=edition, first_name="Iris", last_name="Kok", email=f"iris{n}@example.org", organisation="Gemeente",
        job_title="Manager", education_level="wo", years_experience=8, leadership_role=True, challenge="-",
        invoice_organisation="Gemeente", invoice_address="Plein 1", invoice_postal_code="1000 AA", invoice_city="Amsterdam",
        invoice_email="f@example.org", privacy_consent=True, status=status, waitlisted_at=waitlisted_at,
    )  # fmt: skip


def test_the_applicant_waitlisted_earliest_is_what_the_orm_locked(places):
    edition = places[0].edition
    assert locked_rows.first_waitlisted(edition.pk) is None  # nobody waiting
    now = timezone.now()
    waiting = [
        _application(edition, n, status, now - datetime.timedelta(days=days))
        for n, (status, days) in enumerate((("waitlisted", 1), ("waitlisted", 3), ("declined", 9), ("waitlisted", 3)))
    ]
    _application(places[2].edition, 9, "waitlisted", now - datetime.timedelta(days=30))
    Offer.objects.create(application=waiting[2], edition=edition, expires_at=now + datetime.timedelta(days=7))
    with transaction.atomic():
        application, taken = locked_rows.first_waitlisted(edition.pk)
        expected = (
            Application.objects.select_for_update(of=("self",)).filter(edition=edition, status="waitlisted")
            .annotate(seats_taken=SeatsTaken("edition_id")).order_by("waitlisted_at", "id").first()
        )  # fmt: skip
    assert application.pk == expected.pk == waiting[1].pk  # the earliest; on a tie the lower id
    assert fields_of(application) == fields_of(expected)
    assert taken == expected.seats_taken == 3  # two places and one open offer


def test_the_place_an_action_page_shows_is_what_the_orm_reads(places):
    for place in places:
        expected = Enrolment.objects.select_related("participant", "edition__programme").get(pk=place.pk)
        found = locked_rows.shown_place(place.pk)
        assert fields_of(found) == fields_of(expected)
        assert fields_of(found.participant) == fields_of(expected.participant)
        assert fields_of(found.edition) == fields_of(expected.edition)
        assert fields_of(found.edition.programme) == fields_of(expected.edition.programme)
        standing = Invoice.objects.filter(enrolment=place, kind="invoice").exclude(status="credited").first()
        assert locked_rows.standing_invoice_number(place.pk) == (standing.number if standing else None)
    assert locked_rows.shown_place(999999) is None and locked_rows.standing_invoice_number(999999) is None
