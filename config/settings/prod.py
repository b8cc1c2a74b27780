"""Production (`make serve`, gunicorn): DEBUG off, compressed static files, a real secret key."""

import os
import secrets

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in an untracked file.

    The file keeps sessions valid across restarts on one machine; several app servers
    must share SECRET_KEY through the environment. There is never a fixed fallback.
    """
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if len(key) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
        return key
    key_file = os.environ.get("SECRET_KEY_FILE", str(VAR_DIR / "secret_key"))
    try:
        with open(key_file, encoding="ascii") as handle:
            key = handle.read().strip()
    except FileNotFoundError:
        os.makedirs(os.path.dirname(key_file), exist_ok=True)
        key = secrets.token_urlsafe(64)
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker wrote it first: use theirs
            with open(key_file, encoding="ascii") as handle:
                key = handle.read().strip()
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(key)
    return key


SECRET_KEY = _secret_key()
