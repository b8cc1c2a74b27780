"""Issuing a whole finished edition at once: what the rule says for each active enrolment, nothing
before the closing session, nothing twice, and a query count that does not grow per participant
beyond the writes each award needs."""

import datetime

import pytest
from django.utils import timezone, translation

from leergang.awards import services
from leergang.awards.models import Award
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.core.models import AuditEntry
from leergang.notifications.models import OutboxEmail
from tests import factories
from tests.attendance.helpers import enrol

from .test_issuing import finished_edition, participant_in, stored


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def edition(db):
    return finished_edition()


@pytest.fixture
def cohort(edition):
    """Two diplomas, a certificate (missed two sessions), one who never came, one cancelled."""
    people = {
        "anna": participant_in(edition, "anna@example.org", "Anna", "Jansen"),
        "bram": participant_in(edition, "bram@example.org", "Bram", "de Vries", attended=5, language="en"),
        "chantal": participant_in(edition, "chantal@example.org", "Chantal", "Bakker", attended=4),
        "dirk": participant_in(edition, "dirk@example.org", "Dirk", "Smit", attended=0, paper="missing", presented=None),
        "esra": enrol(edition, "esra@example.org", "Esra", "Yilmaz", dietary=None, status="cancelled"),
    }
    return people


def by_person(results):
    return {result.enrolment.participant.first_name.lower(): result for result in results}


def test_each_active_enrolment_gets_what_the_rule_says(coordinator, cohort, edition):
    results = services.issue_for_edition(actor=coordinator, edition_id=edition.pk)
    assert [r.enrolment.participant.first_name for r in results] == ["Chantal", "Anna", "Dirk", "Bram"]  # by last name
    found = by_person(results)
    assert found["anna"].award.kind == "diploma" and found["bram"].award.kind == "diploma"
    assert found["chantal"].award.kind == "certificate"
    assert found["dirk"].award is None and "Attended 0 of 6 content sessions" in found["dirk"].reason
    assert "esra" not in found

    stored_awards = {a.enrolment_id: a for a in Award.objects.all()}
    assert set(stored_awards) == {cohort[name].pk for name in ("anna", "bram", "chantal")}
    for name in ("anna", "bram", "chantal"):
        award = stored_awards[cohort[name].pk]
        assert award.pk == found[name].award.pk and award.issued_by == coordinator
        assert award.credential.count(".") == 2 and bytes(award.pdf) == b""  # the PDF is made when first needed
        assert award.snapshot["holder_email"] == f"{name}@example.org"
    assert len({a.code for a in stored_awards.values()}) == 3
    assert len({a.status_index for a in stored_awards.values()}) == 3
    assert AuditEntry.objects.filter(action="award.issued").count() == 3
    emails = {email.to[0]: email for email in OutboxEmail.objects.filter(kind="award_issued")}
    assert sorted(emails) == ["anna@example.org", "bram@example.org", "chantal@example.org"]
    assert emails["bram@example.org"].language == "en" and emails["anna@example.org"].language == "nl"


def test_a_second_run_issues_nothing_new(coordinator, cohort, edition):
    first = by_person(services.issue_for_edition(actor=coordinator, edition_id=edition.pk))
    before = stored()
    again = by_person(services.issue_for_edition(actor=coordinator, edition_id=edition.pk))
    assert all(result.award is None for result in again.values())
    assert first["anna"].award.code in again["anna"].reason and "diploma" in again["anna"].reason
    assert "certificate of participation" in again["chantal"].reason
    assert stored() == before


def test_a_revoked_award_is_issued_again(coordinator, cohort, edition):
    first = by_person(services.issue_for_edition(actor=coordinator, edition_id=edition.pk))
    services.revoke_award(actor=coordinator, code=first["anna"].award.code, reason="Name misspelt.")
    again = by_person(services.issue_for_edition(actor=coordinator, edition_id=edition.pk))
    assert again["anna"].award is not None and again["anna"].award.code != first["anna"].award.code
    assert [r.award for name, r in again.items() if name != "anna"] == [None, None, None]


def test_nothing_before_the_closing_session(coordinator):
    edition = finished_edition(closing_in_days=3)
    participant_in(edition, "anna@example.org")
    before = stored()
    with pytest.raises(Conflict) as refused:
        services.issue_for_edition(actor=coordinator, edition_id=edition.pk)
    assert "closing session" in str(refused.value.detail)
    assert stored() == before


def test_nothing_without_a_closing_session(coordinator, edition):
    participant_in(edition, "anna@example.org")
    edition.sessions.filter(kind="closing").delete()
    with pytest.raises(Conflict):
        services.issue_for_edition(actor=coordinator, edition_id=edition.pk)
    assert not Award.objects.exists()


def test_only_the_programme_office_issues_an_edition(cohort, edition):
    before = stored()
    with pytest.raises(PermissionDenied):
        services.issue_for_edition(actor=cohort["anna"].participant, edition_id=edition.pk)
    with pytest.raises(PermissionDenied):
        services.issue_for_edition(actor=factories.TeacherUserFactory(), edition_id=edition.pk)
    with pytest.raises(NotFound):
        services.issue_for_edition(actor=factories.CoordinatorFactory(), edition_id=999999)
    assert stored() == before


def test_the_query_count_grows_only_by_each_awards_own_writes(coordinator, edition, django_assert_max_num_queries):
    """Reads are per edition (the first signing also creates the key); per award only its status
    index, the signing key and its audit row."""
    for number in range(25):
        participant_in(edition, f"p{number}@example.org", f"P{number}", "Deelnemer")
    with django_assert_max_num_queries(20 + 3 * 25):
        results = services.issue_for_edition(actor=coordinator, edition_id=edition.pk)
    assert sum(1 for r in results if r.award) == 25
    assert OutboxEmail.objects.filter(kind="award_issued").count() == 25


def test_awards_handed_out_at_the_ceremony_can_carry_its_date(coordinator, edition, cohort):
    closing = edition.sessions.order_by("-date").first()
    ceremony = timezone.make_aware(datetime.datetime.combine(closing.date, datetime.time(18, 0)))
    results = services.issue_for_edition(actor=coordinator, edition_id=edition.pk, issued_at=ceremony)
    issued = [result.award for result in results if result.award]
    assert issued and all(award.issued_at == ceremony for award in issued)
    assert {a.issued_at for a in Award.objects.all()} == {ceremony}


@pytest.mark.parametrize("when", ["future", "before_closing"])
def test_a_date_of_issue_outside_closing_and_now_is_refused_and_nothing_is_issued(coordinator, edition, cohort, when):
    closing = edition.sessions.order_by("-date").first()
    moment = (
        timezone.now() + datetime.timedelta(hours=1)
        if when == "future"
        else timezone.make_aware(datetime.datetime.combine(closing.date - datetime.timedelta(days=1), datetime.time(18, 0)))
    )
    with pytest.raises(Invalid) as refused:
        services.issue_for_edition(actor=coordinator, edition_id=edition.pk, issued_at=moment)
    assert refused.value.errors[0]["field"] == "issued_at"
    assert not Award.objects.exists() and not OutboxEmail.objects.exists()
