"""A limit on wrong check-in codes (M17): CHECK_IN_RATE_LIMIT per LOGIN_RATE_WINDOW_SECONDS.

Counted per person, not per address as `leergang.accounts.ratelimit` does: a whole class checks in
from the same wifi, so one address is many people. Only wrong codes count."""

from django.conf import settings
from django.core.cache import cache


def _key(user) -> str:
    return f"ratelimit:check-in:{user.pk}"


def blocked(user) -> bool:
    """Whether the person has used up their wrong codes in this window."""
    return int(cache.get(_key(user), 0)) >= settings.CHECK_IN_RATE_LIMIT


def count_wrong_code(user) -> None:
    key = _key(user)
    if cache.add(key, 1, timeout=settings.LOGIN_RATE_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_RATE_WINDOW_SECONDS)
