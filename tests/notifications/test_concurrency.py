"""Several workers at once send each message once: threads on PostgreSQL, processes on a SQLite file.

The SQLite test database is an in-memory database in shared-cache mode, where a second writer gets
"database table is locked" at once instead of waiting, unlike the file database the application
uses (WAL, IMMEDIATE transactions, a busy timeout). So on SQLite the test runs two real
`manage.py worker --once` processes against a SQLite file configured as in production.
"""

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from leergang.notifications.delivery import deliver_due
from leergang.notifications.models import OutboxEmail
from leergang.notifications.services import queue_email

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_worker_threads_at_the_same_time_send_each_mail_once(smtp_server):
    recipients = [f"p{i}@example.org" for i in range(40)]
    for address in recipients:
        queue_email(to=address, subject="Bijeenkomst", body="Tot dan.\n")
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            start.wait(timeout=10)
            results.append(deliver_due(limit=100))
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(results) == 40
    assert sorted(r for envelope in smtp_server.envelopes for r in envelope.rcpt_tos) == sorted(recipients)
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.sqlite_file
def test_two_worker_processes_on_a_sqlite_file_send_each_mail_once(smtp_server, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        LEERGANG_VAR_DIR=str(tmp_path),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
        LOG_LEVEL="WARNING",
    )

    def manage(*args: str, **kwargs):
        return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True, **kwargs)

    assert manage("migrate", "--verbosity", "0").wait(timeout=60) == 0
    recipients = [f"p{i}@example.org" for i in range(60)]
    script = (
        "from leergang.notifications.services import queue_email\n"
        f"for address in {recipients!r}:\n"
        "    queue_email(to=address, subject='Bijeenkomst', body='Tot dan.')\n"
    )
    assert manage("shell", "--command", script).wait(timeout=60) == 0

    workers = [manage("worker", "--once", "--batch", "5", stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [worker.communicate(timeout=60) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert not any("Traceback" in err for _out, err in outputs), outputs

    assert sorted(r for envelope in smtp_server.envelopes for r in envelope.rcpt_tos) == sorted(recipients)
    with sqlite3.connect(tmp_path / "leergang.sqlite3") as database:
        rows = database.execute("SELECT status, attempts, COUNT(*) FROM notifications_outboxemail GROUP BY 1, 2").fetchall()
    assert rows == [("sent", 1, 60)]
