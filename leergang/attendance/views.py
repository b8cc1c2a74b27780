"""Reporting an absence ahead (M17): a participant of the edition says they cannot attend a session,
with an optional reason, or takes that back, as long as the session's date has not come.

Only the edition's enrolled participants see this page; everyone else gets a 404, alike for a
session that does not exist (teachers and the programme office record excuses in the register).
From the session's day on the page says so and changes nothing. Thin: parse, call one service,
render; after a change it redirects back to the page with a message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from leergang.catalog.models import Session
from leergang.core import formatting
from leergang.core.errors import Conflict, DomainError, NotFound
from leergang.enrolment.inbox_forms import DomainErrorsMixin
from leergang.enrolment.models import Enrolment
from leergang.learning import permissions as learning_permissions

from . import selectors, services
from .models import Attendance, AttendanceStatus

# Evaluated when shown, in the reader's language (a lazy string's `%` would translate at import).
NOTE_MESSAGE = lazy(lambda: str(services.NOTE_TOO_LONG) % {"max": services.NOTE_MAX}, str)()


class ExcuseForm(DomainErrorsMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Only the programme office and the teachers see this."),
        error_messages={"max_length": NOTE_MESSAGE},
    )


def _load(request: HttpRequest, session_id: int) -> tuple[Session, Enrolment]:
    session = Session.objects.select_related("edition__programme", "edition__room__location").filter(pk=session_id).first()
    enrolment = learning_permissions.enrolment_of(request.user, session.edition_id) if session is not None else None
    if session is None or enrolment is None:
        raise Http404("not found")
    return session, enrolment


def _render(
    request: HttpRequest,
    session: Session,
    enrolment: Enrolment,
    row: Attendance | None,
    *,
    form: ExcuseForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    excused = row is not None and row.status == AttendanceStatus.EXCUSED
    context: dict[str, Any] = {
        "session": session,
        "edition": session.edition,
        "programme": session.edition.programme,
        "enrolment": enrolment,
        "row": row,
        "excused": excused,
        "open": session.date > timezone.localdate(),
        "form": form or ExcuseForm(initial={"note": row.note if excused and row else ""}),
        "error": error,
    }
    return render(request, "attendance/excuse.html", context, status=status)


def _back(session: Session) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("attendance:excuse", kwargs={"session_id": session.pk}))


@require_http_methods(["GET", "HEAD", "POST"])
def excuse(request: HttpRequest, session_id: int) -> HttpResponse:
    session, enrolment = _load(request, session_id)
    row = selectors.attendance_for(session.pk, enrolment.pk)
    if request.method != "POST":
        return _render(request, session, enrolment, row)
    date = formatting.long_date(session.date, with_weekday=True)
    action = request.POST.get("action", "")
    form = None
    try:
        if action == "withdraw":
            services.withdraw_absence(actor=request.user, session_id=session.pk, enrolment_id=enrolment.pk)
            messages.success(request, _("Your absence has been withdrawn: we expect you on %(date)s.") % {"date": date})
            return _back(session)
        if action == "report":
            form = ExcuseForm(request.POST)
            if not form.is_valid():
                return _render(request, session, enrolment, row, form=form, status=422)
            services.report_absence(
                actor=request.user, session_id=session.pk, enrolment_id=enrolment.pk, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Thank you for letting us know that you cannot attend on %(date)s.") % {"date": date})
            return _back(session)
    except NotFound as exc:
        raise Http404("not found") from exc
    except Conflict as exc:
        return _render(request, session, enrolment, row, error=str(exc.detail), status=409)
    except DomainError as exc:
        form = form or ExcuseForm(request.POST)
        form.is_valid()
        form.add_domain_error(exc)
        return _render(request, session, enrolment, row, form=form, status=exc.status)
    return _render(
        request, session, enrolment, row, error=_("Choose whether you cannot attend or can attend after all."), status=422
    )
