"""The award rule (M18) as a pure function: the seed's diploma criteria around every boundary."""

import itertools

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from leergang.awards import rules, selectors
from leergang.awards.rules import ABSENT, CLOSING, CONTENT, EXCUSED, PRESENT, Facts, Policy, SessionFact
from leergang.enrolment.models import Enrolment
from tests.awards.standing_data import attend, finished_edition, hand_in, participant_in, record_presented

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


# -- the rule as data: other policies -----------------------------------------------------------------------------

AWARD_ORDER = {rules.NONE: 0, rules.CERTIFICATE: 1, rules.DIPLOMA: 2}


@pytest.mark.parametrize(
    ("policy", "attended", "paper", "presented", "award", "criteria"),
    [
        (Policy(4, True, False), 4, "sufficient", False, rules.DIPLOMA, [rules.ATTENDANCE, rules.PAPER]),
        (Policy(4, True, False), 3, "sufficient", True, rules.CERTIFICATE, [rules.ATTENDANCE, rules.PAPER]),
        (Policy(5, False, True), 5, "missing", True, rules.DIPLOMA, [rules.ATTENDANCE, rules.PRESENTATION]),
        (Policy(6, True, True), 5, "sufficient", True, rules.CERTIFICATE, [rules.ATTENDANCE, rules.PAPER, rules.PRESENTATION]),
        (Policy(1, False, False), 1, "missing", None, rules.DIPLOMA, [rules.ATTENDANCE]),
    ],
)
def test_the_policy_decides_which_criteria_count(policy, attended, paper, presented, award, criteria):
    outcome = rules.evaluate(policy, facts([PRESENT] * attended + [ABSENT] * (6 - attended), paper=paper, presented=presented))
    assert outcome.award == award
    assert [c.criterion for c in outcome.criteria] == criteria


def test_a_held_session_without_a_register_does_not_count_once_final():
    sessions = (SessionFact(CONTENT, True, PRESENT),) * 4 + (SessionFact(CONTENT, True, None),) * 2
    final = Facts(sessions + (SessionFact(CLOSING, True, None),), "sufficient", True, final=True)
    outcome = rules.evaluate(POLICY, final)
    assert outcome.award == rules.CERTIFICATE and not outcome.criteria[0].met
    # Before the outcome is final the two unrecorded sessions may still count: no warning.
    assert rules.evaluate(POLICY, Facts(sessions + (SessionFact(CLOSING, False, None),), "missing", None)).diploma_reachable


@given(
    minimum=st.integers(min_value=1, max_value=6),
    require_paper=st.booleans(),
    require_presentation=st.booleans(),
    statuses=st.lists(st.sampled_from([PRESENT, ABSENT, EXCUSED, None]), min_size=6, max_size=6),
    paper=st.sampled_from(["missing", "submitted", "insufficient", "sufficient"]),
    presented=st.sampled_from([True, False, None]),
    extra=st.integers(min_value=0, max_value=5),
)
def test_for_any_policy_attending_one_more_session_never_lowers_the_award(
    minimum, require_paper, require_presentation, statuses, paper, presented, extra
):
    policy = Policy(minimum, require_paper, require_presentation)
    before = rules.evaluate(policy, facts(statuses, paper=paper, presented=presented))
    assert (before.award == rules.DIPLOMA) == all(c.met for c in before.criteria)
    expected = [rules.ATTENDANCE] + [rules.PAPER] * require_paper + [rules.PRESENTATION] * require_presentation
    assert [c.criterion for c in before.criteria] == expected
    better = list(statuses)
    better[extra] = PRESENT
    after = rules.evaluate(policy, facts(better, paper=paper, presented=presented))
    assert AWARD_ORDER[after.award] >= AWARD_ORDER[before.award]


# -- the programme's fields drive the outcome through selectors.standing, on database rows ---------------------


@pytest.fixture
def stored(db):
    """stored(attended statuses, paper results oldest first, presented, **programme fields) -> the enrolment."""

    def make(statuses, papers=("sufficient",), presented=True, *, closing=None, status="enrolled", **programme):
        edition = finished_edition(**programme)
        enrolment = participant_in(edition, f"p{edition.pk}@example.org", status=status)
        attend(enrolment, statuses, closing=closing)
        for result in papers:
            hand_in(enrolment, result)
        if presented is not None:
            record_presented(enrolment, presented)
        return enrolment

    return make


def standing_of(enrolment):
    with translation.override("en"):
        return selectors.standing(Enrolment.objects.select_related("edition__programme").get(pk=enrolment.pk))


@pytest.mark.parametrize(
    ("programme", "attended", "presented", "award"),
    [
        # A programme needing four content sessions and no presentation.
        ({"award_min_content_sessions": 4, "award_requires_presentation": False}, 4, False, rules.DIPLOMA),
        ({"award_min_content_sessions": 4, "award_requires_presentation": False}, 3, False, rules.CERTIFICATE),
        # The seed's rule: five sessions and the presentation.
        ({}, 4, True, rules.CERTIFICATE),
        ({}, 5, True, rules.DIPLOMA),
        ({}, 5, False, rules.CERTIFICATE),
        ({"award_min_content_sessions": 6}, 5, True, rules.CERTIFICATE),
        ({"award_min_content_sessions": 6}, 6, True, rules.DIPLOMA),
    ],
)
def test_the_programmes_fields_drive_the_outcome(stored, programme, attended, presented, award):
    enrolment = stored([PRESENT] * attended + [ABSENT] * (6 - attended), presented=presented, **programme)
    outcome = standing_of(enrolment)
    assert outcome.award == award and outcome.final is True
    needed = programme.get("award_min_content_sessions", 5)
    assert outcome.criteria[0].detail.startswith(f"Attended {attended} of 6 content sessions; {needed} are needed.")
    if programme.get("award_requires_presentation") is False:
        assert [c.criterion for c in outcome.criteria] == [rules.ATTENDANCE, rules.PAPER]


