"""The meal headcount page: per session of an edition how many meals (enrolled participants minus
those excused) and the dietary requirements of those coming. For the programme office and the
edition's teachers; everyone else gets a 404, alike for an edition that does not exist. A fixed
number of queries, however many participants.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from leergang.catalog.models import Edition

from . import meals
from . import permissions as learning_permissions


@require_safe
def edition_page(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = Edition.objects.select_related("programme").filter(pk=edition_id).first()
    if edition is None or not learning_permissions.can_see_meals(request.user, edition):
        raise Http404("not found")
    rows = meals.edition_headcount(edition)
    context = {
        "edition": edition,
        "programme": edition.programme,
        "rows": rows,
        "enrolled": rows[0].enrolled if rows else None,
    }
    return render(request, "learning/meals.html", context)
