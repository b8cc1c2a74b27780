"""The coordinator's schedule page for an edition (M8, M10): see, plan, check and save the sessions,
and move coming sessions online when the room may not be used.

Thin views: each parses the request, calls one service (or the pure planner/validator) and renders.
The htmx endpoints (check, plan, rows) answer with fragments; the page itself saves with a plain
form post and redirects (post/redirect/get).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from leergang.accounts import permissions
from leergang.catalog.models import Edition, Session, SessionKind
from leergang.core import formatting
from leergang.core.errors import DomainError, Invalid, NotFound

from . import cells, forms, rules, services

RULE_LABELS = {
    rules.RULE_WEEKDAY: gettext_lazy("Wrong weekday"),
    rules.RULE_MIN_GAP: gettext_lazy("Too soon after the previous session"),
    rules.RULE_SCHOOL_HOLIDAY: gettext_lazy("School holiday"),
    rules.RULE_PUBLIC_HOLIDAY: gettext_lazy("Public holiday"),
}
ROW_ERROR_FIELD = re.compile(r"sessions\.(\d+)\.(\w+)")


# -- reading -------------------------------------------------------------------------------------


def _edition(request: HttpRequest, edition_id: int, *, with_related: bool = True) -> Edition:
    """The edition (with programme and room unless not needed): one query. 404 alike for a missing
    edition and for anyone but the programme office."""
    # The joins cost more to compile than the live check (which reads only the rules) can spare.
    editions = Edition.objects.select_related("programme", "room") if with_related else Edition.objects.all()
    try:
        edition = editions.get(pk=edition_id)
    except Edition.DoesNotExist:
        raise Http404("not found") from None
    if not permissions.can_plan_schedule(request.user, edition):
        raise Http404("not found")
    return edition


def _sessions(edition: Edition) -> list[Session]:
    """The edition's sessions by number: one query, read only by the responses that show them (a
    prefetch with the edition cost half as much again as the query itself)."""
    return list(Session.objects.filter(edition_id=edition.pk).order_by("number"))


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def _row_label(number: Any) -> str:
    return _("session %(number)s") % {"number": number} if number not in (None, "") else _("new session")


def _form_cells(form: forms.SessionRowForm, row_label: str) -> dict[str, SafeString]:
    return {name: cells.cell(form[name], row_label) for name in forms.ROW_FIELDS}


@dataclass
class Row:
    """A row of the schedule table: a label naming it, its valid date (if any) and that date's rule
    violations, and what writes its cells (its form, or its initial values for a row shown as it
    was handed to the page)."""

    label: str
    date: datetime.date | None
    violations_id: str
    write_cells: Callable[[str], dict[str, SafeString]] = field(repr=False)
    violations: list[dict[str, Any]] = field(default_factory=list)

    @cached_property
    def cells(self) -> dict[str, SafeString]:
        """Each field's cell (label, widget, errors), rendered once in Python: only the table needs them."""
        return self.write_cells(self.label)


def _rows(formset: forms.BaseSessionFormSet) -> list[Row]:
    """The formset's rows. Unbound rows (as stored, as the planner filled them in, with a row added
    or removed) are read from their initial values without building their forms: only posted rows
    can have errors, and building the forms was most of the table's cost."""
    if formset.is_bound:
        return [
            Row(_row_label(form["number"].value()), form.posted_date(), forms.violations_id(form), partial(_form_cells, form))
            for form in formset.forms
        ]
    rows, writer = [], forms.unbound_cells()
    for index, initial in enumerate(forms.initial_rows(formset)):
        prefix = formset.add_prefix(index)
        rows.append(
            Row(
                _row_label(initial.get("number")),
                _as_date(initial.get("date")),
                forms.prefixed_violations_id(prefix),
                partial(writer.cells, prefix, initial),
            )
        )
    return rows


def _check(edition: Edition, formset: forms.BaseSessionFormSet) -> dict[str, Any]:
    """The rows with the rule violations of their dates, a summary, and the validator's refusal (a date
    outside the period whose holidays are known) as a message."""
    rows = _rows(formset)
    dates = [row.date for row in rows]
    error = ""
    try:
        found = services.check_dates([d for d in dates if d], services.schedule_rules(edition), allow_unknown=False)
    except Invalid as exc:
        found, error = [], str(exc.detail)
    violations = [{"date": v.date, "rule": v.rule, "message": v.message, "label": RULE_LABELS.get(v.rule, v.rule)} for v in found]
    for row in rows:
        row.violations = [v for v in violations if row.date and v["date"] == row.date]
    return {
        "rows": rows,
        "violations": violations,
        "check_error": error,
        "undated": sum(1 for d in dates if d is None),
    }


def _default_mode(edition: Edition) -> str:
    return "on_site" if services.room_check(edition).allowed else "online"


def _new_row(edition: Edition, number: int, *, kind: str, mode: str) -> dict[str, Any]:
    return {
        "number": number,
        "kind": kind,
        "date": None,
        "start_time": edition.start_time,
        "end_time": edition.end_time,
        "delivery_mode": mode,
        "theme_nl": "",
        "theme_en": "",
    }


