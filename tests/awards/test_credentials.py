"""The award's Open Badges 3.0 credential (VC-JWT): it verifies with an independent JOSE library
(jwcrypto) against the key published at /credentials/jwks.json, any change to it breaks the
signature, and it holds what OB 3.0 requires."""

import base64
import hashlib
import json
from datetime import UTC, datetime

import pytest
from jwcrypto import jwk, jws
from jwcrypto import jwt as jose_jwt

from leergang.awards import credentials, keys
from leergang.awards.models import SigningKey

from .factories import AwardFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver.example"


@pytest.fixture(autouse=True)
def public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE


def keyset_from(client) -> jwk.JWKSet:
    response = client.get("/credentials/jwks.json")
    assert response.status_code == 200
    return jwk.JWKSet.from_json(response.content)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def signature_holds(token: str, keyset: jwk.JWKSet) -> bool:
    signed = jws.JWS()
    signed.deserialize(token)
    try:
        signed.verify(keyset.get_key(signed.jose_header["kid"]), alg="RS256")
    except jws.InvalidJWSSignature:
        return False
    return True


def with_payload(token: str, payload: dict) -> str:
    """The token with another payload and the original header and signature. Serialised as PyJWT
    serialises (compact separators), so an unchanged payload yields the very same token."""
    header, _payload, signature = token.split(".")
    return ".".join([header, b64url(json.dumps(payload, separators=(",", ":")).encode()), signature])


def altered(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, list):
        return [*value, "x"]
    if isinstance(value, dict):
        return {**value, "tampered": True}
    raise AssertionError(f"unexpected claim type {type(value)}")


def test_the_credential_verifies_with_jwcrypto_against_the_published_key(client):
    award = AwardFactory(language="en")
    token = credentials.sign(award)

    verified = jose_jwt.JWT(jwt=token, key=keyset_from(client), algs=["RS256"])
    claims = json.loads(verified.claims)
    assert claims["jti"] == f"{BASE}/verify/{award.code}"

    header = verified.header if isinstance(verified.header, dict) else json.loads(verified.header)
    # OB 3.0 §8.2: alg at least RS256, kid a URI that dereferences to the JWK, typ "JWT", no others.
    assert header == {"alg": "RS256", "kid": keys.kid_uri(SigningKey.objects.get()), "typ": "JWT"}
    assert header["kid"].startswith(f"{BASE}/credentials/keys/")
    assert (
        client.get(header["kid"].removeprefix(BASE)).json()["n"]
        == keyset_from(client).get_key(header["kid"]).export_public(as_dict=True)["n"]
    )


def test_any_change_to_the_payload_breaks_the_signature(client):
    token = credentials.sign(AwardFactory())
    keyset = keyset_from(client)
    payload = b64url_json(token.split(".")[1])
    # Control: re-encoding the unchanged payload gives the same bytes, so only the change differs.
    assert with_payload(token, payload) == token
    assert signature_holds(token, keyset)

    for claim in payload:
        changed = {**payload, claim: altered(payload[claim])}
        assert not signature_holds(with_payload(token, changed), keyset), f"changing {claim} went unnoticed"

    nested = [
        ("credentialSubject", "achievement", "name"),
        ("credentialSubject", "identifier", 0, "identityHash"),
        ("credentialStatus", "statusListIndex"),
        ("issuer", "name"),
    ]
    for path in nested:
        changed = json.loads(json.dumps(payload))
        target = changed
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = altered(target[path[-1]])
        assert not signature_holds(with_payload(token, changed), keyset), f"changing {path} went unnoticed"


