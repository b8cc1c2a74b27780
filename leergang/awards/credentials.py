"""The award as an Open Badges 3.0 `OpenBadgeCredential`, secured as a VC-JWT (OB 3.0 §8.2).

The credential is built from the award's own fields and its snapshot, so it says what the PDF
says, frozen at issue. Following OB 3.0 on the VC Data Model 2.0, the JWT payload is the
credential itself, with `iss`, `jti`, `nbf` and `sub` repeating its issuer id, id, validFrom and
subject id, so a plain JWT library can check them too. The JOSE header holds only what §8.2
allows: `alg` (RS256), `kid` (a URI that serves the public JWK) and `typ` ("JWT").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import jwt
from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext, ngettext

from . import keys
from .models import Award, AwardKind, SigningKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
OB_SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"
JWT_TYPE = "JWT"  # OB 3.0 §8.2: "typ", if present, MUST be "JWT"

# The Bitstring Status List's minimum length (16 KB of bits): large enough that an index says
# nothing about how many credentials were issued or when.
STATUS_LIST_SIZE = 131072
STATUS_LIST_NUMBER = 1

# From OB 3.0's AchievementType enumeration.
ACHIEVEMENT_TYPES = {AwardKind.DIPLOMA: "Diploma", AwardKind.CERTIFICATE: "Certificate"}


class InvalidCredential(Exception):
    """A token that is not a credential signed by one of our keys, or whose claims disagree."""


def base_url() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/")


def issuer_id() -> str:
    return f"{base_url()}/credentials/issuer"


def status_list_url(number: int = STATUS_LIST_NUMBER) -> str:
    return f"{base_url()}/credentials/status/{number}"


def credential_id(award: Award) -> str:
    return f"{base_url()}/verify/{award.code}"


def issuer_profile(name: str | None = None) -> dict:
    """The issuer as an OB 3.0 Profile; `name` is the organiser named on the document."""
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": name or settings.INVOICE_ISSUER_NAME,
        "url": f"{base_url()}/",
    }


def _taken(candidates: list[int]) -> set[int]:
    """Which of the candidate positions awards hold: one query written as SQL, as the ORM's
    `filter(status_index__in=candidates).values_list("status_index", flat=True)` reads them, without
    building and compiling that query for every award issued."""
    wanted = list(dict.fromkeys(candidates))
    table = connection.ops.quote_name(Award._meta.db_table)
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(wanted))
        cursor.execute(f"SELECT status_index FROM {table} WHERE status_index IN ({marks})", wanted)  # noqa: S608 - names from the model
        return {index for (index,) in cursor.fetchall()}


def new_status_index() -> int:
    """A random free position in the status list. Random rather than sequential (Bitstring Status
    List, privacy considerations): neighbouring indexes must not link credentials issued together.
    The unique constraint on `Award.status_index` settles a race; the caller retries on it."""
    # A handful of random candidates checked in one query: one query however full the list is,
    # until it is nearly full (the chance that sixteen picks are all taken at 90% is under 19%).
    candidates = [secrets.randbelow(STATUS_LIST_SIZE) for _ in range(16)]
    taken_now = _taken(candidates)
    for index in candidates:
        if index not in taken_now:
            return index
    # Only reached when the list is nearly full: choose among what is left.
    taken = set(Award.objects.filter(status_index__lt=STATUS_LIST_SIZE).values_list("status_index", flat=True))
    free = [i for i in range(STATUS_LIST_SIZE) if i not in taken]
    if not free:
        raise RuntimeError("The revocation status list is full.")
    return secrets.choice(free)


def new_status_indexes(count: int) -> list[int]:
    """`count` distinct random free positions in the status list, checked in one query whatever
    their number (issuing a whole edition): sixteen candidates for each, as `new_status_index`."""
    if count <= 0:
        return []
    # At most a thousand parameters in the one query; the rare shortfall is settled below.
    candidates = [secrets.randbelow(STATUS_LIST_SIZE) for _ in range(min(16 * count, 1000))]
    taken = _taken(candidates)
    chosen: list[int] = []
    for index in candidates:
        if index not in taken:
            chosen.append(index)
            taken.add(index)  # two picks of one batch must not meet
            if len(chosen) == count:
                return chosen
    # Only reached when the list is nearly full: choose among what is left.
    taken = set(Award.objects.filter(status_index__lt=STATUS_LIST_SIZE).values_list("status_index", flat=True))
    free = [i for i in range(STATUS_LIST_SIZE) if i not in taken and i not in chosen]
    if len(free) < count - len(chosen):
        raise RuntimeError("The revocation status list is full.")
    return chosen + secrets.SystemRandom().sample(free, count - len(chosen))


def utc_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local_midnight(value: str | None) -> str | None:
    """An ISO date as the start of that day in Amsterdam (OB 3.0 types activity dates DateTime)."""
    try:
        day = date.fromisoformat(value or "")
    except (TypeError, ValueError):
        return None
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(settings.TIME_ZONE)).isoformat()


def identity_salt(award: Award) -> str:
    # Stable per award (re-signing yields the same credential), different for every award and not
    # derivable from what the credential publishes.
    message = f"leergang.awards.identity-salt:{award.code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityHash: "sha256$" and the hex SHA-256 of the identifier with the salt appended.
    The address is trimmed and lower-cased first, as holders type it in any case."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()


def subject_id(award: Award) -> str:
    """A pseudonymous id for the holder in this one credential: OB 3.0's VC-JWT requires `sub`,
    and an e-mail address or account number would expose the holder and link their credentials."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, credential_id(award) + '#subject')}"