def _number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _with_planned_dates(rows: list[dict[str, Any]], dates: list[datetime.date]) -> list[dict[str, Any]]:
    """Give the rows the planned dates in the order of their numbers; nothing else changes."""
    order = sorted(range(len(rows)), key=lambda i: (_number(rows[i]["number"]) is None, _number(rows[i]["number"]) or 0, i))
    planned = [dict(row) for row in rows]
    for index, day in zip(order, dates, strict=True):
        planned[index]["date"] = day
    return planned


# -- rendering -----------------------------------------------------------------------------------


def _row_urls(edition: Edition) -> dict[str, str]:
    """The htmx addresses every row uses, reversed once rather than per row."""
    return {
        "check_url": reverse("schedule:check", kwargs={"edition_id": edition.pk}),
        "rows_url": reverse("schedule:rows", kwargs={"edition_id": edition.pk}),
    }


def _rows_context(edition: Edition, formset: forms.BaseSessionFormSet) -> dict[str, Any]:
    """The rows checked against the rules, the htmx addresses, and the table's body rows and the
    formset's management inputs (written only if the template shows them: it calls them)."""
    urls, checked = _row_urls(edition), _check(edition, formset)
    return {
        **urls,
        **checked,
        "rows_html": partial(cells.table_rows, checked["rows"], **urls),
        "management_html": formset.management_html,
    }


def _first_date(edition: Edition, sessions: list[Session]) -> datetime.date:
    return sessions[0].date if sessions else edition.start_date


