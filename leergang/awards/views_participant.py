"""The participant's award page (M18, M19): per enrolment where they stand toward the diploma,
every criterion in plain words, what is still missing, the early warning, and once issued the
documents to download and the link an employer can check. Only the logged-in person's own
enrolments; reads only."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@require_safe
def standing_page(request: HttpRequest) -> HttpResponse:
    context = {
        "standings": selectors.participant_standings(request.user),
        # The link to share is the public address, as printed on the document and in its QR code.
        "base_url": settings.PUBLIC_BASE_URL.rstrip("/"),
    }
    return render(request, "awards/standing.html", context)
