"""The own case (M13): the participant's case, its progress entry per session, and responses.
Writes are atomic, actor explicit, audited (R8); reads are permission-checked loaders that answer
None alike for a case that does not exist and one the user may not see.

Who sees what (permissions.py): the participant themselves, the edition's teachers and the
programme office see the whole case; another participant of the edition sees the case (title,
question, context) when they share or shared a group with the writer, and an entry for session n
only when they were in the writer's group in the grouping in force at session n. A cancelled
participant no longer sees other people's cases, and can read but no longer change their own.

Who writes: the participant, while enrolled, writes the case and one entry per session of the
edition (any session, also one still ahead: some write their plan before the day).

Who responds: the edition's teachers, the programme office, the group members who see the entry,
and the writer themselves: a response is a conversation, so the writer may answer. The writer is
e-mailed (through the outbox, in their own language) when someone else responds; nobody is e-mailed
when the writer answers (the others read it on the page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.accounts.models import Role
from leergang.catalog.models import Edition, EditionStatus, Programme, Session
from leergang.core import audit, sql_rows
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import groups
from .models import CaseEntry, CaseResponse, OwnCase
from .permissions import can_write_case, enrolment_of, is_staff_of

TITLE_MAX = 200
TEXT_MAX = 10_000
AWAITING_LIMIT = 50
User = get_user_model()
CASE_FIELDS = ["title", "question", "context"]
ENTRY_FIELDS = ["done", "learned", "next_step"]

OWNER, STAFF, PEER = "owner", "staff", "peer"

# Messages people read: what to do, in the reader's language.
TITLE_MISSING = _("Give your case a short title.")
TITLE_TOO_LONG = _("Keep the title to at most %(max)s characters.")
QUESTION_MISSING = _("Describe the question you want to work on.")
CONTEXT_MISSING = _("Describe the context of the case in your organisation.")
DONE_MISSING = _("Describe what you did on your case.")
LEARNED_MISSING = _("Describe what you learned.")
NEXT_STEP_MISSING = _("Describe your next step.")
RESPONSE_MISSING = _("Write your response.")
TEXT_TOO_LONG = _("Keep this text to at most %(max)s characters; it now has %(count)s.")
CONTROL_CHARACTERS = _("Remove the invisible control characters from this text.")
SEVERAL_FIELDS = _("Some fields need your attention; see the messages at the fields.")
CASE_NOT_FOUND = _("There is no case with this number.")
SESSION_NOT_FOUND = _("There is no session with this number in this edition.")
ENTRY_NOT_FOUND = _("There is no progress entry with this number.")
ONLY_THE_WRITER = _("Only the participant can write their own case and its progress.")
CANCELLED = _("Your enrolment was cancelled, so your case can no longer be changed.")
CANCELLED_RESPONSE = _("Your enrolment was cancelled, so you can no longer respond.")
CASE_FIRST = _("Write your case first; then you can record its progress per session.")
MAY_NOT_RESPOND = _("Only the teachers, the programme office and the writer's group can respond to this entry.")


# -- who may see what --------------------------------------------------------------------------


@dataclass
class CaseAccess:
    """What one viewer may do with one participant's case (built by `case_access`)."""

    enrolment: Enrolment  # with edition.programme, participant and own_case loaded
    case: OwnCase | None
    role: str  # OWNER, STAFF or PEER
    viewer: Any
    viewer_enrolment_id: int | None = None
    all_groupings: dict[int, list[groups.Group]] = field(default_factory=dict)

    @property
    def own(self) -> bool:
        return self.role == OWNER

    @property
    def can_write(self) -> bool:
        return self.own and can_write_case(self.viewer, self.enrolment)

    def sees_session(self, number: int) -> bool:
        """Whether the viewer sees the entry for the session numbered `number`."""
        if self.role != PEER:
            return True
        group = groups.group_of(self.all_groupings, number, self.enrolment.pk)
        return group is not None and self.viewer_enrolment_id in group.enrolment_ids

    def may_respond(self, number: int) -> bool:
        if self.role == STAFF:
            return True
        if self.role == OWNER:
            return self.can_write
        return self.sees_session(number)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# What a case page needs of the writer's enrolment; `_ENTRY_WITH_ENROLMENT` reaches the same rows
# from an entry, so that responding loads the entry and its case's enrolment in one query.
_ENROLMENT_RELATED = ("edition__programme", "participant", "own_case")
_ENTRY_WITH_ENROLMENT = ("session", "case__enrolment__edition__programme", "case__enrolment__participant")


