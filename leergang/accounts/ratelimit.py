"""A small fixed-window limit on login attempts and public forms (forgot password, password links),
counted in the cache per client address and scope; LOGIN_RATE_LIMIT per LOGIN_RATE_WINDOW_SECONDS."""

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, request) -> str:
    address = request.META.get("REMOTE_ADDR", "unknown")
    return f"ratelimit:{scope}:{address}"


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
    return count > settings.LOGIN_RATE_LIMIT
