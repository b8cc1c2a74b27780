"""Scheduled jobs that `manage.py worker` runs: reminders, offer expiry, retention and the like.

Register a job once per process, typically in an AppConfig.ready():

    from leergang.notifications import jobs
    jobs.register("session_reminders", send_session_reminders, every_seconds=15 * 60)

The function is called without arguments. A `JobRun` row per job records when it last started;
a worker claims a run by locking that row (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, an
IMMEDIATE transaction on SQLite) and moving `last_started_at` forward before it runs the job, so
several workers start a job at most once per period. The job itself runs outside that
transaction: it opens its own transactions (its e-mails go to the outbox with its changes).
A job that fails is logged, its error kept on the row, and tried again in the next period; jobs
must therefore be idempotent ("send the reminders not sent yet"), not counting on a run per period.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    function: Callable[[], object]
    every_seconds: int


_registry: dict[str, Job] = {}


def register(name: str, function: Callable[[], object], every_seconds: int) -> Job:
    """Run `function()` about every `every_seconds` in the worker. Registering a name again replaces it."""
    if not name or len(name) > 100:
        raise ValueError("A job needs a name of at most 100 characters.")
    if int(every_seconds) < 1:
        raise ValueError("every_seconds must be at least 1.")
    job = Job(name=name, function=function, every_seconds=int(every_seconds))
    _registry[name] = job
    return job


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> list[Job]:
    return sorted(_registry.values(), key=lambda job: job.name)


def run_due_jobs(*, now: datetime | None = None) -> list[str]:
    """Run every registered job whose period has passed and that no other worker claimed; return their names."""
    ran = []
    for job in registered():
        moment = now or timezone.now()
        if not _claim(job, moment):
            continue
        ran.append(job.name)
        error = ""
        try:
            job.function()
        except Exception as exc:
            logger.exception("Scheduled job %s failed.", job.name)
            error = f"{type(exc).__name__}: {exc}"[:2000]
        JobRun.objects.filter(name=job.name).update(
            last_finished_at=now or timezone.now(), last_error=error, updated_at=timezone.now()
        )
    return ran


def _claim(job: Job, moment: datetime) -> bool:
    JobRun.objects.get_or_create(name=job.name)
    with transaction.atomic():
        run = JobRun.objects.select_for_update(skip_locked=True).filter(name=job.name).first()
        if run is None:  # another worker holds it right now
            return False
        if run.last_started_at is not None and run.last_started_at + timedelta(seconds=job.every_seconds) > moment:
            return False
        run.last_started_at = moment
        run.save(update_fields=["last_started_at", "updated_at"])
    return True
