"""Issuing one award reads the place and its edition through SQL written by hand (performance bar P2):
`selectors.issue_facts` and `selectors.issue_standing` say what the ORM's reads said (the valid award,
`selectors.standing` and `edition_sessions`), and `EditionDocument.load` reads the goals and the
signatories as the ORM read them; in many states, on SQLite and PostgreSQL (run the suite on either).
Issuing reads the place's facts in two queries."""

from __future__ import annotations

import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.attendance.models import Attendance
from leergang.awards import selectors, services
from leergang.awards.models import Award
from leergang.awards.snapshot import EditionDocument, both
from leergang.catalog.models import LearningGoal, ProgrammeTeacher
from leergang.enrolment.models import Enrolment
from tests import factories

from .factories import AwardFactory
from .standing_data import attend, edition_with_sessions, hand_in, participant_in, record_presented, running_edition

pytestmark = pytest.mark.django_db

STATUSES = (None, "present", "absent", "excused")


def former_held(enrolment):
    return Award.objects.filter(enrolment=enrolment, revoked_at__isnull=True).values_list("kind", "code").first()


def loaded(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_related("edition__programme", "participant").get(pk=enrolment.pk)


@pytest.fixture
def places():
    """Places in running, finished and planned editions (with and without a closing session, with
    none at all), active and cancelled, with attendance drawn at random (closing session too), no
    paper or versions assessed differently (the latest decides), presented or not or not recorded,
    without an award, with a valid one, with only revoked ones."""
    rng = random.Random(9)
    editions = [
        running_edition(held=3),
        running_edition(held=0, award_min_content_sessions=2),
        edition_with_sessions(first=-7 - 28 * 6),  # final
        edition_with_sessions(first=-200, closing=0, award_requires_paper=False),  # closes today
        edition_with_sessions(first=60, content=4, award_requires_presentation=False),  # all ahead
    ]
    no_closing = edition_with_sessions(first=-60, content=3)
    no_closing.sessions.filter(kind="closing").delete()
    editions.append(no_closing)
    editions.append(factories.EditionFactory(programme=editions[0].programme, status="open"))  # no sessions
    found = []
    papers = ([], ["sufficient"], ["insufficient", "sufficient"], ["sufficient", "insufficient"], ["pending"])
    for number, (edition, place) in enumerate(itertools.product(editions, range(12))):
        status = "cancelled" if place % 5 == 4 else "enrolled"
        enrolment = participant_in(edition, f"p{number}@example.org", status=status)
        attend(enrolment, rng.choices(STATUSES, (1, 4, 2, 1), k=6), closing=rng.choice(STATUSES))
        for result in papers[place % len(papers)]:
            hand_in(enrolment, result)
        if place % 3:
            record_presented(enrolment, (None, True, False)[place % 4 % 3])
        if place % 6 == 1:
            AwardFactory(enrolment=enrolment, kind="certificate")
        elif place % 6 == 2:
            AwardFactory(enrolment=enrolment, revoked=True)
        elif place % 6 == 3:  # revoked, then another issued
            AwardFactory(enrolment=enrolment, revoked=True)
            AwardFactory(enrolment=enrolment, kind="diploma")
        found.append(enrolment)
    # Attendance at another edition's session (the registers do not allow it) counts for nothing.
    stray = found[0]
    for session in editions[2].sessions.all():
        Attendance.objects.create(
            session=session, enrolment=stray, status="present", recorded_at=timezone.now(), recorded_by=stray.participant
        )
    return found


def test_the_issue_reads_say_what_the_orms_said(places):
    held = 0
    for enrolment in places:
        enrolment = loaded(enrolment)
        with CaptureQueriesContext(connection) as captured:
            facts = selectors.issue_facts(enrolment.pk)
            sessions, outcome = selectors.issue_standing(enrolment, facts)
        assert len(captured) == 2
        assert facts.held == former_held(enrolment)
        held += facts.held is not None
        assert sessions == selectors.edition_sessions(enrolment.edition)
        assert outcome == selectors.standing(enrolment)
        former = selectors.facts_for(enrolment)
        assert (facts.paper, facts.presented) == (former.paper, former.presented)
    assert held > 5


def test_a_revoked_award_is_not_held(places):
    enrolment = loaded(places[1])
    award = Award.objects.get(enrolment=enrolment, revoked_at__isnull=True)
    Award.objects.filter(pk=award.pk).update(
        revoked_at=timezone.now(), revoked_by=enrolment.participant, revoked_reason="Vergissing"
    )
    assert selectors.issue_facts(enrolment.pk).held is None
    assert former_held(enrolment) is None


def former_document_parts(edition) -> tuple:
    goals = tuple(
        both(nl, en)
        for nl, en in LearningGoal.objects.filter(programme_id=edition.programme_id)
        .order_by("order", "id")
        .values_list("text_nl", "text_en")
    )
    signatories = tuple(
        {"name": name, "position_nl": position_nl or position_en, "position_en": position_en or position_nl}
        for name, position_nl, position_en in ProgrammeTeacher.objects.filter(programme_id=edition.programme_id)
        .order_by("order", "id")
        .values_list("teacher__name", "teacher__position_nl", "teacher__position_en")
    )
    return goals, signatories


def test_the_document_reads_the_goals_and_signatories_as_the_orm_did():
    bare = running_edition(held=1)  # neither goals nor teachers
    rich = running_edition(held=1)
    programme = rich.programme
    for order, nl, en in ((2, "Derde", ""), (0, "Eerste", "First"), (1, "Tweede", "Second"), (1, "Tweede bis", "Second too")):
        factories.LearningGoalFactory(programme=programme, order=order, text_nl=nl, text_en=en)
    teachers = (
        (1, "B. Budding", "Hoofddocent", "Associate professor"),
        (0, "F. Six", "Programmaleider", ""),
        (1, "A. Anders", "", "Lecturer"),
        (3, "Z. Zonder", "", ""),
    )
    for order, name, nl, en in teachers:
        teacher = factories.TeacherFactory(name=name, position_nl=nl, position_en=en)
        ProgrammeTeacher.objects.create(programme=programme, teacher=teacher, order=order)
    only_teacher = running_edition(held=1)
    ProgrammeTeacher.objects.create(programme=only_teacher.programme, teacher=factories.TeacherFactory(name="Solo"), order=0)
    for edition in (bare, rich, only_teacher):
        document = EditionDocument.load(edition, sessions=selectors.edition_sessions(edition))
        assert (document.goals, document.signatories) == former_document_parts(edition)
    assert len(EditionDocument.load(rich).goals) == 4 and len(EditionDocument.load(rich).signatories) == 4


def test_issuing_one_award_reads_the_places_facts_in_two_queries(places):
    coordinator = factories.CoordinatorFactory()
    enrolment = next(e for e in places if e.edition.sessions.exists() and former_held(e) is None and e.status == "enrolled")
    Attendance.objects.filter(enrolment=enrolment).update(status="present")
    with CaptureQueriesContext(connection) as captured:
        award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="certificate")
    sql = [q["sql"] for q in captured.captured_queries]
    assert len([q for q in sql if "awards_award" in q and q.startswith("SELECT (SELECT kind")]) == 1
    assert not [q for q in sql if q.startswith("SELECT") and "learning_" in q and "awards_award" not in q]
    assert len([q for q in sql if 'FROM "catalog_session"' in q]) == 1
    assert award.kind == "certificate"


