"""The session page (M11) and the edition's learning overview.

The session page shows what a participant needs before and at a session: date, time and place or
online link, theme, parts with their teachers, the learning goals it serves and its literature with
the preparation time. The edition's teachers and the programme office also add and remove the
literature here. Everyone who may not read a session's literature gets a 404, alike for a session
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leergang.catalog.models import Edition, Session, SessionKind
from leergang.core.errors import DomainError, NotFound
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import groups, literature
from . import permissions as learning_permissions
from .forms_literature import LiteratureForm
from .models import LiteratureItem


@dataclass(frozen=True)
class Access:
    """Who looks at an edition's learning pages: staff (its teachers and the programme office), or
    a participant with their active enrolment."""

    staff: bool
    enrolment: Enrolment | None


def _access(request: HttpRequest, edition: Edition) -> Access:
    """As can_view_literature, deciding once what the page also shows (at most two queries for a
    teacher, one for a participant); 404 for everyone else."""
    staff = learning_permissions.is_staff_of(request.user, edition)
    enrolment = None if staff else learning_permissions.enrolment_of(request.user, edition.pk)
    if not staff and enrolment is None:
        raise Http404("not found")
    return Access(staff, enrolment)


def _session(request: HttpRequest, session_id: int) -> tuple[Session, list[Session], Access]:
    """The session with its edition, and every session of the edition (for the previous and next
    links) in number order, in one query."""
    edition_of = Session.objects.filter(pk=session_id).values("edition_id")[:1]
    siblings = list(
        Session.objects.filter(edition_id=Subquery(edition_of))
        .select_related("edition__programme", "edition__room__location")
        .order_by("number")
    )
    session = next((other for other in siblings if other.pk == session_id), None)
    if session is None:
        raise Http404("not found")
    return session, siblings, _access(request, session.edition)


def _edition(request: HttpRequest, edition_id: int) -> tuple[Edition, Access]:
    participants = (
        Enrolment.objects.filter(edition_id=OuterRef("pk"), status=EnrolmentStatus.ENROLLED)
        .order_by()
        .values("edition_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    edition = (
        Edition.objects.select_related("programme", "room__location")
        .annotate(participants=Coalesce(Subquery(participants), 0))
        .filter(pk=edition_id)
        .first()
    )
    if edition is None:
        raise Http404("not found")
    return edition, _access(request, edition)


def _session_context(
    session: Session, siblings: list[Session], access: Access, form: LiteratureForm | None = None
) -> dict[str, Any]:
    edition = session.edition
    staff, enrolment = access.staff, access.enrolment
    items = list(LiteratureItem.objects.filter(session=session).order_by("order", "id"))
    position = next(index for index, other in enumerate(siblings) if other.pk == session.pk)
    group_names: list[str] = []
    if enrolment is not None:
        group = groups.group_of(groups.groupings(edition.pk), session.number, enrolment.pk)
        if group is not None:
            group_names = [
                f"{first} {last}".strip()
                for first, last in edition.enrolments.filter(pk__in=set(group.enrolment_ids) - {enrolment.pk})
                .order_by("participant__last_name", "participant__first_name")
                .values_list("participant__first_name", "participant__last_name")
            ]
    return {
        "session": session,
        "edition": edition,
        "programme": edition.programme,
        "parts": list(session.parts.select_related("teacher").order_by("order", "id")),
        "goals": list(session.goals.order_by("order", "id")),
        "literature": items,
        "preparation_minutes": sum(item.preparation_minutes for item in items),
        "previous": siblings[position - 1] if position > 0 else None,
        "next": siblings[position + 1] if position + 1 < len(siblings) else None,
        "is_closing": session.kind == SessionKind.CLOSING,
        "can_change": staff,
        "enrolment": enrolment,
        "group_names": group_names,
        "held_today": session.date == timezone.localdate(),  # participants check in on the day (M17)
        "form": form if form is not None else (LiteratureForm() if staff else None),
    }


def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    session, siblings, access = _session(request, session_id)
    return render(request, "learning/session.html", _session_context(session, siblings, access))


def _to_session(session_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("learning_sessions:session", kwargs={"session_id": session_id}) + "#literature")


@require_POST
def add_literature(request: HttpRequest, session_id: int) -> HttpResponse:
    session, siblings, access = _session(request, session_id)
    if not access.staff:  # can_change_literature
        raise Http404("not found")
    form = LiteratureForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "learning/session.html", _session_context(session, siblings, access, form), status=422)
    try:
        item = literature.add_literature(
            actor=request.user,
            session_id=session.pk,
            title=form.cleaned_data["title"],
            url=form.cleaned_data["url"] or None,
            uploaded_file=form.cleaned_data["file"] or None,
            preparation_minutes=form.cleaned_data["preparation_minutes"],
        )
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, "learning/session.html", _session_context(session, siblings, access, form), status=exc.status)
    messages.success(request, _("“%(title)s” was added. The participants are told by e-mail.") % {"title": item.title})
    return _to_session(session.pk)


@require_POST
def remove_literature(request: HttpRequest, session_id: int, item_id: int) -> HttpResponse:
    session, _siblings, access = _session(request, session_id)
    item = LiteratureItem.objects.filter(pk=item_id, session=session).first()
    if item is None or not access.staff:  # can_change_literature
        raise Http404("not found")
    try:
        literature.remove_literature(actor=request.user, item_id=item.pk)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return _to_session(session.pk)
    messages.success(request, _("“%(title)s” was removed.") % {"title": item.title})
    return _to_session(session.pk)


def edition_page(request: HttpRequest, edition_id: int) -> HttpResponse:
    """The edition's learning overview: its sessions with their literature, and the edition's pages."""
    edition, access = _edition(request, edition_id)
    staff = access.staff
    sessions = list(edition.sessions.order_by("number"))
    counts: dict[int, tuple[int, int]] = {}
    for session_id, minutes in LiteratureItem.objects.filter(session__edition=edition).values_list(
        "session_id", "preparation_minutes"
    ):
        items, total = counts.get(session_id, (0, 0))
        counts[session_id] = (items + 1, total + minutes)
    rows = [{"session": s, "items": counts.get(s.pk, (0, 0))[0], "minutes": counts.get(s.pk, (0, 0))[1]} for s in sessions]
    context = {
        "edition": edition,
        "programme": edition.programme,
        "rows": rows,
        "staff": staff,
        "enrolment": access.enrolment,
        "participants": edition.participants if staff else None,
        "today": timezone.localdate(),  # participants check in on the day (M17)
    }
    return render(request, "learning/edition.html", context)
