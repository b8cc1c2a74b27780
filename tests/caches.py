"""The two cache backends the settings offer, for tests of what is kept in the cache (the fixture
`cache_backend` in tests/conftest.py runs a test once with each)."""

DB_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "leergang_cache"}}
LOCMEM_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cache-tests"}}
