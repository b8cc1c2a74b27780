"""The public catalogue (home page, programme page, GET /api/v1/programmes[/{slug}]) served from the
cache to anonymous visitors, and made stale by every change it shows.

Transactional tests: the generation moves when a change commits, and requests inside an open
transaction bypass the cache, so these tests commit for real. Every invalidation test runs with
both cache backends the settings offer (in-process memory and CACHE_URL=db).
"""

import datetime

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.catalog import public_cache, services
from leergang.catalog.models import Edition, Session
from tests import factories
from tests.caches import LOCMEM_CACHE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def locmem(settings):
    settings.CACHES = LOCMEM_CACHE
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edition():
    today = timezone.localdate()
    programme = factories.ProgrammeFactory(slug="sturen", title_nl="Sturen op vertrouwen", title_en="Steering on trust")
    edition = factories.EditionFactory(programme=programme, status="open", start_date=today + datetime.timedelta(days=30))
    factories.SessionFactory(edition=edition, number=1, date=edition.start_date, theme_nl="Eerste dag", theme_en="First day")
    return edition


PAGE = "/nl/opleidingen/sturen/"
URLS = [PAGE, "/nl/", "/api/v1/programmes", "/api/v1/programmes/sturen"]


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def queries_for(client, url, **headers) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as captured:
        response = get(client, url, **headers)
    return len(captured), response.content


# --- served from the cache -------------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
def test_a_second_anonymous_visit_is_served_from_the_cache_unchanged(client, edition, cache_backend, url):
    first_queries, first = queries_for(client, url)
    again_queries, again = queries_for(client, url)
    assert again == first
    assert first_queries >= 1
    # The database cache reads the generation and the page in one query; memory needs none.
    assert again_queries == (1 if cache_backend == "db" else 0)


def test_the_cached_page_keeps_the_per_request_headers(client, edition, locmem):
    get(client, PAGE)
    response = get(client, PAGE)
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Language"] == "nl"
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_dutch_and_english_are_kept_apart(client, edition, locmem):
    assert "Sturen op vertrouwen" in get(client, PAGE).content.decode()
    english = get(client, "/en/opleidingen/sturen/").content.decode()
    assert "Steering on trust" in english and "Sturen op vertrouwen" not in english
    api_nl = get(client, "/api/v1/programmes/sturen").json()
    api_en = get(client, "/api/v1/programmes/sturen", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (api_nl["title"], api_en["title"]) == ("Sturen op vertrouwen", "Steering on trust")
    assert "Sturen op vertrouwen" in get(client, PAGE).content.decode()


def test_each_chosen_edition_has_its_own_copy_and_other_query_strings_are_not_kept(client, edition, locmem):
    later = factories.EditionFactory(programme=edition.programme, status="open", start_date=edition.start_date.replace(year=2040))
    factories.SessionFactory(edition=later, number=1, date=later.start_date, theme_nl="Later thema")
    assert "Later thema" not in get(client, PAGE).content.decode()
    assert "Later thema" in get(client, f"{PAGE}?editie={later.id}").content.decode()
    assert queries_for(client, f"{PAGE}?editie={later.id}")[0] == 0
    assert queries_for(client, f"{PAGE}?utm_source=x")[0] > 0
    assert queries_for(client, f"{PAGE}?utm_source=x")[0] > 0


# --- logged-in visitors --------------------------------------------------------------------


def test_a_logged_in_visitor_never_gets_the_anonymous_copy(client, edition, locmem):
    anonymous = get(client, PAGE).content.decode()
    assert "Inloggen" in anonymous and "Uitloggen" not in anonymous
    client.force_login(factories.UserFactory())
    for _ in range(2):
        count, content = queries_for(client, PAGE)
        page = content.decode()
        assert count > 0
        assert "Uitloggen" in page and "csrfmiddlewaretoken" in page
    client.logout()
    # Nor does the logged-in page end up in the anonymous copy.
    assert get(client, PAGE).content.decode() == anonymous


def test_a_bearer_token_bypasses_the_api_cache(client, edition, locmem, bearer):
    coordinator = factories.CoordinatorFactory()
    draft = factories.EditionFactory(programme=edition.programme, status="draft")
    anonymous = get(client, "/api/v1/programmes/sturen").json()
    assert draft.id not in [e["id"] for e in anonymous["editions"]]
    office = get(client, "/api/v1/programmes/sturen", **bearer(coordinator)).json()
    assert draft.id in [e["id"] for e in office["editions"]]
    assert get(client, "/api/v1/programmes/sturen").json() == anonymous


# --- invalidation ------------------------------------------------------------------------------


def test_changing_an_edition_through_the_service_shows_on_the_next_visit(client, edition, cache_backend):
    coordinator = factories.CoordinatorFactory()
    english = "/en/opleidingen/sturen/"
    before = get(client, english).content.decode()
    assert 'id="register-button"' in before and "Registration for this edition is closed." not in before
    services.update_edition(actor=coordinator, edition_id=edition.id, changes={"status": "running"})
    after = get(client, english).content.decode()
    assert 'id="register-button"' not in after and "Registration for this edition is closed." in after
    assert get(client, "/api/v1/programmes/sturen").json()["editions"][0]["status"] == "running"


def test_a_new_programme_title_shows_on_every_cached_page(client, edition, cache_backend):
    for url in URLS:
        get(client, url)
    programme = edition.programme
    programme.title_nl = "Besturen met vertrouwen"
    programme.save()
    for url in URLS:
        assert "Besturen met vertrouwen" in get(client, url).content.decode(), url


def test_a_moved_session_shows_its_new_date(client, edition, cache_backend):
    get(client, PAGE)
    session = Session.objects.get(edition=edition)
    session.date = datetime.date(2039, 3, 14)
    session.save()
    assert 'datetime="2039-03-14"' in get(client, PAGE).content.decode()


def test_seats_taken_and_full_follow_the_enrolments(client, edition, cache_backend):
    Edition.objects.filter(pk=edition.pk).update(capacity=1)  # no signal: the cache is empty yet
    assert get(client, "/api/v1/programmes/sturen").json()["editions"][0]["full"] is False
    assert "waiting list" not in get(client, "/en/opleidingen/sturen/").content.decode()
    enrolment = factories.EnrolmentFactory(edition=edition)
    listed = get(client, "/api/v1/programmes/sturen").json()["editions"][0]
    assert (listed["seats_taken"], listed["full"]) == (1, True)
    assert "Full – waiting list open" in get(client, "/en/opleidingen/sturen/").content.decode()
    enrolment.delete()
    assert get(client, "/api/v1/programmes/sturen").json()["editions"][0]["seats_taken"] == 0


def test_a_lead_teacher_added_through_the_relation_shows(client, edition, locmem):
    get(client, PAGE)
    teacher = factories.TeacherFactory(name="Prof. dr. Zeldzame Naam")
    cache.delete(public_cache.GENERATION_KEY)  # as if evicted: the teacher's own save must not matter
    get(client, PAGE)
    edition.programme.lead_teachers.add(teacher, through_defaults={"order": 1})
    assert "Zeldzame Naam" in get(client, PAGE).content.decode()


def test_a_published_programme_appears_on_the_home_page(client, edition, cache_backend):
    hidden = factories.ProgrammeFactory(published=False, title_nl="Verborgen leergang")
    assert "Verborgen leergang" not in get(client, "/nl/").content.decode()
    hidden.published = True
    hidden.save()
    assert "Verborgen leergang" in get(client, "/nl/").content.decode()


def test_several_changes_in_one_transaction_move_the_generation_once_after_commit(edition, locmem, monkeypatch):
    moves = []
    real = public_cache._new_generation
    monkeypatch.setattr(public_cache, "_new_generation", lambda: (moves.append(1), real())[1])
    with transaction.atomic():
        for number in range(2, 5):
            factories.SessionFactory(edition=edition, number=number)
        assert moves == []
    assert moves == [1]


def test_a_rolled_back_change_is_never_cached(client, edition, locmem):
    original = get(client, PAGE).content
    with transaction.atomic():
        programme = edition.programme
        programme.title_nl = "Nooit bewaard"
        programme.save()
        assert "Nooit bewaard" in get(client, PAGE).content.decode()
        transaction.set_rollback(True)
    assert get(client, PAGE).content == original


def test_the_next_day_is_rendered_afresh(client, edition, locmem, monkeypatch):
    session = Session.objects.get(edition=edition)
    assert "timeline-past" not in get(client, PAGE).content.decode()
    day_after = session.date + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day_after)
    count, content = queries_for(client, PAGE)
    assert count > 0
    assert "timeline-past" in content.decode()


