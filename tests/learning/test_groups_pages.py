"""The groups page (M12): the edition's teachers and the programme office form and reshuffle the
groups at a session and see every grouping; an enrolled participant sees only their own group;
everyone else gets a 404. Through the real service and real HTTP."""

import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leergang.core.errors import Invalid, NotFound, PermissionDenied
from leergang.core.models import AuditEntry
from leergang.enrolment.models import EnrolmentStatus
from leergang.learning import groups
from leergang.learning.models import StudyGroup, StudyGroupMember
from tests import factories

pytestmark = pytest.mark.django_db

ORGANISATIONS = ["Gemeente Utrecht", "Provincie Gelderland", "GGD Amsterdam", "Rijkswaterstaat"]


def page_url(edition_id: int, language: str = "nl") -> str:
    with translation.override(language):
        return reverse("groups:edition", kwargs={"edition_id": edition_id})


def name_of(index: int) -> tuple[str, str]:
    """Names that are no substring of one another, so the absence of one in a page means something."""
    return f"Voornaam{index:02d}x", f"Achter{index:02d}z"


def enrol(edition, index: int, organisation: str, participant=None):
    first, last = name_of(index)
    if participant is None:
        participant = factories.UserFactory(first_name=first, last_name=last)
    else:
        participant.first_name, participant.last_name = first, last
        participant.save()
    return factories.EnrolmentFactory(edition=edition, participant=participant, organisation=organisation)


def full_name(enrolment) -> str:
    return enrolment.participant.get_full_name()


@pytest.fixture
def sessions(edition):
    """Four sessions (dated after today: the first one is the next session)."""
    return [factories.SessionFactory(edition=edition, number=number) for number in range(1, 5)]


@pytest.fixture
def cohort(edition, participant):
    """Eight participants, two from each of four organisations; the first one is `participant`."""
    return [
        enrol(edition, index, ORGANISATIONS[index % 4], participant=participant if index == 0 else None) for index in range(8)
    ]


def form(client, edition, session, size="4", confirm=False, language="nl"):
    data = {"session": str(session.pk), "size": size}
    if confirm:
        data["confirm"] = "on"
    return client.post(page_url(edition.pk, language), data)


def membership(session) -> dict[int, set[int]]:
    """The groups formed at a session as {group id: enrolment ids}."""
    result: dict[int, set[int]] = {}
    for group_id, enrolment_id in StudyGroupMember.objects.filter(from_session=session).values_list("group_id", "enrolment_id"):
        result.setdefault(group_id, set()).add(enrolment_id)
    return result


def session_rows(html: str) -> list[str]:
    """The rows of the "groups per session" table."""
    table = re.search(r'<table class="data-table groups-sessions[^"]*">(.*?)</table>', html, re.S).group(1)
    return re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", table, re.S)


