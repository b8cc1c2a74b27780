"""The revocation status list at /credentials/status/1: a W3C Bitstring Status List credential as
a VC-JWT; a revoked award's bit is set, a valid award's bit is clear."""

import base64
import gzip
import json

import pytest
from django.utils import timezone
from jwcrypto import jwk
from jwcrypto import jwt as jose_jwt

from leergang.awards import credentials, status_list
from tests import factories

from .factories import AwardFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver.example"


@pytest.fixture(autouse=True)
def public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE


def fetch_list(client) -> dict:
    response = client.get("/credentials/status/1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vc+jwt")
    keyset = jwk.JWKSet.from_json(client.get("/credentials/jwks.json").content)
    return json.loads(jose_jwt.JWT(jwt=response.content.decode(), key=keyset, algs=["RS256"]).claims)


def bits_of(claims: dict) -> bytes:
    encoded = claims["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")  # multibase base64url
    body = encoded[1:]
    assert "=" not in body
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit(raw: bytes, index: int) -> int:
    # Bitstring Status List: index 0 is the left-most bit of the first byte.
    return (raw[index // 8] >> (7 - index % 8)) & 1


def revoke(award):
    award.revoked_at = timezone.now()
    award.revoked_by = factories.CoordinatorFactory()
    award.revoked_reason = "Issued to the wrong person."
    award.save()


def test_the_revoked_awards_bit_is_set_and_a_valid_ones_is_clear(client):
    revoked = AwardFactory(revoked=True)
    valid = AwardFactory()
    raw = bits_of(fetch_list(client))
    assert len(raw) * 8 == 131072  # the specification's minimum, 16 KB
    assert bit(raw, revoked.status_index) == 1
    assert bit(raw, valid.status_index) == 0
    assert sum(bin(byte).count("1") for byte in raw) == 1


def test_revoking_an_award_sets_its_bit(client):
    award = AwardFactory()
    assert bit(bits_of(fetch_list(client)), award.status_index) == 0
    revoke(award)
    assert bit(bits_of(fetch_list(client)), award.status_index) == 1


def test_the_list_is_a_bitstring_status_list_credential_named_by_the_awards(client):
    award = AwardFactory()
    claims = fetch_list(client)
    entry = credentials.build(award)["credentialStatus"]
    assert claims["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["id"] == entry["statusListCredential"] == f"{BASE}/credentials/status/1"
    assert claims["issuer"] == f"{BASE}/credentials/issuer"
    assert claims["validFrom"]
    subject = claims["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == entry["statusPurpose"] == "revocation"
    assert subject["ttl"] <= 300_000
    assert claims["iss"] == claims["issuer"]
    assert claims["jti"] == claims["id"]


def test_the_list_answers_publicly_with_a_short_cache(client):
    response = client.get("/credentials/status/1")
    assert response.status_code == 200
    assert int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 300
    assert "Set-Cookie" not in response.headers
    assert client.post("/credentials/status/1").status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/credentials/status/0",
        "/credentials/status/2",
        "/credentials/status/99999999999999999999999",
        "/credentials/status/x",
        "/credentials/status/-1",
        "/credentials/status/1/",
    ],
)
def test_unknown_lists_are_404(client, path):
    assert client.get(path).status_code == 404


def test_the_encoding_round_trips():
    raw = status_list.bitstring([0, 7, 8, 131071])
    assert raw[0] == 0b1000_0001
    assert raw[1] == 0b1000_0000
    assert raw[-1] == 0b0000_0001
    assert status_list.decode_list(status_list.encode_list(raw)) == raw
    assert status_list.is_set(raw, 7) and not status_list.is_set(raw, 6)
