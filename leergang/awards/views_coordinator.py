"""The diplomas page of an edition (M18, M19), for the programme office: every enrolled participant
with the sessions attended, the paper, the presentation, the standing (with the early warning) and
the issued award; issuing all at once, one at a time, and revoking with a reason.

Everyone but the programme office gets a 404, alike for an edition that does not exist. Thin:
parse, call one service, redirect back with a message (POST-redirect-GET); a refusal of the service
(not final yet, criteria not met, already issued, no reason given) is shown on the page in the
reader's language with its status, never a 500.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.context_processors import csrf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from leergang.accounts import permissions
from leergang.catalog.models import Edition, SessionKind
from leergang.core.errors import DomainError, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment

from . import edition_rows, rules, selectors, services
from .models import Award, AwardKind

SUMMARY_KEY = "awards-issued-%s"


def _edition(request: HttpRequest, edition_id: int) -> Edition:
    edition = selectors.edition_with_programme(edition_id)
    if edition is None or not permissions.is_coordinator(request.user):
        raise Http404("not found")
    return edition


def _name(person: Any) -> str:
    return person.get_full_name() or person.email


@dataclass(frozen=True)
class Closing:
    date: datetime.date


def _closing(sessions: list[selectors.SessionRow]) -> Closing | None:
    """The closing session as `learning.selectors.closing_session` picks it (the last by date, then
    by number), from the sessions in number order."""
    closings = [(day, index) for index, (_pk, kind, day) in enumerate(sessions) if kind == SessionKind.CLOSING]
    return Closing(max(closings)[0]) if closings else None


def _issue_url(edition: Edition) -> str:
    """The issue form's address with `{}` for the enrolment: one reverse for all rows."""
    url = reverse("awards:issue", kwargs={"edition_id": edition.pk, "enrolment_id": 0})
    return url.removesuffix("/0/") + "/{}/"


def _row(standing: selectors.Standing, final: bool, issue_url: str) -> dict[str, Any]:
    """A participant's row: the standing and which issue button the rule allows now. The diploma
    only once the outcome is final; a certificate of participation may be issued earlier."""
    free = standing.award is None and not standing.cancelled
    outcome = standing.outcome
    can_diploma = free and final and services.refusal(AwardKind.DIPLOMA, standing.enrolment, outcome) is None
    return {
        "standing": standing,
        "participant": standing.enrolment.participant,
        "issue_url": issue_url.format(standing.enrolment.pk),
        "can_diploma": can_diploma,
        # Offered instead of the diploma, not next to it: who qualifies for the diploma gets that.
        "can_certificate": free
        and not can_diploma
        and services.refusal(AwardKind.CERTIFICATE, standing.enrolment, outcome) is None,
    }