def case_access(user: Any, enrolment_id: int) -> CaseAccess | None:
    """The viewer's access to a participant's case, or None when the enrolment does not exist or
    the user may not see its case (alike). One query for the writer and the programme office, up to
    three more for a teacher, three more for a group member."""
    if not getattr(user, "is_authenticated", False) or not _is_id(enrolment_id):
        return None
    enrolment = _enrolment_for_case(enrolment_id)
    if enrolment is None:
        return None
    return _access_to(user, enrolment)


def _enrolment_for_case(enrolment_id: int) -> Enrolment | None:
    """The enrolment as `select_related(*_ENROLMENT_RELATED)` loads it (its case, or None, cached
    both ways), in one query written as SQL (core.sql_rows): building and compiling that query cost
    several times running it."""
    rows = sql_rows.read_joined(
        f'FROM {sql_rows.table(Enrolment)} e JOIN {sql_rows.table(Edition)} d ON d."id" = e."edition_id"'
        f' JOIN {sql_rows.table(Programme)} p ON p."id" = d."programme_id"'
        f' JOIN {sql_rows.table(User)} u ON u."id" = e."participant_id"'
        f' LEFT JOIN {sql_rows.table(OwnCase)} c ON c."enrolment_id" = e."id" WHERE e."id" = %s',
        [enrolment_id],
        ((Enrolment, "e"), (Edition, "d"), (Programme, "p"), (User, "u"), (OwnCase, "c")),
    )
    if not rows:
        return None
    enrolment, edition, programme, participant, case = rows[0]
    edition.programme = programme
    enrolment.edition, enrolment.participant = edition, participant
    if case.pk is None:
        case = None
    else:
        OwnCase.enrolment.field.set_cached_value(case, enrolment)
    Enrolment.own_case.related.set_cached_value(enrolment, case)
    return enrolment


def _access_to(user: Any, enrolment: Enrolment) -> CaseAccess | None:
    """As `case_access`, for an enrolment already loaded with `_ENROLMENT_RELATED` (or reached
    through `_ENTRY_WITH_ENROLMENT`, which caches the case on it)."""
    case = getattr(enrolment, "own_case", None)
    if enrolment.participant_id == user.pk:
        return CaseAccess(enrolment, case, OWNER, user)
    if is_staff_of(user, enrolment.edition):
        return CaseAccess(enrolment, case, STAFF, user)
    viewer = enrolment_of(user, enrolment.edition_id)
    if viewer is None:
        return None
    all_groupings = groups.groupings(enrolment.edition_id)
    shared = any(
        enrolment.pk in group.enrolment_ids and viewer.pk in group.enrolment_ids
        for grouping in all_groupings.values()
        for group in grouping
    )
    if not shared:
        return None
    return CaseAccess(enrolment, case, PEER, user, viewer.pk, all_groupings)


def entry_access(user: Any, enrolment_id: int, entry_id: int) -> tuple[CaseAccess, CaseEntry] | None:
    """The viewer's access to the case of `enrolment_id` with its entry `entry_id` (session loaded),
    or None alike when either does not exist, the entry is of another case, or the viewer may not
    see the case or the entry's session. The entry and the enrolment come in one query."""
    if not getattr(user, "is_authenticated", False) or not _is_id(enrolment_id) or not _is_id(entry_id):
        return None
    entry = _entry_with_enrolment(entry_id)
    if entry is None or entry.case.enrolment_id != enrolment_id:
        return None
    access = _access_to(user, entry.case.enrolment)
    if access is None or not access.sees_session(entry.session.number):
        return None
    return access, entry


def _entry_with_enrolment(entry_id: int) -> CaseEntry | None:
    """The entry as `select_related(*_ENTRY_WITH_ENROLMENT)` loads it (the case cached on its
    enrolment too), in one query written as SQL (core.sql_rows): responding reads it twice, and
    building and compiling the ORM's six-table query cost several times running it."""
    t = sql_rows.table
    rows = sql_rows.read_joined(
        f'FROM {t(CaseEntry)} n JOIN {t(Session)} s ON s."id" = n."session_id" JOIN {t(OwnCase)} c ON c."id" = n."case_id"'
        f' JOIN {t(Enrolment)} e ON e."id" = c."enrolment_id" JOIN {t(Edition)} d ON d."id" = e."edition_id"'
        f' JOIN {t(Programme)} p ON p."id" = d."programme_id" JOIN {t(User)} u ON u."id" = e."participant_id"'
        ' WHERE n."id" = %s',
        [entry_id],
        ((CaseEntry, "n"), (Session, "s"), (OwnCase, "c"), (Enrolment, "e"), (Edition, "d"), (Programme, "p"), (User, "u")),
    )
    if not rows:
        return None
    entry, session, case, enrolment, edition, programme, participant = rows[0]
    edition.programme = programme
    enrolment.edition, enrolment.participant = edition, participant
    case.enrolment = enrolment  # one-to-one: caches the case on the enrolment as well
    entry.session, entry.case = session, case
    return entry


