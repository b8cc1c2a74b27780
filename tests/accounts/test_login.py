import pytest
from django.core.cache import cache
from django.test import override_settings

from leergang.accounts import permissions
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def login(client, email, password, language="nl"):
    return client.post(f"/{language}/account/login/", {"username": email, "password": password})


def test_login_by_email_address_in_any_case(client, participant):
    response = login(client, "Participant@Example.org", "correct-horse-battery")
    assert response.status_code == 302
    assert response["Location"] == "/nl/account/"
    assert client.get("/nl/account/").status_code == 200


def test_wrong_password_keeps_the_form_with_a_message(client, participant):
    response = login(client, "participant@example.org", "wrong-password", language="en")
    assert response.status_code == 200
    assert "The e-mail address or the password is not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_RATE_LIMIT=3)
def test_too_many_attempts_get_429_and_do_not_log_in(client, participant):
    for _ in range(3):
        assert login(client, "participant@example.org", "wrong-password").status_code == 200
    blocked = login(client, "participant@example.org", "correct-horse-battery")
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_pages_behind_login_redirect_to_the_login_page(client):
    response = client.get("/nl/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/account/login/?next=")


def test_the_api_never_redirects_to_the_login_page(client):
    response = client.post("/api/v1/editions", {}, content_type="application/json")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_logout_ends_the_session(client, participant):
    login(client, "participant@example.org", "correct-horse-battery")
    response = client.post("/nl/account/logout/")
    assert response.status_code == 302
    assert client.get("/nl/account/").status_code == 302


def test_role_checks():
    coordinator = factories.CoordinatorFactory.build()
    teacher = factories.TeacherUserFactory.build()
    participant = factories.UserFactory.build()
    assert permissions.can_manage_editions(coordinator)
    assert not permissions.can_manage_editions(teacher)
    assert not permissions.can_manage_editions(participant)
    coordinator.is_active = False
    assert not permissions.can_manage_editions(coordinator)


def test_email_is_unique_regardless_of_case(participant):
    from django.db import IntegrityError, transaction

    from leergang.accounts.models import User

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="PARTICIPANT@example.org")])
