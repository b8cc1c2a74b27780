import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_answers_when_app_and_database_work(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_a_broken_database_as_503_not_500(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_pass_really_runs_on_postgresql():
    assert connection.vendor == "postgresql"
