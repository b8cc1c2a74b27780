"""Invariants live in the database: even a bulk update that bypasses validation cannot break them."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from leergang.catalog.models import Edition, Session
from leergang.enrolment.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        {"capacity": 0},
        {"fee": Decimal("-1.00")},
        {"status": "archived"},
        {"holiday_region": "west"},
        {"end_time": datetime.time(12, 0)},
    ],
)
def test_edition_constraints(change):
    edition = factories.EditionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(**change)


def test_session_numbers_are_unique_per_edition():
    session = factories.SessionFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SessionFactory(edition=session.edition, number=1)


def test_session_mode_and_kind_are_checked():
    session = factories.SessionFactory()
    for change in ({"delivery_mode": "pigeon"}, {"kind": "party"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Session.objects.filter(pk=session.pk).update(**change)


def test_one_active_enrolment_per_participant_and_edition():
    enrolment = factories.EnrolmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(edition=enrolment.edition, participant=enrolment.participant)
    # A cancelled place does not block enrolling again.
    Enrolment.objects.filter(pk=enrolment.pk).update(status="cancelled")
    Enrolment.objects.create(edition=enrolment.edition, participant=enrolment.participant)
