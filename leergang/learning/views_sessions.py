"""The session page (M11) and the edition's learning overview.

The session page shows what a participant needs before and at a session: date, time and place or
online link, theme, parts with their teachers, the learning goals it serves and its literature with
the preparation time. The edition's teachers and the programme office also add and remove the
literature here. Everyone who may not read a session's literature gets a 404, alike for a session
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from leergang.catalog.models import Edition, LearningGoal, Location, Programme, Room, Session, SessionKind, SessionPart, Teacher
from leergang.core import formatting
from leergang.core.errors import DomainError, NotFound
from leergang.core.sql_rows import read_joined, table
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import groups, literature
from . import permissions as learning_permissions
from .forms_literature import LiteratureForm
from .models import LiteratureItem


@dataclass(frozen=True)
class Access:
    """Who looks at an edition's learning pages: staff (its teachers and the programme office), or
    a participant with their active enrolment."""

    staff: bool
    enrolment: Enrolment | None


def _access(request: HttpRequest, edition: Edition) -> Access:
    """As can_view_literature, deciding once what the page also shows (at most two queries for a
    teacher, one for a participant); 404 for everyone else."""
    staff = learning_permissions.is_staff_of(request.user, edition)
    enrolment = None if staff else learning_permissions.enrolment_of(request.user, edition.pk)
    if not staff and enrolment is None:
        raise Http404("not found")
    return Access(staff, enrolment)


def _neighbour(order: str, column: str) -> str:
    compare, direction = ("<", "DESC") if order == "previous" else (">", "ASC")
    return (
        f'(SELECT o."{column}" FROM {table(Session)} o WHERE o."edition_id" = s."edition_id"'  # noqa: S608 - names from the models
        f' AND o."number" {compare} s."number" ORDER BY o."number" {direction} LIMIT 1)'
    )


def _with_relations(edition: Edition, programme: Programme, room: Room, location: Location) -> Edition:
    """The edition with what `select_related("programme", "room__location")` caches on it (no room:
    None; read_joined gives an empty instance for the missing side of a LEFT JOIN)."""
    if edition.room_id is not None:
        room.location = location
        edition.room = room
    else:
        edition.room = None
    edition.programme = programme
    return edition


def _session_sql() -> tuple[str, str]:
    """FROM/WHERE of the session with its edition, programme and the edition's room and location, and
    the extra columns: the previous and the next session's id and number (numbers are unique per
    edition, so these are its neighbours in number order)."""
    from_where = (
        f'FROM {table(Session)} s JOIN {table(Edition)} d ON d."id" = s."edition_id"'
        f' JOIN {table(Programme)} p ON p."id" = d."programme_id"'
        f' LEFT JOIN {table(Room)} r ON r."id" = d."room_id" LEFT JOIN {table(Location)} l ON l."id" = r."location_id"'
        ' WHERE s."id" = %s'
    )
    extra = ", ".join(_neighbour(order, column) for order in ("previous", "next") for column in ("id", "number"))
    return from_where, extra


def _session_row(session_id: int) -> tuple[Session, Session | None, Session | None] | None:
    """The session with `select_related("edition__programme", "edition__room__location")`'s
    instances, and its previous and next session (only their id and number), in one query written as
    SQL (core.sql_rows): building and compiling the ORM's query cost several times running it."""
    from_where, extra = _session_sql()
    rows = read_joined(
        from_where, [session_id], ((Session, "s"), (Edition, "d"), (Programme, "p"), (Room, "r"), (Location, "l")), extra=extra
    )
    if not rows:
        return None
    session, edition, programme, room, location, previous_id, previous_number, next_id, next_number = rows[0]
    session.edition = _with_relations(edition, programme, room, location)
    previous = Session(pk=previous_id, number=previous_number) if previous_id is not None else None
    following = Session(pk=next_id, number=next_number) if next_id is not None else None
    return session, previous, following


def _session(request: HttpRequest, session_id: int) -> tuple[Session, tuple[Session | None, Session | None], Access]:
    """The session with its edition, and the previous and next session of the edition (for the
    links; only their id and number), in one query."""
    found = _session_row(session_id)
    if found is None:
        raise Http404("not found")
    session, previous, following = found
    return session, (previous, following), _access(request, session.edition)


def _edition_row(edition_id: int) -> Edition | None:
    """The edition with `select_related("programme", "room__location")`'s instances and
    `participants`, its number of enrolled participants, in one query written as SQL (core.sql_rows)."""
    rows = read_joined(
        f'FROM {table(Edition)} d JOIN {table(Programme)} p ON p."id" = d."programme_id"'
        f' LEFT JOIN {table(Room)} r ON r."id" = d."room_id" LEFT JOIN {table(Location)} l ON l."id" = r."location_id"'
        ' WHERE d."id" = %s',
        [EnrolmentStatus.ENROLLED, edition_id],
        ((Edition, "d"), (Programme, "p"), (Room, "r"), (Location, "l")),
        extra=f'(SELECT COUNT(*) FROM {table(Enrolment)} n WHERE n."edition_id" = d."id" AND n."status" = %s)',  # noqa: S608 - names from the models
    )
    if not rows:
        return None
    edition, programme, room, location, participants = rows[0]
    edition = _with_relations(edition, programme, room, location)
    edition.participants = participants
    return edition


