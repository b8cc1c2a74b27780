"""The test suite: fast hashing, mail kept in memory unless a test wires a real SMTP server."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - tests never leave this machine
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
LOGIN_RATE_LIMIT = 1000
# Registrations from the whole suite share one client address: the limit is tested with its own value.
APPLY_RATE_LIMIT = 100_000

# Uploads (the demo's papers, tests' files) go to a folder of this run, removed when it ends, so
# test runs never pile files up in var/uploads.
UPLOAD_ROOT = Path(tempfile.mkdtemp(prefix="leergang-test-uploads-"))
atexit.register(shutil.rmtree, UPLOAD_ROOT, ignore_errors=True)
