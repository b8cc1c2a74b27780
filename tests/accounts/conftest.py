"""Fixtures for the account tests. `smtp_server` is the real SMTP server (aiosmtpd) of the notification tests."""

import pytest
from django.core.cache import cache

from tests.notifications.conftest import smtp_server  # noqa: F401 - a fixture, used by name


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()
