"""Posting the groups form reads the sessions and which of them groups were formed at in one query
(views_groups._sessions_for_form) instead of every grouping with a row per member: the same sessions
count as formed as the groupings say, in every state, and a post reads no group members before the
service forms the groups."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leergang.learning import groups, views_groups
from leergang.learning.models import StudyGroup, StudyGroupMember
from tests import factories

pytestmark = pytest.mark.django_db


def formed_as_the_groupings_say(edition, sessions) -> set[int]:
    """What the view computed before: the sessions whose number groups.groupings() files groups under."""
    all_groupings = groups.groupings(edition.pk)
    return {session.pk for session in sessions if session.number in all_groupings}


def group(edition, session, number, enrolments, actor):
    made = StudyGroup.objects.create(
        edition=edition, from_session=session, number=number, formed_at=timezone.now(), formed_by=actor
    )
    for enrolment in enrolments:
        StudyGroupMember.objects.create(group=made, enrolment=enrolment, from_session=session)
    return made


def test_the_sessions_groups_were_formed_at_are_those_the_groupings_name(edition, coordinator):
    sessions = [factories.SessionFactory(edition=edition, number=number) for number in range(1, 6)]
    enrolments = [factories.EnrolmentFactory(edition=edition) for _ in range(4)]
    other = factories.EditionFactory(programme=edition.programme)
    other_sessions = [factories.SessionFactory(edition=other, number=number) for number in range(1, 6)]
    states = []

    def check():
        read, formed = views_groups._sessions_for_form(edition)
        assert [s.pk for s in read] == [s.pk for s in sessions]
        assert formed == formed_as_the_groupings_say(edition, sessions)
        states.append(frozenset(formed))

    check()  # no groups at all
    group(other, other_sessions[2], 1, [], coordinator)  # another edition's groups do not count
    check()
    group(edition, sessions[1], 1, enrolments[:2], coordinator)
    group(edition, sessions[1], 2, enrolments[2:], coordinator)
    check()
    group(edition, sessions[3], 1, [], coordinator)  # a group whose members were all erased still counts
    check()
    StudyGroupMember.objects.filter(from_session=sessions[1]).delete()
    StudyGroup.objects.filter(from_session=sessions[1]).delete()
    check()
    assert states == [
        frozenset(),
        frozenset(),
        frozenset({sessions[1].pk}),
        frozenset({sessions[1].pk, sessions[3].pk}),
        frozenset({sessions[3].pk}),
    ]


def test_a_post_reads_no_group_members_before_forming_the_groups(client, edition, coordinator):
    sessions = [factories.SessionFactory(edition=edition, number=number) for number in range(1, 4)]
    for _ in range(4):
        factories.EnrolmentFactory(edition=edition)
    client.force_login(coordinator)
    url = reverse("groups:edition", kwargs={"edition_id": edition.pk})
    client.post(url, {"session": str(sessions[0].pk), "size": "2"})
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"session": str(sessions[0].pk), "size": "2", "confirm": "on"})
    assert response.status_code == 302
    assert StudyGroup.objects.filter(from_session=sessions[0]).count() == 2
    before_service = []
    for query in captured.captured_queries:
        if query["sql"].startswith("SAVEPOINT"):
            break
        before_service.append(query["sql"])
    assert not any("learning_studygroupmember" in sql for sql in before_service)
    # Without the tick, a session with groups asks for it (formed is still known).
    response = client.post(url, {"session": str(sessions[0].pk), "size": "2"})
    assert response.status_code == 422