def _edition(request: HttpRequest, edition_id: int) -> tuple[Edition, Access]:
    edition = _edition_row(edition_id)
    if edition is None:
        raise Http404("not found")
    return edition, _access(request, edition)


def _literature(session: Session) -> list[LiteratureItem]:
    """`LiteratureItem.objects.filter(session=session).order_by("order", "id")`, as SQL."""
    rows = read_joined(
        f'FROM {table(LiteratureItem)} i WHERE i."session_id" = %s ORDER BY i."order", i."id"',
        [session.pk],
        ((LiteratureItem, "i"),),
    )
    return [item for (item,) in rows]


def _parts(session: Session) -> list[SessionPart]:
    """`session.parts.select_related("teacher").order_by("order", "id")`, as SQL."""
    rows = read_joined(
        f'FROM {table(SessionPart)} t LEFT JOIN {table(Teacher)} e ON e."id" = t."teacher_id"'
        ' WHERE t."session_id" = %s ORDER BY t."order", t."id"',
        [session.pk],
        ((SessionPart, "t"), (Teacher, "e")),
    )
    parts = []
    for part, teacher in rows:
        part.teacher = teacher if part.teacher_id is not None else None
        part.session = session
        parts.append(part)
    return parts


def _goals(session: Session) -> list[LearningGoal]:
    """`session.goals.order_by("order", "id")`, as SQL."""
    through = Session.goals.through
    rows = read_joined(
        f'FROM {table(LearningGoal)} g JOIN {table(through)} sg ON sg."learninggoal_id" = g."id"'
        ' WHERE sg."session_id" = %s ORDER BY g."order", g."id"',
        [session.pk],
        ((LearningGoal, "g"),),
    )
    return [goal for (goal,) in rows]


def _session_context(
    session: Session,
    neighbours: tuple[Session | None, Session | None],
    access: Access,
    form: LiteratureForm | None = None,
) -> dict[str, Any]:
    edition = session.edition
    staff, enrolment = access.staff, access.enrolment
    items = _literature(session)
    group_names: list[str] = []
    if enrolment is not None:
        group = groups.group_of(groups.groupings(edition.pk), session.number, enrolment.pk)
        if group is not None:
            group_names = [
                f"{first} {last}".strip()
                for first, last in edition.enrolments.filter(pk__in=set(group.enrolment_ids) - {enrolment.pk})
                .order_by("participant__last_name", "participant__first_name")
                .values_list("participant__first_name", "participant__last_name")
            ]
    form = form if form is not None else (LiteratureForm() if staff else None)
    return {
        "session": session,
        "edition": edition,
        "programme": edition.programme,
        "parts": _parts(session),
        "goals": _goals(session),
        "literature": items,
        "preparation_minutes": sum(item.preparation_minutes for item in items),
        "previous": neighbours[0],
        "next": neighbours[1],
        "is_closing": session.kind == SessionKind.CLOSING,
        "can_change": staff,
        "enrolment": enrolment,
        "group_names": group_names,
        "held_today": session.date == timezone.localdate(),  # participants check in on the day (M17)
        "form": form,
    }


def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    session, neighbours, access = _session(request, session_id)
    return render(request, "learning/session.html", _session_context(session, neighbours, access))


def _to_session(session_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("learning_sessions:session", kwargs={"session_id": session_id}) + "#literature")


@require_POST
def add_literature(request: HttpRequest, session_id: int) -> HttpResponse:
    session, neighbours, access = _session(request, session_id)
    if not access.staff:  # can_change_literature
        raise Http404("not found")
    form = LiteratureForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "learning/session.html", _session_context(session, neighbours, access, form), status=422)
    try:
        item = literature.add_literature(
            actor=request.user,
            session_id=session.pk,
            title=form.cleaned_data["title"],
            url=form.cleaned_data["url"] or None,
            uploaded_file=form.cleaned_data["file"] or None,
            preparation_minutes=form.cleaned_data["preparation_minutes"],
        )
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, "learning/session.html", _session_context(session, neighbours, access, form), status=exc.status)
    messages.success(request, _("“%(title)s” was added. The participants are told by e-mail.") % {"title": item.title})
    return _to_session(session.pk)


