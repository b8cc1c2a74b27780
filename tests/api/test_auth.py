"""401 and 403: who may call which endpoint, and what a missing, malformed, revoked or foreign token gets."""

import pytest
from django.utils import timezone

from leergang.accounts.models import ApiToken
from leergang.catalog.models import Edition

from .helpers import API, assert_error, nothing_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(edition, new_edition):
    """Every API operation as (method, path, body): a valid request a coordinator could make."""
    return {
        "list programmes": ("get", f"{API}/programmes", None),
        "get programme": ("get", f"{API}/programmes/{edition.programme.slug}", None),
        "create edition": ("post", f"{API}/editions", new_edition),
        "get edition": ("get", f"{API}/editions/{edition.id}", None),
        "change edition": ("patch", f"{API}/editions/{edition.id}", {"capacity": 30}),
    }


def call(client, request, headers):
    method, path, body = request
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, body, content_type="application/json", **headers)


OPERATIONS = ["list programmes", "get programme", "create edition", "get edition", "change edition"]
WRITES = ["create edition", "change edition"]


@pytest.mark.parametrize("operation", WRITES)
def test_writes_without_a_token_are_401(client, requests, operation):
    with nothing_changes():
        response = call(client, requests[operation], {})
    assert_error(response, 401)
    assert "Location" not in response  # never a redirect to a login page


@pytest.mark.parametrize("operation", WRITES)
def test_writes_with_a_logged_in_session_but_no_token_are_401(client, coordinator, requests, operation):
    client.force_login(coordinator)
    with nothing_changes():
        assert_error(call(client, requests[operation], {}), 401)


BAD_HEADERS = {
    "unknown token": "Bearer this-is-not-a-token",
    "empty bearer": "Bearer ",
    "basic scheme": "Basic b2ZmaWNlQGV4YW1wbGUub3JnOnB3",
    "token without scheme": "sometoken",
}


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("header", list(BAD_HEADERS))
def test_a_bad_token_is_401_on_every_endpoint(client, requests, operation, header):
    with nothing_changes():
        assert_error(call(client, requests[operation], {"HTTP_AUTHORIZATION": BAD_HEADERS[header]}), 401)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_revoked_token_is_401(client, coordinator, bearer, requests, operation):
    headers = bearer(coordinator)
    ApiToken.objects.filter(user=coordinator).update(revoked_at=timezone.now())
    with nothing_changes():
        assert_error(call(client, requests[operation], headers), 401)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_deactivated_users_token_is_401(client, coordinator, bearer, requests, operation):
    headers = bearer(coordinator)
    coordinator.is_active = False
    coordinator.save()
    with nothing_changes():
        assert_error(call(client, requests[operation], headers), 401)


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize("role", ["participant", "teacher"])
def test_writes_by_participant_or_teacher_are_403(client, bearer, participant, teacher_user, requests, operation, role):
    headers = bearer({"participant": participant, "teacher": teacher_user}[role])
    with nothing_changes():
        assert_error(call(client, requests[operation], headers), 403)


@pytest.mark.parametrize("role", ["participant", "teacher"])
def test_403_comes_before_validation_and_404(client, bearer, participant, teacher_user, edition, role):
    """Someone who may not write learns nothing about which inputs or editions exist."""
    headers = bearer({"participant": participant, "teacher": teacher_user}[role])
    with nothing_changes():
        assert_error(client.post(f"{API}/editions", {"capacity": 0}, content_type="application/json", **headers), 403)
        assert_error(
            client.patch(f"{API}/editions/{edition.id + 99}", {"capacity": 3}, content_type="application/json", **headers), 403
        )
        assert_error(
            client.patch(f"{API}/editions/{edition.id}", {"capacity": None}, content_type="application/json", **headers), 403
        )


@pytest.mark.parametrize("operation", OPERATIONS)
def test_coordinator_may_do_everything(client, as_coordinator, requests, operation):
    response = call(client, requests[operation], as_coordinator)
    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize("operation", ["list programmes", "get programme", "get edition"])
@pytest.mark.parametrize("who", ["anonymous", "participant", "teacher"])
def test_reads_are_public(client, bearer, participant, teacher_user, requests, operation, who):
    headers = {"anonymous": {}, "participant": bearer(participant), "teacher": bearer(teacher_user)}[who]
    assert call(client, requests[operation], headers).status_code == 200


def test_bearer_scheme_is_case_insensitive(client, coordinator, bearer, new_edition):
    token = bearer(coordinator)["HTTP_AUTHORIZATION"].split()[1]
    response = client.post(f"{API}/editions", new_edition, content_type="application/json", HTTP_AUTHORIZATION=f"bearer {token}")
    assert response.status_code == 201
    assert Edition.objects.count() == 1


def test_the_user_a_token_belongs_to_is_what_the_orm_reads(coordinator, participant):
    """accounts.services.user_for_token reads the user as SQL (core.sql_rows): every field the same."""
    from leergang.accounts.services import issue_api_token, user_for_token

    raw = issue_api_token(actor=coordinator, user=coordinator)
    issue_api_token(actor=coordinator, user=participant)
    found = user_for_token(raw)
    expected = ApiToken.objects.select_related("user").get(user=coordinator).user
    assert [(f.attname, getattr(found, f.attname)) for f in type(found)._meta.concrete_fields] == [
        (f.attname, getattr(expected, f.attname)) for f in type(expected)._meta.concrete_fields
    ]
    assert type(found.is_active) is bool and found.pk == coordinator.pk
