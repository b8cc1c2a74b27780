"""Reads for the calendar feeds, each a fixed number of queries whatever the data size."""

from collections import defaultdict

from django.db.models import F

from leergang.catalog.models import Session, SessionPart
from leergang.enrolment.models import Enrolment, EnrolmentStatus

# What the private feed shows of an enrolment's edition, programme and place (see ics): only these
# columns are read, not the programme's texts and the rest of every row.
ENROLMENT_FIELDS = (
    "status",
    "edition__start_date",
    "edition__location",
    "edition__programme__slug",
    "edition__programme__title_nl",
    "edition__programme__title_en",
    "edition__room__location__name",
    "edition__room__location__address",
    "edition__room__location__postal_code",
    "edition__room__location__city",
)


def calendar_enrolments(*, token: str) -> list[Enrolment]:
    """The active enrolments of the person whose active enrolment has this calendar token, with what
    the feed shows (programme, place, sessions, parts and teachers) and the person's language as
    `participant_language`: three queries.

    The sessions and their parts are handed over as plain lists, `edition.listed_sessions` and
    `session.listed_parts` (read by ics): Django's prefetching would build a queryset per edition and
    per session to hold them, which cost more than the queries themselves.

    Empty for an unknown token and for the token of a cancelled enrolment."""
    owner = Enrolment.objects.filter(calendar_token=token, status=EnrolmentStatus.ENROLLED).values("participant_id")
    enrolments = list(
        Enrolment.objects.filter(participant_id__in=owner, status=EnrolmentStatus.ENROLLED)
        .select_related("edition__programme", "edition__room__location")
        .only(*ENROLMENT_FIELDS)
        # Only the language is needed of the person: one column, not a whole user row per enrolment.
        .annotate(participant_language=F("participant__preferred_language"))
        .order_by("edition__start_date", "edition_id")
    )
    if not enrolments:
        return enrolments
    editions = {enrolment.edition_id: enrolment.edition for enrolment in enrolments}
    sessions = list(Session.objects.filter(edition_id__in=editions).order_by("number"))
    parts = defaultdict(list)
    for part in SessionPart.objects.filter(session__edition_id__in=editions).select_related("teacher"):
        parts[part.session_id].append(part)
    for edition in editions.values():
        edition.listed_sessions = []
    for session in sessions:
        session.listed_parts = parts[session.id]
        editions[session.edition_id].listed_sessions.append(session)
    return enrolments
