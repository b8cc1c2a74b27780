"""`manage.py worker`: --once for cron and tests; the loop runs jobs and stops cleanly on SIGTERM."""

import os
import signal
from io import StringIO

import pytest
from django.core.management import call_command

from leergang.notifications.models import OutboxEmail
from leergang.notifications.services import queue_email

pytestmark = pytest.mark.django_db


def test_worker_once_delivers_what_is_due_and_exits(smtp_server, job_registry):
    for i in range(3):
        queue_email(to=f"p{i}@example.org", subject="Bijeenkomst", body="Tot dan.\n")
    job_registry.register("noop", lambda: None, every_seconds=60)
    out = StringIO()

    call_command("worker", "--once", "--batch", "2", stdout=out)

    assert len(smtp_server.envelopes) == 3
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert out.getvalue().strip() == "Ran 0 task(s); sent 3 e-mail(s); ran 1 job(s): noop."


def test_worker_once_with_smtp_down_keeps_the_mail_and_does_not_crash(smtp_server):
    smtp_server.stop()
    email = queue_email(to="p@example.org", subject="Bijeenkomst", body="Tot dan.\n")
    call_command("worker", "--once", stdout=StringIO())
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 1)


def test_worker_loop_delivers_runs_jobs_and_stops_on_sigterm(smtp_server, job_registry):
    queue_email(to="p@example.org", subject="Bijeenkomst", body="Tot dan.\n")
    rounds = []

    def stop_the_worker():
        rounds.append(len(smtp_server.envelopes))
        os.kill(os.getpid(), signal.SIGTERM)  # as a process manager would; the worker's handler catches it

    job_registry.register("stop", stop_the_worker, every_seconds=3600)
    before = signal.getsignal(signal.SIGTERM)

    call_command("worker", "--sleep", "0.01", stdout=StringIO())

    assert rounds == [1]  # the mail went out before the job ran, and the loop ended after that round
    assert signal.getsignal(signal.SIGTERM) == before  # handlers restored


def test_worker_loop_survives_an_error_in_a_round(monkeypatch):
    from leergang.notifications.management.commands import worker

    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database restarting")
        os.kill(os.getpid(), signal.SIGTERM)
        return 0

    monkeypatch.setattr(worker, "deliver_due", flaky)
    call_command("worker", "--sleep", "0", stdout=StringIO())
    assert len(calls) == 2  # the failed round was logged, the next one ran
