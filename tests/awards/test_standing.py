"""Reading where enrolments stand (M18): one enrolment, a whole edition, the early warning across
editions and a participant's own enrolments; the same outcome as `selectors.standing` and a fixed
number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leergang.awards import rules, selectors, services
from leergang.enrolment.models import Enrolment
from tests import factories

from .standing_data import (
    attend,
    complete,
    finished_edition,
    hand_in,
    participant_in,
    record_presented,
    running_edition,
)

pytestmark = pytest.mark.django_db


def queries(function) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = function()
    return result, len(captured.captured_queries)


def loaded(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_related("edition__programme", "participant").get(pk=enrolment.pk)


@pytest.fixture
def finished():
    edition = finished_edition()
    complete(participant_in(edition, "anna@example.org", "Anna", "Jansen"))
    complete(participant_in(edition, "ben@example.org", "Ben", "Bakker"), attended=4)
    complete(participant_in(edition, "carl@example.org", "Carl", "Claes"), paper="insufficient")
    complete(participant_in(edition, "dirk@example.org", "Dirk", "Dekker"), attended=0, paper=None, presented=None)
    participant_in(edition, "eva@example.org", "Eva", "Eerens", status="cancelled")
    return edition


def test_one_enrolment_stands_as_the_rule_says_in_four_queries(finished):
    for enrolment in Enrolment.objects.filter(edition=finished):
        enrolment = loaded(enrolment)
        standing, count = queries(lambda e=enrolment: selectors.standing_for(e))
        assert count == 4
        assert standing.outcome == selectors.standing(enrolment)


def test_the_standing_counts_what_the_pages_show(finished):
    ben = loaded(Enrolment.objects.get(participant__email="ben@example.org"))
    standing = selectors.standing_for(ben)
    assert (standing.attended, standing.content_sessions, standing.missed, standing.needed) == (4, 6, 2, 5)
    assert standing.still_needed == 1 and standing.still_possible == 0
    assert standing.paper == "sufficient" and standing.presented is True and standing.final is True
    assert [c.criterion for c in standing.missing] == [rules.ATTENDANCE]
    assert standing.award is None and standing.out_of_reach is False  # final: no warning any more
    sessions = list(finished.sessions.order_by("number"))
    assert standing.attendance == tuple(
        (session.pk, status) for session, status in zip(sessions, ["present"] * 4 + ["absent"] * 2, strict=False)
    )


def test_the_valid_award_and_the_revoked_ones(finished, coordinator):
    anna = Enrolment.objects.get(participant__email="anna@example.org")
    first = services.issue_award(actor=coordinator, enrolment_id=anna.pk, kind="diploma")
    services.revoke_award(actor=coordinator, code=first.code, reason="Wrong name.")
    second = services.issue_award(actor=coordinator, enrolment_id=anna.pk, kind="diploma")
    standing = selectors.standing_for(loaded(anna))
    assert standing.award.code == second.code
    assert [award.code for award in standing.revoked_awards] == [first.code]


def test_a_whole_edition_in_name_order_in_a_fixed_number_of_queries(finished):
    edition = type(finished).objects.select_related("programme").get(pk=finished.pk)
    standings, few = queries(lambda: selectors.edition_standings(edition))
    assert [s.enrolment.participant.email for s in standings] == [
        "ben@example.org",
        "carl@example.org",
        "dirk@example.org",
        "anna@example.org",
    ]  # Bakker, Claes, Dekker, Jansen; the cancelled enrolment is left out
    for standing in standings:
        assert standing.outcome == selectors.standing(loaded(standing.enrolment))
        assert standing.paper_info == selectors.standing_for(loaded(standing.enrolment)).paper_info
    assert [s.outcome.award for s in standings] == ["certificate", "certificate", "none", "diploma"]
    for i in range(10):
        complete(participant_in(finished, f"p{i}@example.org", "Deel", f"Nemer {i}"), attended=i % 7)
    more, many = queries(lambda: selectors.edition_standings(edition))
    assert len(more) == 14 and few == many == 5


def test_the_early_warning():
    edition = running_edition(held=3)
    people = {
        "absent": ["absent", "absent", "present"],  # 1 + 3 to come < 5
        "excused ahead": ["present", "present", "absent", "excused"],  # 2 + 2 to come < 5
        "one missed": ["present", "absent", "present"],  # 2 + 3 = 5: still reachable
        "not recorded": [None, None, None],  # registers not kept yet: nothing held against anyone
    }
    standings = {}
    for name, statuses in people.items():
        enrolment = participant_in(edition, f"{name.replace(' ', '-')}@example.org")
        attend(enrolment, statuses)
        standings[name] = selectors.standing_for(loaded(enrolment))
    assert {name: s.out_of_reach for name, s in standings.items()} == {
        "absent": True,
        "excused ahead": True,
        "one missed": False,
        "not recorded": False,
    }
    assert standings["absent"].outcome.diploma_reachable is False
    cancelled = participant_in(edition, "gone@example.org", status="cancelled")
    attend(cancelled, ["absent"] * 3)
    assert selectors.standing_for(loaded(cancelled)).out_of_reach is False


def test_the_programmes_minimum_decides_when_the_warning_comes():
    lenient = running_edition(held=3, award_min_content_sessions=3)
    anna = participant_in(lenient, "anna@example.org")
    attend(anna, ["absent", "absent", "present"])  # 1 + 3 to come >= 3
    attend(participant_in(lenient, "ben@example.org"), ["absent"] * 3)  # 0 + 3 to come >= 3
    strict = running_edition(held=3, award_min_content_sessions=6)
    attend(participant_in(strict, "carl@example.org"), ["present", "present", "excused"])  # 2 + 3 < 6
    assert selectors.standing_for(loaded(anna)).out_of_reach is False
    by_edition = selectors.out_of_reach_by_edition(
        type(lenient).objects.select_related("programme").filter(pk__in=[lenient.pk, strict.pk])
    )
    assert {pk: [r.enrolment.participant.email for r in rows] for pk, rows in by_edition.items()} == {
        strict.pk: ["carl@example.org"]
    }


def test_out_of_reach_across_editions_in_three_queries():
    editions = [running_edition(held=3) for _ in range(3)]
    warned = []
    for number, edition in enumerate(editions):
        for i in range(number + 2):
            enrolment = participant_in(edition, f"e{number}-{i}@example.org", "Deel", f"Nemer {i}")
            bad = i == 0
            attend(enrolment, ["absent", "absent", "present"] if bad else ["present"] * 3)
            if bad:
                warned.append(enrolment.pk)
    finished = finished_edition()
    attend(participant_in(finished, "late@example.org"), ["absent"] * 6)
    loaded_editions = list(type(finished).objects.select_related("programme").all())
    result, count = queries(lambda: selectors.out_of_reach_by_edition(loaded_editions))
    assert count == 3
    assert sorted(r.enrolment.pk for rows in result.values() for r in rows) == sorted(warned)
    assert finished.pk not in result
    reach = result[editions[0].pk][0]
    assert (reach.attended, reach.missed, reach.still_possible, reach.needed, reach.content_sessions) == (1, 2, 3, 5, 6)


def test_a_participant_sees_their_own_enrolments_but_not_drafts():
    person = factories.UserFactory(email="anna@example.org")
    finished = finished_edition()
    running = running_edition()
    draft = running_edition(status="draft")
    for edition in (finished, running, draft):
        factories.EnrolmentFactory(edition=edition, participant=person)
    participant_in(running, "other@example.org")
    hand_in(Enrolment.objects.get(edition=running, participant=person), "pending")
    record_presented(Enrolment.objects.get(edition=finished, participant=person), False)
    standings = selectors.participant_standings(person)
    assert [s.enrolment.edition_id for s in standings] == [running.pk, finished.pk]  # newest edition first
    assert standings[0].paper == "submitted" and standings[1].presented is False
    assert standings[0].final is False and standings[1].final is True
    assert selectors.participant_standings(factories.UserFactory()) == []
