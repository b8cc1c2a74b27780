"""The diplomas page and issuing a whole edition read the edition, its sessions and its standings
through SQL written by hand (performance bar P2): `selectors.edition_with_programme`,
`selectors.edition_sessions` and `selectors.edition_standings` (with and without the lock), and the
signing key and the taken status-list positions, say exactly what the ORM's reads said (kept here as
the reference), in many states: places in running, finished and planned editions, active and
cancelled, with attendance, papers, presentations and awards (valid and revoked) drawn at random,
participants with the same name (the id decides) and different names."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from leergang.attendance.models import Attendance
from leergang.awards import credentials, keys, selectors
from leergang.awards.models import Award, SigningKey
from leergang.catalog.models import Edition
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.learning.models import PaperSubmission

from .standing_data import participant_in
from .test_issue_reads import places  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


# -- the former reads (the reference) --------------------------------------------------------------------


def former_edition(edition_id: int, lock: bool = False) -> Edition | None:
    editions = Edition.objects.select_related("programme")
    if lock:
        editions = editions.select_for_update(of=("self",))
    return editions.filter(pk=edition_id).first()


def former_sessions(edition: Edition) -> list:
    return list(edition.sessions.order_by("number").values_list("pk", "kind", "date"))


def former_standings(edition: Edition, *, today=None, lock: bool = False) -> list[selectors.Standing]:
    """selectors.edition_standings as it was, with the ORM's queries."""
    today = today or timezone.localdate()
    sessions = former_sessions(edition)
    active = Enrolment.objects.filter(edition_id=edition.pk, status=EnrolmentStatus.ENROLLED)
    if lock:
        active = active.select_for_update(of=("self", "participant"))
    enrolments = list(
        active.select_related("participant")
        .annotate(standing_presented=F("presentation_slot__presented"))
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    if not enrolments:
        return []
    ids = [enrolment.pk for enrolment in enrolments]
    statuses: dict[int, dict[int, str]] = {}
    for enrolment_id, session_id, value in (
        Attendance.objects.filter(enrolment_id__in=ids).order_by().values_list("enrolment_id", "session_id", "status")
    ):
        statuses.setdefault(enrolment_id, {})[session_id] = value
    papers: dict[int, PaperSubmission] = {}
    for enrolment_id, result, submitted_at in (
        PaperSubmission.objects.filter(enrolment_id__in=ids)
        .order_by("enrolment_id", "-submitted_at", "-id")
        .values_list("enrolment_id", "result", "submitted_at")
    ):
        if enrolment_id not in papers:
            papers[enrolment_id] = PaperSubmission(result=result, submitted_at=submitted_at)
    awards: dict[int, list[Award]] = {}
    for award in selectors._awards_query().filter(enrolment_id__in=ids):
        awards.setdefault(award.enrolment_id, []).append(award)
    policy = selectors.policy_for(edition.programme)
    standings = []
    for enrolment in enrolments:
        enrolment.edition = edition
        standings.append(
            selectors._standing(
                enrolment,
                policy,
                sessions,
                statuses.get(enrolment.pk, {}),
                selectors._paper_info(papers.get(enrolment.pk)),
                enrolment.standing_presented,
                awards.get(enrolment.pk, ()),
                today,
            )
        )
    return standings


# -- comparing -------------------------------------------------------------------------------------------


def values(instance) -> dict:
    """The loaded field values of a model instance (deferred ones left out, and named)."""
    deferred = instance.get_deferred_fields()
    found = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.attname not in deferred}
    return {"deferred": sorted(deferred), **found}


def seen(standing: selectors.Standing) -> tuple:
    enrolment = standing.enrolment
    return (
        values(enrolment),
        values(enrolment.participant),
        enrolment.standing_presented,
        enrolment.edition.pk,
        standing.facts,
        standing.outcome,
        standing.attendance,
        standing.paper_info,
        [values(award) for award in standing.awards],
        standing.out_of_reach,
        standing.prospect,
    )


def editions_of(enrolments) -> list[Edition]:
    return list(Edition.objects.select_related("programme").filter(pk__in={e.edition_id for e in enrolments}).order_by("pk"))


def test_the_standings_read_as_sql_equal_the_orms(places):  # noqa: F811 - the fixture
    editions = editions_of(places)
    # Other names too: the order is by last name, first name, then id.
    for number, (first, last) in enumerate((("Zoë", "Bakker"), ("Ad", "Bakker"), ("Ad", "de Vries"), ("Émile", "Aa"))):
        participant_in(editions[0], f"named{number}@example.org", first, last)
    compared = 0
    for edition in editions:
        for lock in (False, True):
            with transaction.atomic():
                new = selectors.edition_standings(edition, lock=lock)
                old = former_standings(edition, lock=lock)
            assert [s.enrolment.pk for s in new] == [s.enrolment.pk for s in old]
            for a, b in zip(new, old, strict=True):
                assert seen(a) == seen(b)
                compared += 1
        given = selectors.edition_standings(edition, sessions=selectors.edition_sessions(edition))
        assert [seen(s) for s in given] == [seen(s) for s in former_standings(edition)]
    assert compared > 100
    # The awards read without their documents, as before: the PDF, the credential, the snapshot.
    awards = [a for s in selectors.edition_standings(editions[0]) for a in s.awards]
    assert awards and all(a.get_deferred_fields() == {"pdf", "credential", "snapshot"} for a in awards)


def test_the_sessions_and_the_edition_read_as_sql_equal_the_orms(places):  # noqa: F811 - the fixture
    for edition in editions_of(places):
        assert selectors.edition_sessions(edition) == former_sessions(edition)
        for lock in (False, True):
            with transaction.atomic():
                new, old = selectors.edition_with_programme(edition.pk, lock=lock), former_edition(edition.pk, lock=lock)
            assert values(new) == values(old)
            assert values(new.programme) == values(old.programme)
    missing = max(e.pk for e in Edition.objects.all()) + 1
    assert selectors.edition_with_programme(missing) is None and former_edition(missing) is None


def test_the_signing_key_and_the_taken_positions_read_as_sql_equal_the_orms(places):  # noqa: F811 - the fixture
    key = keys.active_key()
    assert values(key) == values(SigningKey.objects.filter(active=True).first())
    SigningKey.objects.filter(pk=key.pk).update(active=False)
    newer = keys.active_key()  # none active: a new one is made, as before
    assert newer.pk != key.pk and values(keys.active_key()) == values(SigningKey.objects.filter(active=True).first())
    held = list(Award.objects.values_list("status_index", flat=True))
    assert len(held) > 5
    candidates = [*held[:5], held[0], 131071, 5, 0]
    former = set(Award.objects.filter(status_index__in=candidates).values_list("status_index", flat=True))
    assert credentials._taken(candidates) == former == {index for index in candidates if index in set(held)}
