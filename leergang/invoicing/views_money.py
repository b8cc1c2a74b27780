"""The money overview of an edition (M7), under /<language>/coordinatie/edities/<id>/geld/.

What was invoiced, credited, paid and refunded, what debtors still owe and what is owed back to them,
as totals and per enrolment with each document. Only the programme office may see it; for everybody
else, and for an unknown edition, the page does not exist (404).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from leergang.accounts import permissions
from leergang.core.errors import NotFound

from . import overview


@require_safe
def edition_money(request: HttpRequest, edition_id: int) -> HttpResponse:
    if not permissions.is_coordinator(request.user):  # as views._require_office
        raise Http404("not found")
    try:
        money = overview.edition_money(edition_id)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    return render(request, "invoicing/edition_money.html", {"money": money, "edition": money.edition})
