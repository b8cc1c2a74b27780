"""The confirmation page: only with the signed address the form redirected to; no login."""

import pytest

from leergang.enrolment import views
from leergang.enrolment.models import Application

from .conftest import form_url, submission_key, text_of, valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmation(client, open_edition):
    key = submission_key(client.get(form_url(open_edition, "en")))
    response = client.post(form_url(open_edition, "en"), valid_data(key))
    assert response.status_code == 302
    return response["Location"]


def test_the_page_says_what_happens_next(client, confirmation):
    response = client.get(confirmation)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = text_of(response)
    application = Application.objects.get()
    assert "Thank you for your application" in page
    assert "What happens next" in page
    assert f"Your application number is {application.pk}." in page
    assert "intake interview" in page
    assert "Gemeente Voorbeeld, afdeling Financiën" in page  # where the invoice goes
    assert "VU.SOG@vu.nl" in page
    assert "waiting list</p>" not in page  # seats are left


def test_the_page_needs_no_login_and_works_in_another_browser_with_the_link(client, confirmation):
    client.logout()
    client.cookies.clear()
    assert client.get(confirmation).status_code == 200


def test_the_page_in_dutch(client, confirmation):
    dutch = confirmation.replace("/en/", "/nl/", 1)
    response = client.get(dutch)
    assert response.status_code == 200
    assert '<html lang="nl">' in text_of(response)


def test_a_wrong_token_is_not_found(client, confirmation):
    prefix, application_id, token, _ = confirmation.rsplit("/", 3)
    assert client.get(f"{prefix}/{application_id}/{token[:-1]}x/").status_code == 404
    assert client.get(f"{prefix}/{application_id}/not-a-token/").status_code == 404
    assert client.get(f"{prefix}/{application_id}/{token}x/").status_code == 404


def test_the_token_of_one_application_does_not_open_another(client, confirmation, open_edition):
    key = submission_key(client.get(form_url(open_edition, "en")))
    client.post(form_url(open_edition, "en"), valid_data(key, email="someone.else@example.org"))
    first, second = Application.objects.order_by("pk")
    prefix, application_id, token, _ = confirmation.rsplit("/", 3)
    assert int(application_id) == first.pk
    assert client.get(f"{prefix}/{second.pk}/{token}/").status_code == 404


def test_a_token_signed_for_something_else_is_not_found(client, confirmation):
    from django.core import signing

    application = Application.objects.get()
    other = signing.TimestampSigner(salt="something.else").sign(str(application.pk)).split(":", 1)[1]
    assert client.get(f"/en/aanmelden/bevestiging/{application.pk}/{other}/").status_code == 404


def test_an_old_link_stops_working(client, confirmation, monkeypatch):
    monkeypatch.setattr(views, "CONFIRMATION_MAX_AGE", -1)
    assert client.get(confirmation).status_code == 404
