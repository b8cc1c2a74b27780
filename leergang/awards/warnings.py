"""The early warning (M18) by e-mail, and its worker job.

The job "awards.out_of_reach_notices" runs every hour in `manage.py worker`. It looks at the active
(not cancelled) enrolments of editions that are open or running and whose outcome is not final yet
(the closing session's date has not come), and finds those for which so many content sessions were
missed that the diploma can no longer be reached (`selectors.out_of_reach`). For each, in one
transaction, it writes the `OutOfReachNotice` row and queues the e-mails:

* to the participant, in their preferred language: what they attended and missed, that a
  certificate of participation is still possible, and a link to their award page;
* to the programme office: the programme's contact address (in Dutch), or else every active
  coordinator in their own language, with a link to the edition's diplomas page.

Once per enrolment, whatever happens after: the notice's one-to-one enrolment makes the row exist
once, whether the job runs twice, on two workers at once or after a restart; an enrolment that
already has its notice is not even looked at. The reading is a fixed number of queries for all
editions together; the writing is one transaction per participant to warn.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from leergang.accounts.models import Role, User
from leergang.catalog.models import Edition, EditionStatus
from leergang.notifications import jobs

from . import selectors
from .models import OutOfReachNotice

JOB_NAME = "awards.out_of_reach_notices"
EVERY_SECONDS = 3600
WARNED_STATUSES = (EditionStatus.OPEN, EditionStatus.RUNNING)
OFFICE_LANGUAGE = "nl"


def _absolute(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        path = reverse(name, kwargs=kwargs)
    return f"{settings.PUBLIC_BASE_URL}{path}"


def _emails(reach: selectors.Reach, coordinators: list[User]) -> list:
    from leergang.notifications.services import build_templated_email

    enrolment = reach.enrolment
    edition = enrolment.edition
    programme = edition.programme
    person = enrolment.participant
    common = {"reach": reach, "edition": edition, "programme": programme, "participant": person}
    language = person.preferred_language or "nl"
    emails = [
        build_templated_email(
            to=[person.email],
            template="out_of_reach",
            context={
                **common,
                "person": person,
                "contact_email": programme.contact_email,
                "page_url": _absolute("my_award:standing", language),
            },
            language=language,
            kind="out_of_reach",
            related=enrolment,
        )
    ]
    if programme.contact_email:
        office = [(programme.contact_email, None, OFFICE_LANGUAGE)]
    else:
        office = [(user.email, user, user.preferred_language or "nl") for user in coordinators]
    for address, user, office_language in office:
        emails.append(
            build_templated_email(
                to=[address],
                template="out_of_reach_office",
                context={
                    **common,
                    "person": user,
                    "page_url": _absolute("awards:edition", office_language, edition_id=edition.pk),
                },
                language=office_language,
                kind="out_of_reach_office",
                related=enrolment,
            )
        )
    return emails


def send_out_of_reach_notices(*, today: datetime.date | None = None) -> int:
    """The job: warn about every enrolment newly out of reach; return how many were warned."""
    from leergang.notifications.services import queue_all

    editions = list(Edition.objects.filter(status__in=WARNED_STATUSES).select_related("programme"))
    due = selectors.out_of_reach_by_edition(editions, today=today, exclude_noticed=True)
    if not due:
        return 0
    coordinators = list(User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("email"))
    warned = 0
    for reaches in due.values():
        for reach in reaches:
            try:
                with transaction.atomic():
                    OutOfReachNotice.objects.create(enrolment=reach.enrolment, noticed_at=timezone.now())
                    queue_all(_emails(reach, coordinators))
            except IntegrityError:
                continue  # another worker warned about this one meanwhile
            warned += 1
    return warned


def register() -> None:
    jobs.register(JOB_NAME, send_out_of_reach_notices, every_seconds=EVERY_SECONDS)
