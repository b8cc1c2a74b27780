"""Settings of the worker process in test_smtp_outage.py: the development settings (SMTP from
EMAIL_HOST/EMAIL_PORT) with retries seconds apart instead of minutes, so an outage fits in a test."""

from config.settings.dev import *  # noqa: F403

NOTIFICATIONS_BACKOFF_SECONDS = 1
NOTIFICATIONS_BACKOFF_MAX_SECONDS = 2
