"""The edition's attendance as CSV (M17, M22): through the API with a coordinator's token, and as a
page download with the coordinator's session; the same file both ways."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from leergang.attendance.models import Attendance
from leergang.catalog.models import ProgrammeTeacher
from tests import factories

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    """Three sessions (two content, a closing one), three participants (one cancelled), a teacher."""
    edition = factories.EditionFactory()
    sessions = [
        factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 1, 13)),
        factories.SessionFactory(edition=edition, number=2, date=datetime.date(2027, 2, 10)),
        factories.SessionFactory(edition=edition, number=3, kind="closing", date=datetime.date(2027, 3, 10)),
    ]
    teacher = factories.TeacherUserFactory(email="docent@example.org")
    ProgrammeTeacher.objects.create(programme=edition.programme, teacher=factories.TeacherFactory(user=teacher))

    def person(email, first, last, organisation, **kwargs):
        user = factories.UserFactory(email=email, first_name=first, last_name=last)
        return factories.EnrolmentFactory(edition=edition, participant=user, organisation=organisation, **kwargs)

    anna = person("anna@example.org", "Anna", "Bakker", "Gemeente Utrecht")
    sneaky = person("=cmd@example.org", '=HYPERLINK("http://evil")', "+Zwart", "@SUM(A1:A9)")
    gone = person("gone@example.org", "Gert", "Weg", "Provincie", status="cancelled")
    statuses = {
        (anna, 0): "present",
        (anna, 1): "excused",
        (anna, 2): "present",
        (sneaky, 0): "present",
        (sneaky, 1): "present",
        (gone, 0): "present",
    }
    for (enrolment, index), status in statuses.items():
        Attendance.objects.create(
            session=sessions[index], enrolment=enrolment, status=status, recorded_at=timezone.now(), recorded_by=teacher
        )
    return {"edition": edition, "teacher": teacher, "anna": anna, "sneaky": sneaky}


def api_url(edition):
    return f"{API}/editions/{edition.pk}/attendance.csv"


def page_url(edition, language="nl"):
    return f"/{language}/leren/editie/{edition.pk}/presentie.csv"


def rows(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_one_row_per_enrolled_participant_and_a_column_per_session(client, bearer, coordinator, course):
    header, *body = rows(client.get(api_url(course["edition"]), **bearer(coordinator)))
    assert header == [
        "enrolment_id",
        "name",
        "email",
        "organisation",
        "1 (2027-01-13)",
        "2 (2027-02-10)",
        "3 (2027-03-10)",
        "content_sessions_attended",
    ]
    by_id = {row[0]: row for row in body}
    assert by_id[str(course["anna"].pk)] == [
        str(course["anna"].pk),
        "Anna Bakker",
        "anna@example.org",
        "Gemeente Utrecht",
        "present",
        "excused",
        "present",
        "1",
    ]
    assert set(by_id) == {str(course["anna"].pk), str(course["sneaky"].pk)}  # the cancelled participant is not listed


def test_cells_a_spreadsheet_would_run_are_neutralised(client, bearer, coordinator, course):
    _header, *body = rows(client.get(api_url(course["edition"]), **bearer(coordinator)))
    [sneaky] = [row for row in body if row[0] == str(course["sneaky"].pk)]
    assert sneaky[1:4] == ['\'=HYPERLINK("http://evil") +Zwart', "'=cmd@example.org", "'@SUM(A1:A9)"]
    assert sneaky[4:] == ["present", "present", "", "2"]


def test_the_page_download_is_the_same_file(client, bearer, coordinator, course):
    from_api = client.get(api_url(course["edition"]), **bearer(coordinator)).content
    client.force_login(coordinator)
    assert reverse("attendance:csv", kwargs={"edition_id": course["edition"].pk}) == page_url(course["edition"])
    for language in ("nl", "en"):
        response = client.get(page_url(course["edition"], language))
        rows(response)
        assert response.content == from_api


def test_only_the_coordinator(client, bearer, course):
    outsider = factories.UserFactory(email="x@example.org")
    for user in (course["teacher"], course["anna"].participant, outsider):
        assert_error(client.get(api_url(course["edition"]), **bearer(user)), 403)
        client.force_login(user)
        assert client.get(page_url(course["edition"])).status_code == 404
    assert_error(client.get(api_url(course["edition"])), 401)
    client.logout()
    assert client.get(page_url(course["edition"])).status_code == 302  # to the login page


def test_an_unknown_edition_is_404(client, bearer, coordinator):
    assert_error(client.get(f"{API}/editions/999999/attendance.csv", **bearer(coordinator)), 404)
    client.force_login(coordinator)
    assert client.get("/nl/leren/editie/999999/presentie.csv").status_code == 404


def test_the_export_reads_a_fixed_number_of_queries(client, bearer, coordinator, course, django_assert_max_num_queries):
    for n in range(15):
        factories.EnrolmentFactory(edition=course["edition"], participant=factories.UserFactory(email=f"p{n}@example.org"))
    for number in range(4, 12):  # more sessions must not mean more queries either
        factories.SessionFactory(
            edition=course["edition"], number=number, date=datetime.date(2027, 4, 1) + datetime.timedelta(weeks=number)
        )
    headers = bearer(coordinator)
    with django_assert_max_num_queries(5):
        assert client.get(api_url(course["edition"]), **headers).status_code == 200
