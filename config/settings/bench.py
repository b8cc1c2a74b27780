"""`make bench`: the test settings, but passwords hashed as in production, because the load test
logs in through a `make serve` server (production settings) on the data this process wrote."""

from .test import *  # noqa: F403

del PASSWORD_HASHERS  # noqa: F821 - Django's default hashers, as in production
