"""The hours page (M16): a participant's time against the programme's norms, a form to log time and
their entries with a remove button.

Who sees it: the participant, the edition's teachers and the programme office (read-only: only the
participant logs and removes, while enrolled); everyone else gets a 404, alike for an enrolment that
does not exist. The services decide; their refusals become form errors in the reader's language.
Works without JavaScript: plain forms, post-redirect-get. A removed entry can be put back with one
button (the next page load offers it), so removing needs no confirmation.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from leergang.catalog.models import Session, SessionKind
from leergang.core import formatting
from leergang.core.errors import DomainError, Invalid, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment

from . import timelog
from .models import TimeEntry, TimeKind

UNDO_KEY = "timelog-undo"


class TimeEntryForm(forms.Form):
    """What the participant types. Every check that matters is the service's (one set of messages);
    the form only reads the values."""

    kind = forms.CharField(
        label=gettext_lazy("What did you work on?"),
        required=False,
        widget=forms.RadioSelect(
            choices=[(TimeKind.PREPARATION, gettext_lazy("Preparation for a session")), (TimeKind.CASE, TimeKind.CASE.label)]
        ),
    )
    session = forms.CharField(
        label=gettext_lazy("Session"),
        required=False,
        help_text=gettext_lazy("Only for preparation: the session you prepared for."),
        widget=forms.Select(),
    )
    day = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter the date on which you did the work.")},
    )
    hours = forms.CharField(
        label=gettext_lazy("Hours"),
        required=False,
        strip=True,
        help_text=gettext_lazy("For example 1.5 or 1:30 for an hour and a half."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "maxlength": 20, "size": 8}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        help_text=gettext_lazy("For example what you read or did."),
        widget=forms.TextInput(attrs={"maxlength": timelog.NOTE_MAX}),
    )

    def __init__(self, *args: Any, sessions: list[Session], first_day: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a session"))] + [(str(s.pk), session_label(s)) for s in sessions]
        self.fields["session"].widget.choices = choices
        self.fields["day"].widget.attrs["min"] = timelog.earliest_day(first_day).isoformat()
        self.fields["day"].widget.attrs["max"] = timelog.today().isoformat()

    def add_domain_error(self, exc: DomainError) -> None:
        """The service's field messages at their fields; anything else on top."""
        placed = False
        for error in exc.errors:
            name, message = str(error.get("field", "")), str(error.get("message", ""))
            if name in self.fields and message:
                if message not in self.errors.get(name, []):
                    self.add_error(name, message)
                placed = True
        if not placed:
            self.add_error(None, str(exc.detail))

    def mark_errors(self) -> None:
        """aria-invalid and aria-describedby on the fields with an error, help text kept."""
        for name, field in self.fields.items():
            bound = self[name]
            described = [f"{bound.auto_id}_helptext"] if field.help_text else []
            if name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.insert(0, f"{bound.auto_id}_error")
            if described and name != "kind":
                field.widget.attrs["aria-describedby"] = " ".join(described)


def session_label(session: Session) -> str:
    date = formatting.long_date(session.date, with_weekday=True)
    if session.kind == SessionKind.CLOSING:
        return _("Closing session, %(date)s") % {"date": date}
    return _("Session %(number)s, %(date)s") % {"number": session.number, "date": date}


def entry_label(entry: TimeEntry) -> str:
    """What an entry was for, in words: "Preparation for session 2", "Own case and paper"."""
    if entry.kind == TimeKind.CASE:
        return str(TimeKind.CASE.label)
    if entry.session is None:
        return str(TimeKind.PREPARATION.label)
    if entry.session.kind == SessionKind.CLOSING:
        return _("Preparation for the closing session")
    return _("Preparation for session %(number)s") % {"number": entry.session.number}


def _first_day(enrolment: Enrolment, sessions: list[Session]) -> datetime.date:
    return min((s.date for s in sessions), default=enrolment.edition.start_date)


def _enrolment(request: HttpRequest, enrolment_id: int) -> Enrolment:
    enrolment = timelog.viewable_enrolment(request.user, enrolment_id)
    if enrolment is None:
        raise Http404("not found")
    return enrolment


def _default_session(request: HttpRequest, sessions: list[Session]) -> str:
    """The session asked for (?sessie=<id>, from a session page), else the next one, else the last."""
    asked = request.GET.get("sessie", "")
    if any(str(s.pk) == asked for s in sessions):
        return asked
    now = timelog.today()
    upcoming = [s for s in sessions if s.date >= now]
    chosen = upcoming[0] if upcoming else (sessions[-1] if sessions else None)
    return str(chosen.pk) if chosen else ""


