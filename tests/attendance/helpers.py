"""Helpers shared by the attendance, meals and reminder tests: participants with an application
(for their dietary requirements) and sessions a number of days from today."""

from __future__ import annotations

import datetime

from django.utils import timezone

from leergang.attendance.models import Attendance
from leergang.catalog.models import Edition, Session
from leergang.enrolment.models import Application, Enrolment
from tests import factories


def day(offset: int) -> datetime.date:
    """Today (Europe/Amsterdam) plus `offset` days."""
    return timezone.localdate() + datetime.timedelta(days=offset)


def session_in(edition: Edition, days: int, number: int = 1, **fields) -> Session:
    return factories.SessionFactory(edition=edition, number=number, date=day(days), **fields)


def enrol(
    edition: Edition,
    email: str,
    first_name: str = "Anna",
    last_name: str = "Jansen",
    *,
    dietary: str | None = "",
    language: str = "nl",
    status: str = "enrolled",
) -> Enrolment:
    """An enrolment of a new participant; with an application unless `dietary` is None (a direct enrolment)."""
    person = factories.UserFactory(email=email, first_name=first_name, last_name=last_name, preferred_language=language)
    application = None
    if dietary is not None:
        application = Application.objects.create(
            edition=edition,
            status="admitted",
            language=language,
            first_name=first_name,
            last_name=last_name,
            email=email,
            organisation="Gemeente Utrecht",
            job_title="Teamleider",
            education_level="wo",
            years_experience=10,
            leadership_role=True,
            challenge="Vertrouwen in plaats van controle.",
            invoice_organisation="Gemeente Utrecht",
            invoice_address="Stadsplateau 1",
            invoice_postal_code="3521 AZ",
            invoice_city="Utrecht",
            invoice_email="facturen@utrecht.nl",
            dietary_requirements=dietary,
            terms_accepted=True,
            privacy_consent=True,
        )
    return factories.EnrolmentFactory(
        edition=edition,
        participant=person,
        application=application,
        status=status,
        cancelled_at=timezone.now() if status == "cancelled" else None,
    )


def excuse(session: Session, enrolment: Enrolment, note: str = "") -> Attendance:
    """An excused row written directly (the service is tested on its own)."""
    return Attendance.objects.create(
        session=session,
        enrolment=enrolment,
        status="excused",
        note=note,
        recorded_at=timezone.now(),
        recorded_by=enrolment.participant,
    )
