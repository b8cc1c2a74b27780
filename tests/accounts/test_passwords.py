"""Invitations, forgot password and the password links: e-mails through the outbox, links that work once."""

import html
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from leergang.accounts import services
from leergang.accounts.forms import explain_password_error
from leergang.accounts.models import Role, User
from leergang.core.errors import Conflict, Invalid
from leergang.core.models import AuditEntry
from leergang.notifications.delivery import deliver_due
from leergang.notifications.models import OutboxEmail
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lange-wandeling-door-de-duinen"
LINK = re.compile(r"https?://\S+/account/wachtwoord-(?:instellen|herstellen)/[^/\s]+/[^/\s]+/")


def page(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def link_in(body: str) -> str:
    found = LINK.findall(body)
    assert len(found) == 1, body
    return found[0]


def path_of(url: str) -> str:
    assert url.startswith(settings.PUBLIC_BASE_URL + "/"), url
    return url[len(settings.PUBLIC_BASE_URL) :]


def open_link(client, url: str):
    """Follow an e-mail's link: the token moves into the session and the form is at .../set-password/."""
    response = client.get(path_of(url))
    assert response.status_code == 302, page(response)
    form_url = response["Location"]
    assert form_url.endswith("/set-password/") and url.rstrip("/").rsplit("/", 1)[1] not in form_url
    return form_url


def choose_password(client, url: str, password: str = NEW_PASSWORD, repeat: str | None = None):
    form_url = open_link(client, url)
    form = client.get(form_url)
    assert form.status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": password if repeat is None else repeat})


def login(client, email: str, password: str, language: str = "nl"):
    return client.post(f"/{language}/account/login/", {"username": email, "password": password})


def only_mail(kind: str) -> OutboxEmail:
    mails = list(OutboxEmail.objects.filter(kind=kind))
    assert len(mails) == 1, [m.subject for m in mails]
    return mails[0]


# Invitations


def test_a_new_participant_is_created_audited_and_has_no_password_yet():
    user, created = services.get_or_create_participant(
        email=" Anna.de.Vries@Gemeente.NL ", first_name="Anna", last_name="de Vries", language="en"
    )
    assert created
    assert (user.email, user.role, user.preferred_language) == ("anna.de.vries@gemeente.nl", Role.PARTICIPANT, "en")
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get(action="user.created")
    assert entry.object_id == str(user.pk)
    assert entry.after["email"] == "anna.de.vries@gemeente.nl"


def test_an_existing_account_is_linked_not_duplicated_and_keeps_its_role(teacher_user):
    user, created = services.get_or_create_participant(
        email="TEACHER@Example.org", first_name="Other", last_name="Name", language="en"
    )
    assert not created
    assert user.pk == teacher_user.pk
    user.refresh_from_db()
    assert user.role == Role.TEACHER
    assert (user.first_name, user.preferred_language) == (teacher_user.first_name, "nl")
    assert user.check_password("correct-horse-battery")
    assert User.objects.count() == 1
    assert not AuditEntry.objects.filter(action="user.created").exists()


def test_an_account_made_at_the_same_moment_by_another_request_is_returned(participant, monkeypatch):
    """The other request inserted the address between our look-up and our insert: we get its account."""
    from django.db.models import QuerySet

    real_first = QuerySet.first
    lookups = []

    def first_missing_once(queryset):
        lookups.append(queryset.model)
        return None if len(lookups) == 1 else real_first(queryset)

    monkeypatch.setattr(QuerySet, "first", first_missing_once)
    with transaction.atomic():  # the caller's transaction survives the refused insert
        user, created = services.get_or_create_participant(
            email="Participant@example.org", first_name="P", last_name="Q", language="nl"
        )
        assert (user.pk, created) == (participant.pk, False)
        assert User.objects.count() == 1
    assert not AuditEntry.objects.filter(action="user.created").exists()


def test_a_malformed_address_or_unknown_language_is_refused():
    with pytest.raises(Invalid) as bad_address:
        services.get_or_create_participant(email="anna@", first_name="A", last_name="B", language="nl")
    assert bad_address.value.errors[0]["field"] == "email"
    with pytest.raises(Invalid):
        services.get_or_create_participant(email="anna@example.org", first_name="A", last_name="B", language="de")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("language", "greeting", "prefix"),
    [("nl", "Beste Anna,", "/nl/account/wachtwoord-instellen/"), ("en", "Dear Anna,", "/en/account/wachtwoord-instellen/")],
)
def test_the_invitation_is_queued_in_the_users_language(coordinator, language, greeting, prefix):
    user, _created = services.get_or_create_participant(
        email="anna@gemeente.nl", first_name="Anna", last_name="de Vries", language=language
    )
    services.invite_user(actor=coordinator, user=user, context={"programme_title": "Sturen vanuit vertrouwen"})

    mail = only_mail("invitation")
    assert mail.to == ["anna@gemeente.nl"]
    assert mail.language == language
    assert mail.related_type == "accounts.user" and mail.related_id == str(user.pk)
    assert "Sturen vanuit vertrouwen" in mail.subject
    assert mail.body.startswith(greeting)
    assert "Sturen vanuit vertrouwen" in mail.body
    assert path_of(link_in(mail.body)).startswith(prefix)
    assert "\n-- \n" in mail.body  # the common footer
    assert AuditEntry.objects.filter(action="user.invited", object_id=str(user.pk)).exists()


