"""The presentations page (M15): the order in which participants present at the closing session,
changed by the programme office a place at a time, and from the closing session's date on who
presented. For the edition's teachers and the programme office; everyone else gets a 404, alike
for an edition that does not exist. With htmx only the list is swapped; without JavaScript the
forms post and come back to the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from leergang.accounts import permissions
from leergang.catalog.models import Edition
from leergang.core import formatting
from leergang.core.errors import DomainError, NotFound, PermissionDenied

from . import permissions as learning_permissions
from . import presentations, selectors
from .models import PresentationSlot

PRESENTED = {"yes": True, "no": False}


def _edition(request: HttpRequest, edition_id: int) -> Edition:
    edition = Edition.objects.select_related("programme").filter(pk=edition_id).first()
    if edition is None or not learning_permissions.can_manage_presentations(request.user, edition):
        raise Http404("not found")
    return edition


def _fragment_wanted(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _posted_id(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404("not found") from None


def _name(slot: PresentationSlot) -> str:
    participant = slot.enrolment.participant
    return participant.get_full_name() or participant.email


def _respond(
    request: HttpRequest,
    edition: Edition,
    slots: list[PresentationSlot],
    *,
    announcement: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The list alone for htmx (always 200, so htmx swaps it, errors inside); else the whole page."""
    closing = selectors.closing_session(edition.pk)
    fragment = _fragment_wanted(request)
    context: dict[str, Any] = {
        "edition": edition,
        "programme": edition.programme,
        "slots": slots,
        "closing": closing,
        "recording_open": presentations.recording_open(closing.date if closing else None),
        "can_reorder": permissions.is_coordinator(request.user),
        "announcement": announcement,
        "error": error,
        "fragment": fragment,
    }
    if fragment:
        response = render(request, "learning/presentation_list.html", context)
    else:
        response = render(request, "learning/presentation_edition.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _done(request: HttpRequest, edition: Edition, slots: list[PresentationSlot], announcement: str) -> HttpResponse:
    if _fragment_wanted(request):
        return _respond(request, edition, slots, announcement=announcement)
    messages.success(request, announcement)
    return HttpResponseRedirect(reverse("presentations:edition", kwargs={"edition_id": edition.pk}) + "#presentation-list")


@require_safe
def edition_page(request: HttpRequest, edition_id: int) -> HttpResponse:
    try:
        edition, slots = presentations.edition_slots(actor=request.user, edition_id=edition_id)
    except (NotFound, PermissionDenied) as exc:  # alike for a missing edition and one not theirs
        raise Http404("not found") from exc
    return _respond(request, edition, slots)


@require_POST
def move(request: HttpRequest, edition_id: int) -> HttpResponse:
    """One participant a place up or down (the programme office)."""
    edition = _edition(request, edition_id)
    if not permissions.is_coordinator(request.user):
        raise Http404("not found")
    enrolment_id = _posted_id(request, "enrolment")
    try:
        slots = presentations.move_slot(
            actor=request.user, edition_id=edition.pk, enrolment_id=enrolment_id, direction=request.POST.get("direction", "")
        )
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        slots = presentations.ensure_slots(actor=request.user, edition_id=edition.pk)
        return _respond(request, edition, slots, error=str(exc.detail), status=exc.status)
    slot = next(slot for slot in slots if slot.enrolment_id == enrolment_id)
    announcement = _("%(name)s now presents as number %(position)s.") % {"name": _name(slot), "position": slot.position}
    return _done(request, edition, slots, announcement)


@require_POST
def record(request: HttpRequest, edition_id: int) -> HttpResponse:
    """Whether a participant presented, from the closing session's date on (the page offers it no
    earlier, for yes and no alike)."""
    edition = _edition(request, edition_id)
    enrolment_id = _posted_id(request, "enrolment")
    slots = presentations.ensure_slots(actor=request.user, edition_id=edition.pk)
    if not any(slot.enrolment_id == enrolment_id for slot in slots):
        raise Http404("not found")
    closing = selectors.closing_session(edition.pk)
    if not presentations.recording_open(closing.date if closing else None):
        if closing is None:
            error = _("The closing session has not been planned yet; who presented can be recorded from its date on.")
        else:
            error = _("Who presented can be recorded from the day of the closing session, %(date)s.") % {
                "date": formatting.long_date(closing.date, with_weekday=True)
            }
        return _respond(request, edition, slots, error=error, status=409)
    presented = PRESENTED.get(request.POST.get("presented", ""))
    if presented is None:
        return _respond(request, edition, slots, error=_("Choose whether the participant presented."), status=422)
    try:
        presentations.record_presentation(actor=request.user, enrolment_id=enrolment_id, presented=presented)
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        return _respond(request, edition, slots, error=str(exc.detail), status=exc.status)
    slots = presentations.ensure_slots(actor=request.user, edition_id=edition.pk)
    slot = next(slot for slot in slots if slot.enrolment_id == enrolment_id)
    if presented:
        announcement = _("Recorded: %(name)s presented.") % {"name": _name(slot)}
    else:
        announcement = _("Recorded: %(name)s did not present.") % {"name": _name(slot)}
    return _done(request, edition, slots, announcement)