def test_a_token_signed_by_another_key_does_not_verify(client):
    token = credentials.sign(AwardFactory())
    header, payload, _signature = token.split(".")
    stranger = jwk.JWK.generate(kty="RSA", size=2048)
    forged = jws.JWS(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged.add_signature(stranger, alg="RS256", protected=json.dumps(b64url_json(header)))
    forged_token = forged.serialize(compact=True)
    assert not signature_holds(forged_token, keyset_from(client))
    with pytest.raises(credentials.InvalidCredential):
        credentials.verify(forged_token)


def test_the_payload_holds_what_open_badges_3_requires(client, settings):
    award = AwardFactory(language="en", kind="diploma")
    claims = json.loads(jose_jwt.JWT(jwt=credentials.sign(award), key=keyset_from(client)).claims)

    assert claims["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["id"] == f"{BASE}/verify/{award.code}"
    issuer = claims["issuer"]
    assert issuer["id"] == f"{BASE}/credentials/issuer"
    assert issuer["type"] == ["Profile"]
    assert issuer["name"] == award.snapshot["organiser"]
    assert claims["validFrom"] == award.issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert claims["name"]

    subject = claims["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["id"].startswith("http")
    assert achievement["achievementType"] == "Diploma"
    assert award.snapshot["programme"]["en"] in achievement["name"]
    assert award.snapshot["goals"][0]["en"] in achievement["description"]
    assert achievement["criteria"]["narrative"]
    assert subject["activityStartDate"].startswith(award.snapshot["start_date"])
    assert subject["activityEndDate"].startswith(award.snapshot["end_date"])

    status = claims["credentialStatus"]
    assert status == {
        "id": f"{BASE}/credentials/status/1#{award.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(award.status_index),
        "statusListCredential": f"{BASE}/credentials/status/1",
    }

    # The registered claims repeat the credential (OB 3.0 §8.2 JWT payload format).
    assert claims["iss"] == issuer["id"]
    assert claims["jti"] == claims["id"]
    assert claims["sub"] == subject["id"]
    assert datetime.fromtimestamp(claims["nbf"], UTC) == datetime.fromisoformat(claims["validFrom"])
    assert "exp" not in claims


def test_the_holder_is_identified_by_a_salted_hash_of_their_email_only(client):
    award = AwardFactory()
    email = award.snapshot["holder_email"]
    claims = json.loads(jose_jwt.JWT(jwt=credentials.sign(award), key=keyset_from(client)).claims)
    [identity] = claims["credentialSubject"]["identifier"]
    assert identity["type"] == "IdentityObject"
    assert identity["identityType"] == "emailAddress"
    assert identity["hashed"] is True
    assert len(identity["salt"]) >= 16
    expected = "sha256$" + hashlib.sha256((email.lower() + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == expected
    other = "sha256$" + hashlib.sha256(("someone.else@example.org" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] != other
    raw = json.dumps(claims)
    assert email not in raw
    assert award.snapshot["holder_name"] not in raw or award.snapshot["holder_name"] in claims["name"]
    # Each award has its own salt, so two credentials of one person cannot be linked by the hash.
    second = AwardFactory(enrolment__participant=award.enrolment.participant)
    assert credentials.build(second)["credentialSubject"]["identifier"][0]["salt"] != identity["salt"]


def test_the_criteria_state_the_programmes_rule_in_the_awards_language():
    award = AwardFactory(language="en", kind="diploma")
    programme = award.enrolment.edition.programme
    programme.award_min_content_sessions = 4
    programme.award_requires_paper = True
    programme.award_requires_presentation = False
    programme.save()
    narrative = credentials.build(award)["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert "at least 4 content sessions" in narrative
    assert "final paper" in narrative
    assert "Presented" not in narrative


def test_a_certificate_is_a_certificate_achievement():
    award = AwardFactory(language="en", kind="certificate")
    achievement = credentials.build(award)["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["id"].endswith("/certificate")
    assert "at least one content session" in achievement["criteria"]["narrative"]


def test_a_dutch_award_names_the_dutch_programme_title():
    award = AwardFactory(language="nl")
    achievement = credentials.build(award)["credentialSubject"]["achievement"]
    assert award.snapshot["programme"]["nl"] in achievement["name"]
    assert award.snapshot["goals"][0]["nl"] in achievement["description"]


def test_signing_is_repeatable_and_reads_the_frozen_snapshot():
    award = AwardFactory(language="en")
    assert credentials.build(award) == credentials.build(award)
    award.enrolment.participant.email = "changed@example.org"
    award.enrolment.participant.save()
    programme = award.enrolment.edition.programme
    programme.title_en = "Renamed"
    programme.save()
    built = credentials.build(award)
    assert "Renamed" not in json.dumps(built)
    assert built["credentialSubject"]["identifier"][0]["identityHash"] == credentials.identity_hash(
        award.snapshot["holder_email"], built["credentialSubject"]["identifier"][0]["salt"]
    )


def test_verify_accepts_our_credential_and_refuses_a_tampered_one():
    token = credentials.sign(AwardFactory())
    assert credentials.verify(token)["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    payload = b64url_json(token.split(".")[1])
    with pytest.raises(credentials.InvalidCredential):
        credentials.verify(with_payload(token, {**payload, "name": "Something else"}))
    with pytest.raises(credentials.InvalidCredential):
        credentials.verify("not a token")


def test_new_status_indexes_are_random_and_skip_taken_ones(monkeypatch, django_assert_num_queries):
    taken = AwardFactory().status_index
    free = (taken + 1) % credentials.STATUS_LIST_SIZE
    draws = iter([taken, taken, free] + [(taken + 2) % credentials.STATUS_LIST_SIZE] * 13)
    seen_bounds = []

    def draw(bound):
        seen_bounds.append(bound)
        return next(draws)

    monkeypatch.setattr(credentials.secrets, "randbelow", draw)
    with django_assert_num_queries(1):  # the candidates are checked together (P1: the same count however full)
        assert credentials.new_status_index() == free
    assert seen_bounds == [credentials.STATUS_LIST_SIZE] * 16
    assert credentials.STATUS_LIST_SIZE == 131072


def test_new_status_indexes_fall_within_the_list():
    indexes = {credentials.new_status_index() for _ in range(50)}
    assert all(0 <= i < credentials.STATUS_LIST_SIZE for i in indexes)
    assert len(indexes) > 1


def test_the_issuer_profile_is_public_json(client, settings):
    response = client.get("/credentials/issuer")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 300
    assert "Set-Cookie" not in response.headers
    profile = response.json()
    assert profile["id"] == f"{BASE}/credentials/issuer"
    assert profile["type"] == ["Profile"]
    assert profile["name"] == settings.INVOICE_ISSUER_NAME
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in profile["@context"]
    assert client.post("/credentials/issuer").status_code == 405
