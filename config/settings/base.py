"""Settings shared by every environment; each value that differs per machine comes from the environment."""

import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LEERGANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# The address people reach the site at: used in e-mails, QR codes and calendar links,
# where there is no request to take the host from.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "leergang.core",
    "leergang.accounts",
    "leergang.catalog",
    "leergang.scheduling",
    "leergang.enrolment",
    "leergang.learning",
    "leergang.attendance",
    "leergang.awards",
    "leergang.invoicing",
    "leergang.privacy",
    "leergang.notifications",
    "leergang.api",
    "leergang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "leergang.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "leergang.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leergang.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "leergang.api.middleware.ApiErrorFormatMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "leergang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def database_config() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Kept open between requests, as for PostgreSQL: opening an SQLite file and reading its
        # schema again cost more than a whole simple request (gunicorn's workers are one thread each).
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "leergang.sqlite3", "CONN_MAX_AGE": 60}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE makes concurrent writers wait for the lock instead of failing mid-transaction.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend and database sessions, reading the signed-in user and session as SQL.
AUTHENTICATION_BACKENDS = ["leergang.accounts.signed_in.Backend"]
SESSION_ENGINE = "leergang.accounts.signed_in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "catalog:home"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "leergang" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Amsterdam"
LANGUAGE_COOKIE_NAME = "leergang_language"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "leergang" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Outgoing e-mail. Development prints mails to the console unless EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Leergang <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"

# Attempts per window before login answers 429; settings so benchmarks and fuzzing can raise them.
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "10"))
LOGIN_RATE_WINDOW_SECONDS = int(os.environ.get("LOGIN_RATE_WINDOW_SECONDS", "300"))
# Registrations (form and API) per address in the same window: a public form, so limited too (R7).
APPLY_RATE_LIMIT = int(os.environ.get("APPLY_RATE_LIMIT", "20"))
# Wrong check-in codes a participant may try per login window before check-in answers 429 (M17).
CHECK_IN_RATE_LIMIT = int(os.environ.get("CHECK_IN_RATE_LIMIT", "10"))

# How long a session's check-in code works after the teacher shows it (M17).
CHECK_IN_CODE_MINUTES = int(os.environ.get("CHECK_IN_CODE_MINUTES", "20"))

# The distancing rule in force (M10): square metres of room per person; 0 means no rule.
# When set, an edition meets on site only if its room holds participants and staff.
DISTANCING_M2_PER_PERSON = Decimal(os.environ.get("DISTANCING_M2_PER_PERSON", "0") or "0")

# --- Invoice issuer (M7) ---------------------------------------------------------------------
# The legal details printed on every invoice and credit note, copied into each one when it is
# issued (later changes never alter an issued invoice). The defaults are DEMO values: set the
# real ones through the environment in production. KvK 00000000 is not a real registration and
# NL91ABNA0417164300 is the well-known example IBAN.
INVOICE_ISSUER_NAME = os.environ.get("INVOICE_ISSUER_NAME", "Vrije Universiteit Amsterdam – School of Governance")
INVOICE_ISSUER_ADDRESS = os.environ.get("INVOICE_ISSUER_ADDRESS", "De Boelelaan 1105")
INVOICE_ISSUER_POSTAL_CODE = os.environ.get("INVOICE_ISSUER_POSTAL_CODE", "1081 HV")
INVOICE_ISSUER_CITY = os.environ.get("INVOICE_ISSUER_CITY", "Amsterdam")
INVOICE_ISSUER_KVK = os.environ.get("INVOICE_ISSUER_KVK", "00000000")  # demo value
INVOICE_ISSUER_VAT_ID = os.environ.get("INVOICE_ISSUER_VAT_ID", "")  # optional: education is VAT-exempt
INVOICE_ISSUER_IBAN = os.environ.get("INVOICE_ISSUER_IBAN", "NL91ABNA0417164300")  # demo value
INVOICE_ISSUER_BIC = os.environ.get("INVOICE_ISSUER_BIC", "")  # optional
INVOICE_ISSUER_EMAIL = os.environ.get("INVOICE_ISSUER_EMAIL", "facturen@example.org")
INVOICE_PAYMENT_TERM_DAYS = int(os.environ.get("INVOICE_PAYMENT_TERM_DAYS", "30"))
# --- end of invoice issuer -------------------------------------------------------------------

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("CACHE_URL", "").startswith("db"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "leergang_cache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

NINJA_PAGINATION_PER_PAGE = 100

# --- Uploads (M14 final paper, R4) ------------------------------------------------------------
# Uploaded papers live outside static and media, under random names, and are served only through
# the API to those allowed. Large uploads stream to temporary files (FILE_UPLOAD_MAX_MEMORY_SIZE).
UPLOAD_ROOT = Path(os.environ.get("UPLOAD_ROOT", VAR_DIR / "uploads"))
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# --- end of uploads ---------------------------------------------------------------------------
FORM_RENDERER = "leergang.core.widget_rendering.WidgetRenderer"