def test_a_teacher_forms_groups_that_mix_organisations(client, edition, sessions, cohort, teacher_user):
    client.force_login(teacher_user)
    response = form(client, edition, sessions[0])
    assert response.status_code == 302
    assert response["Location"] == page_url(edition.pk) + "#grouping-1"

    found = membership(sessions[0])
    assert len(found) == 2 and sorted(len(members) for members in found.values()) == [4, 4]
    assert sorted(pk for members in found.values() for pk in members) == sorted(e.pk for e in cohort)
    organisation = {e.pk: e.organisation for e in cohort}
    for members in found.values():  # two people per organisation in two groups: one in each
        assert max(Counter(organisation[pk] for pk in members).values()) == 1
    assert StudyGroup.objects.filter(edition=edition, from_session=sessions[0], formed_by=teacher_user).count() == 2
    entry = AuditEntry.objects.get(action="groups.formed")
    assert entry.actor == teacher_user and entry.before is None and entry.after["size"] == 4

    page = client.get(page_url(edition.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bij bijeenkomst 1 zijn 2 groepen gevormd." in html
    for enrolment in cohort:
        assert full_name(enrolment) in html
    for name in ORGANISATIONS:
        assert name in html
    assert 'name="size"' in html  # the form is there for staff


def test_forming_groups_at_a_later_session_keeps_the_earlier_ones(client, edition, sessions, cohort, coordinator):
    client.force_login(coordinator)
    assert form(client, edition, sessions[0]).status_code == 302
    first = membership(sessions[0])
    first_rows = set(StudyGroup.objects.filter(from_session=sessions[0]).values_list("pk", "number"))

    # Session 3 has no groups yet: no confirmation needed.
    assert form(client, edition, sessions[2], size="3").status_code == 302
    assert membership(sessions[0]) == first
    assert set(StudyGroup.objects.filter(from_session=sessions[0]).values_list("pk", "number")) == first_rows
    assert sorted(len(members) for members in membership(sessions[2]).values()) == [2, 3, 3]

    html = client.get(page_url(edition.pk, "en")).content.decode()
    rows = session_rows(html)
    assert len(rows) == 4
    assert "2 new groups formed" in rows[0]
    assert "Groups of session 1 kept" in rows[1] and 'href="#grouping-1"' in rows[1]
    assert "3 new groups formed" in rows[2]
    assert "Groups of session 3 kept" in rows[3] and 'href="#grouping-3"' in rows[3]
    assert 'id="grouping-1"' in html and 'id="grouping-3"' in html
    # The groups of session 3 are in force now only from session 3 on; session 1's are the next session's.
    assert "In force at sessions 1 to 2." in html and "In force at sessions 3 to 4." in html


def test_groups_formed_after_the_first_session_also_hold_before_it(client, edition, sessions, cohort, coordinator):
    client.force_login(coordinator)
    assert form(client, edition, sessions[1]).status_code == 302
    html = client.get(page_url(edition.pk, "en")).content.decode()
    rows = session_rows(html)
    assert "Groups formed at session 2 apply" in rows[0]
    assert "2 new groups formed" in rows[1]
    assert "Groups of session 2 kept" in rows[2] and "Groups of session 2 kept" in rows[3]
    assert "in force now" in html  # the next session is session 1, where session 2's groups apply


def test_reshuffling_at_the_same_session_asks_for_a_tick_first(client, edition, sessions, cohort, teacher_user):
    client.force_login(teacher_user)
    assert form(client, edition, sessions[0]).status_code == 302
    assert form(client, edition, sessions[2]).status_code == 302
    before = membership(sessions[0])
    later = membership(sessions[2])
    entries = AuditEntry.objects.count()

    # The form for session 1 offers a reshuffle, with a box to tick (also as htmx refreshes it).
    html = client.get(
        page_url(edition.pk, "en"), {"session": sessions[0].pk, "size": "5"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Reshuffle the groups of session 1" in html
    assert 'name="confirm"' in html and "Yes, replace the groups formed at session 1" in html
    assert re.search(r'<input[^>]*name="size"[^>]*value="5"', html)
    # Another session without groups: a plain "Form the groups" and no box.
    html = client.get(page_url(edition.pk, "en"), {"session": sessions[1].pk}).content.decode()
    form_html = html[html.index('id="groups-form"') :]
    assert "Form the groups" in form_html and 'name="confirm"' not in form_html

    response = form(client, edition, sessions[0], language="en")
    assert response.status_code in (400, 422)
    html = response.content.decode()
    assert "Tick the box to replace the groups of session 1, or choose another session." in html
    assert 'name="confirm"' in html and "Reshuffle the groups of session 1" in html
    assert membership(sessions[0]) == before and AuditEntry.objects.count() == entries

    response = form(client, edition, sessions[0], confirm=True, language="en")
    assert response.status_code == 302
    after = membership(sessions[0])
    assert not set(after) & set(before)  # new group rows
    assert sorted(pk for members in after.values() for pk in members) == sorted(e.pk for e in cohort)
    assert membership(sessions[2]) == later  # another session's groups stay as they were
    entry = AuditEntry.objects.filter(action="groups.formed").first()
    assert sorted(map(sorted, before.values())) == sorted(entry.before["groups"])
    assert "were reshuffled" in client.get(page_url(edition.pk, "en")).content.decode()


def test_every_reshuffle_deals_anew(edition, sessions, cohort, coordinator):
    for _ in range(4):
        groups.form_groups(actor=coordinator, edition_id=edition.pk, session_id=sessions[0].pk, size=3)
    seeds = [entry.after["seed"] for entry in AuditEntry.objects.filter(action="groups.formed")]
    assert len(seeds) == 4 and len(set(seeds)) == 4


@pytest.mark.parametrize(
    ("size", "session", "message"),
    [
        ("1", "own", "Enter a group size from 2 to 12 people"),
        ("13", "own", "Enter a group size from 2 to 12 people"),
        ("abc", "own", "Enter a group size from 2 to 12 people"),
        ("", "own", "Enter a group size from 2 to 12 people"),
        ("4", "other_edition", "Choose one of this edition&#x27;s sessions."),
        ("4", "nonsense", "Choose one of this edition&#x27;s sessions."),
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(client, edition, sessions, cohort, coordinator, size, session, message):
    client.force_login(coordinator)
    chosen = {
        "own": str(sessions[0].pk),
        "other_edition": str(factories.SessionFactory().pk),
        "nonsense": "session-one",
    }[session]
    response = client.post(page_url(edition.pk, "en"), {"session": chosen, "size": size})
    assert response.status_code in (400, 422)
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not StudyGroup.objects.exists() and not AuditEntry.objects.filter(action="groups.formed").exists()


def test_the_services_refusal_is_a_form_error(client, edition, sessions, coordinator):
    enrol(edition, 1, "Gemeente Utrecht")  # one participant: no groups possible
    client.force_login(coordinator)
    response = form(client, edition, sessions[0], language="en")
    assert response.status_code in (400, 422)
    assert "Groups need at least two enrolled participants." in response.content.decode()
    assert not StudyGroup.objects.exists()


def test_a_participant_sees_only_their_own_group(client, edition, sessions, cohort, coordinator, participant):
    groups.form_groups(actor=coordinator, edition_id=edition.pk, session_id=sessions[0].pk, size=4)
    own = cohort[0]
    peers = groups.peers_at(edition.pk, 1, own.pk)
    strangers = [e for e in cohort if e.pk not in peers | {own.pk}]
    assert len(peers) == 3 and len(strangers) == 4

    client.force_login(participant)
    response = client.get(page_url(edition.pk, "en"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your group at sessions 1 to 4" in html and "Formed at session 1." in html
    for enrolment in cohort:
        if enrolment.pk in peers:
            assert full_name(enrolment) in html and enrolment.organisation in html
        elif enrolment != own:
            assert full_name(enrolment) not in html
    assert full_name(own) in html and "(you)" in html
    assert 'name="size"' not in html and "Groups per session" not in html

    # A peer who cancelled drops out of the participant's view; the staff still see them, marked.
    peer = next(e for e in cohort if e.pk in peers)
    peer.status = EnrolmentStatus.CANCELLED
    peer.save()
    assert full_name(peer) not in client.get(page_url(edition.pk, "en")).content.decode()
    client.force_login(coordinator)
    html = client.get(page_url(edition.pk, "en")).content.decode()
    assert re.search(re.escape(full_name(peer)) + r"\s*<span class=\"subtle\">\(enrolment cancelled\)", html)


def test_a_participant_cannot_form_groups(client, edition, sessions, cohort, participant):
    client.force_login(participant)
    assert form(client, edition, sessions[0]).status_code == 404
    assert not StudyGroup.objects.exists()


def test_before_any_grouping_the_participant_is_told_so(client, edition, sessions, cohort, participant):
    client.force_login(participant)
    html = client.get(page_url(edition.pk, "en")).content.decode()
    assert "The groups have not been formed yet." in html


def test_someone_who_enrolled_later_is_pointed_out(client, edition, sessions, cohort, coordinator):
    groups.form_groups(actor=coordinator, edition_id=edition.pk, session_id=sessions[0].pk, size=4)
    late = enrol(edition, 50, "Politie")
    client.force_login(coordinator)
    html = client.get(page_url(edition.pk, "en")).content.decode()
    assert "1 participant enrolled now is in none of these groups:" in html and full_name(late) in html
    client.force_login(late.participant)
    html = client.get(page_url(edition.pk, "en")).content.decode()
    assert "You are not in one of these groups" in html
    assert not any(full_name(e) in html for e in cohort)


@pytest.mark.parametrize("who", ["other_teacher", "other_participant", "cancelled", "missing_edition"])
def test_people_outside_the_edition_get_a_404(client, edition, sessions, cohort, coordinator, other_teacher, who):
    groups.form_groups(actor=coordinator, edition_id=edition.pk, session_id=sessions[0].pk, size=4)
    edition_id = edition.pk
    if who == "other_teacher":
        user = other_teacher
    elif who == "other_participant":
        user = factories.EnrolmentFactory(participant=factories.UserFactory(email="elsewhere@example.org")).participant
    elif who == "cancelled":
        user = factories.EnrolmentFactory(
            edition=edition, status=EnrolmentStatus.CANCELLED, participant=factories.UserFactory(email="left@example.org")
        ).participant
    else:
        user, edition_id = coordinator, edition.pk + 999
    client.force_login(user)
    assert client.get(page_url(edition_id)).status_code == 404
    response = client.post(page_url(edition_id), {"session": sessions[1].pk, "size": "4", "confirm": "on"})
    assert response.status_code == 404
    assert not StudyGroup.objects.filter(from_session=sessions[1]).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, edition, sessions):
    response = client.get(page_url(edition.pk))
    assert response.status_code == 302 and "/account/" in response["Location"]
    assert client.post(page_url(edition.pk), {"session": sessions[0].pk, "size": "4"}).status_code == 302
    assert not StudyGroup.objects.exists()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_page_renders_in_both_languages(client, edition, sessions, cohort, teacher_user, participant, language):
    groups.form_groups(actor=teacher_user, edition_id=edition.pk, session_id=sessions[0].pk, size=4)
    address = page_url(edition.pk, language)
    assert address.startswith(f"/{language}/leren/editie/")
    for user in (teacher_user, participant):
        client.force_login(user)
        response = client.get(address)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        assert full_name(cohort[0]) in html
    theme = sessions[0].theme_nl if language == "nl" else sessions[0].theme_en
    client.force_login(teacher_user)
    assert theme in client.get(address).content.decode()


@pytest.mark.parametrize("count", [5, 25])
def test_the_page_makes_the_same_number_of_queries_for_any_cohort(
    client, edition, sessions, coordinator, teacher_user, count, django_assert_num_queries
):
    people = [enrol(edition, index, ORGANISATIONS[index % 4]) for index in range(count)]
    groups.form_groups(actor=coordinator, edition_id=edition.pk, session_id=sessions[0].pk, size=4)
    groups.form_groups(actor=coordinator, edition_id=edition.pk, session_id=sessions[2].pk, size=3)
    address = page_url(edition.pk)
    client.force_login(teacher_user)
    # login session, user, edition, whether they teach it (one query), sessions, the groupings,
    # the enrolments with their people
    with django_assert_num_queries(7):
        assert client.get(address).status_code == 200
    client.force_login(people[0].participant)
    # login session, user, edition, not a teacher (no query), the enrolment, sessions, the
    # groupings, the group's enrolments with their people
    with django_assert_num_queries(7):
        assert client.get(address).status_code == 200


# The readers, on groupings written by hand.


@pytest.fixture
def by_hand(edition, sessions, coordinator):
    """Groups formed at sessions 2 and 4 of six people: {1,2,3},{4,5,6} and then {1,4},{2,5},{3,6}."""
    people = [enrol(edition, index, "") for index in range(6)]

    def grouping(session, sets):
        for number, members in enumerate(sets, start=1):
            group = StudyGroup.objects.create(
                edition=edition, from_session=session, number=number, formed_at=timezone.now(), formed_by=coordinator
            )
            for index in members:
                StudyGroupMember.objects.create(group=group, enrolment=people[index - 1], from_session=session)

    grouping(sessions[1], [{1, 2, 3}, {4, 5, 6}])
    grouping(sessions[3], [{1, 4}, {2, 5}, {3, 6}])
    return [None, *people]  # people[i] is person i


def test_in_force_is_the_latest_grouping_at_or_before_a_session_else_the_first(edition, by_hand):
    found = groups.groupings(edition.pk)
    assert sorted(found) == [2, 4]
    ids = lambda grouping: [set(group.enrolment_ids) for group in grouping]  # noqa: E731
    person = by_hand
    first = [{person[1].pk, person[2].pk, person[3].pk}, {person[4].pk, person[5].pk, person[6].pk}]
    second = [{person[1].pk, person[4].pk}, {person[2].pk, person[5].pk}, {person[3].pk, person[6].pk}]
    assert ids(groups.in_force(found, 1)) == first  # before the first grouping: the first one
    assert ids(groups.in_force(found, 2)) == first
    assert ids(groups.in_force(found, 3)) == first  # kept
    assert ids(groups.in_force(found, 4)) == second
    assert ids(groups.in_force(found, 9)) == second
    assert groups.in_force({}, 1) == []
    assert groups.in_force_from([], 3) is None and groups.in_force_from([2, 4], 3) == 2
    assert groups.group_of(found, 3, person[5].pk).number == 2
    assert groups.peers_at(edition.pk, 1, person[1].pk) == {person[2].pk, person[3].pk}
    assert groups.peers_at(edition.pk, 4, person[1].pk) == {person[4].pk}


def test_ever_peers_is_everyone_who_shared_a_group_in_any_grouping(edition, by_hand):
    person = by_hand
    assert groups.ever_peers(edition.pk, person[1].pk) == {person[2].pk, person[3].pk, person[4].pk}
    assert groups.ever_peers(edition.pk, person[6].pk) == {person[4].pk, person[5].pk, person[3].pk}
    stranger = factories.EnrolmentFactory(edition=edition)
    assert groups.ever_peers(edition.pk, stranger.pk) == set()
    assert groups.peers_at(edition.pk, 3, stranger.pk) == set()


def test_the_service_refuses_what_the_page_never_sends(
    edition, sessions, cohort, coordinator, teacher_user, other_teacher, participant
):
    other_session = factories.SessionFactory()
    cases = [
        (coordinator, edition.pk, other_session.pk, 4, Invalid, "session"),
        (coordinator, edition.pk, sessions[0].pk, 1, Invalid, "size"),
        (coordinator, edition.pk, sessions[0].pk, True, Invalid, "size"),
        (coordinator, edition.pk, str(sessions[0].pk), 4, Invalid, "session"),
        (other_teacher, edition.pk, sessions[0].pk, 1, PermissionDenied, None),  # who may comes first
        (participant, edition.pk, sessions[0].pk, 4, PermissionDenied, None),
        (coordinator, edition.pk + 999, sessions[0].pk, 4, NotFound, None),
    ]
    for actor, edition_id, session_id, size, error, field in cases:
        with pytest.raises(error) as raised:
            groups.form_groups(actor=actor, edition_id=edition_id, session_id=session_id, size=size)
        if field:
            assert [e["field"] for e in raised.value.errors] == [field]
    assert not StudyGroup.objects.exists() and not AuditEntry.objects.filter(action="groups.formed").exists()
    assert len(groups.form_groups(actor=teacher_user, edition_id=edition.pk, session_id=sessions[0].pk, size=12)) == 1
