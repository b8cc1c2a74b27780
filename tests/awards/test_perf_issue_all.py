"""Issuing a whole edition from the diplomas page, made cheaper (performance bar P2): the view leaves
reading the edition to the service (which reads it locked), the service locks the places with the
read of their standings instead of with a query of its own, and it reads the status-list positions and
the signing key once for all the awards (and writes their audit entries in one INSERT). Who may not issue still never reaches the
service, a missing edition is still a 404, and issuing one place and issuing all still wait for each
other (on PostgreSQL, where the locks are real)."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from leergang.awards import credentials, keys, services
from leergang.awards.models import Award
from leergang.core.models import AuditEntry
from leergang.notifications.models import OutboxEmail

from .factories import AwardFactory
from .standing_data import complete, finished_edition, participant_in, teacher_of
from .test_coordinator_page import url


@pytest.fixture
def finished(db):
    edition = finished_edition()
    anna = complete(participant_in(edition, "anna@example.org", "Anna", "Jansen"))
    complete(participant_in(edition, "ben@example.org", "Ben", "Bakker"), attended=4)
    return edition, anna


@pytest.mark.django_db
def test_issuing_all_reads_the_edition_once_and_locks_the_places_with_their_standings(client, coordinator, finished):
    edition, _anna = finished
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url("issue-all", edition_id=edition.pk))
    assert response.status_code == 302 and response["Location"] == url("edition", edition_id=edition.pk)
    sql = [q["sql"] for q in captured.captured_queries]
    assert len([q for q in sql if q.startswith("SELECT") and 'FROM "catalog_edition"' in q]) == 1
    places = [q for q in sql if q.startswith("SELECT") and 'FROM "enrolment_enrolment"' in q]
    assert len(places) == 1  # the standings' read, which is the lock too
    if connection.vendor == "postgresql":
        assert "FOR UPDATE OF e, u" in places[0]  # the places and their participants (selectors._places_sql)
    assert Award.objects.filter(enrolment__edition=edition).count() == 2


@pytest.mark.django_db
def test_who_may_not_issue_never_reaches_the_service(client, finished, monkeypatch):
    edition, anna = finished

    def reached(**kwargs):
        raise AssertionError("the service was called")

    monkeypatch.setattr(services, "issue_for_edition", reached)
    for person in (teacher_of(edition), anna.participant):
        client.force_login(person)
        assert client.post(url("issue-all", edition_id=edition.pk)).status_code == 404
    client.logout()
    assert client.post(url("issue-all", edition_id=edition.pk)).status_code == 302  # to the login page
    assert not Award.objects.exists()


@pytest.mark.django_db
def test_a_missing_edition_is_not_found(client, coordinator, finished):
    edition, _anna = finished
    client.force_login(coordinator)
    assert client.post(url("issue-all", edition_id=edition.pk + 1000)).status_code == 404
    assert not Award.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_issuing_all_waits_for_an_award_being_issued_to_one_place(coordinator, finished):
    edition, anna = finished
    issuing_one, release = threading.Event(), threading.Event()
    results = {}

    def issue_one():
        try:
            with transaction.atomic():
                services.issue_award(actor=coordinator, enrolment_id=anna.pk, kind="diploma")
                issuing_one.set()
                release.wait(10)  # holds the lock on Anna's place until told
        finally:
            connection.close()

    def issue_all():
        try:
            results["all"] = services.issue_for_edition(actor=coordinator, edition_id=edition.pk)
        except Exception as error:  # noqa: BLE001 - shown by the assertion below
            results["all"] = error
        finally:
            connection.close()

    one = threading.Thread(target=issue_one)
    one.start()
    assert issuing_one.wait(10)
    every = threading.Thread(target=issue_all)
    every.start()
    every.join(1.0)
    assert every.is_alive()  # waits for Anna's place
    release.set()
    one.join(10)
    every.join(10)
    found = {result.enrolment.pk: result for result in results["all"]}
    # Without the lock the issuer would not see Anna's new diploma and clash with it.
    diploma = Award.objects.get(enrolment=anna, revoked_at__isnull=True)
    assert found[anna.pk].award is None and diploma.code in str(found[anna.pk].reason)  # "already has a valid diploma"
    assert Award.objects.filter(enrolment__edition=edition).count() == 2


def _issue_counting(coordinator, people: int):
    edition = finished_edition()
    for number in range(people):
        email = f"p{people}-{number}@example.org"
        complete(participant_in(edition, email, f"P{number}", "Deelnemer"), attended=4 + number % 3)
    with CaptureQueriesContext(connection) as captured:
        results = services.issue_for_edition(actor=coordinator, edition_id=edition.pk)
    assert sum(1 for r in results if r.award) == people
    return len(captured.captured_queries), [r.award for r in results]


@pytest.mark.django_db
def test_issuing_an_edition_takes_the_same_queries_however_many_awards(coordinator):
    """The status-list positions and the signing key are read once for all the awards, and their audit
    entries written in one INSERT, as the awards and their e-mails are."""
    keys.active_key()  # the first signing ever would create the key
    few, _awards = _issue_counting(coordinator, 2)
    many, awards = _issue_counting(coordinator, 9)
    assert few == many
    assert len({award.status_index for award in awards}) == 9
    for award in awards:
        payload = credentials.verify(award.credential)  # signed with the active key, carrying its own index
        assert payload["credentialStatus"]["statusListIndex"] == str(award.status_index)
        entry = AuditEntry.objects.get(action="award.issued", object_id=str(award.pk))
        assert entry.after["status_index"] == award.status_index and entry.actor == coordinator
    assert OutboxEmail.objects.filter(kind="award_issued").count() == 11


@pytest.mark.django_db
def test_new_status_indexes_are_distinct_free_and_checked_in_one_query(monkeypatch, django_assert_num_queries):
    taken = AwardFactory().status_index
    free = [(taken + n) % credentials.STATUS_LIST_SIZE for n in (1, 2)]
    draws = iter([taken, free[0], free[0], taken, free[1]] + [taken] * 100)
    monkeypatch.setattr(credentials.secrets, "randbelow", lambda bound: next(draws))
    with django_assert_num_queries(1):
        assert credentials.new_status_indexes(2) == free
    assert credentials.new_status_indexes(0) == []


@pytest.mark.django_db
def test_new_status_indexes_when_the_list_is_nearly_full(monkeypatch):
    monkeypatch.setattr(credentials, "STATUS_LIST_SIZE", 8)
    for index in range(6):
        AwardFactory(status_index=index)
    assert sorted(credentials.new_status_indexes(2)) == [6, 7]
    with pytest.raises(RuntimeError):
        credentials.new_status_indexes(3)
