"""The meal headcount: enrolled participants minus those excused, with the dietary requirements of
those coming; and the page for the programme office and the edition's teachers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from leergang.learning import meals
from tests.attendance.helpers import enrol, excuse, session_in

pytestmark = pytest.mark.django_db


def url(edition, language="nl"):
    with translation.override(language):
        return reverse("meals:edition", kwargs={"edition_id": edition.pk})


@pytest.fixture
def group(edition):
    """Two sessions; four enrolled (one excused for the first session, one without an application)
    and one cancelled."""
    first, second = session_in(edition, 10, number=1), session_in(edition, 38, number=2)
    anna = enrol(edition, "anna@example.org", "Anna", "Jansen", dietary="Vegetarisch")
    bram = enrol(edition, "bram@example.org", "Bram", "de Vries", dietary="  Geen   noten ")
    cees = enrol(edition, "cees@example.org", "Cees", "Bakker", dietary="")
    direct = enrol(edition, "dirk@example.org", "Dirk", "Smit", dietary=None)
    gone = enrol(edition, "gone@example.org", "Gerda", "Weg", dietary="Halal", status="cancelled")
    excuse(first, bram, note="Ziek")
    excuse(first, gone)  # a cancelled participant's old excuse counts for nothing
    return {"sessions": (first, second), "anna": anna, "bram": bram, "cees": cees, "direct": direct, "gone": gone}


def test_meals_are_enrolled_minus_excused_and_cancelled_do_not_count(edition, group):
    first, second = meals.edition_headcount(edition)
    assert first.session == group["sessions"][0] and second.session == group["sessions"][1]
    assert (first.enrolled, first.excused, first.meals) == (4, 1, 3)
    assert (second.enrolled, second.excused, second.meals) == (4, 0, 4)


def test_the_dietary_list_names_those_coming_with_a_requirement(edition, group):
    first, second = meals.edition_headcount(edition)
    assert [(need.name, need.requirement) for need in first.dietary] == [("Anna Jansen", "Vegetarisch")]
    # In name order as the database sorts last names ("de Vries" before "Jansen").
    assert [(need.name, need.requirement) for need in second.dietary] == [
        ("Bram de Vries", "Geen noten"),
        ("Anna Jansen", "Vegetarisch"),
    ]
    assert [enrolment.participant.email for enrolment in first.coming] == [
        "cees@example.org",
        "anna@example.org",
        "dirk@example.org",
    ]


def test_one_session_alone(edition, group):
    single = meals.session_headcount(group["sessions"][0])
    assert (single.enrolled, single.excused, single.meals) == (4, 1, 3)


def test_the_headcount_costs_three_queries_whatever_the_group(edition, group):
    with CaptureQueriesContext(connection) as few:
        meals.edition_headcount(edition)
    for number in range(10):
        enrol(edition, f"extra{number}@example.org", dietary="Veganistisch")
    with CaptureQueriesContext(connection) as many:
        rows = meals.edition_headcount(edition)
    assert len(few) == len(many) == 3
    assert rows[0].meals == 13


# -- the page ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_office_sees_the_table(client, coordinator, edition, group, language):
    client.force_login(coordinator)
    response = client.get(url(edition, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert "Anna Jansen" in html and "Vegetarisch" in html and "Geen noten" in html
    assert "Halal" not in html and "Gerda" not in html
    assert html.count('class="meals-count"') == 4
    if language == "en":
        assert "Dietary requirements" in html and "4 participants enrolled" in html


def test_a_teacher_of_the_edition_sees_it(client, teacher_user, edition, group):
    client.force_login(teacher_user)
    assert client.get(url(edition)).status_code == 200


def test_participants_and_other_teachers_get_404(client, edition, group, other_teacher):
    for user in (group["anna"].participant, other_teacher):
        client.force_login(user)
        assert client.get(url(edition)).status_code == 404


def test_a_missing_edition_gets_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/nl/leren/editie/999999/maaltijden/").status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, edition):
    response = client.get(url(edition))
    assert response.status_code == 302
    assert "/account/" in response["Location"] and "next=" in response["Location"]


def test_posting_is_not_allowed(client, coordinator, edition):
    client.force_login(coordinator)
    assert client.post(url(edition)).status_code == 405


def test_an_edition_without_sessions(client, coordinator, edition):
    client.force_login(coordinator)
    response = client.get(url(edition, "en"))
    assert response.status_code == 200
    assert "The sessions have not been planned yet." in response.content.decode()


def _page_queries(client, user, edition) -> int:
    client.force_login(user)
    client.get(url(edition))  # warm up (session, caches)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(edition)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["coordinator", "teacher_user"])
def test_the_page_needs_the_same_queries_for_5_and_25_participants(client, request, edition, who):
    user = request.getfixturevalue(who)
    sessions = [session_in(edition, 7 * number, number=number) for number in range(1, 8)]
    people = [enrol(edition, f"p{number}@example.org", dietary="Vegetarisch") for number in range(5)]
    excuse(sessions[0], people[0])
    five = _page_queries(client, user, edition)
    for number in range(5, 25):
        person = enrol(edition, f"p{number}@example.org", dietary="Geen vis" if number % 2 else "")
        excuse(sessions[number % 7], person)
    twenty_five = _page_queries(client, user, edition)
    assert five == twenty_five <= 10


def test_the_page_with_25_participants_stays_within_ten_queries(client, coordinator, edition, django_assert_max_num_queries):
    for number in range(25):
        enrol(edition, f"p{number}@example.org", dietary="Vegetarisch")
    session_in(edition, 7)
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        assert client.get(url(edition)).status_code == 200
