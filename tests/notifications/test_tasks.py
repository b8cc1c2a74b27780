"""Outbox tasks: queued with the change, run by the worker, their e-mails written exactly once."""

import datetime
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from leergang.notifications import delivery, services
from leergang.notifications.delivery import run_due_tasks
from leergang.notifications.models import OutboxEmail, OutboxTask
from leergang.notifications.services import queue_task

from .task_handlers import GROUP_NOTICE, ICS, register_all

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def group_notice(task_registry):
    """The registry holds only the test handler that writes one e-mail per address."""
    register_all()
    return task_registry


def notice(count: int = 3, subject: str = "Bijeenkomst 3 verplaatst") -> OutboxTask:
    return queue_task(GROUP_NOTICE, {"to": [f"p{i}@example.org" for i in range(count)], "subject": subject})


def refreshed(task: OutboxTask) -> OutboxTask:
    task.refresh_from_db()
    return task


# Queueing


def test_queue_task_is_one_insert_however_large_the_group(group_notice, django_assert_num_queries):
    with django_assert_num_queries(1):
        task = notice(count=500)
    task = refreshed(task)
    assert (task.name, task.status, task.attempts, task.claim_token, task.done_at) == (GROUP_NOTICE, "pending", 0, "", None)
    assert len(task.payload["to"]) == 500
    assert task.next_attempt_at <= timezone.now()
    assert OutboxEmail.objects.count() == 0  # the e-mails are the worker's job


def test_a_task_queued_in_a_transaction_that_rolls_back_is_gone(group_notice):
    with pytest.raises(RuntimeError), transaction.atomic():
        notice()
        raise RuntimeError("the business change failed")
    assert OutboxTask.objects.count() == 0
    assert run_due_tasks() == 0
    assert OutboxEmail.objects.count() == 0


def test_a_name_without_a_handler_is_refused_in_the_callers_transaction(task_registry):
    with pytest.raises(ValueError, match="No handler is registered for task 'scheduling.nothing'"):
        queue_task("scheduling.nothing", {"session": 1})
    assert OutboxTask.objects.count() == 0


@pytest.mark.parametrize(
    "payload", [["not", "a", "dict"], {"day": datetime.date(2021, 1, 13)}, {"x": object()}, {"x": float("nan")}]
)
def test_a_payload_that_is_not_a_json_object_is_refused(group_notice, payload):
    with pytest.raises(ValueError):
        queue_task(GROUP_NOTICE, payload)
    assert OutboxTask.objects.count() == 0


@pytest.mark.parametrize("changes", [{"status": "running"}, {"status": "done"}, {"done_at": timezone.now()}])
def test_the_database_refuses_an_unknown_status_and_a_done_at_that_does_not_match(group_notice, changes):
    task = notice()
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxTask.objects.filter(pk=task.pk).update(**changes)


# The registry


def test_handlers_register_by_decorator_or_call(task_registry):
    @task_registry.register("app.decorated")
    def decorated(payload):
        return payload

    def plain(payload):
        return payload

    assert task_registry.register("app.plain", plain) is plain
    assert task_registry.register("app.plain", plain) is plain  # an app imported twice is harmless
    assert decorated({"a": 1}) == {"a": 1}  # the decorator returns the function itself
    assert task_registry.handler("app.decorated") is decorated
    assert task_registry.registered() == ["app.decorated", "app.plain"]
    with pytest.raises(ValueError, match="already has a handler"):
        task_registry.register("app.plain", decorated)
    with pytest.raises(LookupError):
        task_registry.handler("app.unknown")


@pytest.mark.parametrize("name", ["", "x" * 101])
def test_a_task_needs_a_name_of_at_most_100_characters(task_registry, name):
    with pytest.raises(ValueError):
        task_registry.register(name, lambda payload: None)


# Running


def test_a_tasks_emails_are_written_once_however_often_tasks_run(group_notice):
    task = notice(count=3)
    start = timezone.now()

    assert run_due_tasks(now=start) == 1
    assert run_due_tasks(now=start) == 0
    assert run_due_tasks(now=start + timedelta(days=30)) == 0

    emails = list(OutboxEmail.objects.order_by("id"))
    assert [email.to for email in emails] == [["p0@example.org"], ["p1@example.org"], ["p2@example.org"]]
    assert {(email.subject, email.kind, email.status) for email in emails} == {
        ("Bijeenkomst 3 verplaatst", "group_notice", "pending")
    }
    assert [services.decode_attachment(a) for a in emails[0].attachments] == [("bijeenkomst.ics", ICS.encode(), "text/calendar")]
    task = refreshed(task)
    assert (task.status, task.attempts, task.claim_token, task.last_error, task.done_at) == ("done", 1, "", "", start)


