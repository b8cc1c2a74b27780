"""Deliver the outbox: claim a due message, send it through Django's e-mail backend, record the result.

Guarantees, and the choice behind them
--------------------------------------
*Nothing lost.* A message is a row written in the transaction of the change it reports. A row is
never deleted; it leaves `pending` only as `sent` (after the backend accepted it) or `failed`
(after NOTIFICATIONS_MAX_ATTEMPTS attempts; visible in the admin, where "retry now" revives it).
A failed attempt (SMTP down, a refused message, any exception) keeps it pending with
`attempts`, `last_error` and a later `next_attempt_at` (1, 2, 4, ... minutes, at most an hour).

*Nothing twice - as far as that is possible.* No two workers send the same message at the same
time: a worker claims one message at a time in a short transaction (PostgreSQL: `SELECT ... FOR
UPDATE SKIP LOCKED`, so workers pass each other's claims by; SQLite: transactions are IMMEDIATE, so
claims are serialised), writes a fresh `claim_token` and moves `next_attempt_at` to now +
NOTIFICATIONS_CLAIM_SECONDS, and commits. It sends outside any transaction (a slow SMTP server
must not hold database locks) and then records the outcome only if the row still carries its
token, so a worker whose claim ran out can never overwrite what another worker recorded.

The one gap no outbox can close: the SMTP server accepted the message and the worker died (or
lost the database) before recording `sent`. We chose *at-least-once*: the claim simply runs out
and another worker sends the message again after NOTIFICATIONS_CLAIM_SECONDS. The alternative,
at-most-once (mark sent before sending), would silently lose the message instead. The resent copy
carries the same `Message-ID` and `Date` (both fixed per outbox row), so mail servers and clients
that deduplicate by Message-ID treat it as the same message, and a person can recognise it.
A row whose claim ran out after its last allowed attempt is marked failed, not sent again, so a
message that makes the worker crash cannot loop forever.

Tasks: written exactly once
---------------------------
A task (`services.queue_task`, handlers in tasks.py) is claimed like a message: a short
transaction locks a due row (`FOR UPDATE SKIP LOCKED`; serialised on SQLite), counts the attempt,
writes a fresh `claim_token` and a lease of NOTIFICATIONS_CLAIM_SECONDS, and commits. Then one
transaction locks the row again, checks the token, runs the handler and marks the task `done`
(only if the row still carries the token). The handler only writes rows (in the default
database), so its writes and the "done" mark commit together or not at all: a task's e-mails are
written exactly once, never twice and never in part. While it runs, the row stays locked, so no other worker can claim it
(PostgreSQL skips it; SQLite lets one writer at a time in). A handler that raises, or a worker that
dies meanwhile, leaves nothing behind: the transaction rolls back, the attempt is recorded
(`attempts`, `last_error`, backoff as for messages; after a crash when the lease runs out) and the
task runs again later, `failed` after NOTIFICATIONS_MAX_ATTEMPTS (the admin's "retry now" revives
it). A name without a handler in the worker (a worker still running older code) fails the attempt
the same way, so a restarted worker picks the task up. The e-mails a task wrote are then delivered
as above (at-least-once, same Message-ID); `manage.py worker` runs tasks first in each round, so
they go out in the same round.
"""

import logging
import uuid
from datetime import datetime, timedelta
from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from . import conf, rules, tasks
from .models import OutboxEmail, OutboxTask
from .services import decode_attachment

logger = logging.getLogger(__name__)

PENDING = OutboxEmail.Status.PENDING
MAX_ERROR_LENGTH = 2000


def deliver_due(*, limit: int = 50, now: datetime | None = None) -> int:
    """Send up to `limit` due messages; return how many the e-mail backend accepted.

    `now` fixes the clock for the whole call (tests simulate time with it). When the backend
    cannot even be reached, the round ends after one attempt: the other messages keep their turn.
    """
    sent = 0
    connection = None
    try:
        for _ in range(limit):
            claimed = _claim_next(now or timezone.now())
            if claimed is None:
                break
            email, token = claimed
            if connection is None:
                try:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                except Exception as exc:
                    _record_failure(email, token, exc, now=now)
                    connection = None
                    break
            try:
                accepted = connection.send_messages([build_message(email)])
                if not accepted:
                    raise RuntimeError("The e-mail backend accepted nothing.")
            except Exception as exc:
                _record_failure(email, token, exc, now=now)
                _close_quietly(connection)  # it may be broken; the next message opens a fresh one
                connection = None
                continue
            _record_sent(email, token, now=now)
            sent += 1
    finally:
        if connection is not None:
            _close_quietly(connection)
    return sent