def test_the_english_invitation_says_what_to_do_and_how_long_the_link_works(coordinator):
    user, _created = services.get_or_create_participant(
        email="anna@gemeente.nl", first_name="Anna", last_name="de Vries", language="en"
    )
    services.invite_user(actor=coordinator, user=user, context={"programme_title": "Leading through trust"})

    mail = only_mail("invitation")
    assert mail.subject == "Welcome to Leading through trust: choose your password"
    assert "You have been admitted to Leading through trust." in mail.body
    assert "Choose your password with this link:" in mail.body
    assert "log in with your e-mail address (anna@gemeente.nl)" in mail.body
    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 3600
    assert "The link works once and is valid for 3 days." in mail.body
    assert f"{settings.PUBLIC_BASE_URL}/en/account/wachtwoord-vergeten/" in mail.body
    assert "&#x27;" not in mail.body and "&amp;" not in mail.body


def test_the_language_can_be_chosen_for_the_invitation_and_the_link_is_on_the_public_address(coordinator, settings):
    settings.PUBLIC_BASE_URL = "https://leergang.example.org"
    settings.PASSWORD_RESET_TIMEOUT = 2 * 3600
    user, _created = services.get_or_create_participant(email="anna@gemeente.nl", first_name="", last_name="", language="nl")
    services.invite_user(actor=coordinator, user=user, language="en")

    mail = only_mail("invitation")
    assert mail.language == "en"
    assert mail.body.startswith("Hello,")
    assert link_in(mail.body).startswith("https://leergang.example.org/en/account/wachtwoord-instellen/")
    assert "The link works once and is valid for 2 hours." in mail.body
    assert mail.subject == "Your account at Leergang: choose your password"


def test_the_invitation_is_written_in_the_callers_transaction(coordinator):
    user = factories.UserFactory(email="anna@gemeente.nl")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.invite_user(actor=coordinator, user=user)
        raise RuntimeError("the admission failed")
    assert not OutboxEmail.objects.exists()


def test_a_deactivated_account_is_not_invited(coordinator):
    user = factories.UserFactory(email="anna@gemeente.nl", is_active=False)
    with pytest.raises(Conflict):
        services.invite_user(actor=coordinator, user=user)
    assert not OutboxEmail.objects.exists()


def test_someone_who_already_has_a_password_is_told_to_log_in(coordinator, participant):
    services.invite_user(actor=coordinator, user=participant, context={"programme_title": "Leading through trust"}, language="en")
    mail = only_mail("invitation")
    assert mail.subject == "Welcome to Leading through trust"
    assert f"{settings.PUBLIC_BASE_URL}/en/account/login/" in mail.body
    assert "the password you already have" in mail.body
    link_in(mail.body)  # still offers a link to choose a new one


