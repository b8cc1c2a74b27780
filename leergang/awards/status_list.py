"""The revocation status list: a W3C Bitstring Status List credential, signed like the awards.

Every award holds a random position (`Award.status_index`) in one list of 131,072 bits; the bit is
set once the award is revoked. The list is GZIP-compressed and published as multibase base64url
("u" prefix, no padding), the left-most bit being index 0. Verifiers fetch it from the URL in the
credential's `credentialStatus` and read their one bit, so the issuer never learns which
credential was checked.
"""

from __future__ import annotations

import base64
import gzip
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Sum

from . import credentials, keys
from .models import Award

# Verifiers may keep the list this long (Bitstring Status List `ttl`, in milliseconds); the HTTP
# answer says the same in Cache-Control.
TTL_SECONDS = 300
MEDIA_TYPE = "application/vc+jwt"  # VC-JOSE-COSE: a credential secured as a JWT
TYP = "vc+jwt"


def bitstring(revoked_indexes, size: int = credentials.STATUS_LIST_SIZE) -> bytes:
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        if 0 <= index < size:
            bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode_list(raw: bytes) -> str:
    # mtime=0 keeps the output identical for identical lists.
    compressed = gzip.compress(raw, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("Not multibase base64url.")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def is_set(raw: bytes, index: int) -> bool:
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def revoked_indexes() -> list[int]:
    return list(Award.objects.filter(revoked_at__isnull=False).order_by().values_list("status_index", flat=True))


def status_list_credential(number: int = credentials.STATUS_LIST_NUMBER) -> dict:
    url = credentials.status_list_url(number)
    # One read of the revoked awards' positions and times, nothing of the others.
    revoked = list(Award.objects.filter(revoked_at__isnull=False).order_by().values_list("status_index", "revoked_at"))
    # Valid from the last change, so the signed list stays the same until a revocation changes
    # it, and its nbf never lies in a verifier's future.
    changed = max((at for _index, at in revoked), default=None) or keys.active_key().created_at
    return {
        "@context": [credentials.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": credentials.issuer_id(),
        "validFrom": credentials.utc_timestamp(changed),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(bitstring(index for index, _at in revoked)),
            "ttl": TTL_SECONDS * 1000,
        },
    }


def status_list_credential_jwt(number: int = credentials.STATUS_LIST_NUMBER) -> str:
    """The status list credential as a compact JWS, signed with the active key."""
    return credentials.encode(status_list_credential(number), typ=TYP)


# The signed list is a function of the revoked awards, the active key and the site's address (no
# issue time in it; RS256 signatures are deterministic), so it is kept under a key made of exactly
# those and never needs invalidating: a revocation or a new key makes another key.
CACHE_SECONDS = 24 * 60 * 60


def _fingerprint(number: int) -> str:
    """What the list depends on, read cheaply. Revocation is final and awards are never deleted
    (the register is kept), so the count and the sum of the revoked awards' ids change with every
    revocation. Read through `revoked_by`, which the award_revocation_complete constraint makes
    non-null exactly when revoked_at is: its foreign-key index answers without reading the award
    rows (which hold the PDFs), where a filter on revoked_at would scan them all."""
    revoked = Award.objects.filter(revoked_by__isnull=False).aggregate(count=Count("pk"), ids=Sum("pk"))
    parts = (number, revoked["count"], revoked["ids"], keys.active_key().kid, settings.PUBLIC_BASE_URL)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def current_status_list_jwt(number: int = credentials.STATUS_LIST_NUMBER) -> str:
    """The signed list as verifiers fetch it: from the cache while nothing it shows has changed.
    Inside an open transaction (a test) it is built fresh: a revocation seen there may be rolled
    back, and its list must not outlive it in the cache."""
    if connection.in_atomic_block:
        return status_list_credential_jwt(number)
    # The fingerprint is read before the list, so the stored list is at least as new as its key.
    key = f"awards:status-list:{_fingerprint(number)}"
    token = cache.get(key)
    if token is None:
        token = status_list_credential_jwt(number)
        cache.set(key, token, CACHE_SECONDS)
    return token
