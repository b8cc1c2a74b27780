"""The outbox's knobs. Each is an optional setting, read when used so `override_settings` works.

| setting | default | meaning |
|---|---|---|
| NOTIFICATIONS_MAX_ATTEMPTS | 20 | attempts before a message or task is marked failed (about 14 hours with the defaults) |
| NOTIFICATIONS_BACKOFF_SECONDS | 60 | wait after the first failed attempt; doubles with every further one |
| NOTIFICATIONS_BACKOFF_MAX_SECONDS | 3600 | the longest wait between two attempts |
| NOTIFICATIONS_CLAIM_SECONDS | 600 | how long a claimed message or task is left alone; after that a worker that died is presumed dead |
| NOTIFICATIONS_WORKER_SLEEP_SECONDS | 5 | pause of `manage.py worker` between two rounds |
"""

from django.conf import settings


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 20))


def backoff_seconds() -> int:
    return int(getattr(settings, "NOTIFICATIONS_BACKOFF_SECONDS", 60))


def backoff_max_seconds() -> int:
    return int(getattr(settings, "NOTIFICATIONS_BACKOFF_MAX_SECONDS", 3600))


def claim_seconds() -> int:
    return int(getattr(settings, "NOTIFICATIONS_CLAIM_SECONDS", 600))


def worker_sleep_seconds() -> float:
    return float(getattr(settings, "NOTIFICATIONS_WORKER_SLEEP_SECONDS", 5))