def _undo(request: HttpRequest, enrolment: Enrolment, sessions: list[Session]) -> dict[str, Any] | None:
    """What was just removed from this enrolment, to offer to put it back (once)."""
    data = request.session.get(UNDO_KEY)
    if not isinstance(data, dict) or data.get("enrolment") != enrolment.pk:
        return None
    request.session.pop(UNDO_KEY, None)
    try:
        day = datetime.date.fromisoformat(data["day"])
    except (KeyError, TypeError, ValueError):
        return None
    session = next((s for s in sessions if s.pk == data.get("session")), None)
    label = entry_label(TimeEntry(kind=data.get("kind"), session=session))
    return data | {"day_date": day, "label": label}


def _context(
    request: HttpRequest, enrolment: Enrolment, *, form: TimeEntryForm | None = None, refusal: DomainError | None = None
) -> dict[str, Any]:
    user = request.user
    summary = timelog.time_summary(enrolment)
    sessions = [row.session for row in summary.sessions]
    blocked = timelog.log_refusal(user, enrolment)
    own = enrolment.participant_id == user.pk
    if blocked is None and form is None:
        initial = {"kind": TimeKind.PREPARATION, "session": _default_session(request, sessions), "day": timelog.today()}
        form = TimeEntryForm(sessions=sessions, first_day=_first_day(enrolment, sessions), initial=initial)
    if form is not None:
        form.mark_errors()
    refusal = refusal or (blocked if own else None)
    return {
        "enrolment": enrolment,
        "edition": enrolment.edition,
        "programme": enrolment.edition.programme,
        "participant": enrolment.participant,
        "own": own,
        "summary": summary,
        "entries": [
            (entry, entry_label(entry))
            for entry in timelog.time_entries(enrolment.pk, sessions={session.pk: session for session in sessions})
        ],
        "can_log": blocked is None,
        "form": form if blocked is None else None,
        "refusal": str(refusal.detail) if refusal is not None else "",
        "undo": _undo(request, enrolment, sessions) if blocked is None and request.method == "GET" else None,
    }


def _page(request: HttpRequest, enrolment: Enrolment, status: int = 200, **kwargs: Any) -> HttpResponse:
    return render(request, "learning/timelog.html", _context(request, enrolment, **kwargs), status=status)


def _to_page(enrolment: Enrolment) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("timelog:enrolment", kwargs={"enrolment_id": enrolment.pk}))


@require_safe
def enrolment_page(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    return _page(request, _enrolment(request, enrolment_id))


@require_POST
def log(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(request, enrolment_id)
    sessions = list(Session.objects.filter(edition_id=enrolment.edition_id).order_by("number"))
    form = TimeEntryForm(request.POST, sessions=sessions, first_day=_first_day(enrolment, sessions))
    # Only an unreadable date can fail here; the service is asked anyway so that every field's
    # message shows at once (its message for a missing date is the form's for an unreadable one).
    form.is_valid()
    data = form.cleaned_data
    try:
        entry = timelog.log_time(
            actor=request.user,
            enrolment_id=enrolment.pk,
            kind=data.get("kind", ""),
            session_id=data.get("session", ""),
            day=data.get("day"),
            hours=data.get("hours", ""),
            note=data.get("note", ""),
        )
    except NotFound as exc:
        raise Http404("not found") from exc
    except PermissionDenied as exc:
        return _page(request, enrolment, status=403, refusal=exc)
    except Invalid as exc:
        form.add_domain_error(exc)
        return _page(request, enrolment, status=422, form=form)
    values = {"hours": formatting.hours(entry.minutes), "date": formatting.long_date(entry.day)}
    if entry.minutes == 60:
        messages.success(request, _("Logged: 1 hour on %(date)s.") % values)
    else:
        messages.success(request, _("Logged: %(hours)s hours on %(date)s.") % values)
    return _to_page(enrolment)


@require_POST
def delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    try:
        entry = timelog.delete_time(actor=request.user, entry_id=entry_id)
    except NotFound as exc:
        raise Http404("not found") from exc
    except PermissionDenied as exc:
        enrolment = timelog.viewable_enrolment(request.user, _entry_enrolment_id(entry_id))
        if enrolment is None:
            raise Http404("not found") from exc
        return _page(request, enrolment, status=403, refusal=exc)
    request.session[UNDO_KEY] = {
        "enrolment": entry.enrolment_id,
        "kind": entry.kind,
        "session": entry.session_id or "",
        "day": entry.day.isoformat(),
        "hours": timelog.minutes_as_input(entry.minutes),
        "minutes": entry.minutes,
        "note": entry.note,
    }
    return _to_page(entry.enrolment)


def _entry_enrolment_id(entry_id: int) -> int:
    """The enrolment of an entry the service found (and refused to remove)."""
    return TimeEntry.objects.filter(pk=entry_id).values_list("enrolment_id", flat=True).first() or 0
