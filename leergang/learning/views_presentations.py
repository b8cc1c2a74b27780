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
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from leergang.accounts import permissions
from leergang.catalog.models import Edition
from leergang.core import formatting
from leergang.core.errors import DomainError, NotFound, PermissionDenied
from leergang.core.widget_rendering import _escape

from . import presentations, selectors
from .models import PresentationSlot

PRESENTED = {"yes": True, "no": False}
RECORDED_FIELDS = ("presented", "recorded_at", "recorded_by_id", "updated_at")
UNREAD = object()  # `_respond` reads the closing session itself


def _edition_slots(request: HttpRequest, edition_id: int) -> tuple[Edition, list[PresentationSlot]]:
    """The edition (with its programme) and its slots in order, for those who run it; a 404 alike
    for a missing edition and one not theirs. The service checks who may: once per request."""
    try:
        return presentations.edition_slots(actor=request.user, edition_id=edition_id)
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc


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


def slots_html(slots: list[PresentationSlot], edition_pk: int, can_reorder: bool, recording_open: bool, csrf: str) -> SafeString:
    """The table's rows, written out as the loop in learning/presentation_list.html wrote them (an
    include-like `with` per participant cost most of the page; tests/learning/
    test_perf_presentations_markup.py compares them with the former template)."""
    move_url = reverse("presentations:move", kwargs={"edition_id": edition_pk}) if can_reorder else ""
    record_url = reverse("presentations:record", kwargs={"edition_id": edition_pk}) if recording_open else ""
    presented_label = _escape(_("Presented"))
    parts = []
    last = len(slots) - 1
    for index, slot in enumerate(slots):
        participant = slot.enrolment.participant
        name = _escape(participant.get_full_name() or participant.email)
        hidden_name = f'<span class="visually-hidden">: {name}</span>'
        pk = _escape(slot.enrolment_id)
        if slot.presented is None:
            data, shown = "unknown", f'<span class="subtle">{_escape(_("Not recorded"))}</span>'
        elif slot.presented:
            data, shown = "yes", f'<span class="presented-yes">{presented_label}</span>'
        else:
            data, shown = "no", f'<span class="presented-no">{_escape(_("Did not present"))}</span>'
        parts.append(
            f'\n      <tr id="slot-{pk}" data-presented="{data}">\n'
            f'        <td class="slot-position">{_escape(slot.position)}</td>\n'
            f'        <th scope="row">{name}</th>\n'
            f'        <td><span class="stack-label" aria-hidden="true">{presented_label}</span>{shown}</td>\n'
        )
        parts.append("        ")
        if can_reorder:
            up = (
                f'<button type="submit" name="direction" value="up" id="move-up-{pk}" class="button button-secondary slot-button">'
                f'<span aria-hidden="true">↑ </span>{_escape(_("Up"))}{hidden_name}</button>'
                if index
                else ""
            )
            down = (
                f'<button type="submit" name="direction" value="down" id="move-down-{pk}" class="button button-secondary slot-button">'
                f'<span aria-hidden="true">↓ </span>{_escape(_("Down"))}{hidden_name}</button>'
                if index != last
                else ""
            )
            parts.append(
                "<td>\n"
                f'          <form method="post" action="{move_url}" hx-post="{move_url}" hx-target="#presentation-list" '
                'hx-swap="outerHTML" class="slot-actions">\n'
                f'            {csrf}<input type="hidden" name="enrolment" value="{pk}">\n'
                f"            {up}\n"
                f"            {down}\n"
                "          </form>\n"
                "        </td>"
            )
        parts.append("\n        ")
        if recording_open:
            parts.append(
                "<td>\n"
                f'          <form method="post" action="{record_url}" hx-post="{record_url}" hx-target="#presentation-list" '
                'hx-swap="outerHTML" class="slot-actions">\n'
                f'            {csrf}<input type="hidden" name="enrolment" value="{pk}">\n'
                f'            <button type="submit" name="presented" value="yes" id="presented-yes-{pk}" '
                f'class="button button-secondary slot-button">{presented_label}{hidden_name}</button>\n'
                f'            <button type="submit" name="presented" value="no" id="presented-no-{pk}" '
                f'class="button button-secondary slot-button">{_escape(_("Did not present"))}{hidden_name}</button>\n'
                "          </form>\n"
                "        </td>"
            )
        parts.append("\n      </tr>\n      ")
    # Every value above escaped; the markup is ours.
    return mark_safe("".join(parts))  # noqa: S308


