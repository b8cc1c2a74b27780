"""The own case services and selectors (M13): writing, responding, who may, what the audit log
keeps, and what waits for a teacher's response. The world is described in cases_fixtures.py."""

import pytest
from django.contrib.auth.models import AnonymousUser

from leergang.catalog.models import EditionStatus, ProgrammeTeacher, SessionPart
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.core.models import AuditEntry
from leergang.enrolment.models import EnrolmentStatus
from leergang.learning import cases
from leergang.learning.models import CaseEntry, CaseResponse, OwnCase
from leergang.notifications.models import OutboxEmail
from tests import factories
from tests.learning.cases_fixtures import (
    world,  # noqa: F401 (fixture)
    write_case,
    write_entry,
    written,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db

CASE = {"title": "Titel", "question": "Vraag", "context": "Context"}
ENTRY = {"done": "Gedaan", "learned": "Geleerd", "next_step": "Volgende"}


def test_writing_the_case_twice_changes_the_same_case_and_audits_both(world):  # noqa: F811
    writer = world.writer
    case = write_case(writer, title="Eerste\n  titel")
    assert case.title == "Eerste titel"  # one line
    first_changed = case.updated_at
    changed = write_case(writer, title="Tweede titel", context="  Meer context \r\n\r\nen nog meer  ")
    assert changed.pk == case.pk and OwnCase.objects.count() == 1
    assert changed.context == "Meer context \n\nen nog meer"
    assert changed.updated_at >= first_changed
    entries = list(AuditEntry.objects.filter(object_type="learning.owncase", object_id=str(case.pk)).order_by("pk"))
    assert [e.action for e in entries] == ["case.written", "case.changed"]
    assert entries[0].actor == writer.participant and entries[0].after["enrolment"] == writer.pk
    assert (entries[1].before["title"], entries[1].after["title"]) == ("Eerste titel", "Tweede titel")
    # The same text again is no change.
    write_case(writer, title="Tweede titel", context="Meer context \n\nen nog meer")
    assert AuditEntry.objects.filter(object_type="learning.owncase").count() == 2


def test_only_the_enrolled_writer_writes(world, teacher_user, coordinator):  # noqa: F811
    with pytest.raises(PermissionDenied):
        cases.write_case(actor=teacher_user, enrolment_id=world.writer.pk, **CASE)
    with pytest.raises(PermissionDenied):
        cases.write_case(actor=coordinator, enrolment_id=world.writer.pk, **CASE)
    for outsider in (world.stranger.participant, AnonymousUser()):
        with pytest.raises(NotFound):
            cases.write_case(actor=outsider, enrolment_id=world.writer.pk, **CASE)
    with pytest.raises(NotFound):
        cases.write_case(actor=world.writer.participant, enrolment_id=world.writer.pk + 1000, **CASE)
    with pytest.raises(NotFound):
        cases.write_case(actor=world.writer.participant, enrolment_id="1", **CASE)
    world.writer.status = EnrolmentStatus.CANCELLED
    world.writer.save()
    with pytest.raises(Conflict):
        cases.write_case(actor=world.writer.participant, enrolment_id=world.writer.pk, **CASE)
    assert not OwnCase.objects.exists() and not AuditEntry.objects.filter(object_type="learning.owncase").exists()


def test_all_field_problems_come_at_once(world):  # noqa: F811
    with pytest.raises(Invalid) as caught:
        cases.write_case(
            actor=world.writer.participant, enrolment_id=world.writer.pk, title="x" * 201, question=None, context=" "
        )
    assert [e["field"] for e in caught.value.errors] == ["title", "question", "context"]
    assert str(caught.value.detail) == str(cases.SEVERAL_FIELDS)
    with pytest.raises(Invalid) as caught:
        cases.write_case(actor=world.writer.participant, enrolment_id=world.writer.pk, title="T", question="V", context="a\x00")
    assert caught.value.errors == [{"field": "context", "message": cases.CONTROL_CHARACTERS}]
    # Exactly at the limits is fine.
    case = cases.write_case(
        actor=world.writer.participant, enrolment_id=world.writer.pk, title="t" * 200, question="v" * 10_000, context="c"
    )
    assert len(case.title) == 200


def test_an_entry_is_written_once_per_session_of_the_own_edition(world):  # noqa: F811
    actor, enrolment_id = world.writer.participant, world.writer.pk
    with pytest.raises(Conflict):
        cases.write_entry(actor=actor, enrolment_id=enrolment_id, session_id=world.sessions[0].pk, **ENTRY)
    write_case(world.writer)
    with pytest.raises(NotFound):
        cases.write_entry(actor=actor, enrolment_id=enrolment_id, session_id=factories.SessionFactory().pk, **ENTRY)
    with pytest.raises(Invalid) as caught:
        cases.write_entry(actor=actor, enrolment_id=enrolment_id, session_id=world.sessions[0].pk, **ENTRY | {"learned": ""})
    assert caught.value.errors == [{"field": "learned", "message": cases.LEARNED_MISSING}]
    first = cases.write_entry(actor=actor, enrolment_id=enrolment_id, session_id=world.sessions[0].pk, **ENTRY)
    again = cases.write_entry(
        actor=actor, enrolment_id=enrolment_id, session_id=world.sessions[0].pk, **ENTRY | {"next_step": "Anders"}
    )
    assert again.pk == first.pk and CaseEntry.objects.get().next_step == "Anders"
    assert [a.action for a in AuditEntry.objects.filter(object_type="learning.caseentry").order_by("pk")] == [
        "case_entry.written",
        "case_entry.changed",
    ]
    with pytest.raises(PermissionDenied):
        cases.write_entry(actor=world.peer.participant, enrolment_id=enrolment_id, session_id=world.sessions[0].pk, **ENTRY)


def test_who_may_respond_to_which_entry(written, teacher_user, other_teacher, coordinator):  # noqa: F811
    first, _second, third = written.entries
    allowed = [
        (teacher_user, third),
        (coordinator, first),
        (written.peer.participant, first),
        (written.later.participant, third),
        (written.writer.participant, first),
    ]
    for actor, entry in allowed:
        assert cases.respond(actor=actor, entry_id=entry.pk, text="Reactie").author == actor
    refused = [
        (written.peer.participant, third),
        (written.later.participant, first),
        (written.stranger.participant, first),
        (other_teacher, first),
        (AnonymousUser(), first),
    ]
    for actor, entry in refused:
        with pytest.raises(NotFound):
            cases.respond(actor=actor, entry_id=entry.pk, text="Reactie")
    with pytest.raises(NotFound):
        cases.respond(actor=coordinator, entry_id=third.pk + 1000, text="Reactie")
    with pytest.raises(Invalid):
        cases.respond(actor=coordinator, entry_id=first.pk, text=" \n ")
    assert CaseResponse.objects.count() == len(allowed)
    # Everyone but the writer e-mailed the writer.
    assert OutboxEmail.objects.filter(kind="case_response").count() == len(allowed) - 1
    assert AuditEntry.objects.filter(action="case_response.added").count() == len(allowed)


def test_a_teacher_of_a_session_part_counts_as_a_teacher_of_the_edition(written, other_teacher):  # noqa: F811
    part_teacher = factories.TeacherUserFactory(email="part@example.org")
    profile = factories.TeacherFactory(user=part_teacher)
    SessionPart.objects.create(session=written.sessions[1], title_nl="Onderdeel", teacher=profile)
    assert cases.visible_case(part_teacher, written.writer.pk) == written.case
    assert cases.visible_case(other_teacher, written.writer.pk) is None


def test_the_selectors_answer_none_alike_for_missing_and_forbidden(written, coordinator):  # noqa: F811
    stranger = written.stranger.participant
    assert cases.visible_case(stranger, written.writer.pk) is None
    assert cases.visible_case(coordinator, written.writer.pk + 1000) is None
    assert cases.visible_case(AnonymousUser(), written.writer.pk) is None
    assert cases.visible_entries(stranger, written.writer.pk) == []
    assert [e.session.number for e in cases.visible_entries(written.peer.participant, written.writer.pk)] == [1, 2]
    assert [e.session.number for e in cases.visible_entries(written.later.participant, written.writer.pk)] == [3]
    first, _second, third = written.entries
    assert cases.can_view_entry(written.peer.participant, first)
    assert not cases.can_view_entry(written.peer.participant, third)
    assert not cases.can_view_entry(stranger, first)
    assert cases.can_view_entry(coordinator, third)


def test_before_any_groups_only_the_writer_and_the_staff_see_the_case(edition, enrolment, other_enrolment, teacher_user):
    factories.SessionFactory(edition=edition, number=1)
    write_case(enrolment)
    assert cases.visible_case(other_enrolment.participant, enrolment.pk) is None
    assert cases.visible_case(teacher_user, enrolment.pk) is not None
    assert cases.visible_case(enrolment.participant, enrolment.pk) is not None


# -- awaiting a response --------------------------------------------------------------------------


def test_entries_wait_until_a_teacher_or_the_office_responds(written, teacher_user, other_teacher, coordinator):  # noqa: F811
    first, second, third = written.entries
    assert cases.entries_awaiting_response(teacher_user) == [first, second, third]
    cases.respond(actor=written.peer.participant, entry_id=first.pk, text="Van een groepsgenoot")
    cases.respond(actor=written.writer.participant, entry_id=first.pk, text="Van de schrijver")
    assert cases.entries_awaiting_response(teacher_user) == [first, second, third]
    cases.respond(actor=teacher_user, entry_id=first.pk, text="Van de docent")
    cases.respond(actor=coordinator, entry_id=second.pk, text="Van het programmabureau")
    assert cases.entries_awaiting_response(teacher_user) == [third]
    assert cases.entries_awaiting_response(coordinator) == [third]
    assert cases.entries_awaiting_response(other_teacher) == []
    assert cases.entries_awaiting_response(written.peer.participant) == []
    assert cases.entries_awaiting_response(AnonymousUser()) == []


def test_completed_editions_and_cancelled_writers_wait_for_nobody(written, teacher_user):  # noqa: F811
    written.writer.status = EnrolmentStatus.CANCELLED
    written.writer.save()
    assert cases.entries_awaiting_response(teacher_user) == []
    written.writer.status = EnrolmentStatus.ENROLLED
    written.writer.save()
    written.edition.status = EditionStatus.COMPLETED
    written.edition.save()
    assert cases.entries_awaiting_response(teacher_user) == []


def test_entries_awaiting_response_is_one_query_however_many(written, teacher_user, coordinator, django_assert_num_queries):  # noqa: F811
    # More participants in the edition and a second edition the teacher also teaches.
    second_edition = factories.EditionFactory(programme=written.edition.programme, status=EditionStatus.RUNNING)
    session = factories.SessionFactory(edition=second_edition, number=1)
    for _index in range(4):
        enrolment = factories.EnrolmentFactory(edition=second_edition)
        write_case(enrolment)
        write_entry(enrolment, session)
    for user, expected in ((teacher_user, 7), (coordinator, 7)):
        with django_assert_num_queries(1):
            entries = cases.entries_awaiting_response(user)
            rows = [
                (e.case.enrolment.participant.get_full_name(), e.case.enrolment.edition.programme.title, e.session.number)
                for e in entries
            ]
        assert len(rows) == expected
    assert len(cases.entries_awaiting_response(coordinator, limit=2)) == 2


def test_a_teacher_linked_twice_sees_each_entry_once(written, teacher_user):  # noqa: F811
    SessionPart.objects.create(session=written.sessions[0], title_nl="Onderdeel", teacher=teacher_user.teacher_profile)
    assert ProgrammeTeacher.objects.filter(teacher=teacher_user.teacher_profile).exists()
    assert len(cases.entries_awaiting_response(teacher_user)) == 3
