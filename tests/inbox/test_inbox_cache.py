"""The inbox's rendered parts kept in the cache under a stamp of the rows they show
(leergang/core/fragment_cache.py): a repeat visit is served from the cache, and a change to any row
the inbox shows appears on the next visit, whoever made it and however.

Transactional tests: requests inside an open transaction bypass the cache, so these tests commit
for real. The changes are made directly on the models (as the admin or another app server would),
not through the inbox's services, so they show the stamp rather than any invalidation call.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.enrolment.models import Application, EnrolmentStatus, Intake, Offer
from tests import factories

from .conftest import HTMX, apply, inbox_url, later, rows_of, text_of

pytestmark = pytest.mark.django_db(transaction=True)

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def edition(cache_backend):
    programme = factories.ProgrammeFactory(slug="sturen", title_nl="Sturen op vertrouwen", title_en="Steering on trust")
    edition = factories.EditionFactory(programme=programme, status="open", capacity=12)
    apply(edition, "sanne@example.org")
    apply(edition, "jan@example.org", first_name="Jan", last_name="Jansen")
    return edition


def office_client(email: str = "office@example.org", **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(factories.CoordinatorFactory(email=email))
    return client


def visit(client, url, **headers):
    """The response and how many queries it took."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return response, len(captured)


def without_tokens(response) -> str:
    return CSRF_VALUE.sub("", response.content.decode())


def primed(client, url, **headers):
    """Visit twice and check the second visit came from the cache: the page as the cache has it."""
    first, rendered = visit(client, url, **headers)
    second, served = visit(client, url, **headers)
    assert served < rendered, (served, rendered)
    assert without_tokens(second) == without_tokens(first)
    return second, served


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_repeat_visit_is_served_from_the_cache(edition, headers):
    client = office_client()
    response, served = primed(client, inbox_url(edition), **headers)
    # The session, the user, the office check, the stamp and the cache (with the database cache).
    assert served <= 6
    assert len(rows_of(response)) == 2


def test_each_filter_and_language_has_its_own_copy(edition):
    client = office_client()
    Application.objects.filter(email="jan@example.org").update(status="waitlisted", updated_at=timezone.now())
    primed(client, inbox_url(edition))
    waiting, _ = primed(client, inbox_url(edition, status="waitlisted"))
    rows = rows_of(waiting)
    assert len(rows) == 1 and "Jan Jansen" in rows[0]
    english, _ = primed(client, inbox_url(edition, "en"))
    assert "<title>Applications – Steering on trust – Leergang</title>" in english.content.decode()
    assert "Sanne de Wit" in text_of(english) and "Aanmeldingen" not in text_of(english)


def change_application(edition):
    application = Application.objects.get(email="jan@example.org")
    application.organisation = "Provincie Gelderland"
    application.save()
    return "Provincie Gelderland"


def add_application(edition):
    apply(edition, "fatima@example.org", first_name="Fatima", last_name="El Amrani")
    return "Fatima El Amrani"


def delete_application(edition):
    Application.objects.filter(email="jan@example.org").delete()
    return lambda text: "Jan Jansen" not in text


def plan_intake(edition):
    application = Application.objects.get(email="jan@example.org")
    application.status = "intake_planned"
    application.save()
    # The same timestamp would hide nothing: the intake is a row of its own table with its own stamp.
    Intake.objects.create(application=application, scheduled_at=later(days=9, hour=14, minute=15), mode="online")
    return "14.15"


def make_offer(edition):
    application = Application.objects.get(email="jan@example.org")
    Offer.objects.create(edition=edition, application=application, expires_at=timezone.now() + datetime.timedelta(days=5))
    return lambda text: "1 vastgehouden voor een aanbod" in text and "Aanbod geldig tot" in text


def change_capacity(edition):
    edition.capacity = 19
    edition.save()
    return lambda text: "Capaciteit 19" in text


def rename_programme(edition):
    programme = edition.programme
    programme.title_nl = "Leiden met vertrouwen"
    programme.save()
    return "Leiden met vertrouwen"


@pytest.mark.parametrize(
    "change",
    [change_application, add_application, delete_application, plan_intake, make_offer, change_capacity, rename_programme],
)
def test_every_change_it_shows_appears_at_once(edition, change):
    client = office_client()
    before, _ = primed(client, inbox_url(edition))
    expected = change(edition)
    check = expected if callable(expected) else (lambda text, wanted=expected: wanted in text)
    assert not check(text_of(before))
    after, _ = visit(client, inbox_url(edition))
    assert check(text_of(after)), text_of(after)


def test_a_moved_intake_and_a_cancelled_enrolment_appear_at_once(edition):
    """Changes to rows that only an intake or an enrolment holds, not the application itself."""
    client = office_client()
    application = Application.objects.get(email="jan@example.org")
    intake = Intake.objects.create(application=application, scheduled_at=later(days=9, hour=14, minute=15), mode="online")
    Application.objects.filter(pk=application.pk).update(status="intake_planned", updated_at=timezone.now())
    before, _ = primed(client, inbox_url(edition))
    assert "14.15" in text_of(before)

    intake.scheduled_at = later(days=9, hour=16, minute=45)
    intake.save()
    after, _ = visit(client, inbox_url(edition))
    assert "16.45" in text_of(after) and "14.15" not in text_of(after)

    Application.objects.filter(pk=application.pk).update(status="admitted", updated_at=timezone.now())
    participant = factories.UserFactory(email="jan@example.org")
    enrolment = factories.EnrolmentFactory(edition=edition, participant=participant, application=application)
    admitted, _ = primed(client, inbox_url(edition))
    assert "Deelname geannuleerd" not in text_of(admitted)
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.save()
    cancelled, _ = visit(client, inbox_url(edition))
    assert "Deelname geannuleerd" in text_of(cancelled)


def test_every_visitor_gets_a_csrf_token_of_their_own_that_works(edition):
    first = office_client("office@example.org", enforce_csrf_checks=True)
    second = office_client("office2@example.org", enforce_csrf_checks=True)
    _, served = primed(first, inbox_url(edition))
    page, queries = visit(second, inbox_url(edition))  # the first visitor's copy, with the second's token
    assert queries == served
    mine = CSRF_VALUE.findall(page.content.decode())
    assert len(mine) == 2  # the bulk form in the cached part, the logout form in the header
    again, _ = visit(first, inbox_url(edition))
    assert not set(CSRF_VALUE.findall(again.content.decode())) & set(mine)
    jan = Application.objects.get(email="jan@example.org")
    bulk = inbox_url(edition).replace("/aanmeldingen/", "/aanmeldingen/besluiten/")
    response = second.post(bulk, {"csrfmiddlewaretoken": mine[0], "applications": [jan.pk], "decision": "waitlist", "status": ""})
    assert response.status_code in (200, 302), response.status_code
    jan.refresh_from_db()
    assert jan.status == "waitlisted"


def test_a_missing_edition_is_still_a_404(edition):
    client = office_client()
    assert client.get(inbox_url(edition).replace(f"/{edition.pk}/", "/999999/")).status_code == 404
