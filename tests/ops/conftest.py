"""Helpers for the operations tests: they run the app as separate processes (manage.py, make,
gunicorn, the worker) against databases of their own, as an operator would."""

import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent.parent
TIMEOUT = 180


def app_env(tmp: Path, *, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of an app process: its own var dir (SQLite database, secret key) and uploads.

    Without `database_url` the app uses SQLite in `tmp/var/leergang.sqlite3`, as `make run` does.
    """
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="false",
        LEERGANG_VAR_DIR=str(tmp / "var"),
        UPLOAD_ROOT=str(tmp / "uploads"),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, check: bool = True, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def make(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["make", "--no-print-directory", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    if check and result.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_server() -> dict:
    """Connection settings of the PostgreSQL server the suite uses (the PostgreSQL pass's, else 127.0.0.1:5432)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    config = dj_database_url.parse(url)
    return {
        "host": config.get("HOST") or "127.0.0.1",
        "port": int(config.get("PORT") or 5432),
        "user": config.get("USER") or "postgres",
        "password": config.get("PASSWORD") or "",
    }


def postgres_url(server: dict, name: str) -> str:
    password = f":{server['password']}" if server["password"] else ""
    return f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"


@pytest.fixture
def fresh_postgres_databases():
    """new() -> the URL of a new, empty database on the suite's PostgreSQL server; all dropped afterwards."""
    server = postgres_server()
    created = []

    def admin():
        return psycopg.connect(
            host=server["host"],
            port=server["port"],
            user=server["user"],
            password=server["password"] or None,
            dbname="postgres",
            autocommit=True,
        )

    def new() -> str:
        name = f"leergang_ops_{uuid.uuid4().hex[:12]}"
        with admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return postgres_url(server, name)

    yield new
    with admin() as conn:
        for name in created:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def require_make() -> None:
    if shutil.which("make") is None:
        pytest.fail("make is not installed; the operations tests run `make backup` and `make restore`.")
