"""The private feed's rows are read with hand-written SQL (selectors.calendar_enrolments, through
core.sql_rows.read_joined) instead of three ORM queries, whose building cost more than running them.
The ORM version is kept below as the reference: both must load the same instances (same fields
loaded, the same ones deferred, the same related objects cached; of a teacher only the name now),
in the same order, and the feed written from them must be byte for byte the same."""

import datetime
from collections import defaultdict

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from leergang.catalog.models import Session, SessionPart, Teacher
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.scheduling import ics, selectors
from tests import factories

pytestmark = pytest.mark.django_db


def reference_calendar_enrolments(*, token):
    """selectors.calendar_enrolments as it was written with the ORM."""
    owner = Enrolment.objects.filter(calendar_token=token, status=EnrolmentStatus.ENROLLED).values("participant_id")
    enrolments = list(
        Enrolment.objects.filter(participant_id__in=owner, status=EnrolmentStatus.ENROLLED)
        .select_related("edition__programme", "edition__room__location")
        .only(*selectors.ENROLMENT_FIELDS)
        .annotate(participant_language=F("participant__preferred_language"))
        .order_by("edition__start_date", "edition_id")
    )
    if not enrolments:
        return enrolments
    editions = {enrolment.edition_id: enrolment.edition for enrolment in enrolments}
    sessions = list(Session.objects.filter(edition_id__in=editions).order_by("number"))
    parts = defaultdict(list)
    for part in SessionPart.objects.filter(session__edition_id__in=editions).select_related("teacher"):
        parts[part.session_id].append(part)
    for edition in editions.values():
        edition.listed_sessions = []
    for session in sessions:
        session.listed_parts = parts[session.id]
        editions[session.edition_id].listed_sessions.append(session)
    return enrolments


def _state(instance):
    """What an instance holds: its loaded fields with their values, what is deferred and which
    related objects are cached (recursively). Of a teacher only the name is read now (the feed
    shows nothing else of them; the ORM read the whole row): its id and name."""
    if instance is None:
        return None
    if isinstance(instance, Teacher):
        return (Teacher, instance.pk, instance.name)
    loaded = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname in instance.__dict__
    }
    cached = {name: _state(value) for name, value in instance._state.fields_cache.items()}
    return (type(instance), loaded, sorted(instance.get_deferred_fields()), cached)


def _everything(enrolments):
    found = []
    for enrolment in enrolments:
        edition = enrolment.edition
        found.append((_state(enrolment), enrolment.participant_language, _state(edition)))
        for session in edition.listed_sessions:
            found.append((_state(session), [_state(part) for part in session.listed_parts]))
    return found


@pytest.fixture
def people():
    """Two participants: one in editions with a room (with a location), with free text as the place,
    with neither, over several programmes, with parts with and without a teacher and a cancelled
    enrolment; the other in one of those editions."""
    programme = factories.ProgrammeFactory(title_nl="Leiderschap", title_en="Leadership")
    other = factories.ProgrammeFactory(title_nl="Sturen", title_en="Steering")
    room = factories.RoomFactory()
    in_room = factories.EditionFactory(programme=programme, start_date=datetime.date(2026, 3, 1), room=room, location="")
    free_text = factories.EditionFactory(programme=other, start_date=datetime.date(2026, 3, 1), location="Zwolle; zaal 2")
    nowhere = factories.EditionFactory(programme=other, start_date=datetime.date(2025, 9, 1), location="")
    cancelled = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 1, 1))
    teacher = factories.TeacherFactory(name="Anna de Vries")
    for edition in (in_room, free_text, nowhere, cancelled):
        for number in (2, 1, 3):
            session = factories.SessionFactory(
                edition=edition, number=number, kind="closing" if number == 3 else "content", delivery_mode="on_site"
            )
            SessionPart.objects.create(session=session, order=2, title_nl="Tweede", title_en="Second", teacher=teacher)
            SessionPart.objects.create(session=session, order=1, title_nl="Eerste", title_en="")
    first = factories.UserFactory(preferred_language="en")
    enrolments = [factories.EnrolmentFactory(edition=e, participant=first) for e in (in_room, free_text, nowhere)]
    factories.EnrolmentFactory(edition=cancelled, participant=first, status="cancelled")
    second = factories.UserFactory(preferred_language="nl")
    enrolments.append(factories.EnrolmentFactory(edition=free_text, participant=second))
    return enrolments


def test_the_same_rows_as_the_orm_read(people):
    for enrolment in people:
        token = enrolment.calendar_token
        new = selectors.calendar_enrolments(token=token)
        old = reference_calendar_enrolments(token=token)
        assert [e.pk for e in new] == [e.pk for e in old]
        assert _everything(new) == _everything(old)
        for language in ("nl", "en"):
            assert ics.participant_calendar(new, language=language) == ics.participant_calendar(old, language=language)


def test_unknown_and_cancelled_tokens_find_nothing(people):
    cancelled = Enrolment.objects.get(status="cancelled")
    for token in ("", "nope", cancelled.calendar_token):
        assert selectors.calendar_enrolments(token=token) == reference_calendar_enrolments(token=token) == []


def test_the_feed_reads_nothing_more(people):
    """Everything the feed shows is loaded: writing it queries nothing."""
    enrolments = selectors.calendar_enrolments(token=people[0].calendar_token)
    with CaptureQueriesContext(connection) as queries:
        ics.participant_calendar(enrolments, language="nl")
    assert len(queries) == 0
