"""The award rule (M18) as a pure function: the seed's diploma criteria around every boundary."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leergang.awards import rules
from leergang.awards.rules import ABSENT, CLOSING, CONTENT, EXCUSED, PRESENT, Facts, Policy, SessionFact

POLICY = Policy()


def facts(statuses, *, paper="sufficient", presented=True, closing=PRESENT, held=True, cancelled=False):
    sessions = tuple(SessionFact(CONTENT, held, status) for status in statuses)
    sessions += (SessionFact(CLOSING, held, closing),)
    return Facts(sessions=sessions, paper=paper, presented=presented, cancelled=cancelled, final=held)


@pytest.mark.parametrize(
    ("statuses", "award"),
    [
        ([PRESENT] * 6, rules.DIPLOMA),
        ([PRESENT] * 5 + [ABSENT], rules.DIPLOMA),
        ([PRESENT] * 5 + [EXCUSED], rules.DIPLOMA),
        ([PRESENT] * 4 + [EXCUSED, ABSENT], rules.CERTIFICATE),
        ([PRESENT] * 4 + [EXCUSED, EXCUSED], rules.CERTIFICATE),
        ([PRESENT] + [ABSENT] * 5, rules.CERTIFICATE),
        ([ABSENT] * 6, rules.NONE),
        ([EXCUSED] * 6, rules.NONE),
    ],
)
def test_attendance_of_content_sessions_decides(statuses, award):
    assert rules.evaluate(POLICY, facts(statuses)).award == award


def test_the_closing_session_does_not_count_toward_attendance():
    outcome = rules.evaluate(POLICY, facts([PRESENT] * 4 + [ABSENT, ABSENT], closing=PRESENT))
    assert outcome.award == rules.CERTIFICATE
    assert not outcome.criteria[0].met


@pytest.mark.parametrize(
    ("paper", "met"), [("missing", False), ("submitted", False), ("insufficient", False), ("sufficient", True)]
)
def test_only_a_sufficient_paper_meets_the_paper_criterion(paper, met):
    outcome = rules.evaluate(POLICY, facts([PRESENT] * 6, paper=paper))
    assert outcome.criteria[1].met is met
    assert outcome.award == (rules.DIPLOMA if met else rules.CERTIFICATE)


@pytest.mark.parametrize(("presented", "award"), [(True, rules.DIPLOMA), (False, rules.CERTIFICATE), (None, rules.CERTIFICATE)])
def test_the_paper_must_be_presented(presented, award):
    assert rules.evaluate(POLICY, facts([PRESENT] * 6, presented=presented)).award == award


def test_a_cancelled_enrolment_gets_nothing():
    assert rules.evaluate(POLICY, facts([PRESENT] * 6, cancelled=True)).award == rules.NONE


def test_too_many_absences_warn_early_that_the_diploma_is_out_of_reach():
    # Two content sessions missed and one attended, three still to come.
    upcoming = (SessionFact(CONTENT, False, None),) * 3
    missed = (SessionFact(CONTENT, True, ABSENT),) * 2 + (SessionFact(CONTENT, True, PRESENT),)
    reachable = Facts(missed + upcoming + (SessionFact(CLOSING, False, None),), "missing", None)
    assert rules.evaluate(POLICY, reachable).diploma_reachable is False  # 1 attended + 3 possible = 4 < 5

    one_missed = (SessionFact(CONTENT, True, ABSENT),) + (SessionFact(CONTENT, True, PRESENT),) * 2
    still = Facts(one_missed + upcoming + (SessionFact(CLOSING, False, None),), "missing", None)
    assert rules.evaluate(POLICY, still).diploma_reachable is True  # 2 + 3 = 5


def test_an_absence_reported_ahead_counts_against_reaching_the_diploma():
    sessions = (SessionFact(CONTENT, True, ABSENT),) + (SessionFact(CONTENT, True, PRESENT),) * 2
    sessions += (SessionFact(CONTENT, False, EXCUSED),) + (SessionFact(CONTENT, False, None),) * 2
    outcome = rules.evaluate(POLICY, Facts(sessions + (SessionFact(CLOSING, False, None),), "missing", None))
    assert outcome.diploma_reachable is False


@given(
    statuses=st.lists(st.sampled_from([PRESENT, ABSENT, EXCUSED, None]), min_size=6, max_size=6),
    paper=st.sampled_from(["missing", "submitted", "insufficient", "sufficient"]),
    presented=st.sampled_from([True, False, None]),
)
def test_the_award_is_a_diploma_exactly_when_every_criterion_is_met(statuses, paper, presented):
    outcome = rules.evaluate(POLICY, facts(statuses, paper=paper, presented=presented))
    assert (outcome.award == rules.DIPLOMA) == all(c.met for c in outcome.criteria)
    assert [c.criterion for c in outcome.criteria] == [rules.ATTENDANCE, rules.PAPER, rules.PRESENTATION]


def test_every_combination_of_the_boundary():
    for attended, paper, presented in itertools.product(range(4, 7), ["insufficient", "sufficient"], [True, False]):
        statuses = [PRESENT] * attended + [ABSENT] * (6 - attended)
        outcome = rules.evaluate(POLICY, facts(statuses, paper=paper, presented=presented))
        diploma = attended >= 5 and paper == "sufficient" and presented
        assert outcome.award == (rules.DIPLOMA if diploma else rules.CERTIFICATE)
