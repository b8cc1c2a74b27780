"""The finance export page (M7), under /<language>/coordinatie/facturen/export/.

A form with a period (`?from=YYYY-MM-DD&to=YYYY-MM-DD`, the previous calendar month when left out)
shows how many invoices and credit notes were issued in it and their totals, with a button that
downloads them as CSV: the same file as `GET /api/v1/finance/documents.csv`. Bad dates are form
errors on the page (422). Only the programme office may see it; for everybody else it does not
exist (404), as the other invoice pages.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from leergang.accounts import permissions
from leergang.core.errors import Invalid
from leergang.enrolment.inbox_forms import DomainErrorsMixin

from . import finance_export

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Enter a date."),
            "invalid": gettext_lazy("Enter a date, for example 2027-02-03."),
        },
    )


class PeriodForm(DomainErrorsMixin, forms.Form):
    """The period; its fields are named `from` and `to`, as the query parameters of the API."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = _date_field(gettext_lazy("From"))
        self.fields["to"] = _date_field(gettext_lazy("To (included)"))


def previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def _require_office(request: HttpRequest) -> None:
    if not permissions.is_coordinator(request.user):
        raise Http404("not found")


def _period(request: HttpRequest) -> tuple[PeriodForm, tuple[datetime.date, datetime.date] | None]:
    """The form and the period, or None for the period when the dates are not valid."""
    if "from" not in request.GET and "to" not in request.GET:
        start, end = previous_month(timezone.localdate())
        form = PeriodForm({"from": start.isoformat(), "to": end.isoformat()})
    else:
        form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        return form, finance_export.check_period(form.cleaned_data["from"], form.cleaned_data["to"])
    except Invalid as exc:
        form.add_domain_error(exc)
        return form, None


def _page(request: HttpRequest, form: PeriodForm, period: tuple[datetime.date, datetime.date] | None) -> HttpResponse:
    """The form and, for a valid period, its summary (counts and totals: the page lists no rows)."""
    context: dict[str, Any] = {"form": form, "summary": None, "max_days": finance_export.MAX_PERIOD_DAYS}
    if period is not None:
        start, end = period
        context.update(start=start, end=end, summary=finance_export.period_summary(start, end))
    return render(request, "invoicing/finance_export.html", context, status=200 if period is not None else 422)


@require_safe
def export_page(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    form, period = _period(request)
    return _page(request, form, period)


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """The CSV download; with bad dates, the page with the form's errors instead."""
    _require_office(request)
    form, period = _period(request)
    if period is None:
        return _page(request, form, period)
    start, end = period
    rows = finance_export.documents_for_period(start, end)
    response = HttpResponse(finance_export.export_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{finance_export.filename(start, end)}"'
    return response
