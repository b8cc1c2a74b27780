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

from django.db.models import Max

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
    return list(Award.objects.filter(revoked_at__isnull=False).values_list("status_index", flat=True))


def status_list_credential(number: int = credentials.STATUS_LIST_NUMBER) -> dict:
    url = credentials.status_list_url(number)
    revoked = Award.objects.filter(revoked_at__isnull=False)
    # Valid from the last change, so the signed list stays the same until a revocation changes
    # it, and its nbf never lies in a verifier's future.
    changed = revoked.aggregate(latest=Max("revoked_at"))["latest"] or keys.active_key().created_at
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
            "encodedList": encode_list(bitstring(revoked.values_list("status_index", flat=True))),
            "ttl": TTL_SECONDS * 1000,
        },
    }


def status_list_credential_jwt(number: int = credentials.STATUS_LIST_NUMBER) -> str:
    """The status list credential as a compact JWS, signed with the active key."""
    return credentials.encode(status_list_credential(number), typ=TYP)
