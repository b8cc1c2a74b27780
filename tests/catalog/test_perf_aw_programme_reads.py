"""The programme page reads the programme, its goals, its lead teachers, its list of editions, the
edition shown and that edition's sessions with their parts through SQL written by hand (performance
bar P2): each says exactly what the ORM's reads said (kept here as the reference), for the programme
office, a participant and an anonymous visitor (drafts and unpublished programmes), with goals and
teachers in tied orders, editions with and without a room, sessions with and without parts, parts
with and without a teacher."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from leergang.catalog import selectors
from leergang.catalog.models import Edition, LearningGoal, ProgrammeTeacher, Session, SessionPart, Teacher
from leergang.core.errors import NotFound
from leergang.core.transactions import single_row
from leergang.enrolment.selectors import with_seats_taken
from tests import factories

pytestmark = pytest.mark.django_db

# -- the former reads (the reference) --------------------------------------------------------------------

_PAGE_DEFERRED = tuple(
    f"{prefix}{field}" for prefix in ("", "room__", "room__location__") for field in ("created_at", "updated_at")
)
_PART_COLUMNS = ("parts__id", "parts__session_id", "parts__order", "parts__title_nl", "parts__title_en", "parts__teacher_id")


def former_programme(user, slug: str):
    programme = single_row(selectors.visible_programmes(user).filter(slug=slug))
    if programme is None:
        raise NotFound("none")
    programme.goals = list(LearningGoal.objects.filter(programme_id=programme.pk))
    programme.lead_teacher_links = list(ProgrammeTeacher.objects.filter(programme_id=programme.pk).select_related("teacher"))
    editions = with_seats_taken(selectors._visible_editions(user).filter(programme_id=programme.pk)).order_by("start_date", "id")
    programme.visible_editions = [
        selectors.EditionBrief(*row) for row in editions.values_list("id", "start_date", "status", "capacity", "seats_taken")
    ]
    return programme


def _former_has_sessions():
    from django.db.models import BooleanField, F, Func

    table, column = Session._meta.db_table, Session._meta.get_field("edition").column
    template = f'EXISTS (SELECT 1 FROM "{table}" WHERE "{column}" = %(expressions)s)'  # noqa: S608 - our own names
    return Func(F("pk"), template=template, output_field=BooleanField())


def former_edition(programme, brief):
    editions = Edition.objects.filter(pk=brief.id, programme_id=programme.pk).select_related("room__location")
    edition = single_row(editions.defer(*_PAGE_DEFERRED).annotate(has_sessions=_former_has_sessions()))
    if edition is not None:
        edition.programme = programme
        edition.seats_taken = brief.seats_taken
    return edition


def former_sessions(edition):
    if not getattr(edition, "has_sessions", True):
        return []
    rows = (
        Session.objects.filter(edition_id=edition.pk)
        .order_by("number", "parts__order", "parts__id")
        .values_list(*selectors._SESSION_FIELDS, *_PART_COLUMNS, "parts__teacher__name")
    )
    db = rows.db
    sessions = []
    split, teacher_at = len(selectors._SESSION_FIELDS), len(selectors._SESSION_FIELDS) + len(_PART_COLUMNS)
    for row in rows:
        if not sessions or sessions[-1].pk != row[0]:
            session = Session.from_db(db, selectors._SESSION_FIELDS, row[:split])
            session.part_list = []
            sessions.append(session)
        if row[split] is not None:
            part = SessionPart.from_db(db, selectors._PART_FIELDS, row[split:teacher_at])
            if part.teacher_id is not None:
                part.teacher = Teacher.from_db(db, ("id", "name"), (part.teacher_id, row[teacher_at]))
            session.part_list.append(part)
    return sessions


# -- comparing -------------------------------------------------------------------------------------------


def values(instance, *, all_fields: bool = False) -> dict:
    """The loaded field values (the former edition left its timestamps in the database, which the page
    never shows: compared where both have them)."""
    deferred = instance.get_deferred_fields()
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.attname not in deferred}


def same_loaded(new, old) -> None:
    old_values = values(old)
    new_values = values(new)
    assert {k: new_values[k] for k in old_values} == old_values
    assert type(new) is type(old)


def brief(b) -> tuple:
    return (b.id, b.start_date, b.status, b.capacity, b.seats_taken)


def session_seen(session) -> tuple:
    return (
        {name: getattr(session, name) for name in selectors._SESSION_FIELDS},
        sorted(session.get_deferred_fields()),
        [
            (
                {name: getattr(part, name) for name in selectors._PART_FIELDS},
                sorted(part.get_deferred_fields()),
                (part.teacher.pk, part.teacher.name) if part.teacher_id else None,
            )
            for part in session.part_list
        ],
    )


@pytest.fixture
def programmes(db):
    public = factories.ProgrammeFactory(title_en="")
    hidden = factories.ProgrammeFactory(published=False)
    for order, nl in ((2, "Derde"), (0, "Eerste"), (1, "Tweede"), (1, "Tweede bis")):
        factories.LearningGoalFactory(programme=public, order=order, text_nl=nl, text_en="")
    for order, name in ((1, "B. Budding"), (0, "F. Six"), (1, "A. Anders")):
        ProgrammeTeacher.objects.create(programme=public, teacher=factories.TeacherFactory(name=name), order=order)
    room = factories.RoomFactory()
    teacher = factories.TeacherFactory(name="T. Eacher")
    day = datetime.date(2025, 1, 8)
    for index, status in enumerate(["completed", "running", "open", "open", "draft", "completed", "draft"]):
        for programme in (public, hidden):
            edition = factories.EditionFactory(
                programme=programme,
                status=status,
                start_date=day + datetime.timedelta(days=91 * (index % 5)),  # some start on the same day
                capacity=2,
                room=room if index % 2 else None,
            )
            factories.EnrolmentFactory.create_batch(index % 3, edition=edition)
            for number in range(index % 4):
                session = factories.SessionFactory(
                    edition=edition, number=number + 1, kind="closing" if number == 2 else "content"
                )
                for order in range(number):  # the first session without parts
                    SessionPart.objects.create(
                        session=session,
                        order=(number - order) % 2,
                        title_nl=f"Deel {order}",
                        title_en="" if order else f"Part {order}",
                        teacher=teacher if order % 2 else None,
                    )
    return public, hidden


def test_the_programme_page_reads_as_sql_say_what_the_orms_said(programmes, coordinator, participant):
    compared = 0
    for user in (coordinator, participant, AnonymousUser()):
        for programme in programmes:
            try:
                old = former_programme(user, programme.slug)
            except NotFound:
                with pytest.raises(NotFound):
                    selectors.programme_for_page(user=user, slug=programme.slug)
                continue
            new = selectors.programme_for_page(user=user, slug=programme.slug)
            assert values(new) == values(old)
            assert [values(goal) for goal in new.goals] == [values(goal) for goal in old.goals]
            assert [(values(link), values(link.teacher)) for link in new.lead_teacher_links] == [
                (values(link), values(link.teacher)) for link in old.lead_teacher_links
            ]
            assert [brief(b) for b in new.visible_editions] == [brief(b) for b in old.visible_editions]
            for edition_brief in new.visible_editions:
                shown, former = selectors.edition_for_page(new, edition_brief), former_edition(old, edition_brief)
                same_loaded(shown, former)
                assert (shown.has_sessions, shown.seats_taken, shown.programme) == (former.has_sessions, former.seats_taken, new)
                assert (shown.room is None) == (former.room is None)
                if former.room is not None:
                    same_loaded(shown.room, former.room)
                    same_loaded(shown.room.location, former.room.location)
                assert [session_seen(s) for s in selectors.sessions_for_page(shown)] == [
                    session_seen(s) for s in former_sessions(former)
                ]
                compared += 1
    assert compared > 15
    with pytest.raises(NotFound):
        selectors.programme_for_page(user=coordinator, slug="no-such-programme")


def test_an_edition_deleted_since_the_list_was_read_is_none(programmes, coordinator):
    public, _hidden = programmes
    page = selectors.programme_for_page(user=coordinator, slug=public.slug)
    gone = page.visible_editions[0]
    Edition.objects.filter(pk=gone.id).delete()
    assert selectors.edition_for_page(page, gone) is None and former_edition(page, gone) is None
