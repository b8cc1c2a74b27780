"""A participant's part of the overview (their cards and places) kept in the cache under a stamp of
the rows it shows (leergang/learning/overview_stamp.py, core/fragment_cache.py): a repeat visit is
served from the cache, and a change to any row the part shows appears on the next visit.

Transactional tests: requests inside an open transaction bypass the cache, so these tests commit
for real. The changes are made directly on the models, as the admin or another app server would;
each test fails when the stamp leaves its table out. Anna Jansen is the demo's participant in the
running edition (a case with two entries, hours, two literature items for the next session).
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from leergang.accounts.models import User
from leergang.attendance.models import Attendance
from leergang.catalog.models import Edition, Session
from leergang.core import formatting
from leergang.enrolment.models import Enrolment
from leergang.invoicing import services as invoicing
from leergang.learning import cases
from leergang.learning.models import CaseEntry, LiteratureItem, OwnCase, PaperSubmission, PresentationSlot, TimeEntry

pytestmark = pytest.mark.django_db(transaction=True)

ANNA = "anna.jansen@example.org"
OVERVIEW = "/nl/account/"
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def anna(demo, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "overview-tests"}}
    cache.clear()
    yield User.objects.get(email=ANNA)
    cache.clear()


@pytest.fixture
def place(anna) -> Enrolment:
    return Enrolment.objects.select_related("edition").get(participant=anna, edition__status="running")


@pytest.fixture
def client_for(anna):
    client = Client()
    client.force_login(anna)
    return client


def next_session(place: Enrolment) -> Session:
    return place.edition.sessions.filter(date__gte=timezone.localdate()).order_by("number").first()


def visit(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(OVERVIEW)
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", CSRF_VALUE.sub("", response.content.decode())).split()), len(captured)


def primed(client) -> str:
    first, rendered = visit(client)
    second, served = visit(client)
    assert second == first
    assert served < rendered, (served, rendered)
    return second


def test_a_repeat_visit_is_served_from_the_cache(client_for):
    primed(client_for)
    _, served = visit(client_for)
    # The session, the user, the stamp, the teacher check (not a teacher) and nothing else.
    assert served <= 5


def rename_session(place):
    session = next_session(place)
    session.theme_nl = "Vertrouwen in de praktijk"
    session.save()
    return "Vertrouwen in de praktijk"


def rename_literature(place):
    item = LiteratureItem.objects.filter(session=next_session(place)).first()
    item.title = "De vertrouwensparadox"
    item.save()
    return "De vertrouwensparadox"


def add_literature(place):
    item = LiteratureItem.objects.filter(session=next_session(place)).first()
    item.pk, item.title, item.file_path, item.order = None, "Het nieuwe leidinggeven", "", 9
    item.kind, item.url, item.original_filename, item.content_type, item.size, item.sha256 = (
        "link",
        "https://example.org/x",
        "",
        "",
        None,
        "",
    )
    item.save()
    return "Het nieuwe leidinggeven"


def rename_case(place):
    # Only the participant writes their case, through this service: it keeps `updated_at` ("changed
    # at", shown with the case) itself, and the case is not in the admin.
    case = OwnCase.objects.get(enrolment=place)
    cases.write_case(
        actor=place.participant,
        enrolment_id=place.pk,
        title="Ruimte voor de wijkteams",
        question=case.question,
        context=case.context,
    )
    return "Ruimte voor de wijkteams"


def remove_case_entry(place):
    CaseEntry.objects.filter(case__enrolment=place).order_by("-id").first().delete()
    return "1 voortgangsverslag"


def log_hours(place):
    before = sum(TimeEntry.objects.filter(enrolment=place, kind="preparation").values_list("minutes", flat=True))
    entry = TimeEntry.objects.filter(enrolment=place, kind="preparation").first()
    entry.minutes += 600
    entry.save()
    return f"Voorbereiding: {(before + 600) // 60}"


def report_absence(place):
    Attendance.objects.create(
        session=next_session(place), enrolment=place, status="excused", recorded_at=timezone.now(), recorded_by=place.participant
    )
    return "U heeft zich afgemeld."


def hand_in_paper(place):
    other = PaperSubmission.objects.exclude(enrolment=place).first()
    PaperSubmission.objects.create(
        enrolment=place, file_path="papers/overview-test.pdf", original_filename="paper.pdf", content_type=other.content_type,
        size=10, sha256="0" * 64, submitted_at=timezone.now(), submitted_by=place.participant,
    )  # fmt: skip
    return None  # the standing's paper line changes


def give_presentation_turn(place):
    PresentationSlot.objects.create(enrolment=place, edition=place.edition, position=1)
    return "nummer 1 van 1"


def move_edition(place):
    edition = Edition.objects.get(pk=place.edition_id)
    edition.start_date -= datetime.timedelta(days=7)
    edition.save()
    with translation.override("nl"):
        return f"Editie van {formatting.long_date(edition.start_date)}"


def rename_programme(place):
    programme = place.edition.programme
    programme.title_nl = "Leiden vanuit vertrouwen"
    programme.save()
    return "Leiden vanuit vertrouwen"


def cancel_place(place):
    place.status = "cancelled"
    place.save()
    return None


def send_invoice(place):
    recipient = {"organisation": "Gemeente Zwolle", "contact_name": "Anna Jansen", "address": "Grote Kerkplein 15",
                 "postal_code": "8011 PK", "city": "Zwolle", "email": "facturen@zwolle.example", "po_number": ""}  # fmt: skip
    invoicing.issue_invoice(actor=None, enrolment=place, recipient=recipient, language="nl")
    return "Uw facturen"


CHANGES = [
    rename_session, rename_literature, add_literature, rename_case, remove_case_entry, log_hours, report_absence,
    hand_in_paper, give_presentation_turn, move_edition, rename_programme, cancel_place, send_invoice,
]  # fmt: skip


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_it_shows_appears_at_once(client_for, place, change):
    before = primed(client_for)
    expected = change(place)
    after, _ = visit(client_for)
    assert after != before
    if expected:
        assert expected not in before
        assert expected in after, after


def test_a_room_and_its_location_appear_at_once(client_for, place):
    """The place of a session is the room's location when the edition names no place of its own."""
    Edition.objects.filter(pk=place.edition_id).update(location="", updated_at=timezone.now())
    room = place.edition.room
    before = primed(client_for)
    location = room.location
    location.name = "Huis van de Democratie"
    location.save()
    after = primed(client_for)
    assert "Huis van de Democratie" in after and "Huis van de Democratie" not in before
    # Another location, last changed at the same moment (imported together, say): only the room's
    # own row tells that it moved.
    other = type(location).objects.create(name="Stadskantoor", address="Stationsplein 1", postal_code="8011 CW", city="Zwolle")
    type(location).objects.filter(pk=other.pk).update(updated_at=location.updated_at)
    room.location = other
    room.save()
    moved, _ = visit(client_for)
    assert "Stadskantoor" in moved


def test_the_next_day_is_rendered_afresh(client_for, place, monkeypatch):
    """The next session and the standing move on with the calendar: the date is part of the key."""
    before = primed(client_for)
    session = next_session(place)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: session.date + datetime.timedelta(days=1))
    after, _ = visit(client_for)
    assert after != before
