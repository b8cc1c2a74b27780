import os

import pytest
from django.db import connection

from leergang.accounts.services import issue_api_token
from leergang.core.compile_messages import compile_all

from . import demo_snapshot, factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_configure(config):
    # The .mo files are build output (not committed); `make test` builds them through `make setup`,
    # this makes a bare `pytest` on a fresh checkout see the Dutch texts too.
    compile_all()


def _database_is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    """Deselect (not skip) what this pass does not run: PostgreSQL-only tests on SQLite; in CI's
    PostgreSQL pass the browser suite, and the tests that start their own processes on a SQLite
    file (both already ran, identically, in the SQLite pass)."""
    skip_browser = os.environ.get("LEERGANG_SKIP_BROWSER") == "1"
    on_postgres = _database_is_postgres()

    def excluded(item) -> bool:
        needs_postgres = item.get_closest_marker("postgres") is not None
        is_browser = item.get_closest_marker("browser") is not None
        on_sqlite_file = item.get_closest_marker("sqlite_file") is not None
        return (needs_postgres and not on_postgres) or (is_browser and skip_browser) or (on_sqlite_file and on_postgres)

    keep = [item for item in items if not excluded(item)]
    drop = [item for item in items if excluded(item)]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rate limits, and the cached public pages, whose
    generation a flushed database (transactional tests) does not move."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def demo(db):
    """The demo content exactly as `make run` loads it: loaded for real once, then replayed from
    the rows that load wrote (tests/demo_snapshot.py)."""
    demo_snapshot.load()


@pytest.fixture
def coordinator(db):
    return factories.CoordinatorFactory(email="office@example.org")


@pytest.fixture
def teacher_user(db):
    return factories.TeacherUserFactory(email="teacher@example.org")


@pytest.fixture
def participant(db):
    return factories.UserFactory(email="participant@example.org")


@pytest.fixture
def bearer():
    """bearer(user) -> request headers carrying a fresh API token for that user."""

    def make(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(actor=None, user=user)}"}

    return make


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture(params=["locmem", "db"])
def cache_backend(request, settings):
    """Run the test once with each cache backend the settings offer (tests/caches.py)."""
    from django.core.cache import cache
    from django.core.management import call_command

    from tests.caches import DB_CACHE, LOCMEM_CACHE

    if request.param == "db":
        settings.CACHES = DB_CACHE
        call_command("createcachetable", verbosity=0)
    else:
        settings.CACHES = LOCMEM_CACHE
    cache.clear()
    yield request.param
    cache.clear()
