"""The session page, the edition's learning overview and the case page read their rows as SQL
(core.sql_rows) and build some markup in Python; each must be what the former ORM queries loaded and
the former template code rendered. The former code is kept here as the reference."""

import datetime
import re

import pytest
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.template import engines
from django.utils import timezone, translation

from leergang.catalog.models import Edition, Session, SessionPart
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.learning import cases, literature, views_sessions
from leergang.learning.models import CaseEntry, CaseResponse, LiteratureItem
from tests import factories
from tests.learning.cases_fixtures import (
    world,  # noqa: F401 (fixture)
    written,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db


def fields_of(instance) -> list:
    return [(f.attname, type(v := getattr(instance, f.attname)), v) for f in type(instance)._meta.concrete_fields]


def same(found, expected) -> None:
    assert (found is None) == (expected is None)
    if expected is not None:
        assert fields_of(found) == fields_of(expected)
        assert not found._state.adding and found._state.db == "default"


@pytest.fixture
def sessions(edition, teacher_user):
    """Three sessions: the first with goals, parts (one without teacher) and literature, the last a
    closing session on today's date with a theme that needs escaping."""
    first = factories.SessionFactory(edition=edition, number=1, theme_nl="Vertrouwen", theme_en="Trust")
    for order, text in enumerate(["Doel <b>", "Doel & twee"]):
        first.goals.add(factories.LearningGoalFactory(programme=edition.programme, order=2 - order, text_nl=text))
    teacher = factories.TeacherFactory(name="Dr. F. Six")
    SessionPart.objects.create(session=first, order=2, title_nl="Daarna", title_en="Then")
    SessionPart.objects.create(session=first, order=1, title_nl="Inleiding", title_en="Introduction", teacher=teacher)
    for minutes in (240, 30):
        literature.add_literature(
            actor=teacher_user,
            session_id=first.pk,
            title=f"Lezen {minutes}",
            url="https://example.org/x",
            preparation_minutes=minutes,
        )
    second = factories.SessionFactory(edition=edition, number=2, theme_nl="", theme_en="")
    literature.add_literature(
        actor=teacher_user, session_id=second.pk, title="Kort", url="https://example.org/y", preparation_minutes=0
    )
    third = factories.SessionFactory(
        edition=edition, number=3, kind="closing", date=timezone.localdate(), theme_nl="Slot <& \"'>", theme_en="End"
    )
    return [first, second, third]


# -- the session page ---------------------------------------------------------------------------


def former_session(session_id):
    edition_of = Session.objects.filter(pk=session_id).values("edition_id")[:1]
    siblings = list(
        Session.objects.filter(edition_id=Subquery(edition_of))
        .select_related("edition__programme", "edition__room__location")
        .order_by("number")
    )
    session = next((other for other in siblings if other.pk == session_id), None)
    if session is None:
        return None
    position = next(index for index, other in enumerate(siblings) if other.pk == session.pk)
    previous = siblings[position - 1] if position > 0 else None
    following = siblings[position + 1] if position + 1 < len(siblings) else None
    return session, previous, following


@pytest.mark.parametrize("room", [True, False])
def test_the_session_is_what_the_orm_loaded(sessions, edition, room):
    if room:
        edition.room = factories.RoomFactory()
        edition.location = ""
        edition.save()
    for session in [*sessions, factories.SessionFactory()]:
        session, previous, following = former_session(session.pk)
        found, found_previous, found_next = views_sessions._session_row(session.pk)
        same(found, session)
        same(found.edition, session.edition)
        same(found.edition.programme, session.edition.programme)
        assert found.edition.room_id == session.edition.room_id
        same(found.edition.room, session.edition.room)
        if session.edition.room is not None:
            same(found.edition.room.location, session.edition.room.location)
        assert found.edition.place == session.edition.place
        for mine, theirs in ((found_previous, previous), (found_next, following)):
            assert (mine is None) == (theirs is None)
            if theirs is not None:
                assert (mine.pk, mine.number) == (theirs.pk, theirs.number)
    assert views_sessions._session_row(999999) is None


def test_literature_parts_and_goals_are_what_the_orm_loaded(sessions):
    for session in sessions:
        items = list(LiteratureItem.objects.filter(session=session).order_by("order", "id"))
        parts = list(session.parts.select_related("teacher").order_by("order", "id"))
        goals = list(session.goals.order_by("order", "id"))
        found_items, found_parts, found_goals = (
            views_sessions._literature(session),
            views_sessions._parts(session),
            views_sessions._goals(session),
        )
        assert [i.pk for i in found_items] == [i.pk for i in items]
        assert [p.pk for p in found_parts] == [p.pk for p in parts]
        assert [g.pk for g in found_goals] == [g.pk for g in goals]
        for mine, theirs in zip(found_items + found_goals, items + goals, strict=True):
            same(mine, theirs)
        for mine, theirs in zip(found_parts, parts, strict=True):
            same(mine, theirs)
            same(mine.teacher, theirs.teacher)
    assert len(views_sessions._parts(sessions[0])) == 2 and len(views_sessions._goals(sessions[0])) == 2


# -- the edition's overview ---------------------------------------------------------------------


def former_edition(edition_id):
    participants = (
        Enrolment.objects.filter(edition_id=OuterRef("pk"), status=EnrolmentStatus.ENROLLED)
        .order_by()
        .values("edition_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Edition.objects.select_related("programme", "room__location")
        .annotate(participants=Coalesce(Subquery(participants), 0))
        .filter(pk=edition_id)
        .first()
    )


def former_counts(edition):
    counts = {}
    for session_id, minutes in LiteratureItem.objects.filter(session__edition=edition).values_list(
        "session_id", "preparation_minutes"
    ):
        items, total = counts.get(session_id, (0, 0))
        counts[session_id] = (items + 1, total + minutes)
    return [(s, *counts.get(s.pk, (0, 0))) for s in edition.sessions.order_by("number")]


def test_the_edition_and_its_sessions_are_what_the_orm_loaded(sessions, edition):
    empty = factories.EditionFactory(room=factories.RoomFactory())
    factories.EnrolmentFactory(edition=edition)
    factories.EnrolmentFactory(edition=edition, status=EnrolmentStatus.CANCELLED)
    for one in (edition, empty):
        expected, found = former_edition(one.pk), views_sessions._edition_row(one.pk)
        same(found, expected)
        assert found.participants == expected.participants and type(found.participants) is int
        same(found.programme, expected.programme)
        same(found.room, expected.room)
        if expected.room is not None:
            same(found.room.location, expected.room.location)
        rows = views_sessions._edition_sessions(one)
        assert [(s.pk, items, minutes) for s, items, minutes in rows] == [
            (s.pk, items, minutes) for s, items, minutes in former_counts(one)
        ]
        for (mine, *_rest), (theirs, *_more) in zip(rows, former_counts(one), strict=True):
            same(mine, theirs)
    assert former_edition(empty.pk).participants == 0 and views_sessions._edition_row(999999) is None
    assert [r[1:] for r in views_sessions._edition_sessions(edition)] == [[2, 270], [1, 0], [0, 0]]


# The loop over the rows as edition.html had it, and its context.
FORMER_LOOP = """{% load i18n leergang %}
        {% for row in rows %}
          <tr>
            <th scope="row"><a href="{% url 'learning_sessions:session' session_id=row.session.pk %}">{% if row.session.kind == "closing" %}{% translate "Closing session" %}{% else %}{% blocktranslate with number=row.session.number trimmed %}Session {{ number }}{% endblocktranslate %}{% endif %}</a>{% if row.session.theme %}<br><span class="cell-sub">{{ row.session.theme }}</span>{% endif %}</th>
            <td><span class="stack-label" aria-hidden="true">{% translate "Date" %}</span>{{ row.session.date|weekday_date }}</td>
            <td><span class="stack-label" aria-hidden="true">{% translate "Literature" %}</span>{% if row.items %}{% blocktranslate count counter=row.items trimmed %}{{ counter }} item{% plural %}{{ counter }} items{% endblocktranslate %}{% if row.minutes %}, {% blocktranslate with hours=row.minutes|hours trimmed %}about {{ hours }} hours{% endblocktranslate %}{% endif %}{% else %}<span class="subtle">{% translate "none yet" %}</span>{% endif %}</td>
            {% if staff %}<td class="session-attendance"><span class="stack-label" aria-hidden="true">{% translate "Attendance" %}</span><ul class="plain"><li><a href="{% url 'attendance:register' session_id=row.session.pk %}">{% translate "Take attendance" %}<span class="visually-hidden"> ({{ row.session.date|weekday_date }})</span></a></li><li><a href="{% url 'attendance:code' session_id=row.session.pk %}">{% translate "Show check-in code" %}<span class="visually-hidden"> ({{ row.session.date|weekday_date }})</span></a></li></ul></td>
            {% elif enrolment %}<td class="session-attendance">{% if row.session.date == today %}<a href="{% url 'attendance:check_in' %}">{% translate "Check in" %}</a>{% endif %}</td>{% endif %}
          </tr>
        {% empty %}EMPTY{% endfor %}"""


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("who", ["staff", "enrolled", "neither"])
def test_the_rows_are_what_the_template_rendered(sessions, edition, enrolment, language, who):
    today = timezone.localdate()
    staff, enrolled = who == "staff", enrolment if who == "enrolled" else None
    with translation.override(language):
        rows = [
            {"session": s, "items": items, "minutes": minutes} for s, items, minutes in views_sessions._edition_sessions(edition)
        ]
        expected = (
            engines["django"]
            .from_string(FORMER_LOOP)
            .render({"rows": rows, "staff": staff, "enrolment": enrolled, "today": today})
        )
        page_rows = [
            row
            | {
                "url": views_sessions._session_url("learning_sessions:session", row["session"].pk),
                "date": views_sessions.formatting.long_date(row["session"].date, with_weekday=True),
                "register_url": views_sessions._session_url("attendance:register", row["session"].pk) if staff else "",
                "code_url": views_sessions._session_url("attendance:code", row["session"].pk) if staff else "",
            }
            for row in rows
        ]
        found = views_sessions.edition_rows_markup(page_rows, staff=staff, enrolment=enrolled, today=today)
    assert "\n        " + found == expected
    assert "&lt;&amp; &quot;&#x27;&gt;" in found or language == "en"


def test_the_edition_template_uses_the_rows_markup():
    source = engines["django"].engine.get_template("learning/edition.html").source
    assert "{% if rows %}{{ rows_markup }}{% else %}" in source and "{% for row in rows %}" not in source


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_edition_page_shows_the_rows(client, sessions, edition, coordinator, language):
    client.force_login(coordinator)
    with translation.override(language):
        html = client.get(views_sessions.reverse("learning_sessions:edition", kwargs={"edition_id": edition.pk})).content.decode()
    assert html.count("<tr>") == 1 + len(sessions)
    assert re.search(r'<tbody>\n        \n          <tr>\n            <th scope="row">', html)


# -- the case page ------------------------------------------------------------------------------


def former_timeline(access):
    responses = CaseResponse.objects.select_related("author").order_by("created_at", "id")
    entries = CaseEntry.objects.prefetch_related(Prefetch("responses", queryset=responses))
    sessions = [
        s
        for s in Session.objects.filter(edition_id=access.enrolment.edition_id).order_by("number")
        if access.sees_session(s.number)
    ]
    by_session = {}
    if access.case is not None and sessions:
        for entry in entries.filter(case=access.case, session__in=[s.pk for s in sessions]):
            by_session[entry.session_id] = entry
    return [(s, by_session.get(s.pk), by_session.get(s.pk) is not None and access.may_respond(s.number)) for s in sessions]


def test_the_enrolment_of_a_case_is_what_the_orm_loaded(written, world):  # noqa: F811
    for enrolment in (written.writer, written.peer):
        expected = Enrolment.objects.select_related(*cases._ENROLMENT_RELATED).get(pk=enrolment.pk)
        found = cases._enrolment_for_case(enrolment.pk)
        same(found, expected)
        same(found.edition, expected.edition)
        same(found.edition.programme, expected.edition.programme)
        same(found.participant, expected.participant)
        expected_case = getattr(expected, "own_case", None)
        found_case = getattr(found, "own_case", None)
        same(found_case, expected_case)
        if expected_case is not None:
            assert found_case.enrolment is found
        else:
            with pytest.raises(Enrolment.own_case.RelatedObjectDoesNotExist):
                found.own_case  # noqa: B018 (cached as missing, no query)
    assert cases._enrolment_for_case(999999) is None


def test_the_timeline_is_what_the_orm_loaded(written, coordinator, django_assert_num_queries):  # noqa: F811
    cases.respond(actor=coordinator, entry_id=written.entries[0].pk, text="Goed <b>zo</b>")
    cases.respond(actor=written.writer.participant, entry_id=written.entries[0].pk, text="Dank")
    viewers = [coordinator, written.writer.participant, written.peer.participant, written.later.participant]
    for viewer in viewers:
        access = cases.case_access(viewer, written.writer.pk)
        expected = former_timeline(access)
        with django_assert_num_queries(3):
            found = cases.case_timeline(access)
        assert len(found) == len(expected)
        for row, (session, entry, may_respond) in zip(found, expected, strict=True):
            same(row.session, session)
            assert row.may_respond == may_respond
            same(row.entry, entry)
            if entry is not None:
                assert row.entry.session is row.session and row.entry.case is access.case
                mine, theirs = list(row.entry.responses.all()), list(entry.responses.all())
                assert [r.pk for r in mine] == [r.pk for r in theirs]
                for a, b in zip(mine, theirs, strict=True):
                    same(a, b)
                    same(a.author, b.author)


def test_the_timeline_without_a_case(world, coordinator, django_assert_num_queries):  # noqa: F811
    access = cases.case_access(coordinator, world.writer.pk)
    assert access.case is None
    with django_assert_num_queries(1):
        rows = cases.case_timeline(access)
    assert [(r.session.pk, r.entry) for r in rows] == [(s.pk, None) for s, _e, _m in former_timeline(access)]


def test_the_entry_with_its_enrolment_is_what_the_orm_loaded(written, django_assert_num_queries):  # noqa: F811
    for entry in written.entries:
        expected = CaseEntry.objects.select_related(*cases._ENTRY_WITH_ENROLMENT).get(pk=entry.pk)
        with django_assert_num_queries(1):
            found = cases._entry_with_enrolment(entry.pk)
            same(found, expected)
            same(found.session, expected.session)
            same(found.case, expected.case)
            enrolment, theirs = found.case.enrolment, expected.case.enrolment
            same(enrolment, theirs)
            same(enrolment.edition, theirs.edition)
            same(enrolment.edition.programme, theirs.edition.programme)
            same(enrolment.participant, theirs.participant)
            assert enrolment.own_case is found.case and theirs.own_case is expected.case
    assert cases._entry_with_enrolment(999999) is None


# -- the hours page -----------------------------------------------------------------------------


def test_the_hours_are_what_the_orm_summed(sessions, edition, enrolment, participant, other_enrolment):
    from django.db.models import Sum

    from leergang.learning import timelog
    from leergang.learning.models import TimeEntry

    today = timelog.today()
    for n, session in enumerate(sessions):
        for hours in ("1", "0,5"):
            timelog.log_time(
                actor=participant, enrolment_id=enrolment.pk, kind="preparation", session_id=session.pk,
                day=today - datetime.timedelta(days=n), hours=hours,
            )  # fmt: skip
    timelog.log_time(actor=participant, enrolment_id=enrolment.pk, kind="case", session_id=None, day=today, hours="2")
    enrolments = [Enrolment.objects.select_related("edition__programme").get(pk=e.pk) for e in (enrolment, other_enrolment)]
    found = timelog.time_summaries(enrolments)
    for one in enrolments:
        expected_sums = list(
            TimeEntry.objects.filter(enrolment_id=one.pk)
            .values("enrolment_id", "kind", "session_id")
            .annotate(total=Sum("minutes"))
            .order_by()
        )
        ordered = list(Session.objects.filter(edition_id=one.edition_id).order_by("number"))
        expected = timelog._summary(one.edition.programme, ordered, expected_sums)
        assert found[one.pk] == expected
        for row, session in zip(found[one.pk].sessions, ordered, strict=True):
            same(row.session, session)
    assert found[enrolment.pk].preparation_minutes == 270 and found[enrolment.pk].case_minutes == 120
    by_id = {s.pk: s for s in sessions}
    entries = timelog.time_entries(enrolment.pk, sessions=by_id)
    expected_entries = list(TimeEntry.objects.filter(enrolment_id=enrolment.pk).order_by("-day", "-id"))
    assert [e.pk for e in entries] == [e.pk for e in expected_entries] and len(entries) == 7
    for mine, theirs in zip(entries, expected_entries, strict=True):
        same(mine, theirs)
        if theirs.session_id is not None:
            assert mine.session is by_id[theirs.session_id]


def loaded(instance) -> list:
    deferred = instance.get_deferred_fields()
    return [
        (f.attname, type(getattr(instance, f.attname)), getattr(instance, f.attname))
        for f in type(instance)._meta.concrete_fields
        if f.attname not in deferred
    ]


def test_the_hours_page_enrolment_is_what_the_orm_loaded(enrolment, django_assert_num_queries):
    from leergang.learning import timelog

    expected = (
        Enrolment.objects.select_related("participant", "edition__programme")
        .filter(pk=enrolment.pk)
        .order_by()
        .only(*timelog.PAGE_ENROLMENT_FIELDS)
        .first()
    )
    with django_assert_num_queries(1):
        found = timelog.page_enrolment(enrolment.pk)
        pairs = [(found, expected), (found.participant, expected.participant), (found.edition, expected.edition)]
        pairs.append((found.edition.programme, expected.edition.programme))
        for mine, theirs in pairs:
            assert mine.get_deferred_fields() == theirs.get_deferred_fields()
            assert loaded(mine) == loaded(theirs) and len(loaded(mine)) > 1
            assert not mine._state.adding and mine._state.db == "default"
    assert isinstance(found.edition.start_date, datetime.date)
    assert timelog.page_enrolment(999999) is None