def test_a_programme_without_the_paper_requirement_ignores_a_missing_paper(stored):
    enrolment = stored([PRESENT] * 5 + [ABSENT], papers=(), award_requires_paper=False)
    outcome = standing_of(enrolment)
    assert outcome.award == rules.DIPLOMA
    assert [c.criterion for c in outcome.criteria] == [rules.ATTENDANCE, rules.PRESENTATION]
    assert standing_of(stored([PRESENT] * 5 + [ABSENT], papers=())).award == rules.CERTIFICATE


@pytest.mark.parametrize(
    ("statuses", "closing", "award"),
    [
        ([PRESENT] * 5 + [EXCUSED], None, rules.DIPLOMA),
        ([PRESENT] * 4 + [EXCUSED, EXCUSED], None, rules.CERTIFICATE),  # excused is not attended
        ([PRESENT] * 4 + [ABSENT, ABSENT], PRESENT, rules.CERTIFICATE),  # the closing session does not count
        ([PRESENT] * 4 + [None, None], None, rules.CERTIFICATE),  # no register kept: not attended
        ([EXCUSED] * 6, PRESENT, rules.NONE),
    ],
)
def test_attendance_on_database_rows(stored, statuses, closing, award):
    assert standing_of(stored(statuses, closing=closing)).award == award


@pytest.mark.parametrize(
    ("papers", "met"),
    [
        ((), False),  # missing
        (("pending",), False),  # handed in, waiting for assessment
        (("insufficient",), False),
        (("sufficient",), True),
        (("insufficient", "sufficient"), True),  # the latest version counts
        (("sufficient", "pending"), False),  # a newer version replaces the assessed one
    ],
)
def test_the_latest_paper_on_database_rows(stored, papers, met):
    outcome = standing_of(stored([PRESENT] * 6, papers=papers))
    assert outcome.criteria[1].met is met
    assert outcome.award == (rules.DIPLOMA if met else rules.CERTIFICATE)


def test_a_cancelled_enrolment_on_database_rows_gets_nothing(stored):
    assert standing_of(stored([PRESENT] * 6, status="cancelled")).award == rules.NONE


@pytest.mark.parametrize(
    ("statuses", "final", "paper", "presented", "cancelled", "expected"),
    [
        ([None] * 6, False, "missing", None, False, rules.DIPLOMA),  # at the start: everything still possible
        ([PRESENT] * 2 + [None] * 4, False, "missing", None, False, rules.DIPLOMA),
        ([ABSENT, EXCUSED] + [None] * 4, False, "missing", None, False, rules.CERTIFICATE),  # 4 left < 5 needed
        ([ABSENT] * 6, False, "missing", None, False, rules.NONE),  # nothing attended, nothing left
        ([PRESENT] * 5 + [ABSENT], False, "insufficient", None, False, rules.DIPLOMA),  # a new version can still pass
        ([PRESENT] * 5 + [ABSENT], True, "insufficient", True, False, rules.CERTIFICATE),  # final: the outcome
        ([None] * 6, False, "missing", None, True, rules.NONE),  # cancelled
    ],
)
def test_what_a_participant_is_on_course_for(statuses, final, paper, presented, cancelled, expected):
    sessions = tuple(SessionFact(CONTENT, status is not None, status) for status in statuses) + (
        SessionFact(CLOSING, final, None),
    )
    situation = Facts(sessions=sessions, paper=paper, presented=presented, cancelled=cancelled, final=final)
    assert rules.prospect(situation, rules.evaluate(POLICY, situation)) == expected


# The early warning reads attendance alone, without building the criteria's texts; it must agree
# with the full evaluation for every combination of facts.
_session = st.builds(
    rules.SessionFact,
    kind=st.sampled_from([rules.CONTENT, rules.CONTENT, rules.CLOSING]),
    held=st.booleans(),
    status=st.sampled_from([rules.PRESENT, rules.ABSENT, rules.EXCUSED, None]),
)
_facts = st.builds(
    rules.Facts,
    sessions=st.lists(_session, max_size=9).map(tuple),
    paper=st.sampled_from(["missing", "submitted", "sufficient", "insufficient"]),
    presented=st.sampled_from([True, False, None]),
    cancelled=st.booleans(),
    final=st.booleans(),
)
_policy = st.builds(
    rules.Policy, min_content_attended=st.integers(1, 8), require_paper=st.booleans(), require_presentation=st.booleans()
)


@given(policy=_policy, facts=_facts)
def test_the_early_warning_without_texts_agrees_with_the_full_evaluation(policy, facts):
    from leergang.awards.selectors import out_of_reach

    assert out_of_reach(policy, facts) == out_of_reach(policy, facts, rules.evaluate(policy, facts))
    assert rules.attendance_out_of_reach(policy, facts) == (not rules.attendance(policy, facts).reachable)
