"""Only the programme office sees the inbox and the application pages; for everybody else they do
not exist (404), and anonymous visitors are sent to the login page."""

import pytest

from leergang.accounts.models import User
from leergang.demo import content
from leergang.enrolment import services
from leergang.enrolment.models import Application, Enrolment, Intake
from leergang.notifications.models import OutboxEmail

from .conftest import apply, later, local_input, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(edition, office):
    """An application with a planned intake and an admitted one (with an enrolment to cancel)."""
    open_one = apply(edition, "open@example.org")
    intake = services.plan_intake(
        actor=office, application_id=open_one.pk, scheduled_at=later(), mode="online", interviewer="Ria"
    )
    admitted = apply(edition, "binnen@example.org")
    services.decide(actor=office, application_id=admitted.pk, decision="admit")
    return edition, open_one, intake, admitted


def pages(setting) -> list[tuple[str, str, dict]]:
    edition, open_one, intake, admitted = setting
    return [
        ("get", url("inbox:edition", edition_id=edition.pk), {}),
        ("post", url("inbox:bulk", edition_id=edition.pk), {"decision": "decline", "applications": [open_one.pk]}),
        ("get", url("applications:detail", application_id=open_one.pk), {}),
        (
            "post",
            url("applications:intake", application_id=open_one.pk),
            {"intake-scheduled_at": local_input(later()), "intake-mode": "online", "intake-interviewer": "X"},
        ),
        (
            "post",
            url("applications:outcome", application_id=open_one.pk, intake_id=intake.pk),
            {f"outcome-{intake.pk}-outcome": "negative"},
        ),
        ("post", url("applications:decision", application_id=open_one.pk), {"decision-decision": "decline"}),
        ("get", url("applications:cancel", application_id=admitted.pk), {}),
        ("post", url("applications:cancel", application_id=admitted.pk), {"confirm": "on"}),
    ]


def state() -> tuple:
    return (
        list(Application.objects.order_by("pk").values_list("status", flat=True)),
        list(Intake.objects.values_list("outcome", flat=True)),
        list(Enrolment.objects.order_by("pk").values_list("status", flat=True)),
        OutboxEmail.objects.count(),
    )


@pytest.mark.parametrize("email", [content.TEACHER_USER["email"], content.PARTICIPANTS[0]["email"]])
def test_teachers_and_participants_get_404_and_change_nothing(client, setting, email):
    client.force_login(User.objects.get(email=email))
    before = state()
    for method, path, data in pages(setting):
        response = getattr(client, method)(path, data)
        assert response.status_code == 404, (method, path)
    assert state() == before


def test_anonymous_visitors_are_sent_to_the_login_page(client, setting):
    before = state()
    for method, path, data in pages(setting):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith("/nl/account/login/?next="), response["Location"]
    assert state() == before


def test_the_programme_office_reaches_every_page(office_client, setting):
    for method, path, _data in pages(setting):
        if method == "get":
            assert office_client.get(path).status_code == 200, path


def test_unknown_numbers_are_404(office_client, edition):
    assert office_client.get(url("inbox:edition", edition_id=9999)).status_code == 404
    assert office_client.post(url("inbox:bulk", edition_id=9999), {"decision": "decline"}).status_code == 404
    assert office_client.get(url("applications:detail", application_id=9999)).status_code == 404
    assert (
        office_client.post(url("applications:decision", application_id=9999), {"decision-decision": "admit"}).status_code == 404
    )
    assert office_client.get(url("applications:cancel", application_id=9999)).status_code == 404


def test_the_urls_do_not_clash_with_the_schedule_page(office_client, edition):
    assert url("inbox:edition", edition_id=edition.pk) == f"/nl/coordinatie/edities/{edition.pk}/aanmeldingen/"
    assert url("applications:detail", "en", application_id=7) == "/en/coordinatie/aanmeldingen/7/"
    assert url("schedule:page", edition_id=edition.pk) == f"/nl/coordinatie/edities/{edition.pk}/rooster/"
    assert office_client.get(url("schedule:page", edition_id=edition.pk)).status_code == 200