def build_message(email: OutboxEmail) -> EmailMessage:
    """The message as it goes out; the same bytes-for-bytes headers on every attempt but the transport's."""
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(email.to),
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={
            "Message-ID": email.message_id,
            "Date": format_datetime(email.created_at),
            "Content-Language": email.language,
            "Auto-Submitted": "auto-generated",
        },
    )
    for stored in email.attachments:
        message.attach(*decode_attachment(stored))
    return message


def _claim_next(moment: datetime) -> tuple[OutboxEmail, str] | None:
    while True:
        with transaction.atomic():
            email = (
                OutboxEmail.objects.select_for_update(skip_locked=True)
                .filter(status=PENDING, next_attempt_at__lte=moment)
                .order_by("next_attempt_at", "id")
                .first()
            )
            if email is None:
                return None
            base = OutboxEmail.objects.filter(pk=email.pk, status=PENDING, attempts=email.attempts, claim_token=email.claim_token)
            if rules.gives_up(email.attempts, max_attempts=conf.max_attempts()):
                # Claimed for its last attempt by a worker that never reported back.
                base.update(
                    status=OutboxEmail.Status.FAILED,
                    claim_token="",
                    last_error=f"The worker stopped during attempt {email.attempts}; the message may or may not have been delivered.",
                    updated_at=timezone.now(),
                )
                logger.error("Outbox e-mail %s failed: its last attempt never finished.", email.pk)
                continue
            token = uuid.uuid4().hex
            claimed = base.update(
                attempts=email.attempts + 1,
                claim_token=token,
                next_attempt_at=moment + timedelta(seconds=conf.claim_seconds()),
                updated_at=timezone.now(),
            )
            if claimed != 1:  # taken by someone else meanwhile (only possible without row locks)
                continue
            email.attempts += 1
            email.claim_token = token
            return email, token


def _record_sent(email: OutboxEmail, token: str, *, now: datetime | None) -> None:
    recorded = OutboxEmail.objects.filter(pk=email.pk, status=PENDING, claim_token=token).update(
        status=OutboxEmail.Status.SENT, sent_at=now or timezone.now(), claim_token="", updated_at=timezone.now()
    )
    if recorded:
        logger.info("Outbox e-mail %s sent (%s) on attempt %s.", email.pk, email.kind or "-", email.attempts)
    else:
        logger.warning(
            "Outbox e-mail %s was sent, but its claim had run out; another worker may send it again (Message-ID %s).",
            email.pk,
            email.message_id,
        )


def _record_failure(email: OutboxEmail, token: str, exc: Exception, *, now: datetime | None) -> None:
    moment = now or timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
    if rules.gives_up(email.attempts, max_attempts=conf.max_attempts()):
        changes = {"status": OutboxEmail.Status.FAILED}
        logger.error("Outbox e-mail %s failed after %s attempts: %s", email.pk, email.attempts, error)
    else:
        delay = rules.retry_delay_seconds(email.attempts, base=conf.backoff_seconds(), cap=conf.backoff_max_seconds())
        changes = {"next_attempt_at": moment + timedelta(seconds=delay)}
        logger.warning("Outbox e-mail %s: attempt %s failed, next in %ss: %s", email.pk, email.attempts, delay, error)
    OutboxEmail.objects.filter(pk=email.pk, status=PENDING, claim_token=token).update(
        last_error=error, claim_token="", updated_at=timezone.now(), **changes
    )


