"""Reads for the calendar feeds, each a fixed number of queries whatever the data size."""

from django.db.models import F, Prefetch, QuerySet

from leergang.catalog.models import Session, SessionPart
from leergang.enrolment.models import Enrolment, EnrolmentStatus


def _sessions_for_calendar() -> Prefetch:
    parts = SessionPart.objects.select_related("teacher")
    return Prefetch(
        "edition__sessions",
        queryset=Session.objects.order_by("number").prefetch_related(Prefetch("parts", queryset=parts)),
    )


def calendar_enrolments(*, token: str) -> list[Enrolment]:
    """The active enrolments of the person whose active enrolment has this calendar token, with what
    the feed shows (programme, place, sessions, parts and teachers) and the person's language as
    `participant_language`: three queries.

    Empty for an unknown token and for the token of a cancelled enrolment."""
    owner = Enrolment.objects.filter(calendar_token=token, status=EnrolmentStatus.ENROLLED).values("participant_id")
    enrolments: QuerySet[Enrolment] = (
        Enrolment.objects.filter(participant_id__in=owner, status=EnrolmentStatus.ENROLLED)
        .select_related("edition__programme", "edition__room__location")
        # Only the language is needed of the person: one column, not a whole user row per enrolment.
        .annotate(participant_language=F("participant__preferred_language"))
        .prefetch_related(_sessions_for_calendar())
        .order_by("edition__start_date", "edition_id")
    )
    return list(enrolments)