def visible_case(user: Any, enrolment_id: int) -> OwnCase | None:
    """The participant's case if it exists and the user may see it, else None."""
    access = case_access(user, enrolment_id)
    return access.case if access is not None else None


def can_view_entry(user: Any, entry: CaseEntry) -> bool:
    access = case_access(user, entry.case.enrolment_id)
    return access is not None and access.sees_session(entry.session.number)


def _entries() -> Any:
    responses = CaseResponse.objects.select_related("author").order_by("created_at", "id")
    return CaseEntry.objects.prefetch_related(Prefetch("responses", queryset=responses))


@dataclass
class SessionRow:
    session: Session
    entry: CaseEntry | None
    may_respond: bool


def case_timeline(access: CaseAccess) -> list[SessionRow]:
    """The edition's sessions the viewer may see, each with the case's entry (responses and their
    authors loaded) and whether the viewer may respond (three queries, written as SQL with
    core.sql_rows: they read what `_entries()` and the sessions' query read, and building and
    compiling those queries cost several times running them)."""
    sessions = [
        session
        for (session,) in sql_rows.read_joined(
            f'FROM {sql_rows.table(Session)} s WHERE s."edition_id" = %s ORDER BY s."number"',
            [access.enrolment.edition_id],
            ((Session, "s"),),
        )
        if access.sees_session(session.number)
    ]
    by_session: dict[int, CaseEntry] = {}
    if access.case is not None and sessions:
        seen = {session.pk for session in sessions}
        for (entry,) in sql_rows.read_joined(
            f'FROM {sql_rows.table(CaseEntry)} n WHERE n."case_id" = %s', [access.case.pk], ((CaseEntry, "n"),)
        ):
            if entry.session_id in seen:
                by_session[entry.session_id] = entry
        _load_responses(list(by_session.values()))
    rows = []
    for session in sessions:
        entry = by_session.get(session.pk)
        if entry is not None:
            entry.session = session
            entry.case = access.case
        rows.append(SessionRow(session, entry, entry is not None and access.may_respond(session.number)))
    return rows


def _load_responses(entries: list[CaseEntry]) -> None:
    """Each entry's responses with their authors, in order, cached as `_entries()`'s prefetch caches
    them (one query, none without entries)."""
    if not entries:
        return
    found: dict[int, list[CaseResponse]] = {entry.pk: [] for entry in entries}
    for response, author in sql_rows.read_joined(
        f'FROM {sql_rows.table(CaseResponse)} r JOIN {sql_rows.table(User)} u ON u."id" = r."author_id"'
        f' WHERE r."entry_id" IN ({", ".join(["%s"] * len(found))}) ORDER BY r."created_at", r."id"',
        list(found),
        ((CaseResponse, "r"), (User, "u")),
    ):
        response.author = author
        found[response.entry_id].append(response)
    for entry in entries:
        responses = found[entry.pk]
        for response in responses:
            response.entry = entry
        queryset = entry.responses.get_queryset()
        queryset._result_cache, queryset._prefetch_done = responses, True
        entry._prefetched_objects_cache = {"responses": queryset}


def visible_entries(user: Any, enrolment_id: int) -> list[CaseEntry]:
    """The entries of a participant's case the user may see, with responses loaded; [] alike for a
    case that does not exist and one the user may not see."""
    access = case_access(user, enrolment_id)
    if access is None:
        return []
    return [row.entry for row in case_timeline(access) if row.entry is not None]


