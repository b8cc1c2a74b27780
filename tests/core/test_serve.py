"""`make serve`: gunicorn with production settings over plain HTTP on loopback."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "PORT": str(port),
            "LEERGANG_VAR_DIR": str(tmp_path / "var"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "WEB_CONCURRENCY": "1",
        }
    )
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(["make", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail("make serve stopped:\n" + (tmp_path / "serve.log").read_text())
            try:
                if fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("make serve did not answer in time:\n" + (tmp_path / "serve.log").read_text())
        yield base, tmp_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_make_serve_runs_production_settings(served):
    base, tmp_path = served
    status, headers, body = fetch(base + "/nl/opleidingen/sturen-vanuit-vertrouwen/")
    assert status == 200
    page = body.decode()
    assert "Sturen en leidinggeven vanuit vertrouwen" in page
    assert "Content-Security-Policy" in headers
    assert "Strict-Transport-Security" not in headers  # plain HTTP unless HTTPS=true

    # WhiteNoise serves the hashed, compressed stylesheet the page links to.
    stylesheet = page.split('rel="stylesheet" href="')[1].split('"')[0]
    assert stylesheet.startswith("/static/css/leergang.") and stylesheet != "/static/css/leergang.css"
    status, headers, body = fetch(base + stylesheet)
    assert status == 200 and b"--color-accent" in body
    assert "max-age" in headers.get("Cache-Control", "")

    # DEBUG is off: a missing page is a plain 404, not Django's debug page.
    status, _headers, body = fetch(base + "/nl/opleidingen/bestaat-niet/")
    assert status == 404
    assert b"Traceback" not in body and b"URLconf" not in body

    # No SECRET_KEY given: a random one was written to the untracked var dir.
    assert len((tmp_path / "var" / "secret_key").read_text().strip()) >= 50
