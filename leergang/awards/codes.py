"""Verification codes: what a diploma prints and its QR code carries, e.g. `7KQ2-M9XD-4HNA`.

Twelve characters of Crockford's base32 are 60 random bits: unguessable, yet short enough to read
aloud or type from paper. The alphabet has no I, L, O or U, so a code is never misread; when
someone types one anyway (or lowercase, or without the dashes) `normalise` still finds it.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
# What people type for the letters Crockford's alphabet leaves out.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", "- \u2010\u2011\u2012\u2013\u2014\u00a0")
# What a stored code can look like at all (the field holds 32 characters); anything else, such as
# a NUL character PostgreSQL refuses in a query, is never looked up.
_STORED = re.compile(r"[A-Za-z0-9_-]{1,32}")


def _grouped(characters: str) -> str:
    return "-".join(characters[i : i + GROUP] for i in range(0, len(characters), GROUP))


def new_code() -> str:
    """A fresh random code in its printed form (`XXXX-XXXX-XXXX`)."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalise(text: str) -> str | None:
    """The printed form of what someone typed, or None when it cannot be a code at all."""
    characters = str(text or "").upper().translate(_SEPARATORS).translate(_ALIASES)
    if len(characters) != LENGTH or any(c not in ALPHABET for c in characters):
        return None
    return _grouped(characters)


def candidates(text: str) -> list[str]:
    """The codes to look up for `text`: its printed form, and the text itself as given (codes made
    some other way, e.g. imported, are matched exactly)."""
    raw = str(text or "").strip()
    found = [normalise(raw), raw if _STORED.fullmatch(raw) else None]
    return list(dict.fromkeys(code for code in found if code))
