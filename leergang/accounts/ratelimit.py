"""A small fixed-window limit on login attempts and public forms (forgot password, password links,
registration), counted in the cache per client address and scope, per LOGIN_RATE_WINDOW_SECONDS:
LOGIN_RATE_LIMIT attempts, or APPLY_RATE_LIMIT for registrations (page and API), which colleagues
behind one office address may send more of than logins.

With several app servers set CACHE_URL=db (a shared cache), or each server counts on its own."""

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, request) -> str:
    address = request.META.get("REMOTE_ADDR", "unknown")
    return f"ratelimit:{scope}:{address}"


LIMIT_SETTINGS = {"apply": "APPLY_RATE_LIMIT"}


def limit_for(scope: str) -> int:
    return getattr(settings, LIMIT_SETTINGS.get(scope, "LOGIN_RATE_LIMIT"), settings.LOGIN_RATE_LIMIT)


def hit(scope: str, request) -> bool:
    """Count one attempt; True when the client is over the limit."""
    key = _key(scope, request)
    window = settings.LOGIN_RATE_WINDOW_SECONDS
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return False
    return count > limit_for(scope)
