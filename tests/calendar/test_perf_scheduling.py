"""The feeds serialise with ics._to_ical, which folds only the lines that need it: the bytes must be
exactly what icalendar's own `to_ical` writes."""

import pytest

from leergang.catalog.models import Session
from leergang.scheduling import ics

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["nl", "en"])
def test_to_ical_writes_what_icalendar_writes(demo_edition, two_editions, language):
    sessions = list(
        Session.objects.select_related("edition__programme", "edition__room__location").prefetch_related("parts__teacher")
    )
    session = sessions[0]
    # A long theme with escapes at every folding position and characters of several octets.
    session.theme_nl = session.theme_en = "Één; twee, drie\\ vier^ – " * 12
    pairs = [(s.edition, s) for s in sessions]
    calendar = ics._calendar(
        name="Naam; met, tekens – ü", description="x" * 200, pairs=pairs, language=language, method="PUBLISH"
    )
    ics._add_refresh_interval(calendar)
    assert ics._to_ical(calendar) == calendar.to_ical()
