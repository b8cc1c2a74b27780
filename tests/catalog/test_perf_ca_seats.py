"""Seats taken, counted by the SQL expression (enrolment.selectors.SeatsTaken), agree with the ORM
subqueries it replaced, for editions with and without places and offers, and inside a subquery
(where the edition table has another alias)."""

import datetime

import pytest
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from leergang.catalog.models import Edition
from leergang.enrolment import selectors
from leergang.enrolment.models import Application, Enrolment, Offer
from tests import factories

pytestmark = pytest.mark.django_db


def _old_count(model, **filters):
    rows = model.objects.filter(edition=OuterRef("pk"), **filters).order_by().values("edition")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0))


# The expression as it was before it was written as SQL.
OLD_SEATS_TAKEN = _old_count(Enrolment, status="enrolled") + _old_count(Offer, status="open")


def _offer(edition, n: int, status: str) -> None:
    application = Application.objects.create(
        edition=edition, first_name="Iris", last_name="Kok", email=f"iris{n}@example.org", organisation="Gemeente",
        job_title="Manager", education_level="wo", years_experience=8, leadership_role=True, challenge="-",
        invoice_organisation="Gemeente", invoice_address="Plein 1", invoice_postal_code="1000 AA",
        invoice_city="Amsterdam", invoice_email="f@example.org", privacy_consent=True, status="offered",
    )  # fmt: skip
    Offer.objects.create(
        application=application, edition=edition, status=status, expires_at=timezone.now() + datetime.timedelta(days=7)
    )


@pytest.fixture
def editions():
    programme = factories.ProgrammeFactory()
    empty, enrolled, mixed, offers_only = (factories.EditionFactory(programme=programme, capacity=3) for _ in range(4))
    for _ in range(3):
        factories.EnrolmentFactory(edition=enrolled)
    factories.EnrolmentFactory(edition=mixed)
    factories.EnrolmentFactory(edition=mixed, status="cancelled")
    _offer(mixed, 1, "open")
    _offer(mixed, 2, "expired")
    _offer(offers_only, 3, "open")
    _offer(offers_only, 4, "refused")
    return {"empty": empty, "enrolled": enrolled, "mixed": mixed, "offers_only": offers_only}


def test_seats_taken_agree_with_the_orm_subqueries(editions):
    new = dict(Edition.objects.annotate(n=selectors.SEATS_TAKEN).values_list("pk", "n"))
    old = dict(Edition.objects.annotate(n=OLD_SEATS_TAKEN).values_list("pk", "n"))
    assert new == old
    assert new == {
        editions["empty"].pk: 0,
        editions["enrolled"].pk: 3,
        editions["mixed"].pk: 2,
        editions["offers_only"].pk: 1,
    }
    for edition in editions.values():
        assert selectors.seats_taken(edition.pk) == old[edition.pk]


def test_seats_taken_inside_a_subquery_and_a_filter(editions):
    full = selectors.with_seats_taken(Edition.objects.all()).filter(seats_taken__gte=F("capacity")).values("pk")
    assert list(Edition.objects.filter(pk__in=Subquery(full)).values_list("pk", flat=True)) == [editions["enrolled"].pk]
    with_room = selectors.with_seats_taken(Edition.objects.select_related("programme")).filter(seats_taken__gt=0)
    assert sorted(e.pk for e in with_room) == sorted(editions[k].pk for k in ("enrolled", "mixed", "offers_only"))
