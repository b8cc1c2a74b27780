"""The RSA keys that sign the credentials, and their public halves as a JWK Set.

One key is active and signs; retired keys stay in the table (and in the JWK Set) so every
credential ever issued keeps verifying. A key's id (`SigningKey.kid`) is its RFC 7638 thumbprint.
Open Badges 3.0 (§8.2, JOSE header) wants the `kid` in a token to be a URI that dereferences to the
public JWK, so the published key id is `{PUBLIC_BASE_URL}/credentials/keys/{thumbprint}`, which
serves that JWK; the JWK Set at `/credentials/jwks.json` uses the same `kid`, so an ordinary JOSE
library finds the key by exact match.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from leergang.core import sql_rows

from .models import SigningKey

ALGORITHM = "RS256"
THUMBPRINT = re.compile(r"[A-Za-z0-9_-]{1,64}")
KEY_SIZE = 2048


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _public_members(public_key: rsa.RSAPublicKey) -> dict:
    numbers = public_key.public_numbers()
    return {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}


def thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, without whitespace."""
    canonical = json.dumps(_public_members(public_key), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@functools.lru_cache(maxsize=16)
def _load(private_pem: str) -> rsa.RSAPrivateKey:
    # Parsing (and checking) an RSA key costs milliseconds; the PEM text is the cache key, so a
    # replaced key is never served from the cache.
    return serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)


def private_key(key: SigningKey) -> rsa.RSAPrivateKey:
    return _load(key.private_pem)


def public_key(key: SigningKey) -> rsa.RSAPublicKey:
    return private_key(key).public_key()


def generate() -> tuple[str, str]:
    """A new key as (kid, private PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    encoding, layout = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
    pem = key.private_bytes(encoding, layout, serialization.NoEncryption()).decode("ascii")
    return thumbprint(key.public_key()), pem


def active_key() -> SigningKey:
    """The key that signs new credentials, created on first use.

    Two first uses at the same time both generate a key; the one-active constraint lets one
    insert win and the other reads the winner, so they sign with the same key.
    """
    # Written as SQL (core.sql_rows), as `SigningKey.objects.filter(active=True).first()` reads it
    # (the model orders by creation): every award issued asks for it.
    rows = sql_rows.read_joined(
        f"FROM {sql_rows.table(SigningKey)} k WHERE k.active = %s ORDER BY k.created_at LIMIT 1", [True], ((SigningKey, "k"),)
    )
    if rows:
        return rows[0][0]
    kid, pem = generate()
    try:
        with transaction.atomic():
            return SigningKey.objects.create(kid=kid, private_pem=pem, created_at=timezone.now(), active=True)
    except IntegrityError:
        return SigningKey.objects.get(active=True)


def kid_uri(key: SigningKey) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/credentials/keys/{key.kid}"


def public_jwk(key: SigningKey) -> dict:
    """The public half only (never `d` or the other private members)."""
    return {**_public_members(public_key(key)), "kid": kid_uri(key), "alg": ALGORITHM, "use": "sig"}


def jwks() -> dict:
    """The public halves of all keys, retired ones too, oldest first."""
    return {"keys": [public_jwk(key) for key in SigningKey.objects.order_by("created_at", "pk")]}


def find(kid: str) -> SigningKey | None:
    """The key a token's `kid` names: the published URI or the bare thumbprint."""
    if not isinstance(kid, str):
        return None
    thumb = kid.rsplit("/", 1)[-1]
    # A thumbprint is base64url; anything else (NUL bytes included, which PostgreSQL refuses in a
    # query) cannot be one of ours.
    if not THUMBPRINT.fullmatch(thumb):
        return None
    return SigningKey.objects.filter(kid=thumb).first()
