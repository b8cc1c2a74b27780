"""Security headers, production settings and the secret key (R1, R7)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def run_manage(*args, env_extra, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "HTTPS", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.prod", "LEERGANG_VAR_DIR": str(tmp_path)}, **env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("path", ["/nl/", "/en/opleidingen/sturen-vanuit-vertrouwen/", "/api/v1/programmes", "/healthz"])
def test_every_answer_carries_the_security_headers(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_check_deploy_with_https_has_no_warnings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env_extra={"HTTPS": "true", "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-for-the-test-only", "ALLOWED_HOSTS": "leergang.example.org"},
        tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_switches_on_hsts_and_secure_cookies(tmp_path):
    code = "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    on = run_manage("shell", "--no-imports", "-c", code, env_extra={"HTTPS": "true"}, tmp_path=tmp_path)
    off = run_manage("shell", "--no-imports", "-c", code, env_extra={}, tmp_path=tmp_path)
    assert on.stdout.split() == ["31536000", "True", "True", "True", "False"], on.stderr
    assert off.stdout.split() == ["0", "False", "False", "False", "False"], off.stderr


def test_production_without_secret_key_generates_one_and_keeps_it(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_manage("shell", "--no-imports", "-c", code, env_extra={}, tmp_path=tmp_path)
    second = run_manage("shell", "--no-imports", "-c", code, env_extra={}, tmp_path=tmp_path)
    key = first.stdout.strip()
    assert len(key) >= 50, first.stderr
    assert key == second.stdout.strip()
    assert (tmp_path / "secret_key").read_text().strip() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    # A different machine (another var dir) gets another key: nothing fixed in the code.
    other = run_manage("shell", "--no-imports", "-c", code, env_extra={}, tmp_path=tmp_path / "other")
    assert other.stdout.strip() != key


def test_production_refuses_a_short_secret_key(tmp_path):
    result = run_manage("check", env_extra={"SECRET_KEY": "short"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