def entries_awaiting_response(user: Any, *, limit: int = AWAITING_LIMIT) -> list[CaseEntry]:
    """Entries no teacher or coordinator has responded to yet, oldest session first: in the editions
    the user teaches (lead teacher of the programme or teacher of a part), all of them for the
    programme office; editions not completed, participants still enrolled. Each with `session`,
    `case.enrolment.participant` and `case.enrolment.edition.programme` loaded (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    entries = CaseEntry.objects.filter(case__enrolment__status=EnrolmentStatus.ENROLLED).exclude(
        case__enrolment__edition__status=EditionStatus.COMPLETED
    )
    if not permissions.is_coordinator(user):
        if not getattr(user, "is_teacher", False):
            return []
        taught = Edition.objects.filter(
            Q(programme__teacher_links__teacher__user_id=user.pk) | Q(sessions__parts__teacher__user_id=user.pk)
        ).values("pk")
        entries = entries.filter(case__enrolment__edition_id__in=taught)
    answered = CaseResponse.objects.filter(entry=OuterRef("pk"), author__role__in=[Role.TEACHER, Role.COORDINATOR])
    entries = (
        entries.exclude(Exists(answered))
        .select_related("session", "case__enrolment__participant", "case__enrolment__edition__programme")
        .order_by("session__date", "updated_at", "id")
    )
    return list(entries[:limit])


# -- validation ---------------------------------------------------------------------------------


def _text(value: Any, *, one_line: bool = False) -> str:
    text = value if isinstance(value, str) else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return " ".join(text.split()) if one_line else text.strip()


def _check(fields: dict[str, tuple[Any, Any, int, bool]]) -> dict[str, str]:
    """Clean each field (value, message when empty, maximum length, one line); all problems at once."""
    cleaned: dict[str, str] = {}
    errors: list[dict[str, Any]] = []
    for name, (value, missing, maximum, one_line) in fields.items():
        text = _text(value, one_line=one_line)
        if "\x00" in text:
            message = CONTROL_CHARACTERS
        elif not text:
            message = missing
        elif len(text) > maximum:
            message = (TITLE_TOO_LONG if name == "title" else TEXT_TOO_LONG) % {"max": maximum, "count": len(text)}
        else:
            cleaned[name] = text
            continue
        errors.append({"field": name, "message": message})
    if errors:
        raise Invalid(errors[0]["message"] if len(errors) == 1 else SEVERAL_FIELDS, errors)
    return cleaned


# -- business actions ---------------------------------------------------------------------------


def _writable_enrolment(actor: Any, enrolment_id: int) -> Enrolment:
    """The writer's own enrolment, locked; NotFound for those who may not see the case.
    Locked first: for the writer, the usual caller, the lock is then the only look-up; the access
    check is only needed to tell others a NotFound from a PermissionDenied."""
    if not getattr(actor, "is_authenticated", False) or not _is_id(enrolment_id):
        raise NotFound(CASE_NOT_FOUND)
    enrolment = Enrolment.objects.select_for_update(of=("self",)).filter(pk=enrolment_id).first()
    if enrolment is None:
        raise NotFound(CASE_NOT_FOUND)
    if enrolment.participant_id != actor.pk:
        raise NotFound(CASE_NOT_FOUND) if case_access(actor, enrolment_id) is None else PermissionDenied(ONLY_THE_WRITER)
    if not can_write_case(actor, enrolment):
        raise Conflict(CANCELLED)
    return enrolment


def write_case(*, actor: Any, enrolment_id: int, title: Any, question: Any, context: Any) -> OwnCase:
    """Write or change the participant's own case (the participant themselves, while enrolled)."""
    with transaction.atomic():
        enrolment = _writable_enrolment(actor, enrolment_id)
        fields = _check(
            {
                "title": (title, TITLE_MISSING, TITLE_MAX, True),
                "question": (question, QUESTION_MISSING, TEXT_MAX, False),
                "context": (context, CONTEXT_MISSING, TEXT_MAX, False),
            }
        )
        now = timezone.now()
        case = OwnCase.objects.filter(enrolment=enrolment).first()
        if case is None:
            case = OwnCase.objects.create(enrolment=enrolment, created_at=now, updated_at=now, **fields)
            audit.record(actor=actor, action="case.written", obj=case, after=audit.snapshot(case, ["enrolment", *CASE_FIELDS]))
            return case
        before = audit.snapshot(case, CASE_FIELDS)
        if before == fields:
            return case
        for name, value in fields.items():
            setattr(case, name, value)
        case.updated_at = now
        case.save(update_fields=[*CASE_FIELDS, "updated_at"])
        audit.record(actor=actor, action="case.changed", obj=case, before=before, after=audit.snapshot(case, CASE_FIELDS))
    return case


