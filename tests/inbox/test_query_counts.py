"""The inbox and the application page cost the same number of queries for 5 applications as for
60, and at most 10; so do the htmx fragment and the dashboard with its "new" counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leergang.enrolment import services
from leergang.enrolment.models import Application

from .conftest import HTMX, apply, detail_url, inbox_url, later, weak

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def queries(client, path: str, **extra) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    assert response.status_code == 200, response.status_code
    return len(captured)


def varied(edition, office, start: int, count: int) -> None:
    """Applications in every state the inbox shows: open, weak, with an intake, waitlisted, declined, admitted."""
    for n in range(start, start + count):
        kind = n % 6
        application = weak(edition, f"p{n}@example.org") if kind == 1 else apply(edition, f"p{n}@example.org")
        if kind == 2:
            intake = services.plan_intake(
                actor=office, application_id=application.pk, scheduled_at=later(), mode="online", interviewer="Ria"
            )
            services.record_intake_outcome(actor=office, intake_id=intake.pk, outcome="positive", note="")
        elif kind == 3:
            services.decide(actor=office, application_id=application.pk, decision="waitlist")
        elif kind == 4:
            services.decide(actor=office, application_id=application.pk, decision="decline")
        elif kind == 5:
            services.decide(actor=office, application_id=application.pk, decision="admit")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("status", ["", "submitted", "waitlisted", "admitted"])
def test_the_inbox_costs_the_same_for_5_and_60_applications(office_client, edition, office, language, status):
    varied(edition, office, 0, 6)
    path = inbox_url(edition, language, status)
    small = queries(office_client, path)
    assert small <= MAX_QUERIES
    varied(edition, office, 6, 54)
    assert Application.objects.filter(edition=edition).count() == 60
    assert queries(office_client, path) == small
    assert queries(office_client, path, **HTMX) <= small


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_application_page_costs_the_same_with_5_and_60_applications(office_client, edition, office, language):
    varied(edition, office, 0, 5)
    # The page with the most on it: an intake with its outcome, admitted (enrolment, invoice), history.
    application = apply(edition, "volledig@example.org")
    intake = services.plan_intake(
        actor=office, application_id=application.pk, scheduled_at=later(), mode="online", interviewer="Ria"
    )
    services.record_intake_outcome(actor=office, intake_id=intake.pk, outcome="positive", note="Goed.")
    services.decide(actor=office, application_id=application.pk, decision="admit")
    path = detail_url(application, language)
    small = queries(office_client, path)
    assert small <= MAX_QUERIES
    varied(edition, office, 5, 54)
    assert queries(office_client, path) == small
    plain = apply(edition, "kaal@example.org")
    assert queries(office_client, detail_url(plain, language)) <= small


def test_the_dashboard_costs_the_same_with_many_applications(office_client, edition, office):
    varied(edition, office, 0, 5)
    small = queries(office_client, "/nl/account/")
    assert small <= MAX_QUERIES
    varied(edition, office, 5, 55)
    assert queries(office_client, "/nl/account/") == small
