"""Rendered parts of a logged-in page, kept in the cache under a key made of what they show.

Key-based expiry instead of invalidation: the caller passes a *stamp*, a few values read in one cheap
query that change whenever anything the part shows changes (for each table involved, the row count
and the latest `updated_at` of the rows concerned). A change makes a new key, so a stored copy is
never stale and nothing has to be deleted; old copies simply expire (TIMEOUT). Nothing depends on
signals or on every writer remembering to invalidate, and it holds across app servers that share the
cache. What the stamp must cover is the caller's responsibility, and its tests show a change in each
table it covers appearing at once.

Rules for a cached part:
- It shows the same to everybody allowed to see the page: the permission check runs before the cache
  is consulted, and anything per person (the header, the logout form) stays outside the part.
- The language is part of the key; so are the caller's own values (the object, a filter).
- A form's CSRF token differs per visitor: it is stored as a marker and a fresh token is filled in on
  every use (`{% csrf_token %}` inside a part is therefore fine).
- Inside an open transaction (a test, ATOMIC_REQUESTS) nothing is read or stored: the stamp could
  describe changes that are later rolled back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

TIMEOUT = 24 * 60 * 60  # a day: copies under old stamps are never read again, this only frees the space

_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_MARKER = "\x00csrf\x00"


def stamp(sql: str, params: list) -> tuple | None:
    """The row of a stamp query (None when it finds no row: the object does not exist)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else tuple(str(value) for value in row)


def _key(name: str, parts: tuple) -> str:
    text = "\x1f".join(str(part) for part in (name, translation.get_language(), *parts))
    return f"fragment:{name}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def cached_parts(request, name: str, key: tuple, render: Callable[[], dict[str, str]]) -> dict[str, SafeString]:
    """The parts `render()` makes (name -> HTML), from the cache when stored under the same `name`,
    language and `key` (which ends with the stamp)."""
    if connection.in_atomic_block:
        return {part: mark_safe(html) for part, html in render().items()}  # noqa: S308 - rendered by a template
    cache_key = _key(name, key)
    stored = cache.get(cache_key)
    if stored is None:
        stored = {part: _CSRF_VALUE.sub(rf"\g<1>{_CSRF_MARKER}\g<2>", html) for part, html in render().items()}
        cache.set(cache_key, stored, TIMEOUT)
    token = get_token(request) if any(_CSRF_MARKER in html for html in stored.values()) else ""
    # noqa below: rendered by a template, with Django's own (masked, URL-safe) token filled in.
    return {part: mark_safe(html.replace(_CSRF_MARKER, token)) for part, html in stored.items()}  # noqa: S308
