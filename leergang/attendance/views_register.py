"""The register (M17): the edition's teachers and the programme office take attendance on a phone,
a tap per participant. With htmx a tap swaps only that participant's line (and the summary); without
JavaScript the same form posts and comes back to the page (303). On the session's day the list
refreshes itself, so self check-ins appear while the code is on screen.

Everyone else gets a 404, alike for a session that does not exist. Errors show inline, in the
reader's language; for htmx always with status 200, so htmx swaps them in.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from leergang.accounts import permissions
from leergang.catalog.models import Session
from leergang.core.errors import DomainError, NotFound, PermissionDenied
from leergang.learning import permissions as learning_permissions

from . import checkin, register, register_markup, selectors
from .models import AttendanceStatus

# What the register's pages and the permission check read of the session, its edition and
# programme: a phone page, so not the programme's 28 columns for its title.
SESSION_FIELDS = (
    "edition_id",
    "number",
    "kind",
    "date",
    "start_time",
    "end_time",
    "theme_nl",
    "theme_en",
    "edition__programme_id",
    "edition__status",
    "edition__programme__title_nl",
    "edition__programme__title_en",
)
SAVED = {
    AttendanceStatus.PRESENT: lambda name: _("Saved: %(name)s is present.") % {"name": name},
    AttendanceStatus.ABSENT: lambda name: _("Saved: %(name)s is absent.") % {"name": name},
    AttendanceStatus.EXCUSED: lambda name: _("Saved: %(name)s is excused.") % {"name": name},
}


def staff_session(request: HttpRequest, session_id: int) -> Session:
    """The session for its edition's teachers and the programme office; a 404 for everyone else."""
    session = Session.objects.select_related("edition__programme").filter(pk=session_id).order_by().only(*SESSION_FIELDS).first()
    if session is None or not learning_permissions.is_staff_of(request.user, session.edition):
        raise Http404("not found")
    return session


def fragment_wanted(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _register_url(session: Session) -> str:
    return reverse("attendance:register", kwargs={"session_id": session.pk})


def _context(request: HttpRequest, session: Session, rows: list[selectors.RegisterRow], **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    context = {
        "session": session,
        "edition": session.edition,
        "programme": session.edition.programme,
        "rows": rows,
        "counts": selectors.summary(rows),
        "open": register.recording_open(session, today),
        "not_yet": register.not_yet_message(session),
        "is_today": session.date == today,
        # Only the whole page says whether check-in is open; fragments need no query for it.
        "code": checkin.current_code(session.pk) if session.date == today and not fragment_wanted(request) else None,
        "is_coordinator": permissions.is_coordinator(request.user),
        "register_url": _register_url(session),
        "list_error": "",
        "announcement": "",
    }
    context.update(extra)
    # The lines written out in Python (register_markup), with the form's CSRF field as
    # {% csrf_token %} writes it.
    csrf = csrf_input(request)
    if "line" in extra:
        context["line_html"] = register_markup.line_html(extra["line"], session.pk, context["open"], csrf)
    else:
        context["lines_html"] = register_markup.lines_html(rows, session.pk, context["open"], csrf)
    return context


def _page(request: HttpRequest, session: Session, status: int = 200, **extra: Any) -> HttpResponse:
    """The whole page, or only the list for htmx (always 200 so htmx swaps it)."""
    context = _context(request, session, selectors.register(session), **extra)
    if fragment_wanted(request):
        context["fragment"] = True
        response = render(request, "attendance/register_list.html", context)
    else:
        response = render(request, "attendance/register.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back(session: Session, anchor: str = "") -> HttpResponseRedirect:
    response = HttpResponseRedirect(_register_url(session) + anchor)
    response.status_code = 303  # after a POST: look at the register again
    return response


@require_safe
def register_page(request: HttpRequest, session_id: int) -> HttpResponse:
    return _page(request, staff_session(request, session_id))


@require_POST
def record(request: HttpRequest, session_id: int, enrolment_id: int) -> HttpResponse:
    """One tap: a participant's status. Answers with that participant's line for htmx."""
    session = staff_session(request, session_id)
    status = request.POST.get("status", "")
    error, error_status = "", 200
    try:
        register.record_attendance(actor=request.user, session_id=session.pk, enrolment_id=enrolment_id, status=status)
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        error, error_status = str(exc.detail), exc.status
    rows = selectors.register(session)
    line = next((row for row in rows if row.enrolment.pk == enrolment_id), None) or selectors.register_row(session, enrolment_id)
    if line is None:
        raise Http404("not found")
    announcement = error or SAVED[AttendanceStatus(status)](line.name)
    if not fragment_wanted(request):
        if error:
            line.error = error
            shown = any(row is line for row in rows)  # a cancelled participant has no line in the register
            context = _context(request, session, rows, list_error="" if shown else error)
            return render(request, "attendance/register.html", context, status=error_status)
        messages.success(request, announcement)
        return _back(session, f"#row-{enrolment_id}")
    line.error = error
    context = _context(request, session, rows, line=line, announcement=announcement, oob=True, fragment=True)
    response = render(request, "attendance/register_line.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
def all_present(request: HttpRequest, session_id: int) -> HttpResponse:
    """Everyone not yet recorded is present (from the session's date on)."""
    session = staff_session(request, session_id)
    try:
        count = register.mark_unrecorded_present(actor=request.user, session_id=session.pk)
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        return _page(request, session, status=exc.status, list_error=str(exc.detail), announcement=str(exc.detail))
    if count:
        announcement = ngettext(
            "%(count)s participant recorded as present.", "%(count)s participants recorded as present.", count
        ) % {"count": count}
    else:
        announcement = _("Everyone already had a status; nothing was changed.")
    if fragment_wanted(request):
        return _page(request, session, announcement=announcement)
    messages.success(request, announcement)
    return _back(session)