def write_entry(*, actor: Any, enrolment_id: int, session_id: int, done: Any, learned: Any, next_step: Any) -> CaseEntry:
    """Write or change the progress entry for a session of the participant's edition (the
    participant themselves, while enrolled). A Conflict while the case itself is not written."""
    with transaction.atomic():
        enrolment = _writable_enrolment(actor, enrolment_id)
        session = Session.objects.filter(pk=session_id, edition_id=enrolment.edition_id).first() if _is_id(session_id) else None
        if session is None:
            raise NotFound(SESSION_NOT_FOUND)
        # The entry brings its case along; only without an entry is the case looked up on its own.
        entry = CaseEntry.objects.select_related("case").filter(case__enrolment=enrolment, session=session).first()
        case = entry.case if entry is not None else OwnCase.objects.filter(enrolment=enrolment).first()
        if case is None:
            raise Conflict(CASE_FIRST)
        fields = _check(
            {
                "done": (done, DONE_MISSING, TEXT_MAX, False),
                "learned": (learned, LEARNED_MISSING, TEXT_MAX, False),
                "next_step": (next_step, NEXT_STEP_MISSING, TEXT_MAX, False),
            }
        )
        now = timezone.now()
        if entry is None:
            entry = CaseEntry.objects.create(case=case, session=session, created_at=now, updated_at=now, **fields)
            after = audit.snapshot(entry, ["case", "session", *ENTRY_FIELDS])
            audit.record(actor=actor, action="case_entry.written", obj=entry, after=after)
            return entry
        before = audit.snapshot(entry, ENTRY_FIELDS)
        if before == fields:
            return entry
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.updated_at = now
        entry.save(update_fields=[*ENTRY_FIELDS, "updated_at"])
        audit.record(
            actor=actor, action="case_entry.changed", obj=entry, before=before, after=audit.snapshot(entry, ENTRY_FIELDS)
        )
    return entry


def respond(*, actor: Any, entry_id: int, text: Any) -> CaseResponse:
    """Respond to a progress entry: the edition's teachers, the programme office, the writer's group
    at that session, and the writer (while enrolled). Someone else's response e-mails the writer."""
    with transaction.atomic():
        # The entry with its case's enrolment in one query: the access check needs no second look-up.
        entry = _entry_with_enrolment(entry_id) if _is_id(entry_id) else None
        access = (
            _access_to(actor, entry.case.enrolment) if entry is not None and getattr(actor, "is_authenticated", False) else None
        )
        if entry is None or access is None or not access.sees_session(entry.session.number):
            raise NotFound(ENTRY_NOT_FOUND)
        if not access.may_respond(entry.session.number):
            raise Conflict(CANCELLED_RESPONSE) if access.own else PermissionDenied(MAY_NOT_RESPOND)
        cleaned = _check({"text": (text, RESPONSE_MISSING, TEXT_MAX, False)})
        response = CaseResponse.objects.create(entry=entry, author=actor, text=cleaned["text"], created_at=timezone.now())
        audit.record(actor=actor, action="case_response.added", obj=response, after=audit.snapshot(response, ["entry", "text"]))
        writer = access.enrolment.participant
        if writer.pk != actor.pk and writer.is_active and writer.email:
            _queue_response_email(response, entry, access.enrolment)
    return response


# -- e-mail -------------------------------------------------------------------------------------


def case_url(enrolment_id: int, language: str, entry_id: int | None = None) -> str:
    """The absolute address of the case page in `language`, at an entry if given."""
    with translation.override(language):
        path = reverse("cases:case", kwargs={"enrolment_id": enrolment_id})
    return f"{settings.PUBLIC_BASE_URL}{path}" + (f"#entry-{entry_id}" if entry_id else "")


def _queue_response_email(response: CaseResponse, entry: CaseEntry, enrolment: Enrolment) -> None:
    from leergang.notifications.services import queue_templated_email

    writer = enrolment.participant
    languages = {code for code, _name in settings.LANGUAGES}
    language = writer.preferred_language if writer.preferred_language in languages else "nl"
    author = response.author
    queue_templated_email(
        to=[writer.email],
        template="case_response",
        context={
            "person": writer,
            "author_name": author.get_full_name() or author.email,
            "programme": enrolment.edition.programme,
            "edition": enrolment.edition,
            "session": entry.session,
            "case": entry.case,
            "response": response,
            "page_url": case_url(enrolment.pk, language, entry.pk),
        },
        language=language,
        kind="case_response",
        related=response,
    )