def _render(
    request: HttpRequest,
    edition: Edition,
    *,
    error: str = "",
    revoke_error: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    sessions = selectors.edition_sessions(edition)  # read once: for the standings and the closing session
    standings = selectors.edition_standings(edition, sessions=sessions)
    closing = _closing(sessions)
    final = closing is not None and closing.date <= timezone.localdate()
    issue_url = _issue_url(edition)
    rows = [_row(standing, final, issue_url) for standing in standings]
    counts = {
        "diploma": sum(1 for s in standings if s.outcome.award == rules.DIPLOMA),
        "certificate": sum(1 for s in standings if s.outcome.award == rules.CERTIFICATE),
        "none": sum(1 for s in standings if s.outcome.award == rules.NONE),
        "out_of_reach": sum(1 for s in standings if s.out_of_reach),
        "issued": sum(1 for s in standings if s.award is not None),
    }
    # The page's one CSRF token, as the context processor gives it (read when first written), shared by
    # the rows written in Python and the template's own form.
    csrf_token = csrf(request)["csrf_token"]
    revoke_url = reverse("awards:revoke", kwargs={"edition_id": edition.pk})
    context = {
        "csrf_token": csrf_token,
        "edition": edition,
        "programme": edition.programme,
        "closing": closing,
        "final": final,
        "rows": rows,
        "rows_html": edition_rows.table_rows(
            rows, csrf_token=csrf_token, revoke_url=revoke_url, reason_max=services.REASON_MAX, revoke_error=revoke_error
        ),
        "counts": counts,
        "to_issue": sum(1 for s in standings if s.award is None and s.outcome.award != rules.NONE),
        "summary": request.session.pop(SUMMARY_KEY % edition.pk, None) if request.method == "GET" else None,
        "error": error,
    }
    return render(request, "awards/edition.html", context, status=status)


def _back(edition_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("awards:edition", kwargs={"edition_id": edition_id}))


@require_safe
def edition_page(request: HttpRequest, edition_id: int) -> HttpResponse:
    return _render(request, _edition(request, edition_id))


@require_POST
def issue_all(request: HttpRequest, edition_id: int) -> HttpResponse:
    """Issue what the rule says to everyone without a valid award (once the outcome is final)."""
    # The service reads the edition (locked) and refuses a missing one; it is read here only to show
    # the page again with a refusal. Who is not of the programme office never reaches the service.
    if not permissions.is_coordinator(request.user):
        raise Http404("not found")
    try:
        results = services.issue_for_edition(actor=request.user, edition_id=edition_id)
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        return _render(request, _edition(request, edition_id), error=str(exc.detail), status=exc.status)
    issued = [r for r in results if r.award is not None]
    diplomas = sum(1 for r in issued if r.award.kind == AwardKind.DIPLOMA)
    certificates = len(issued) - diplomas
    request.session[SUMMARY_KEY % edition_id] = {
        "issued": [{"name": _name(r.enrolment.participant), "kind": r.award.kind, "code": r.award.code} for r in issued],
        "skipped": [{"name": _name(r.enrolment.participant), "reason": str(r.reason)} for r in results if r.award is None],
    }
    if issued:
        messages.success(
            request,
            _("Diplomas issued: %(diplomas)s. Certificates of participation issued: %(certificates)s.")
            % {"diplomas": diplomas, "certificates": certificates},
        )
    else:
        messages.info(request, _("Nothing was issued: see the reasons below."))
    return _back(edition_id)


@require_POST
def issue_one(request: HttpRequest, edition_id: int, enrolment_id: int) -> HttpResponse:
    """Issue a diploma or a certificate of participation to one participant of the edition."""
    # The place must be of this edition (which then exists); the edition itself is read only to show
    # the page again with a refusal.
    if (
        not permissions.is_coordinator(request.user)
        or not Enrolment.objects.filter(pk=enrolment_id, edition_id=edition_id).exists()
    ):
        raise Http404("not found")
    try:
        award = services.issue_award(actor=request.user, enrolment_id=enrolment_id, kind=request.POST.get("kind", ""))
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        return _render(request, _edition(request, edition_id), error=str(exc.detail), status=exc.status)
    name = _name(award.enrolment.participant)  # loaded with the award's enrolment by the service
    if award.kind == AwardKind.DIPLOMA:
        text = _("Diploma issued to %(name)s (code %(code)s).")
    else:
        text = _("Certificate of participation issued to %(name)s (code %(code)s).")
    messages.success(request, text % {"name": name, "code": award.code})
    return _back(award.enrolment.edition_id)


@require_POST
def revoke(request: HttpRequest, edition_id: int) -> HttpResponse:
    """Revoke an award of the edition, with the reason the verification page shows."""
    edition = _edition(request, edition_id)
    code = request.POST.get("code", "")
    award = Award.objects.select_related("enrolment__participant").filter(code=code, enrolment__edition_id=edition.pk).first()
    if award is None:
        raise Http404("not found")
    try:
        services.revoke_award(actor=request.user, code=award.code, reason=request.POST.get("reason", ""))
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        message = next((str(e["message"]) for e in exc.errors if e.get("field") == "reason"), "")
        if message:
            return _render(request, edition, revoke_error={"code": award.code, "message": message}, status=exc.status)
        return _render(request, edition, error=str(exc.detail), status=exc.status)
    if award.kind == AwardKind.DIPLOMA:
        text = _("The diploma of %(name)s (code %(code)s) has been revoked.")
    else:
        text = _("The certificate of participation of %(name)s (code %(code)s) has been revoked.")
    messages.success(request, text % {"name": _name(award.enrolment.participant), "code": award.code})
    return _back(edition.pk)