def test_a_waiting_message_is_shown_not_swallowed_by_the_cache(client, edition, locmem):
    get(client, PAGE)
    # A message left for this browser (say, from before logging out), in the messages cookie.
    storage = CookieStorage(HttpRequest())
    storage.add(constants.INFO, "Tot ziens!")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    assert "Tot ziens!" in get(client, PAGE).content.decode()
    count, content = queries_for(client, PAGE)
    assert "Tot ziens!" not in content.decode()
    assert count == 0  # shown once; then the plain page, from the cache again


# --- the registration form: one stored copy, fresh per-visit values ---------------------------

FORM_VALUE = r'name="{}" value="([^"]+)"'


def form_values(content: bytes) -> tuple[str, str]:
    import re

    text = content.decode()
    return (
        re.search(FORM_VALUE.format("csrfmiddlewaretoken"), text).group(1),
        re.search(FORM_VALUE.format("submission_key"), text).group(1),
    )


def test_the_registration_form_is_stored_once_but_every_visit_gets_its_own_token_and_key(edition, cache_backend):
    from leergang.enrolment.models import Application
    from tests.registration.conftest import valid_data

    url = f"/nl/aanmelden/{edition.id}/"
    first_visitor, second_visitor = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_queries, first = queries_for(first_visitor, url)
    second_queries, second = queries_for(second_visitor, url)
    assert first_queries >= 1 and second_queries == (1 if cache_backend == "db" else 0)
    (token_1, key_1), (token_2, key_2) = form_values(first), form_values(second)
    assert key_1 != key_2 and token_1 != token_2
    assert "\x00" not in second.decode()
    # Apart from those two values the pages are the same.
    assert first.decode().replace(token_1, "").replace(key_1, "") == second.decode().replace(token_2, "").replace(key_2, "")
    # The copy served from the cache works: its token matches this visitor's cookie, its key is new.
    response = second_visitor.post(url, {**valid_data(key_2, discount_code=""), "csrfmiddlewaretoken": token_2})
    assert response.status_code == 302, response.content[:300]
    assert Application.objects.filter(submission_key=key_2).count() == 1


def test_a_full_edition_shows_on_the_cached_registration_form(edition, cache_backend):
    url = f"/en/aanmelden/{edition.id}/"
    Edition.objects.filter(pk=edition.pk).update(capacity=1)  # no signal: the cache is empty yet
    assert "waiting list" not in get(Client(), url).content.decode()
    factories.EnrolmentFactory(edition=edition)
    assert "waiting list" in get(Client(), url).content.decode()


def test_a_logged_in_visitor_gets_a_fresh_registration_form(client, edition, locmem):
    url = f"/nl/aanmelden/{edition.id}/"
    get(client, url)
    client.force_login(factories.UserFactory())
    assert queries_for(client, url)[0] > 0
