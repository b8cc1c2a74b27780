"""The signing keys: created once on first use, race-safe, published (public halves only) as a JWK
Set and one by one at the URI a credential's `kid` names."""

import json

import pytest
from django.utils import timezone
from jwcrypto import jwk, jws

from leergang.awards import credentials, keys
from leergang.awards.models import SigningKey

from .factories import AwardFactory

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth"}

pytestmark = pytest.mark.django_db


def fetch_jwks(client) -> dict:
    response = client.get("/credentials/jwks.json")
    assert response.status_code == 200
    return response.json()


def jws_verifies(token: str, keyset: jwk.JWKSet) -> bool:
    signed = jws.JWS()
    signed.deserialize(token)
    key = keyset.get_key(signed.jose_header["kid"])
    if key is None:
        return False
    try:
        signed.verify(key, alg="RS256")
    except jws.InvalidJWSSignature:
        return False
    return True


def test_the_key_is_created_on_first_use_and_reused():
    assert not SigningKey.objects.exists()
    first = keys.active_key()
    second = keys.active_key()
    assert first.pk == second.pk
    assert SigningKey.objects.count() == 1
    assert first.active


def test_the_key_id_is_the_rfc7638_thumbprint_and_the_key_is_rsa_2048():
    key = keys.active_key()
    public = jwk.JWK(**{k: v for k, v in keys.public_jwk(key).items() if k in {"kty", "n", "e"}})
    assert key.kid == public.thumbprint()  # jwcrypto's own RFC 7638 computation
    assert keys.private_key(key).key_size == 2048


def test_a_concurrent_first_use_returns_the_winners_key(monkeypatch):
    """Another process inserts its key between our look-up and our insert: the one-active
    constraint refuses ours and we sign with theirs."""
    real_generate = keys.generate
    winner = {}

    def generate_while_another_process_wins():
        kid, pem = real_generate()
        winner["key"] = SigningKey.objects.create(kid=kid, private_pem=pem, created_at=timezone.now(), active=True)
        return real_generate()

    monkeypatch.setattr(keys, "generate", generate_while_another_process_wins)
    key = keys.active_key()
    assert key.pk == winner["key"].pk
    assert SigningKey.objects.count() == 1


def test_the_jwk_set_is_public_and_holds_only_public_halves(client):
    keys.active_key()
    response = client.get("/credentials/jwks.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    cache = response["Cache-Control"]
    assert "max-age=" in cache and int(cache.split("max-age=")[1].split(",")[0]) <= 300
    assert "Set-Cookie" not in response.headers
    [published] = response.json()["keys"]
    assert published["kty"] == "RSA"
    assert published["alg"] == "RS256"
    assert published["use"] == "sig"
    assert published["kid"].endswith("/credentials/keys/" + SigningKey.objects.get().kid)
    assert not PRIVATE_MEMBERS & published.keys()


def test_the_jwk_set_is_never_empty(client):
    assert fetch_jwks(client)["keys"]
    assert SigningKey.objects.filter(active=True).count() == 1


def test_the_kid_uri_serves_the_public_key(client):
    key = keys.active_key()
    response = client.get(f"/credentials/keys/{key.kid}")
    assert response.status_code == 200
    served = response.json()
    assert served["kid"] == keys.kid_uri(key)
    assert not PRIVATE_MEMBERS & served.keys()
    assert served == fetch_jwks(client)["keys"][0]


@pytest.mark.parametrize("kid", ["unknown", "x" * 300, "%00", "..", "a.b"])
def test_unknown_keys_are_404(client, kid):
    keys.active_key()
    assert client.get(f"/credentials/keys/{kid}").status_code == 404


def test_a_retired_key_stays_published_and_its_credentials_still_verify(client):
    old_award = AwardFactory()
    old_token = credentials.sign(old_award)
    old_key = SigningKey.objects.get()

    old_key.active = False
    old_key.save()
    new_key = keys.active_key()
    assert new_key.pk != old_key.pk
    new_token = credentials.sign(AwardFactory())

    published = fetch_jwks(client)
    assert {k["kid"] for k in published["keys"]} == {keys.kid_uri(old_key), keys.kid_uri(new_key)}
    keyset = jwk.JWKSet.from_json(json.dumps(published))
    assert jws_verifies(old_token, keyset)
    assert jws_verifies(new_token, keyset)
    assert jws.JWS.from_jose_token(old_token).jose_header["kid"] == keys.kid_uri(old_key)
    assert jws.JWS.from_jose_token(new_token).jose_header["kid"] == keys.kid_uri(new_key)
    assert credentials.verify(old_token)["jti"].endswith(old_award.code)


def test_key_endpoints_answer_only_reads(client):
    assert client.post("/credentials/jwks.json").status_code == 405
    assert client.delete("/credentials/jwks.json").status_code == 405
