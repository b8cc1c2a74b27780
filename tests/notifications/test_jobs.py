"""Scheduled jobs run when due, once per period, also with several workers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leergang.notifications.models import JobRun

pytestmark = pytest.mark.django_db


def test_a_registered_job_runs_once_per_period(job_registry):
    calls = []
    job_registry.register("reminders", lambda: calls.append("reminders"), every_seconds=600)
    start = timezone.now()

    assert job_registry.run_due_jobs(now=start) == ["reminders"]
    assert job_registry.run_due_jobs(now=start + timedelta(seconds=599)) == []
    assert job_registry.run_due_jobs(now=start + timedelta(seconds=600)) == ["reminders"]
    assert calls == ["reminders", "reminders"]
    run = JobRun.objects.get(name="reminders")
    assert run.last_started_at == start + timedelta(seconds=600)
    assert run.last_finished_at == start + timedelta(seconds=600)


def test_another_worker_does_not_run_a_job_that_already_ran_this_period(job_registry):
    calls = []
    job_registry.register("expire_offers", lambda: calls.append(1), every_seconds=3600)
    start = timezone.now()
    job_registry.run_due_jobs(now=start)
    # A second worker process registers the same job and runs its round a minute later.
    assert job_registry.run_due_jobs(now=start + timedelta(minutes=1)) == []
    assert calls == [1]


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(job_registry):
    def broken():
        raise LookupError("no such edition")

    calls = []
    job_registry.register("a_broken", broken, every_seconds=60)
    job_registry.register("b_fine", lambda: calls.append(1), every_seconds=60)
    start = timezone.now()

    assert job_registry.run_due_jobs(now=start) == ["a_broken", "b_fine"]
    assert calls == [1]
    assert JobRun.objects.get(name="a_broken").last_error == "LookupError: no such edition"
    assert JobRun.objects.get(name="b_fine").last_error == ""
    # Next period it is simply tried again.
    assert job_registry.run_due_jobs(now=start + timedelta(seconds=60)) == ["a_broken", "b_fine"]


@pytest.mark.parametrize("name, every", [("", 60), ("x" * 101, 60), ("ok", 0), ("ok", 0.5)])
def test_a_job_needs_a_name_and_a_positive_period(job_registry, name, every):
    with pytest.raises(ValueError):
        job_registry.register(name, lambda: None, every_seconds=every)