def _page(
    request: HttpRequest,
    edition: Edition,
    sessions: list[Session],
    *,
    formset: forms.BaseSessionFormSet,
    plan_form: forms.PlanForm | None = None,
    accept_form: forms.AcceptForm | None = None,
    errors: list[str] | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    room = services.room_check(edition)
    coming_in_room = [s for s in sessions if s.date >= today and s.delivery_mode in services.MEETS_IN_ROOM]
    context = {
        "edition": edition,
        "plan_form": plan_form or forms.PlanForm(initial={"first_date": _first_date(edition, sessions)}),
        "formset": formset,
        "accept_form": accept_form or forms.AcceptForm(),
        "errors": errors or [],
        "notice": notice,
        "room": room,
        "coming_in_room": coming_in_room,
        "can_switch": not room.allowed and bool(coming_in_room),
        "weekdays": formatting.recurring_weekday(edition.weekday),
        **_rows_context(edition, formset),
    }
    return render(request, "scheduling/schedule.html", context, status=status)


def _fragment(
    request: HttpRequest,
    edition: Edition,
    formset: forms.BaseSessionFormSet,
    *,
    template: str,
    notice: str = "",
    plan_form: forms.PlanForm | None = None,
) -> HttpResponse:
    context = {
        "edition": edition,
        "formset": formset,
        "notice": notice,
        "plan_form": plan_form or forms.PlanForm(),
        "accept_form": forms.AcceptForm(),
        **_rows_context(edition, formset),
    }
    return render(request, template, context)


def _form_errors(exc: DomainError, formset: forms.BaseSessionFormSet) -> list[str]:
    """Put a service's field errors on the rows they concern; return the rest for the top of the form."""
    general = [str(exc.detail)]
    for error in exc.errors:
        message = str(error.get("message", ""))
        found = ROW_ERROR_FIELD.fullmatch(str(error.get("field", "")))
        if found and int(found[1]) < len(formset.forms) and found[2] in formset.forms[int(found[1])].fields:
            formset.forms[int(found[1])].add_error(found[2], message)
        elif message and message not in general:
            general.append(message)
    return general


# -- views ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def schedule_page(request: HttpRequest, edition_id: int) -> HttpResponse:
    """GET: the sessions as stored. POST: save them (services.replace_sessions), then redirect."""
    edition = _edition(request, edition_id)
    if request.method != "POST":
        sessions = _sessions(edition)
        return _page(request, edition, sessions, formset=forms.unbound_rows(forms.session_rows(sessions)))

    formset = forms.bound_rows(request.POST)
    accept_form = forms.AcceptForm(request.POST)
    accept_form.is_valid()
    if not formset.is_valid():
        errors = [_("Some sessions are not complete; see the marked fields.")] + [str(e) for e in formset.non_form_errors()]
        return _page(request, edition, _sessions(edition), formset=formset, accept_form=accept_form, errors=errors, status=422)
    try:
        result = services.replace_sessions(
            actor=request.user,
            edition_id=edition.pk,
            sessions=[form.to_input() for form in formset.forms],
            allow_violations=accept_form.cleaned_data.get("accept_violations", False),
        )
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except services.ScheduleViolations as exc:
        # The violations themselves are listed in the status summary and at their rows.
        errors = [str(exc.detail)]
        return _page(
            request, edition, _sessions(edition), formset=formset, accept_form=accept_form, errors=errors, status=exc.status
        )
    except DomainError as exc:
        errors = _form_errors(exc, formset)
        return _page(
            request, edition, _sessions(edition), formset=formset, accept_form=accept_form, errors=errors, status=exc.status
        )
    if result.violations:
        messages.success(request, _("The schedule has been saved; the accepted violations are recorded in the audit log."))
    else:
        messages.success(request, _("The schedule has been saved."))
    return redirect("schedule:page", edition_id=edition.pk)


@require_POST
def check_schedule(request: HttpRequest, edition_id: int) -> HttpResponse:
    """htmx: the rule violations of the dates in the form, before anything is saved."""
    edition = _edition(request, edition_id, with_related=False)
    formset = forms.bound_rows(request.POST)
    formset.is_valid()
    return _fragment(request, edition, formset, template="scheduling/_check_response.html")


@require_http_methods(["GET", "HEAD", "POST"])
def plan_schedule(request: HttpRequest, edition_id: int) -> HttpResponse:
    """The planner's earliest valid dates from a first date, filled into the rows; nothing is saved.
    htmx swaps the rows; without htmx the whole page is shown."""
    if request.method != "POST":
        return redirect("schedule:page", edition_id=edition_id)
    posted_rows = forms.has_rows(request.POST)
    edition = _edition(request, edition_id)
    # The stored sessions are planned when no rows are posted, and the whole page shows them.
    sessions = _sessions(edition) if not posted_rows or not request.htmx else []
    plan_form = forms.PlanForm(request.POST)
    rows = forms.bound_rows(request.POST).raw_rows() if posted_rows else forms.session_rows(sessions)
    notice = ""
    if plan_form.is_valid():
        first_date = plan_form.cleaned_data["first_date"]
        try:
            dates = rules.plan(first_date, len(rows) or services.DEFAULT_SESSION_COUNT, services.schedule_rules(edition))
        except rules.OutsideKnownYears as exc:
            plan_form.add_error("first_date", str(exc))
        else:
            if not rows:
                mode = _default_mode(edition)
                rows = [
                    _new_row(
                        edition, number, kind=SessionKind.CLOSING if number == len(dates) else SessionKind.CONTENT, mode=mode
                    )
                    for number in range(1, len(dates) + 1)
                ]
            rows = _with_planned_dates(rows, dates)
            notice = _(
                "The planner filled in the earliest valid dates from %(date)s. They are not saved yet: "
                "check them and choose Save schedule."
            ) % {"date": formatting.long_date(first_date, with_weekday=True)}
    formset = forms.unbound_rows(rows)
    if not request.htmx:
        return _page(
            request, edition, sessions, formset=formset, plan_form=plan_form, notice=notice, status=200 if notice else 422
        )
    if plan_form.errors:
        # Keep the rows as they are; show the message at the field and in the status line.
        response = _fragment(
            request,
            edition,
            formset,
            template="scheduling/_plan_error.html",
            plan_form=plan_form,
        )
        response["HX-Reswap"] = "none"
        return response
    return _fragment(request, edition, formset, template="scheduling/_rows_response.html", notice=notice, plan_form=plan_form)


@require_POST
def edit_rows(request: HttpRequest, edition_id: int) -> HttpResponse:
    """htmx: add an empty session row, or remove one (the session goes when the schedule is saved)."""
    edition = _edition(request, edition_id)
    rows = forms.bound_rows(request.POST).raw_rows()
    remove = _number(request.POST.get("remove"))
    if remove is not None and 0 <= remove < len(rows):
        removed = rows.pop(remove)
        notice = _("The row of session %(number)s was removed; the session is deleted when you save the schedule.") % {
            "number": removed["number"]
        }
    elif len(rows) >= forms.MAX_SESSIONS:
        notice = _("An edition has at most %(count)s sessions.") % {"count": forms.MAX_SESSIONS}
    else:
        numbers = [n for n in (_number(row["number"]) for row in rows) if n is not None]
        mode = rows[-1]["delivery_mode"] if rows else _default_mode(edition)
        number = max(numbers, default=0) + 1
        rows.append(_new_row(edition, number, kind=SessionKind.CONTENT, mode=mode))
        notice = _("A row for session %(number)s was added; fill in its date and theme.") % {"number": number}
    return _fragment(request, edition, forms.unbound_rows(rows), template="scheduling/_rows_response.html", notice=notice)


@require_POST
def switch_online(request: HttpRequest, edition_id: int) -> HttpResponse:
    """Move the coming sessions that meet in the room online; the service tells the people involved."""
    # No read of the edition first: the service reads (and locks) it and answers NotFound for a
    # missing one. Its own permission (managing editions, which is what can_plan_schedule asks
    # today) is checked here so that anyone else gets the 404 the schedule page gives them.
    if not permissions.can_manage_editions(request.user):
        raise Http404("not found")
    try:
        services.switch_to_online(actor=request.user, edition_id=edition_id)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("The coming sessions now take place online. Participants and teachers are told by e-mail."))
    return redirect("schedule:page", edition_id=edition_id)