def test_the_invitation_link_sets_the_password_and_logs_in(client, coordinator):
    user, _created = services.get_or_create_participant(
        email="anna@gemeente.nl", first_name="Anna", last_name="de Vries", language="nl"
    )
    services.invite_user(actor=coordinator, user=user)
    url = link_in(only_mail("invitation").body)

    form_url = open_link(client, url)
    form = client.get(form_url)
    assert form.status_code == 200
    assert "<h1>" in page(form) and "anna@gemeente.nl" in page(form)
    assert 'autocomplete="new-password"' in form.content.decode()

    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/nl/account/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/nl/account/").status_code == 200
    assert AuditEntry.objects.filter(action="user.password_set", object_id=str(user.pk), after={"via": "set"}).exists()

    client.post("/nl/account/logout/")
    assert login(client, "Anna@Gemeente.nl", NEW_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_link_works_only_once(client, coordinator):
    user, _created = services.get_or_create_participant(email="anna@gemeente.nl", first_name="Anna", last_name="", language="en")
    services.invite_user(actor=coordinator, user=user)
    url = link_in(only_mail("invitation").body)
    assert choose_password(client, url).status_code == 302

    other = client.__class__()
    again = other.get(path_of(url))
    assert again.status_code == 200
    text = page(again)
    assert "This link no longer works" in text
    assert 'href="/en/account/wachtwoord-vergeten/"' in again.content.decode()
    assert "_auth_user_id" not in other.session
    # Nor can the form be posted with it.
    other.get(path_of(url))
    refused = other.post(
        path_of(url).rsplit("/", 2)[0] + "/set-password/", {"new_password1": "x" * 20, "new_password2": "x" * 20}
    )
    assert "This link no longer works" in page(refused)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_made_up_link_shows_the_same_clear_page(client):
    response = client.get("/nl/account/wachtwoord-herstellen/MTIz/abc-def/")
    assert response.status_code == 200
    assert 'href="/nl/account/wachtwoord-vergeten/"' in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def test_a_weak_password_is_refused_with_an_error_at_its_field(client, coordinator):
    user, _created = services.get_or_create_participant(email="anna@gemeente.nl", first_name="Anna", last_name="", language="nl")
    services.invite_user(actor=coordinator, user=user)
    url = link_in(only_mail("invitation").body)

    response = choose_password(client, url, password="12345")
    assert response.status_code == 200
    content = response.content.decode()
    error = re.search(r'<p class="field-error" id="id_new_password1_error">(.*?)</p>', content, re.S)
    assert error, content
    with translation.override("nl"):  # the Dutch messages, as the catalogue has them
        expected = [
            str(explain_password_error(ValidationError("", code=code, params={"min_length": 10})).messages[0])
            for code in ("password_too_short", "password_too_common", "password_entirely_numeric")
        ]
    assert html.unescape(error.group(1)) == " ".join(expected)
    assert '<label for="id_new_password1">Wachtwoord</label>' in content
    field = re.search(r'<input[^>]*name="new_password1"[^>]*>', content).group(0)
    assert 'aria-invalid="true"' in field
    assert "id_new_password1_error" in re.search(r'aria-describedby="([^"]*)"', field).group(1)
    assert "id_new_password2_error" not in content
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert "_auth_user_id" not in client.session

    # The form is still there (the link is not used up by a refused password).
    form_url = response.wsgi_request.path
    ok = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert ok.status_code == 302


def test_the_password_rules_say_what_to_do_in_english(client, coordinator):
    user, _created = services.get_or_create_participant(email="anna@gemeente.nl", first_name="Anna", last_name="", language="en")
    services.invite_user(actor=coordinator, user=user)
    response = choose_password(client, link_in(only_mail("invitation").body), password="12345")
    error = re.search(r'<p class="field-error" id="id_new_password1_error">(.*?)</p>', response.content.decode(), re.S)
    assert html.unescape(error.group(1)) == (
        "This password is too short. Choose a password of at least 10 characters. "
        "Many people use this password. Choose one that is harder to guess. "
        "This password has only digits. Use letters as well."
    )
    similar = client.post(response.wsgi_request.path, {"new_password1": "anna@gemeente.nl", "new_password2": "anna@gemeente.nl"})
    assert "This password looks too much like your e-mail address. Choose another one." in page(similar)
    help_text = re.search(r'<div class="form-help" id="id_new_password1_helptext">(.*?)</div>', response.content.decode(), re.S)
    assert help_text and "at least 10 characters" in help_text.group(1)


def test_two_different_passwords_are_an_error_at_the_second_field_in_english(client, coordinator):
    user, _created = services.get_or_create_participant(email="anna@gemeente.nl", first_name="Anna", last_name="", language="en")
    services.invite_user(actor=coordinator, user=user)
    response = choose_password(client, link_in(only_mail("invitation").body), repeat=NEW_PASSWORD + "!")
    assert response.status_code == 200
    content = response.content.decode()
    error = re.search(r'<p class="field-error" id="id_new_password2_error">(.*?)</p>', content, re.S)
    assert error and "The two passwords are not the same." in html.unescape(error.group(1))
    assert "id_new_password1_error" not in content


# Forgot password


def forgot(client, email: str, language: str = "nl"):
    return client.post(f"/{language}/account/wachtwoord-vergeten/", {"email": email})


def test_the_login_page_links_to_forgot_password(client):
    response = client.get("/nl/account/login/")
    assert 'href="/nl/account/wachtwoord-vergeten/"' in response.content.decode()
    form = client.get("/nl/account/wachtwoord-vergeten/")
    assert form.status_code == 200
    assert 'autocomplete="email"' in form.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, participant):
    unknown = forgot(client, "nobody@example.org")
    known = forgot(client, "Participant@Example.org")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == "/nl/account/wachtwoord-vergeten/verstuurd/"
    assert only_mail("password_reset").to == ["participant@example.org"]

    sent = client.get(unknown["Location"])
    assert sent.status_code == 200
    assert "participant@example.org" not in page(sent) and "nobody@example.org" not in page(sent)


