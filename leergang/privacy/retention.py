"""Retention (M23): declined applications are anonymised two years after the decision.

The job "privacy.retention" runs daily in `manage.py worker`. It finds the applications with status
declined whose decision (`decided_at`) is more than PRIVACY_DECLINED_RETENTION_DAYS ago (default
730) and not anonymised yet, and anonymises each in its own transaction: every field the applicant
typed is blanked (anonymise.anonymise_application), the notes of its intakes, the personal values
in its audit entries and the e-mails sent to the applicant. One audit entry "application.anonymised"
records it. An anonymised application carries an address under ERASED_DOMAIN, which is how the job
knows it is done: a second run, or two workers at once, changes nothing (the row is locked and
checked again).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from leergang.core import audit
from leergang.enrolment.models import Application, ApplicationStatus, Intake
from leergang.notifications import jobs

from . import anonymise

logger = logging.getLogger(__name__)

JOB_NAME = "privacy.retention"
EVERY_SECONDS = 24 * 60 * 60
DEFAULT_DECLINED_RETENTION_DAYS = 730
ACTION = "application.anonymised"


def retention_days() -> int:
    return int(getattr(settings, "PRIVACY_DECLINED_RETENTION_DAYS", DEFAULT_DECLINED_RETENTION_DAYS))


def expired_applications(now: datetime.datetime) -> list[int]:
    """Ids of declined applications decided before the retention period and not anonymised yet."""
    cutoff = now - datetime.timedelta(days=retention_days())
    return list(
        Application.objects.filter(status=ApplicationStatus.DECLINED, decided_at__lt=cutoff)
        .exclude(email__iendswith="@" + anonymise.ERASED_DOMAIN)
        .order_by("decided_at", "pk")
        .values_list("pk", flat=True)
    )


def _anonymise(application_id: int, cutoff: datetime.datetime) -> bool:
    with transaction.atomic():
        application = Application.objects.select_for_update().filter(pk=application_id).first()
        if (
            application is None
            or application.status != ApplicationStatus.DECLINED
            or application.decided_at is None
            or application.decided_at >= cutoff
            or anonymise.is_erased_email(application.email)
        ):
            return False
        needles = anonymise.application_needles(application)
        objects = {
            "enrolment.application": [application.pk],
            "enrolment.intake": list(Intake.objects.filter(application=application).values_list("pk", flat=True)),
        }
        anonymise.scrub_audit(anonymise.application_targets([application.pk]), needles)
        # Only what belongs to this application: the applicant may have an account and places since.
        anonymise.scrub_admin_log(needles, objects, search=False)
        anonymise.scrub_outbox(
            needles, anonymise.outbox_related(objects), anonymise.erased_email("application", application.pk), search=False
        )
        anonymise.anonymise_application(application, f"#A{application.pk}")
        audit.record(
            actor=None,
            action=ACTION,
            obj=application,
            after={"reason": "retention", "declined_at": application.decided_at.isoformat(), "days": retention_days()},
        )
    return True


def anonymise_declined_applications(now: datetime.datetime | None = None) -> int:
    """The job: anonymise every declined application past its retention; return how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    done = 0
    for application_id in expired_applications(now):
        if _anonymise(application_id, cutoff):
            done += 1
    if done:
        logger.info("Retention: %s declined application(s) anonymised.", done)
    return done


def register() -> None:
    jobs.register(JOB_NAME, anonymise_declined_applications, every_seconds=EVERY_SECONDS)