def test_the_handler_gets_the_payload_and_renders_each_mail_in_the_recipients_language(task_registry, email_templates):
    @task_registry.register("tests.welcome")
    def welcome(payload):
        services.queue_all(
            [
                services.build_templated_email(
                    to=person["email"],
                    template="test_welcome",
                    context={"name": person["name"], "programme": payload["programme"], "day": datetime.date(2021, 1, 13)},
                    language=person["language"],
                )
                for person in payload["people"]
            ]
        )

    people = [
        {"email": "anna@example.org", "name": "Anna", "language": "nl"},
        {"email": "bob@example.org", "name": "Bob", "language": "en"},
    ]
    queue_task("tests.welcome", {"programme": "Leiderschap", "people": people})

    assert run_due_tasks() == 1
    subjects = dict(OutboxEmail.objects.values_list("language", "subject"))
    assert subjects == {"nl": "Leiderschap: Inloggen", "en": "Leiderschap: Log in"}


def test_a_failing_handler_leaves_no_partial_mail_retries_with_backoff_then_fails(task_registry, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3

    @task_registry.register("tests.half_done")
    def half_done(payload):
        services.queue_email(to="first@example.org", subject="Written before the error", body="x")
        raise LookupError("session 7 has no room")

    task = queue_task("tests.half_done", {})
    start = timezone.now()

    assert run_due_tasks(now=start) == 0
    task = refreshed(task)
    assert (task.status, task.attempts, task.claim_token, task.done_at) == ("pending", 1, "", None)
    assert task.last_error == "LookupError: session 7 has no room"
    assert task.next_attempt_at == start + timedelta(minutes=1)
    assert OutboxEmail.objects.count() == 0  # the e-mail written before the error was rolled back

    assert run_due_tasks(now=start + timedelta(seconds=30)) == 0  # not due yet: no attempt made
    assert refreshed(task).attempts == 1
    assert run_due_tasks(now=start + timedelta(minutes=1)) == 0
    task = refreshed(task)
    assert (task.status, task.attempts, task.next_attempt_at) == ("pending", 2, start + timedelta(minutes=3))

    assert run_due_tasks(now=start + timedelta(minutes=3)) == 0
    task = refreshed(task)
    assert (task.status, task.attempts, task.done_at) == ("failed", 3, None)
    assert run_due_tasks(now=start + timedelta(days=1)) == 0
    assert refreshed(task).attempts == 3  # left alone, for the admin
    assert OutboxEmail.objects.count() == 0


def test_a_handler_that_fails_once_writes_its_mail_once_on_the_retry(group_notice):
    from . import task_handlers

    calls = []

    def flaky(payload):
        calls.append(1)
        task_handlers.write_group_notice(payload)  # all e-mails written, then the error
        if len(calls) == 1:
            raise ConnectionError("the calendar service timed out")

    group_notice.unregister(GROUP_NOTICE)
    group_notice.register(GROUP_NOTICE, flaky)
    task = notice(count=4)
    start = timezone.now()

    assert run_due_tasks(now=start) == 0
    assert OutboxEmail.objects.count() == 0
    assert run_due_tasks(now=start + timedelta(minutes=1)) == 1
    assert run_due_tasks(now=start + timedelta(days=1)) == 0

    assert len(calls) == 2
    assert sorted(to for email in OutboxEmail.objects.all() for to in email.to) == [f"p{i}@example.org" for i in range(4)]
    task = refreshed(task)
    assert (task.status, task.attempts) == ("done", 2)
    assert "ConnectionError" in task.last_error  # the history stays readable


def test_a_failing_task_does_not_hold_up_the_others(group_notice):
    @group_notice.register("tests.broken")
    def broken(payload):
        raise ValueError("bad payload")

    broken_task = queue_task("tests.broken", {})
    fine_task = notice(count=2)

    assert run_due_tasks() == 1
    assert (refreshed(broken_task).status, refreshed(fine_task).status) == ("pending", "done")
    assert OutboxEmail.objects.count() == 2


def test_a_name_the_worker_does_not_know_fails_the_attempt_clearly_until_a_worker_knows_it(group_notice):
    task = notice(count=2)
    group_notice.unregister(GROUP_NOTICE)  # a worker still running older code
    start = timezone.now()

    assert run_due_tasks(now=start) == 0
    task = refreshed(task)
    assert (task.status, task.attempts) == ("pending", 1)
    assert task.last_error.startswith("UnknownTaskError: No handler is registered for task 'tests.group_notice'.")

    register_all()  # the worker restarted with the new code
    assert run_due_tasks(now=start + timedelta(minutes=1)) == 1
    assert OutboxEmail.objects.count() == 2


def test_a_worker_that_dies_while_running_leaves_nothing_and_the_task_runs_again_after_the_lease(group_notice):
    from . import task_handlers

    def killed_midway(payload):
        task_handlers.write_group_notice(payload)
        raise SystemExit("killed")  # not an Exception: nothing records the attempt, as when the process dies

    group_notice.unregister(GROUP_NOTICE)
    group_notice.register(GROUP_NOTICE, killed_midway)
    task = notice(count=2)
    start = timezone.now()
    with pytest.raises(SystemExit):
        run_due_tasks(now=start)
    assert OutboxEmail.objects.count() == 0
    assert (refreshed(task).status, refreshed(task).attempts) == ("pending", 1)

    group_notice.unregister(GROUP_NOTICE)
    register_all()  # another worker process, with the ordinary handler
    assert run_due_tasks(now=start + timedelta(minutes=5)) == 0  # the claim still holds
    assert run_due_tasks(now=start + timedelta(minutes=10)) == 1
    assert OutboxEmail.objects.count() == 2
    assert (refreshed(task).status, refreshed(task).attempts) == ("done", 2)


def test_a_claim_that_ran_out_on_the_last_attempt_marks_the_task_failed(group_notice, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    task = notice()
    start = timezone.now()
    delivery._claim_next_task(start)  # a worker claims it, then dies

    assert run_due_tasks(now=start + timedelta(minutes=10)) == 0
    task = refreshed(task)
    assert (task.status, task.attempts) == ("failed", 1)
    assert "stopped during attempt 1" in task.last_error
    assert OutboxEmail.objects.count() == 0


def test_a_worker_whose_claim_ran_out_writes_nothing(group_notice):
    task = notice(count=2)
    start = timezone.now()
    slow_task, slow_token = delivery._claim_next_task(start)  # claims, then hangs before running

    assert run_due_tasks(now=start + timedelta(minutes=10)) == 1  # another worker runs it
    with transaction.atomic():
        assert delivery._run_claimed_task(slow_task, slow_token, now=start + timedelta(minutes=11)) is False

    assert OutboxEmail.objects.count() == 2
    task = refreshed(task)
    assert (task.status, task.attempts, task.done_at) == ("done", 2, start + timedelta(minutes=10))


def test_the_limit_caps_one_call(group_notice):
    for _ in range(3):
        notice(count=1)
    assert run_due_tasks(limit=2) == 2
    assert run_due_tasks(limit=2) == 1
    assert OutboxEmail.objects.count() == 3


# The worker


def test_worker_once_runs_the_tasks_then_delivers_their_mail_in_the_same_round(smtp_server, group_notice, job_registry):
    notice(count=3)
    notice(count=2, subject="Bijeenkomst 4 verplaatst")
    out = StringIO()

    call_command("worker", "--once", "--batch", "1", stdout=out)

    assert out.getvalue().strip() == "Ran 2 task(s); sent 5 e-mail(s); ran 0 job(s)."
    assert sorted(r for envelope in smtp_server.envelopes for r in envelope.rcpt_tos) == sorted(
        [f"p{i}@example.org" for i in range(3)] + [f"p{i}@example.org" for i in range(2)]
    )
    message = smtp_server.messages[0]
    [attachment] = message.iter_attachments()
    assert (attachment.get_filename(), attachment.get_content_type()) == ("bijeenkomst.ics", "text/calendar")
    assert set(OutboxTask.objects.values_list("status", flat=True)) == {"done"}
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}

    call_command("worker", "--once", stdout=(out := StringIO()))
    assert out.getvalue().strip() == "Ran 0 task(s); sent 0 e-mail(s); ran 0 job(s)."
    assert len(smtp_server.envelopes) == 5


def test_worker_once_survives_a_failing_task_and_still_delivers(smtp_server, group_notice, job_registry):
    @group_notice.register("tests.broken")
    def broken(payload):
        raise ValueError("bad payload")

    queue_task("tests.broken", {})
    notice(count=1)
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert out.getvalue().strip() == "Ran 1 task(s); sent 1 e-mail(s); ran 0 job(s)."
    assert len(smtp_server.envelopes) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_worker_threads_at_the_same_time_write_each_tasks_mail_once(group_notice):
    for t in range(20):
        queue_task(GROUP_NOTICE, {"to": [f"t{t}p{i}@example.org" for i in range(3)], "subject": "Verplaatst", "pause": 0.02})
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            start.wait(timeout=10)
            results.append(run_due_tasks(limit=100))
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
    assert sum(results) == 20
    assert min(results) > 0  # both ran tasks: each skipped the rows the other held
    assert set(OutboxTask.objects.values_list("status", "attempts")) == {("done", 1)}
    addresses = [to for email in OutboxEmail.objects.all() for to in email.to]
    assert len(addresses) == len(set(addresses)) == 60


@pytest.mark.sqlite_file
def test_two_worker_processes_on_a_sqlite_file_write_and_send_each_tasks_mail_once(smtp_server, tmp_path):
    """As test_concurrency.py: real processes against a SQLite file configured as in production.

    The processes run `worker --once` through `manage.py shell`, which first registers the test's
    handler (an application registers its handlers in AppConfig.ready())."""
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
    groups = [[f"t{t}p{i}@example.org" for i in range(3)] for t in range(20)]
    queue = (
        "from tests.notifications.task_handlers import GROUP_NOTICE, register_all\n"
        "from leergang.notifications.services import queue_task\n"
        "register_all()\n"
        f"for group in {groups!r}:\n"
        "    queue_task(GROUP_NOTICE, {'to': group, 'subject': 'Bijeenkomst verplaatst', 'pause': 0.05})\n"
    )
    assert manage("shell", "--command", queue).wait(timeout=60) == 0

    work = (
        "from django.core.management import call_command\n"
        "from tests.notifications.task_handlers import register_all\n"
        "register_all()\n"
        "call_command('worker', '--once', '--batch', '2')\n"
    )
    workers = [manage("shell", "--command", work, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert not any("Traceback" in err for _out, err in outputs), outputs

    everyone = sorted(address for group in groups for address in group)
    assert sorted(r for envelope in smtp_server.envelopes for r in envelope.rcpt_tos) == everyone
    with sqlite3.connect(tmp_path / "leergang.sqlite3") as database:
        tasks = database.execute("SELECT status, attempts, COUNT(*) FROM notifications_outboxtask GROUP BY 1, 2").fetchall()
        emails = database.execute("SELECT status, attempts, COUNT(*) FROM notifications_outboxemail GROUP BY 1, 2").fetchall()
    assert tasks == [("done", 1, 20)]
    assert emails == [("sent", 1, 60)]
    ran = sum(int(out.split("Ran ", 1)[1].split(" ", 1)[0]) for out, _err in outputs)
    assert ran == 20


# The admin


def test_the_task_list_shows_and_filters_but_does_not_edit(admin_client, group_notice):
    task = notice(count=1, subject="Bijeenkomst 3 verplaatst")
    OutboxTask.objects.filter(pk=task.pk).update(status="failed", attempts=20, last_error="LookupError: session 7")
    changelist = reverse("admin:notifications_outboxtask_changelist")

    row_link = reverse("admin:notifications_outboxtask_change", args=[task.pk])

    assert row_link in admin_client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert row_link not in admin_client.get(changelist, {"status__exact": "done"}).content.decode()
    detail = admin_client.get(row_link)
    assert detail.status_code == 200
    content = detail.content.decode()
    assert "p0@example.org" in content and "LookupError: session 7" in content
    assert admin_client.post(reverse("admin:notifications_outboxtask_change", args=[task.pk]), {"name": "x"}).status_code == 403
    assert admin_client.get(reverse("admin:notifications_outboxtask_add")).status_code == 403


def test_retry_now_makes_a_failed_task_due_and_leaves_a_done_one_alone(admin_client, group_notice):
    failed = notice(count=1)
    done = notice(count=2)
    OutboxTask.objects.filter(pk=failed.pk).update(status="failed", attempts=20, last_error="LookupError")
    assert run_due_tasks() == 1  # the done one
    assert OutboxEmail.objects.count() == 2

    response = admin_client.post(
        reverse("admin:notifications_outboxtask_changelist"),
        {"action": "retry_now", "_selected_action": [failed.pk, done.pk]},
    )
    assert response.status_code == 302
    failed = refreshed(failed)
    assert (failed.status, failed.attempts) == ("pending", 0)
    assert failed.next_attempt_at <= timezone.now()
    assert refreshed(done).status == "done"

    assert run_due_tasks() == 1
    assert OutboxEmail.objects.count() == 3  # the failed task's one e-mail; the done task's two not again
