"""`python manage.py api_token EMAIL`: the last line is a token that works as Bearer; unknown e-mail is an error."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from leergang.accounts.models import ApiToken
from leergang.catalog.models import Edition

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db


def token_for(email: str) -> str:
    out = StringIO()
    call_command("api_token", email, stdout=out)
    return out.getvalue().strip().splitlines()[-1].strip()


def test_printed_token_works_for_a_coordinator(client, coordinator, new_edition):
    token = token_for("office@example.org")
    assert " " not in token and len(token) >= 32
    response = client.post(f"{API}/editions", new_edition, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert Edition.objects.count() == 1


def test_email_is_matched_without_regard_to_case(client, coordinator, draft_edition):
    token = token_for("  Office@Example.ORG ")
    assert client.get(f"{API}/editions/{draft_edition.id}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_token_carries_the_users_role(client, participant, new_edition):
    token = token_for(participant.email)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"{API}/programmes", **headers).status_code == 200
    assert_error(client.post(f"{API}/editions", new_edition, content_type="application/json", **headers), 403)


def test_only_the_hash_is_stored(coordinator):
    token = token_for(coordinator.email)
    stored = ApiToken.objects.get(user=coordinator)
    assert token not in (stored.key_hash, stored.prefix)
    assert token.startswith(stored.prefix)


def test_each_run_gives_a_new_token(client, coordinator):
    first, second = token_for(coordinator.email), token_for(coordinator.email)
    assert first != second
    for token in (first, second):
        assert client.get(f"{API}/programmes", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_unknown_email_is_a_command_error(db):
    with pytest.raises(CommandError):
        call_command("api_token", "nobody@example.org", stdout=StringIO())
    assert ApiToken.objects.count() == 0


def test_deactivated_user_gets_no_token(coordinator):
    coordinator.is_active = False
    coordinator.save()
    with pytest.raises(CommandError):
        call_command("api_token", coordinator.email, stdout=StringIO())
    assert ApiToken.objects.count() == 0


def test_demo_coordinator_token(client, demo):
    token = token_for("coordinator@example.org")
    programmes = client.get(f"{API}/programmes", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert programmes.status_code == 200
    assert "sturen-vanuit-vertrouwen" in [item["slug"] for item in programmes.json()]
