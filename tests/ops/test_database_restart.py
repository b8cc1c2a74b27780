"""The app survives a restart of its PostgreSQL server without a restart of its own (R6).

The test starts a throwaway PostgreSQL cluster of its own (initdb into a temporary folder, a free
port), runs the app in gunicorn with the production settings against it, and restarts the cluster
under the running app: while the database is down /healthz answers 503 and a page an error page,
quickly, never hanging; once it is back the same gunicorn processes answer 200 again within seconds.
A quick restart between two requests goes unnoticed: the next requests all answer 200.
What makes it work is in config/settings/base.py: persistent connections with CONN_HEALTH_CHECKS,
so the first request after the restart finds the dead connection and opens a new one.
"""

import glob
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import BASE_DIR, app_env, free_port, manage

pytestmark = pytest.mark.postgres

REQUEST_TIMEOUT = 10  # seconds: an answer slower than this counts as a hang
SECRET_KEY = "throwaway-cluster-test-key-" + "x" * 40


def postgres_program(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(Path(path).parts[-3]))
    return candidates[-1] if candidates else None


class Cluster:
    """A PostgreSQL cluster in a temporary folder, run as the `postgres` user when we are root."""

    def __init__(self, initdb: str, pg_ctl: str) -> None:
        self.pg_ctl = pg_ctl
        self.base = Path(tempfile.mkdtemp(prefix="leergang-pg-cluster-"))
        self.data = self.base / "data"
        self.log = self.base / "postgres.log"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                skip_outside_ci("running as root and there is no postgres user to run a PostgreSQL cluster as")
            os.chown(self.base, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.run(initdb, "-D", str(self.data), "--auth=trust", "--username=postgres", "--encoding=UTF8", "--no-sync")
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.base}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )

    def run(self, *args: str) -> None:
        result = subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise AssertionError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}\n{log}")

    def start(self) -> None:
        self.run(self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def restart(self) -> None:
        self.run(self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "-t", "60", "restart")

    def stop(self) -> None:
        self.run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [*self.as_user, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.base, ignore_errors=True)


def skip_outside_ci(reason: str) -> None:
    """A laptop without the PostgreSQL server programs may skip, saying why; CI must run this test."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the database restart test")
    pytest.skip(reason)


@pytest.fixture
def cluster():
    initdb, pg_ctl = postgres_program("initdb"), postgres_program("pg_ctl")
    if initdb is None or pg_ctl is None:
        skip_outside_ci("initdb and pg_ctl are not installed (PostgreSQL server package), so no throwaway cluster can start")
    cluster = Cluster(initdb, pg_ctl)
    try:
        cluster.start()
        cluster.run(
            shutil.which("psql") or postgres_program("psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "-qc",
            "CREATE DATABASE leergang",
        )
        yield cluster
    finally:
        cluster.destroy()


def get(url: str) -> tuple[int, str, float]:
    """(status, body, seconds) of a GET; never waits longer than REQUEST_TIMEOUT."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read().decode(errors="replace"), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), time.monotonic() - started


def children(pid: int) -> set[int]:
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def wait_for(check, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except OSError as exc:  # not listening yet
            last = exc
        else:
            if last:
                return last
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {seconds} s (last: {last!r})")


def test_the_running_app_survives_a_restart_of_its_postgresql_server(cluster, tmp_path):
    env = app_env(
        tmp_path,
        database_url=cluster.url("leergang"),
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=SECRET_KEY,
        STATIC_ROOT=str(tmp_path / "static"),
    )
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(f"{base}/healthz")[0] == 200, seconds=60, what="gunicorn answering /healthz")
        status, page, _ = get(f"{base}/nl/")
        assert status == 200 and "Sturen en leidinggeven vanuit vertrouwen" in page  # the demo programme, from the database
        for _ in range(4):  # every worker holds a persistent connection now (CONN_MAX_AGE)
            assert get(f"{base}/nl/")[0] == 200
        workers = children(server.pid)
        assert len(workers) == 2
        # What always reads the database: an edition in the API (the public pages and the
        # registration form may be answered from the cache while the database is away).
        status, body, _ = get(f"{base}/api/v1/programmes/sturen-vanuit-vertrouwen")
        edition = next(e for e in json.loads(body)["editions"] if e["status"] == "open")
        form = f"{base}/api/v1/editions/{edition['id']}"
        assert get(form)[0] == 200

        cluster.stop()
        for _ in range(3):  # spread over both workers
            status, body, seconds = get(f"{base}/healthz")
            assert status == 503 and '"database": "unavailable"' in body
            assert seconds < REQUEST_TIMEOUT
            status, body, seconds = get(form)
            assert status >= 500 and "Traceback" not in body  # an error page, not a hang
            assert seconds < REQUEST_TIMEOUT

        restarted_at = time.monotonic()
        cluster.start()
        wait_for(lambda: get(f"{base}/healthz")[0] == 200, seconds=15, what="/healthz answering 200 after the restart")
        assert time.monotonic() - restarted_at < 15
        for _ in range(6):  # each worker found its dead connection and opened a new one
            status, page, _ = get(form)
            assert status == 200 and json.loads(page)["id"] == edition["id"]
            assert get(f"{base}/healthz")[0] == 200

        # A restart between two requests: every worker's persistent connection is dead, yet the very
        # first requests succeed, because Django checks a reused connection before the request.
        cluster.restart()
        for _ in range(6):
            assert get(form)[0] == 200
            assert get(f"{base}/healthz")[0] == 200

        # The same processes answered: neither gunicorn nor its workers were restarted.
        assert server.poll() is None
        assert children(server.pid) == workers
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