@require_POST
def remove_literature(request: HttpRequest, session_id: int, item_id: int) -> HttpResponse:
    session, _neighbours, access = _session(request, session_id)
    item = LiteratureItem.objects.filter(pk=item_id, session=session).first()
    if item is None or not access.staff:  # can_change_literature
        raise Http404("not found")
    try:
        literature.remove_literature(actor=request.user, item_id=item.pk)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return _to_session(session.pk)
    messages.success(request, _("“%(title)s” was removed.") % {"title": item.title})
    return _to_session(session.pk)


def _edition_sessions(edition: Edition) -> list[list[Any]]:
    """The edition's sessions in number order, each with its number of literature items and their
    preparation minutes together, in one query written as SQL (core.sql_rows)."""
    literature = f'FROM {table(LiteratureItem)} i WHERE i."session_id" = s."id"'
    return read_joined(
        f'FROM {table(Session)} s WHERE s."edition_id" = %s ORDER BY s."number"',
        [edition.pk],
        ((Session, "s"),),
        extra=f'(SELECT COUNT(*) {literature}), (SELECT COALESCE(SUM(i."preparation_minutes"), 0) {literature})',  # noqa: S608 - names from the models
    )


def _session_url(name: str, session_id: int) -> str:
    """As `{% url name session_id=session_id %}`."""
    return reverse(name, kwargs={"session_id": session_id})


def edition_rows_markup(rows: list[dict[str, Any]], *, staff: bool, enrolment: Enrolment | None, today: Any) -> SafeString:
    """The sessions table's rows, as edition.html's loop over `rows` rendered them (with its
    whitespace; test_perf_learning_pages.py keeps the two equal): its translations and links per
    row cost more than the rest of the page."""
    date_label, literature_label, none_yet = escape(_("Date")), escape(_("Literature")), escape(_("none yet"))
    closing = escape(_("Closing session"))
    attendance_label, take, show = escape(_("Attendance")), escape(_("Take attendance")), escape(_("Show check-in code"))
    check_in = f'<a href="{escape(reverse("attendance:check_in"))}">{escape(_("Check in"))}</a>' if enrolment else ""
    parts = []
    for row in rows:
        session = row["session"]
        date = escape(row["date"])
        number = _("Session %(number)s") % {"number": session.number}
        theme = session.theme
        sub = f'<br><span class="cell-sub">{escape(theme)}</span>' if theme else ""
        if row["items"]:
            literature = ngettext("%(counter)s item", "%(counter)s items", row["items"]) % {"counter": row["items"]}
            if row["minutes"]:
                literature += ", " + _("about %(hours)s hours") % {"hours": escape(formatting.hours(row["minutes"]))}
        else:
            literature = f'<span class="subtle">{none_yet}</span>'
        if staff:
            last = (
                f'<td class="session-attendance"><span class="stack-label" aria-hidden="true">{attendance_label}</span>'
                f'<ul class="plain"><li><a href="{escape(row["register_url"])}">{take}'
                f'<span class="visually-hidden"> ({date})</span></a></li>'
                f'<li><a href="{escape(row["code_url"])}">{show}'
                f'<span class="visually-hidden"> ({date})</span></a></li></ul></td>\n            '
            )
        elif enrolment:
            last = f'<td class="session-attendance">{check_in if session.date == today else ""}</td>'
        else:
            last = ""
        parts.append(
            f'\n          <tr>\n            <th scope="row"><a href="{escape(row["url"])}">'
            f"{closing if session.kind == 'closing' else number}</a>"
            f"{sub}</th>\n"
            f'            <td><span class="stack-label" aria-hidden="true">{date_label}</span>{date}</td>\n'
            f'            <td><span class="stack-label" aria-hidden="true">{literature_label}</span>{literature}</td>\n'
            f"            {last}\n          </tr>\n        "
        )
    return SafeString("".join(parts))


def edition_page(request: HttpRequest, edition_id: int) -> HttpResponse:
    """The edition's learning overview: its sessions with their literature, and the edition's pages."""
    edition, access = _edition(request, edition_id)
    staff = access.staff
    rows = [
        {
            "session": session,
            "items": items,
            "minutes": minutes,
            "url": _session_url("learning_sessions:session", session.pk),
            "date": formatting.long_date(session.date, with_weekday=True),  # as the weekday_date filter
            "register_url": _session_url("attendance:register", session.pk) if staff else "",
            "code_url": _session_url("attendance:code", session.pk) if staff else "",
        }
        for session, items, minutes in _edition_sessions(edition)
    ]
    today = timezone.localdate()
    context = {
        "edition": edition,
        "programme": edition.programme,
        "rows": rows,
        "staff": staff,
        "enrolment": access.enrolment,
        "participants": edition.participants if staff else None,
        "today": today,  # participants check in on the day (M17)
        "rows_markup": edition_rows_markup(rows, staff=staff, enrolment=access.enrolment, today=today),
    }
    return render(request, "learning/edition.html", context)
