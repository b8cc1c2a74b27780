"""The public page cache under real gunicorn with two workers and the shared database cache
(CACHE_URL=db): a change made by another process (a `manage.py` command, as the e-mail worker's
jobs are) shows on the very next visit, whichever worker answers."""

import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import BASE_DIR, app_env, free_port, manage

SLUG = "cache-proef"
CREATE = f"""
import datetime
from leergang.catalog.models import Edition, Programme
programme = Programme.objects.create(slug="{SLUG}", published=True, title_nl="Eerste titel", title_en="First title")
Edition.objects.create(programme=programme, start_date=datetime.date(2040, 1, 4), status="open", capacity=20, fee=100)
"""
RENAME = f"""
from leergang.catalog.models import Programme
programme = Programme.objects.get(slug="{SLUG}")
programme.title_nl = "Tweede titel"
programme.save()
"""


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server on loopback
        assert response.status == 200
        return response.read().decode()


@pytest.fixture(
    params=[pytest.param("sqlite", marks=pytest.mark.sqlite_file), pytest.param("postgres", marks=pytest.mark.postgres)]
)
def env(request, tmp_path):
    database_url = request.getfixturevalue("fresh_postgres_databases")() if request.param == "postgres" else None
    env = app_env(
        tmp_path,
        database_url=database_url,
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        CACHE_URL="db",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # production pages name the hashed files
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "shell", "-c", CREATE)
    return env


def test_a_change_from_another_process_shows_on_every_worker(env):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    page = f"http://127.0.0.1:{port}/nl/opleidingen/{SLUG}/"
    api = f"http://127.0.0.1:{port}/api/v1/programmes/{SLUG}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        # Enough visits over new connections that both workers have the page in hand.
        for _ in range(20):
            assert "Eerste titel" in fetch(page)
            assert '"Eerste titel"' in fetch(api)
        manage(env, "shell", "-c", RENAME)
        for _ in range(20):
            shown = fetch(page)
            assert "Tweede titel" in shown and "Eerste titel" not in shown
            assert '"Tweede titel"' in fetch(api)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