def _respond(
    request: HttpRequest,
    edition: Edition,
    slots: list[PresentationSlot],
    *,
    announcement: str = "",
    error: str = "",
    status: int = 200,
    closing: Any = UNREAD,
) -> HttpResponse:
    """The list alone for htmx (always 200, so htmx swaps it, errors inside); else the whole page.
    `closing`, the closing session when the caller has read it already."""
    if closing is UNREAD:
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
    context["slots_html"] = slots_html(slots, edition.pk, context["can_reorder"], context["recording_open"], csrf_input(request))
    if fragment:
        response = render(request, "learning/presentation_list.html", context)
    else:
        response = render(request, "learning/presentation_edition.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _done(request: HttpRequest, edition_id: int, slots: list[PresentationSlot], announcement: str, **page: Any) -> HttpResponse:
    """After a change: the list for htmx, else back to the page with the announcement. `page`, the
    edition (and closing session) when the caller has them: the redirect needs the number alone."""
    if _fragment_wanted(request):
        edition = page.pop("edition", None)
        if edition is None:  # the service checked who may; the list needs the edition's page data
            edition = Edition.objects.select_related("programme").filter(pk=edition_id).order_by().first()
            if edition is None:
                raise Http404("not found")
        return _respond(request, edition, slots, announcement=announcement, **page)
    messages.success(request, announcement)
    return HttpResponseRedirect(reverse("presentations:edition", kwargs={"edition_id": edition_id}) + "#presentation-list")


@require_safe
def edition_page(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition, slots = _edition_slots(request, edition_id)
    return _respond(request, edition, slots)


@require_POST
def move(request: HttpRequest, edition_id: int) -> HttpResponse:
    """One participant a place up or down (the programme office). The service finds and locks the
    edition; the view reads it only for a page to show."""
    if not permissions.is_coordinator(request.user):
        raise Http404("not found")
    enrolment_id = _posted_id(request, "enrolment")
    try:
        slots = presentations.move_slot(
            actor=request.user, edition_id=edition_id, enrolment_id=enrolment_id, direction=request.POST.get("direction", "")
        )
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        edition, slots = _edition_slots(request, edition_id)
        return _respond(request, edition, slots, error=str(exc.detail), status=exc.status)
    slot = next(slot for slot in slots if slot.enrolment_id == enrolment_id)
    announcement = _("%(name)s now presents as number %(position)s.") % {"name": _name(slot), "position": slot.position}
    return _done(request, edition_id, slots, announcement)


@require_POST
def record(request: HttpRequest, edition_id: int) -> HttpResponse:
    """Whether a participant presented, from the closing session's date on (the page offers it no
    earlier, for yes and no alike)."""
    edition, slots = _edition_slots(request, edition_id)
    enrolment_id = _posted_id(request, "enrolment")
    slot = next((slot for slot in slots if slot.enrolment_id == enrolment_id), None)
    if slot is None:
        raise Http404("not found")
    closing = selectors.closing_session(edition.pk)
    if not presentations.recording_open(closing.date if closing else None):
        if closing is None:
            error = _("The closing session has not been planned yet; who presented can be recorded from its date on.")
        else:
            error = _("Who presented can be recorded from the day of the closing session, %(date)s.") % {
                "date": formatting.long_date(closing.date, with_weekday=True)
            }
        return _respond(request, edition, slots, error=error, status=409, closing=closing)
    presented = PRESENTED.get(request.POST.get("presented", ""))
    if presented is None:
        return _respond(
            request, edition, slots, error=_("Choose whether the participant presented."), status=422, closing=closing
        )
    try:
        recorded = presentations.record_presentation(actor=request.user, enrolment_id=enrolment_id, presented=presented)
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        return _respond(request, edition, slots, error=str(exc.detail), status=exc.status, closing=closing)
    # Recording leaves the order as it was: the slot in hand takes what was recorded, and the list
    # is not read again.
    for name in RECORDED_FIELDS:
        setattr(slot, name, getattr(recorded, name))
    if presented:
        announcement = _("Recorded: %(name)s presented.") % {"name": _name(slot)}
    else:
        announcement = _("Recorded: %(name)s did not present.") % {"name": _name(slot)}
    return _done(request, edition.pk, slots, announcement, edition=edition, closing=closing)
