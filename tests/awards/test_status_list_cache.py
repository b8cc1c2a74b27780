"""The signed revocation status list is kept in the cache and signed again only when what it
says changes: a revocation (through the service), another signing key. Transactional: inside an
open transaction the list is always built fresh."""

import base64

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.awards import credentials, keys, services, status_list
from leergang.awards.models import SigningKey
from tests import factories

from .factories import AwardFactory
from .test_status_list import bit, bits_of, fetch_list

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.PUBLIC_BASE_URL = "http://testserver.example"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signings(monkeypatch):
    calls = []
    encode = credentials.encode

    def counted(*args, **kwargs):
        calls.append(1)
        return encode(*args, **kwargs)

    monkeypatch.setattr(credentials, "encode", counted)
    return calls


def test_the_list_is_signed_once_while_nothing_changes(client, signings):
    AwardFactory(revoked=True)
    first = client.get("/credentials/status/1").content
    with CaptureQueriesContext(connection) as captured:
        second = client.get("/credentials/status/1").content
    assert second == first
    assert len(signings) == 1
    # The fingerprint and the active key; none of the award rows.
    assert len(captured) == 2
    assert "status_index" not in " ".join(query["sql"] for query in captured)


def test_a_revocation_through_the_service_shows_at_once(client, signings):
    award = AwardFactory()
    assert bit(bits_of(fetch_list(client)), award.status_index) == 0
    services.revoke_award(actor=factories.CoordinatorFactory(), code=award.code, reason="Issued to the wrong person.")
    claims = fetch_list(client)
    assert bit(bits_of(claims), award.status_index) == 1
    award.refresh_from_db()
    assert claims["validFrom"] == credentials.utc_timestamp(award.revoked_at)
    assert len(signings) == 2


def test_issuing_leaves_the_list_as_it_was(client, signings):
    revoked = AwardFactory(revoked=True)
    before = client.get("/credentials/status/1").content
    AwardFactory()
    assert client.get("/credentials/status/1").content == before
    assert bit(bits_of(fetch_list(client)), revoked.status_index) == 1


def test_a_new_signing_key_signs_a_new_list(client):
    old = keys.active_key()
    client.get("/credentials/status/1")
    SigningKey.objects.filter(pk=old.pk).update(active=False)
    new = keys.active_key()
    response = client.get("/credentials/status/1")
    assert new.kid != old.kid
    header = response.content.decode().split(".")[0]
    assert keys.kid_uri(new).encode() in base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))


def test_the_cached_list_equals_a_freshly_signed_one(client):
    AwardFactory(revoked=True, revoked_at=timezone.now())
    client.get("/credentials/status/1")
    assert client.get("/credentials/status/1").content.decode() == status_list.status_list_credential_jwt()
