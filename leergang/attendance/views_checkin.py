"""Self check-in pages (M17).

* The code page, for the edition's teachers and the programme office (others 404): on the
  session's day it shows the code very large with a QR code, until when it works, and buttons to
  renew or stop it. On other days it says so.
* The check-in page, for a logged-in participant: one field, prefilled from `?code=` (the QR code's
  link). A GET never records anything; a POST records present and names the session. Wrong codes
  count toward a limit per person; past it the page answers 429.
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leergang.core import formatting
from leergang.core.errors import Conflict, DomainError, Invalid, NotFound, PermissionDenied

from . import checkin, ratelimit
from .forms import CheckInForm
from .views_register import staff_session

ACTIONS = {"open", "renew", "stop"}


def check_in_url(code: str) -> str:
    """The address the QR code holds: the check-in page in the teacher's language, code filled in."""
    return f"{settings.PUBLIC_BASE_URL}{reverse('attendance:check_in')}?code={code}"


def _qr_svg(url: str) -> str:
    # Inline SVG: no image request, nothing inline for the CSP to refuse (no style attributes).
    return segno.make(url, error="m").svg_inline(omitsize=True, svgclass="check-in-qr-svg", lineclass="check-in-qr-line")


@require_http_methods(["GET", "HEAD", "POST"])
def code_page(request: HttpRequest, session_id: int) -> HttpResponse:
    session = staff_session(request, session_id)
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "stop":
                checkin.close_check_in(actor=request.user, session_id=session.pk)
                messages.success(request, _("Check-in has been stopped. The code no longer works."))
            elif action in ACTIONS:
                checkin.open_check_in(actor=request.user, session_id=session.pk)
            else:
                error, status = _("Choose whether to show a new code or to stop check-in."), 422
        except (NotFound, PermissionDenied) as exc:
            raise Http404("not found") from exc
        except DomainError as exc:
            error, status = str(exc.detail), exc.status
        if not error:
            response = HttpResponseRedirect(reverse("attendance:code", kwargs={"session_id": session.pk}))
            response.status_code = 303
            return response
    today = timezone.localdate()
    code = checkin.current_code(session.pk) if session.date == today else None
    url = check_in_url(code.code) if code else ""
    context: dict[str, Any] = {
        "session": session,
        "edition": session.edition,
        "programme": session.edition.programme,
        "is_today": session.date == today,
        "code": code,
        "url": url,
        "qr": _qr_svg(url) if code else "",
        "check_in_page": settings.PUBLIC_BASE_URL + reverse("attendance:check_in"),
        "minutes": settings.CHECK_IN_CODE_MINUTES,
        "error": error,
    }
    return render(request, "attendance/code.html", context, status=status)


def _check_in_page(request: HttpRequest, form: CheckInForm, *, status: int = 200, **extra: Any) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "attendance": None, "blocked": ""}
    context.update(extra)
    return render(request, "attendance/check_in.html", context, status=status)


def _too_many() -> str:
    minutes = max(1, settings.LOGIN_RATE_WINDOW_SECONDS // 60)
    return _(
        "You have typed a wrong code too often. Wait %(minutes)s minutes and try again, or ask the teacher to "
        "record you as present."
    ) % {"minutes": minutes}


@require_http_methods(["GET", "HEAD", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _check_in_page(request, CheckInForm(initial={"code": checkin.normalise(request.GET.get("code", ""))[:20]}))
    form = CheckInForm(request.POST)
    if ratelimit.blocked(request.user):
        return _check_in_page(request, form, status=429, blocked=_too_many())
    if not form.is_valid():
        return _check_in_page(request, form, status=422)
    try:
        row = checkin.check_in(actor=request.user, code=form.cleaned_data["code"])
    except Invalid as exc:
        ratelimit.count_wrong_code(request.user)
        form.add_error("code", str(exc.detail))
        return _check_in_page(request, form, status=422)
    except (NotFound, Conflict) as exc:
        form.add_domain_error(exc)
        return _check_in_page(request, form, status=exc.status)
    session = row.session
    return _check_in_page(
        request,
        CheckInForm(),
        attendance=row,
        session=session,
        programme=session.edition.programme,
        date=formatting.long_date(session.date, with_weekday=True),
    )
