"""The worker survives an SMTP outage with nothing lost and nothing sent twice (M24, R6).

The real thing end to end: `manage.py worker` runs as its own process against its own database and
a real SMTP server (aiosmtpd) that the test takes down and brings back. E-mails queued while SMTP is
down stay in the outbox (pending, attempts and the error recorded), the worker keeps running, is
stopped and started again in the middle of the outage, and once SMTP is back every e-mail arrives
exactly once. A second outage while the worker runs ends the same way.

The delivery rules themselves (backoff, the at-least-once gap, claims that run out, several
workers) are covered in tests/notifications/test_delivery.py, test_worker.py and test_concurrency.py.
"""

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.notifications.conftest import SmtpServer

from .conftest import BASE_DIR, app_env, free_port, manage


class Worker:
    """`manage.py worker` as a process of its own, logging to a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self.log = log.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--sleep", "0.2"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        finally:
            self.log.close()


def outbox(db: Path) -> list[dict]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=20)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute("SELECT * FROM notifications_outboxemail ORDER BY id")]
    finally:
        conn.close()


def queue(env: dict[str, str], *addresses: str) -> None:
    """Write e-mails to the outbox the way the app does, from another process."""
    code = (
        "from leergang.notifications.services import queue_email\n"
        f"for address in {list(addresses)!r}:\n"
        "    queue_email(to=address, subject='Bijeenkomst 3 verplaatst', body='Beste deelnemer,\\n', language='nl')\n"
    )
    manage(env, "shell", "--command", code)


def wait_for(check, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {seconds} s")


@pytest.mark.sqlite_file
def test_the_worker_survives_smtp_outages_and_restarts_and_sends_everything_exactly_once(tmp_path):
    smtp = SmtpServer(free_port())  # not started: SMTP is down
    env = app_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="tests.ops.outage_settings",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
    )
    db = tmp_path / "var" / "leergang.sqlite3"
    log = tmp_path / "worker.log"
    manage(env, "migrate", "--noinput")

    first = Worker(env, log)
    try:
        queue(env, *(f"p{i}@example.org" for i in range(4)))
        # The worker tries again and again (one attempt per round while SMTP is down) and keeps running.
        wait_for(lambda: sum(row["attempts"] for row in outbox(db)) >= 3, seconds=30, what="three failed attempts")
        assert first.alive()
        rows = outbox(db)
        assert {row["status"] for row in rows} == {"pending"}
        assert all("ConnectionRefusedError" in row["last_error"] for row in rows if row["attempts"])
        assert smtp.envelopes == []
    finally:
        assert first.stop() == 0  # SIGTERM: a clean stop in the middle of the outage

    queue(env, *(f"q{i}@example.org" for i in range(3)))  # queued while no worker runs at all
    second = Worker(env, log)
    try:
        attempts = sum(row["attempts"] for row in outbox(db))
        wait_for(lambda: sum(row["attempts"] for row in outbox(db)) > attempts, seconds=30, what="the new worker's first attempt")
        assert second.alive()
        assert {row["status"] for row in outbox(db)} == {"pending"}

        smtp.start()  # SMTP is back
        wait_for(lambda: {row["status"] for row in outbox(db)} == {"sent"}, seconds=30, what="every e-mail sent")
        time.sleep(1.5)  # a few more rounds: nothing goes out again
        rows = outbox(db)
        assert len(rows) == 7
        assert sorted(r for envelope in smtp.envelopes for r in envelope.rcpt_tos) == sorted(
            [f"p{i}@example.org" for i in range(4)] + [f"q{i}@example.org" for i in range(3)]
        )
        assert sorted(message["Message-ID"] for message in smtp.messages) == sorted(row["message_id"] for row in rows)

        # A second outage, with the worker running throughout.
        smtp.stop()
        queue(env, "r0@example.org", "r1@example.org")
        wait_for(
            lambda: all(row["attempts"] for row in outbox(db) if row["status"] == "pending") and len(outbox(db)) == 9,
            seconds=30,
            what="an attempt at the new e-mails",
        )
        assert [row["status"] for row in outbox(db)].count("pending") == 2
        assert second.alive()
        smtp.start()
        wait_for(lambda: {row["status"] for row in outbox(db)} == {"sent"}, seconds=30, what="the new e-mails sent")
        time.sleep(1.5)
        rows = outbox(db)
        assert len(smtp.envelopes) == 9
        assert sorted(message["Message-ID"] for message in smtp.messages) == sorted(row["message_id"] for row in rows)
        assert second.alive()
    finally:
        assert second.stop() == 0
        smtp.stop()
    worker_log = log.read_text()
    assert "Outbox e-mail" in worker_log and "attempt 1 failed" in worker_log  # the outage was logged, as warnings
    assert "Traceback" not in worker_log  # and no round ever failed
