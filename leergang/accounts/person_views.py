"""The programme office's page of one person (R8, M23), under /<language>/coordinatie/personen/<id>/:
who they are, their applications and places with links to each, and the audit history of everything
about them or done by them (who, when, before and after). Only the programme office sees it; for
everybody else the page does not exist (404), as the other office pages.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from leergang.core import audit_labels, audit_trail
from leergang.enrolment.models import Application, Enrolment

from . import permissions
from .models import User

HISTORY_LIMIT = 500


@require_safe
def person_page(request: HttpRequest, user_id: int) -> HttpResponse:
    if not permissions.is_coordinator(request.user):
        raise Http404("not found")
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise Http404("There is no person with this number.")
    entries = audit_trail.entries_for(person, limit=HISTORY_LIMIT)
    history = [
        {
            "entry": entry,
            "label": audit_labels.label(entry.action),
            "by_person": entry.actor_id == person.pk,
            "changes": audit_trail.changes(entry),
        }
        for entry in entries
    ]
    context = {
        "person": person,
        "applications": Application.objects.filter(email__iexact=person.email).select_related("edition__programme"),
        "enrolments": Enrolment.objects.filter(participant=person).select_related("edition__programme", "application"),
        "history": history,
        "truncated": len(entries) >= HISTORY_LIMIT,
    }
    return render(request, "accounts/person.html", context)
