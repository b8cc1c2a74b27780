"""The login page: by e-mail address, messages that say what to do, in both languages."""

import pytest

from leergang.demo import content

from .conftest import element, plain, text_of

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_dutch(client):
    response = client.get("/nl/account/login/")
    assert response.status_code == 200
    page = text_of(response)
    assert "<h1>Inloggen</h1>" in page
    assert "E-mailadres" in page and "Wachtwoord" in page
    assert 'type="email"' in response.content.decode()
    assert 'autocomplete="current-password"' in response.content.decode()


def test_login_page_renders_in_english(client):
    page = text_of(client.get("/en/account/login/"))
    assert "<h1>Log in</h1>" in page
    assert "E-mail address" in page and "Password" in page


def test_demo_coordinator_logs_in_by_email_address(client, demo):
    response = client.post(
        "/nl/account/login/", {"username": content.COORDINATOR["email"].upper(), "password": content.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/nl/account/"
    dashboard = client.get("/nl/account/")
    assert dashboard.status_code == 200
    assert "Welkom, Carla" in text_of(dashboard)


def test_wrong_password_shows_the_dutch_message_and_keeps_the_form(client, demo):
    response = client.post("/nl/account/login/", {"username": content.COORDINATOR["email"], "password": "fout-wachtwoord"})
    assert response.status_code == 200
    errors = plain(element(response, "div", "form-errors"))
    assert errors == "Het e-mailadres of het wachtwoord klopt niet. Controleer beide en probeer het opnieuw."
    assert "_auth_user_id" not in client.session
    # The address stays filled in, so only the password has to be typed again.
    assert f'value="{content.COORDINATOR["email"]}"' in response.content.decode()


def test_missing_email_address_says_what_to_type(client):
    response = client.post("/nl/account/login/", {"username": "", "password": "iets"})
    assert response.status_code == 200
    message = plain(element(response, "p", "field-error"))
    assert message == "Vul uw e-mailadres in, bijvoorbeeld naam@gemeente.nl."
    # The message is tied to its field for screen readers.
    assert 'aria-describedby="id_username_error"' in response.content.decode()
    assert 'id="id_username_error"' in response.content.decode()


def test_wrong_password_in_english(client, demo):
    response = client.post("/en/account/login/", {"username": content.COORDINATOR["email"], "password": "wrong"})
    assert response.status_code == 200
    assert "The e-mail address or the password is not correct. Check both and try again." in text_of(response)


def test_header_offers_login_to_visitors_and_logout_to_members(client, demo):
    assert "Inloggen" in plain(element(client.get("/nl/"), "nav", "header-nav"))
    client.post("/nl/account/login/", {"username": content.COORDINATOR["email"], "password": content.DEMO_PASSWORD})
    nav = plain(element(client.get("/nl/"), "nav", "header-nav"))
    assert "Uitloggen" in nav and "Mijn overzicht" in nav
