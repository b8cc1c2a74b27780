"""The reads the diplomas page and issuing share (P2): the edition's sessions are read once and serve
the standings, the closing session and the document, with the same outcome as reading them apart."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leergang.awards import selectors, services
from leergang.awards.snapshot import EditionDocument
from leergang.awards.views_coordinator import _closing
from leergang.catalog.models import Edition
from leergang.learning import selectors as learning_selectors
from tests import factories

from .standing_data import complete, day, finished_edition, participant_in, running_edition

pytestmark = pytest.mark.django_db


def _loaded(edition: Edition) -> Edition:
    return Edition.objects.select_related("programme").get(pk=edition.pk)


@pytest.mark.parametrize("make", [finished_edition, running_edition])
def test_the_closing_session_from_the_sessions_is_the_one_the_selector_picks(make):
    edition = make()
    # A second closing session on an earlier date with a higher number, and one on the same date
    # as the last: the latest date wins, then the highest number.
    factories.SessionFactory(edition=edition, number=20, kind="closing", date=day(-400))
    factories.SessionFactory(edition=edition, number=21, kind="content", date=day(900))
    expected = learning_selectors.closing_session(edition.pk)
    assert _closing(selectors.edition_sessions(edition)).date == expected.date


def test_an_edition_without_a_closing_session_has_none():
    edition = factories.EditionFactory()
    factories.SessionFactory(edition=edition, number=1, kind="content", date=day(3))
    assert _closing(selectors.edition_sessions(edition)) is None
    assert learning_selectors.closing_session(edition.pk) is None


def test_standings_from_given_sessions_equal_those_read_by_the_selector():
    edition = _loaded(finished_edition())
    complete(participant_in(edition, "anna@example.org", "Anna", "Jansen"))
    complete(participant_in(edition, "ben@example.org", "Ben", "Bakker"), attended=2)
    given = selectors.edition_standings(edition, sessions=selectors.edition_sessions(edition))
    read = selectors.edition_standings(edition)
    assert [(s.enrolment.pk, s.outcome, s.facts) for s in given] == [(s.enrolment.pk, s.outcome, s.facts) for s in read]


def test_the_document_from_given_sessions_equals_the_one_that_reads_them(django_assert_num_queries):
    edition = _loaded(finished_edition())
    sessions = selectors.edition_sessions(edition)
    with django_assert_num_queries(1):  # the goals with the signatories only
        given = EditionDocument.load(edition, sessions=sessions)
    assert given == EditionDocument.load(edition)


def test_issuing_one_award_reads_the_sessions_once(coordinator):
    edition = _loaded(finished_edition())
    enrolment = complete(participant_in(edition, "anna@example.org", "Anna", "Jansen"))
    with CaptureQueriesContext(connection) as queries:
        award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma")
    session_reads = [q["sql"] for q in queries.captured_queries if 'FROM "catalog_session"' in q["sql"]]
    assert len(session_reads) == 1
    assert award.snapshot["end_date"] == max(row[2] for row in selectors.edition_sessions(edition)).isoformat()