def run_due_tasks(*, limit: int = 20, now: datetime | None = None) -> int:
    """Run up to `limit` due tasks, each in its own transaction; return how many were done.

    `now` fixes the clock for the whole call. A task whose handler raises is rolled back and
    retried later; the round goes on with the next task.
    """
    done = 0
    for _ in range(limit):
        claimed = _claim_next_task(now or timezone.now())
        if claimed is None:
            break
        task, token = claimed
        try:
            with transaction.atomic():
                if not _run_claimed_task(task, token, now=now):
                    continue  # the claim ran out and another worker owns the task: nothing was written
        except Exception as exc:  # the handler's writes are rolled back
            _record_task_failure(task, token, exc, now=now)
            continue
        done += 1
        logger.info("Outbox task %s (%s) done on attempt %s.", task.pk, task.name, task.attempts)
    return done


class _ClaimLost(Exception):
    """Raised inside the task's transaction to roll back what the handler wrote."""


def _run_claimed_task(task: OutboxTask, token: str, *, now: datetime | None) -> bool:
    """Inside a transaction: run the handler and mark the task done, or raise (and roll back)."""
    mine = OutboxTask.objects.select_for_update().filter(pk=task.pk, status=OutboxTask.Status.PENDING, claim_token=token)
    if mine.values_list("pk", flat=True).first() is None:  # locks the row until the commit
        return False
    function = tasks.handler(task.name)
    function(task.payload)
    finished = now or timezone.now()
    if mine.update(status=OutboxTask.Status.DONE, done_at=finished, claim_token="", updated_at=timezone.now()) != 1:
        raise _ClaimLost(f"Outbox task {task.pk} lost its claim while running.")
    return True


def _claim_next_task(moment: datetime) -> tuple[OutboxTask, str] | None:
    while True:
        with transaction.atomic():
            task = (
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(status=OutboxTask.Status.PENDING, next_attempt_at__lte=moment)
                .order_by("next_attempt_at", "id")
                .first()
            )
            if task is None:
                return None
            base = OutboxTask.objects.filter(
                pk=task.pk, status=OutboxTask.Status.PENDING, attempts=task.attempts, claim_token=task.claim_token
            )
            if rules.gives_up(task.attempts, max_attempts=conf.max_attempts()):
                # Claimed for its last attempt by a worker that never reported back; nothing it did was committed.
                base.update(
                    status=OutboxTask.Status.FAILED,
                    claim_token="",
                    last_error=f"The worker stopped during attempt {task.attempts}; nothing of that attempt was committed.",
                    updated_at=timezone.now(),
                )
                logger.error("Outbox task %s (%s) failed: its last attempt never finished.", task.pk, task.name)
                continue
            token = uuid.uuid4().hex
            claimed = base.update(
                attempts=task.attempts + 1,
                claim_token=token,
                next_attempt_at=moment + timedelta(seconds=conf.claim_seconds()),
                updated_at=timezone.now(),
            )
            if claimed != 1:  # taken by someone else meanwhile (only possible without row locks)
                continue
            task.attempts += 1
            task.claim_token = token
            return task, token


def _record_task_failure(task: OutboxTask, token: str, exc: Exception, *, now: datetime | None) -> None:
    if isinstance(exc, _ClaimLost):  # another worker owns the task now; it records its own outcome
        logger.warning("%s Its writes were rolled back.", exc)
        return
    moment = now or timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
    if rules.gives_up(task.attempts, max_attempts=conf.max_attempts()):
        changes = {"status": OutboxTask.Status.FAILED}
        logger.error("Outbox task %s (%s) failed after %s attempts: %s", task.pk, task.name, task.attempts, error, exc_info=exc)
    else:
        delay = rules.retry_delay_seconds(task.attempts, base=conf.backoff_seconds(), cap=conf.backoff_max_seconds())
        changes = {"next_attempt_at": moment + timedelta(seconds=delay)}
        logger.warning(
            "Outbox task %s (%s): attempt %s failed, next in %ss: %s",
            task.pk,
            task.name,
            task.attempts,
            delay,
            error,
            exc_info=exc,
        )
    OutboxTask.objects.filter(pk=task.pk, status=OutboxTask.Status.PENDING, claim_token=token).update(
        last_error=error, claim_token="", updated_at=timezone.now(), **changes
    )


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # closing a broken connection may fail too; there is nothing left to do
        logger.debug("Closing the e-mail connection failed.", exc_info=True)