def fields_of(instance) -> list:
    return [(f.attname, type(v := getattr(instance, f.attname)), v) for f in type(instance)._meta.concrete_fields]


def test_the_locked_place_is_what_the_orm_loaded(places):
    edition = places[0].edition
    # Values of every kind of column: decimals, times, dates, optional ones set and empty, booleans.
    type(edition).objects.filter(pk=edition.pk).update(
        fee="1234.50", cancellation_fee_value="12.25", paper_deadline=edition.start_date, location="Amsterdam"
    )
    Enrolment.objects.filter(pk=places[4].pk).update(cancelled_at=timezone.now())
    for enrolment in [*places[:6], places[-1]]:
        expected = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("edition__programme", "participant")
            .get(pk=enrolment.pk)
        )
        with CaptureQueriesContext(connection) as captured:
            found = selectors.locked_place(enrolment.pk)
            assert fields_of(found) == fields_of(expected)
            assert fields_of(found.edition) == fields_of(expected.edition)
            assert fields_of(found.edition.programme) == fields_of(expected.edition.programme)
            assert fields_of(found.participant) == fields_of(expected.participant)
            assert found.edition.programme_id == expected.edition.programme_id
        assert len(captured) == 1  # everything loaded with the one read
        assert not found._state.adding and found._state.db == "default"
    assert selectors.locked_place(places[-1].pk + 1000) is None
    if connection.vendor == "postgresql":
        assert selectors._place_sql().endswith("FOR UPDATE OF e")