def test_a_known_address_gets_one_mail_whose_link_works(client, participant):
    forgot(client, "PARTICIPANT@example.org", language="en")
    mail = only_mail("password_reset")
    assert mail.language == "nl"  # the account's language, not the page's
    url = link_in(mail.body)
    assert path_of(url).startswith("/nl/account/wachtwoord-herstellen/")

    assert choose_password(client, url).status_code == 302
    client.post("/nl/account/logout/")
    assert login(client, "participant@example.org", "correct-horse-battery").status_code == 200
    assert login(client, "participant@example.org", NEW_PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(action="user.password_set", after={"via": "reset"}).exists()


def test_the_english_reset_mail(client):
    factories.UserFactory(email="anna@gemeente.nl", first_name="Anna", preferred_language="en")
    forgot(client, "anna@gemeente.nl")
    mail = only_mail("password_reset")
    assert mail.subject == "Choose a new password for Leergang"
    assert mail.body.startswith("Dear Anna,")
    assert "You asked for a new password for your account anna@gemeente.nl." in mail.body
    assert "The link works once and is valid for 3 days." in mail.body
    assert "Then you can ignore this e-mail" in mail.body
    assert path_of(link_in(mail.body)).startswith("/en/account/wachtwoord-herstellen/")


def test_an_invited_person_without_a_password_can_ask_for_a_new_link(client):
    user, _created = services.get_or_create_participant(email="anna@gemeente.nl", first_name="A", last_name="", language="nl")
    forgot(client, "anna@gemeente.nl")
    assert choose_password(client, link_in(only_mail("password_reset").body)).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_deactivated_account_gets_no_mail(client):
    factories.UserFactory(email="gone@example.org", is_active=False)
    assert forgot(client, "gone@example.org").status_code == 302
    assert not OutboxEmail.objects.exists()


def test_a_malformed_address_says_what_to_type(client):
    response = forgot(client, "not-an-address")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="id_email_error"' in content and 'aria-describedby="id_email_error"' in content
    assert not OutboxEmail.objects.exists()


def test_a_new_link_makes_the_earlier_link_useless_once_used(client, participant):
    forgot(client, "participant@example.org")
    forgot(client, "participant@example.org")
    first, second = (link_in(m.body) for m in OutboxEmail.objects.order_by("id"))
    assert choose_password(client, second).status_code == 302
    other = client.__class__()
    assert "This link no longer works" in page(other.get(path_of(first).replace("/nl/", "/en/", 1)))


@override_settings(LOGIN_RATE_LIMIT=3)
def test_too_many_requests_get_429_and_no_mail(client, participant):
    for _ in range(3):
        assert forgot(client, "participant@example.org").status_code == 302
    blocked = forgot(client, "participant@example.org")
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == str(settings.LOGIN_RATE_WINDOW_SECONDS)
    assert 'href="/nl/account/wachtwoord-vergeten/"' in blocked.content.decode()
    assert OutboxEmail.objects.filter(kind="password_reset").count() == 3


@override_settings(LOGIN_RATE_LIMIT=2)
def test_the_password_form_is_rate_limited_too(client, coordinator):
    user, _created = services.get_or_create_participant(email="anna@gemeente.nl", first_name="A", last_name="", language="nl")
    services.invite_user(actor=coordinator, user=user)
    form_url = open_link(client, link_in(only_mail("invitation").body))
    for _ in range(2):
        assert client.post(form_url, {"new_password1": "kort", "new_password2": "kort"}).status_code == 200
    blocked = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert blocked.status_code == 429
    user.refresh_from_db()
    assert not user.has_usable_password()


# Through a real SMTP server


def test_the_invitation_arrives_by_smtp_and_its_link_works(client, coordinator, smtp_server):
    user, _created = services.get_or_create_participant(
        email="anna@gemeente.nl", first_name="Anna", last_name="de Vries", language="en"
    )
    services.invite_user(actor=coordinator, user=user, context={"programme_title": "Leading through trust"})
    assert not smtp_server.messages  # nothing is sent before the worker runs

    assert deliver_due() == 1
    [message] = smtp_server.messages
    assert message["To"] == "anna@gemeente.nl"
    assert message["Subject"] == "Welcome to Leading through trust: choose your password"
    assert message["Content-Language"] == "en"
    body = message.get_content()
    url = link_in(body)

    assert choose_password(client, url).status_code == 302
    client.post("/en/account/logout/")
    assert login(client, "anna@gemeente.nl", NEW_PASSWORD, language="en").status_code == 302