def _localised(value, language: str) -> str:
    if isinstance(value, dict):
        return value.get(language) or value.get("nl") or value.get("en") or ""
    return str(value or "")


def criteria_narrative(award: Award) -> str:
    """The award rule in words, in the active language."""
    if award.kind == AwardKind.CERTIFICATE:
        return gettext("Attended at least one content session of the programme.")
    from .selectors import policy_for

    policy = policy_for(award.enrolment.edition.programme)
    parts = [
        ngettext(
            "Attended at least %(count)s content session of the programme.",
            "Attended at least %(count)s content sessions of the programme.",
            policy.min_content_attended,
        )
        % {"count": policy.min_content_attended}
    ]
    if policy.require_paper:
        parts.append(gettext("Wrote a final paper that was assessed as sufficient."))
    if policy.require_presentation:
        parts.append(gettext("Presented the final paper at the closing session."))
    return " ".join(parts)


def _texts(award: Award) -> dict:
    snap = award.snapshot or {}
    language = award.language
    with translation.override(language):
        programme = _localised(snap.get("programme"), language)
        if award.kind == AwardKind.DIPLOMA:
            name = gettext("Diploma %(programme)s") % {"programme": programme}
            description = gettext("Diploma of the programme %(programme)s.") % {"programme": programme}
        else:
            name = gettext("Certificate of participation %(programme)s") % {"programme": programme}
            description = gettext("Certificate of participation in the programme %(programme)s.") % {"programme": programme}
        goals = [_localised(goal, language) for goal in snap.get("goals") or []]
        if goals:
            description += " " + gettext("Learning goals: %(goals)s.") % {"goals": "; ".join(goals)}
        return {"name": name, "description": description, "narrative": criteria_narrative(award)}


def build(award: Award) -> dict:
    """The credential (unsigned), its texts in the award's language."""
    snap = award.snapshot or {}
    texts = _texts(award)
    subject = {
        "id": subject_id(award),
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(snap.get("holder_email") or "", identity_salt(award)),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": identity_salt(award),
            }
        ],
        "achievement": {
            "id": f"{base_url()}/credentials/achievements/{snap.get('programme_slug', '')}/{award.kind}",
            "type": ["Achievement"],
            "achievementType": ACHIEVEMENT_TYPES.get(award.kind, "Certificate"),
            "name": texts["name"],
            "description": texts["description"],
            "criteria": {"narrative": texts["narrative"]},
        },
    }
    for field, key in (("activityStartDate", "start_date"), ("activityEndDate", "end_date")):
        moment = _local_midnight(snap.get(key))
        if moment:
            subject[field] = moment
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(award),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(snap.get("organiser")),
        "validFrom": utc_timestamp(award.issued_at),
        "name": texts["name"],
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status_list_url()}#{award.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(award.status_index),
            "statusListCredential": status_list_url(),
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": OB_SCHEMA_TYPE}],
    }


def _issuer_of(credential: dict) -> str:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def jwt_claims(credential: dict) -> dict:
    """The JWT payload: the credential with the registered claims OB 3.0 §8.2 derives from it."""
    claims = dict(credential)
    claims["iss"] = _issuer_of(credential)
    claims["jti"] = credential["id"]
    claims["nbf"] = int(datetime.fromisoformat(credential["validFrom"]).timestamp())
    if "validUntil" in credential:
        claims["exp"] = int(datetime.fromisoformat(credential["validUntil"]).timestamp())
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    return claims


def encode(credential: dict, typ: str = JWT_TYPE) -> str:
    """A credential as a compact JWS signed with the active key."""
    return _encode(credential, keys.active_key(), typ)


def _encode(credential: dict, key: SigningKey, typ: str) -> str:
    return jwt.encode(
        jwt_claims(credential),
        keys.private_key(key),
        algorithm=keys.ALGORITHM,
        headers={"kid": keys.kid_uri(key), "typ": typ},
    )


def sign(award: Award, *, key: SigningKey | None = None) -> str:
    """The award's OpenBadgeCredential as a compact JWS (VC-JWT), signed with the active key (`key`:
    as `keys.active_key` returned it, read once for many awards)."""
    if key is None:
        return encode(build(award))
    return _encode(build(award), key, JWT_TYPE)


def verify(token: str) -> dict:
    """The payload of a token signed by one of our keys (retired ones too), after checking the
    signature and that the registered claims agree with the credential, as OB 3.0 §8.2.6 asks.
    Raises InvalidCredential otherwise."""
    try:
        header = jwt.get_unverified_header(token)
        key = keys.find(header.get("kid"))
        if key is None:
            raise InvalidCredential("Unknown signing key.")
        payload = jwt.decode(
            token,
            keys.public_key(key),
            algorithms=[keys.ALGORITHM],
            options={"require": ["iss", "jti", "nbf"], "verify_aud": False},
            leeway=60,
        )
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise InvalidCredential(str(error)) from error
    subject = payload.get("credentialSubject")
    expected = {
        "iss": _issuer_of(payload),
        "jti": payload.get("id"),
        "sub": subject.get("id") if isinstance(subject, dict) else None,
    }
    for claim, value in expected.items():
        if payload.get(claim) != value:
            raise InvalidCredential(f"The {claim} claim does not match the credential.")
    try:
        valid_from = int(datetime.fromisoformat(payload["validFrom"]).timestamp())
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidCredential("The credential has no valid validFrom.") from error
    if payload["nbf"] != valid_from:
        raise InvalidCredential("The nbf claim does not match the credential.")
    return payload
