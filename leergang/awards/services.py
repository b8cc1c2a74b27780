"""Issuing and revoking diplomas and certificates of participation (M19). Atomic, actor explicit,
audited (R8); the programme office only.

Issuing freezes what the documents say (snapshot.py), gives the award a random verification code
and a place in the revocation status list, typesets the PDF, signs the Open Badges credential and
queues an e-mail to the holder with the PDF: all in one transaction, so an award exists exactly
with its documents and its e-mail. A diploma needs every criterion of the programme's rule met; a
certificate of participation needs an active enrolment and at least one content session attended.
One valid award per enrolment: to replace one, revoke it first. Revoking keeps the award (the
register of issued diplomas) with who, when and why; the verification page says so at once.

Who may do what: the programme office issues and revokes. A teacher or participant who can see the
enrolment gets PermissionDenied; anyone else NotFound, alike for what does not exist.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.catalog.models import Edition
from leergang.core import audit, sql_rows
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.notifications import services as outbox
from leergang.notifications.models import OutboxEmail

from . import codes, credentials, keys, pdf, rules, selectors
from .models import Award, AwardKind, SigningKey
from .snapshot import EditionDocument

ISSUE_FIELDS = ["enrolment", "kind", "code", "language", "issued_at", "issued_by", "status_index"]
REVOKE_FIELDS = ["revoked_at", "revoked_by", "revoked_reason"]
REASON_MAX = 500
# A clash of status-list index (or, in theory, of code) with an award written at the same moment
# is settled by the unique constraints; the award is then made again with fresh ones.
ATTEMPTS = 5
EMAIL_TEMPLATE = "award_issued"
REVOKED_TEMPLATE = "award_revoked"

ENROLMENT_NOT_FOUND = _("There is no enrolment with this number.")
EDITION_NOT_FOUND = _("There is no edition with this number.")
AWARD_NOT_FOUND = _("There is no diploma or certificate with this code.")
ONLY_OFFICE_ISSUES = _("Only the programme office can issue diplomas and certificates.")
ONLY_OFFICE_REVOKES = _("Only the programme office can revoke diplomas and certificates.")
UNKNOWN_KIND = _("Choose diploma or certificate.")
CANCELLED = _("This enrolment was cancelled; no diploma or certificate can be issued for it.")
DIPLOMA_NOT_MET = _("Not all criteria for the diploma are met: %(missing)s")
CERTIFICATE_NOT_MET = _("A certificate of participation needs at least one content session attended: %(missing)s")
HOLDS_DIPLOMA = _("This participant already has a valid diploma (%(code)s); revoke it first to issue another.")
HOLDS_CERTIFICATE = _(
    "This participant already has a valid certificate of participation (%(code)s); revoke it first to issue another."
)
NOT_FINAL = _(
    "The closing session of this edition has not taken place yet, so the outcome is not final; "
    "issue the diplomas from its date on."
)
SKIPPED_HOLDS_DIPLOMA = _("Already has a valid diploma (%(code)s).")
SKIPPED_HOLDS_CERTIFICATE = _("Already has a valid certificate of participation (%(code)s).")
SKIPPED_NONE = _("Neither a diploma nor a certificate: %(missing)s")
REASON_REQUIRED = _("Give the reason for revoking; the verification page shows it.")
REASON_TOO_LONG = _("Keep the reason to at most %(max)s characters.")
ALREADY_REVOKED = _("This award was already revoked.")
ISSUED_AT_OUTSIDE = _("The date of issue lies between the closing session and now.")


@dataclass(frozen=True)
class IssueResult:
    """What issuing an edition did for one enrolment: the award made, or why none (`reason`)."""

    enrolment: Enrolment
    award: Award | None
    reason: str = ""


# -- loading, with permission -------------------------------------------------------------------------------


def _refuse(actor: Any, enrolment: Enrolment | None, not_found, denied) -> None:
    if enrolment is not None and permissions.can_view_enrolment(actor, enrolment):
        raise PermissionDenied(denied)
    raise NotFound(not_found)


def _enrolment_for(actor: Any, enrolment_id: int) -> Enrolment:
    """The enrolment, locked (the lock serialises issuing for one person), with what an award needs."""
    enrolment = selectors.locked_place(enrolment_id)
    if enrolment is None or not permissions.is_coordinator(actor):
        _refuse(actor, enrolment, ENROLMENT_NOT_FOUND, ONLY_OFFICE_ISSUES)
    return enrolment


def _edition_for(actor: Any, edition_id: int) -> Edition:
    edition = selectors.edition_with_programme(edition_id, lock=True)
    if edition is None or not permissions.is_coordinator(actor):
        if edition is not None and getattr(actor, "is_authenticated", False) and permissions.can_view_edition(actor, edition):
            raise PermissionDenied(ONLY_OFFICE_ISSUES)
        raise NotFound(EDITION_NOT_FOUND)
    return edition


def find_award(code: str, *, lock: bool = False) -> Award | None:
    """The award with this code as typed: any case, with or without dashes (one query)."""
    query = Award.objects.select_related("enrolment__edition__programme", "enrolment__participant")
    if lock:
        query = query.select_for_update(of=("self",))
    return query.filter(code__in=codes.candidates(code)).first()


# -- the rule ---------------------------------------------------------------------------------------------------


def _missing(outcome: rules.Outcome) -> str:
    return " ".join(criterion.detail for criterion in outcome.criteria if not criterion.met)


def _attendance_detail(outcome: rules.Outcome) -> str:
    return next((c.detail for c in outcome.criteria if c.criterion == rules.ATTENDANCE), "")


def refusal(kind: str, enrolment: Enrolment, outcome: rules.Outcome) -> str | None:
    """Why `kind` cannot be issued for the enrolment with this outcome, or None when it can."""
    if enrolment.status != EnrolmentStatus.ENROLLED:
        return str(CANCELLED)
    if kind == AwardKind.DIPLOMA and outcome.award != rules.DIPLOMA:
        return DIPLOMA_NOT_MET % {"missing": _missing(outcome)}
    if kind == AwardKind.CERTIFICATE and outcome.award not in (rules.DIPLOMA, rules.CERTIFICATE):
        return CERTIFICATE_NOT_MET % {"missing": _attendance_detail(outcome)}
    return None


def _holds(award_kind: str, code: str, diploma, certificate) -> str:
    return (diploma if award_kind == AwardKind.DIPLOMA else certificate) % {"code": code}


# -- making an award ------------------------------------------------------------------------------------------


def _make(award: Award, *, status_index: int | None = None, key: SigningKey | None = None) -> Award:
    """Fresh code and status-list index, then the signed credential (which carries them). The PDF is
    made from the snapshot when first needed (pdf.document). A batch passes the index and the
    signing key it read for all its awards at once."""
    award.code = codes.new_code()
    award.status_index = credentials.new_status_index() if status_index is None else status_index
    award.pdf = b""
    award.credential = credentials.sign(award, key=key)
    return award


def _build(
    *,
    actor: Any,
    enrolment: Enrolment,
    kind: str,
    document: EditionDocument,
    now,
    status_index: int | None = None,
    key: SigningKey | None = None,
) -> Award:
    award = Award(
        enrolment=enrolment,
        kind=kind,
        language=document.edition.language,
        issued_at=now,
        issued_by=actor,
        snapshot=document.snapshot(enrolment, kind),
    )
    return _make(award, status_index=status_index, key=key)


def _store(award: Award) -> Award:
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                award.save(force_insert=True)
            return award
        except IntegrityError:
            held = Award.objects.filter(enrolment_id=award.enrolment_id, revoked_at__isnull=True).first()
            if held is not None:  # issued at the same moment by someone else
                raise Conflict(_holds(held.kind, held.code, HOLDS_DIPLOMA, HOLDS_CERTIFICATE)) from None
            _make(award)
    raise RuntimeError("Could not find a free verification code and status list index.")


def _store_all(awards: list[Award]) -> list[Award]:
    """One insert for all; after a clash each is stored on its own (and made again if it clashed)."""
    indexes = set()
    for award in awards:
        while award.status_index in indexes:  # two random picks of one batch may meet
            _make(award)
        indexes.add(award.status_index)
    try:
        with transaction.atomic():
            return sql_rows.insert_all(awards)
    except IntegrityError:
        for award in awards:
            award.pk = None
        return [_store(award) for award in awards]


def _audit_issued(actor: Any, award: Award) -> None:
    audit.record(actor=actor, action="award.issued", obj=award, before=None, after=audit.snapshot(award, ISSUE_FIELDS))


def _email(award: Award, template: str = EMAIL_TEMPLATE) -> OutboxEmail:
    """The holder's e-mail (unsaved), in their language: on issue with the document attached."""
    person = award.enrolment.participant
    language = person.preferred_language or "nl"
    snap = award.snapshot
    issued = template == EMAIL_TEMPLATE
    return outbox.build_templated_email(
        to=person.email,
        template=template,
        context={
            "person": person,
            "award": award,
            "diploma": award.kind == AwardKind.DIPLOMA,
            "holder_name": snap["holder_name"],
            "programme": snap["programme"].get(language) or snap["programme"].get("nl", ""),
            "code": award.code,
            "reason": award.revoked_reason,
            "verify_url": pdf.verify_url(award.code) + ("?lang=en" if language == "en" else ""),
            "award_page_url": f"{settings.PUBLIC_BASE_URL}/{language}/leren/diploma/",
        },
        language=language,
        attachments=[pdf.attachment(award)] if issued else [],
        kind=template,
        related=award,
    )


# -- the business actions --------------------------------------------------------------------------------------


@transaction.atomic
def issue_award(*, actor: Any, enrolment_id: int, kind: str) -> Award:
    """Issue a diploma or a certificate of participation for the enrolment (the programme office).

    Conflict when the rule does not allow that kind (naming what is missing) or when the enrolment
    already has a valid award; Invalid for an unknown kind."""
    enrolment = _enrolment_for(actor, enrolment_id)
    if kind not in AwardKind.values:
        raise Invalid(UNKNOWN_KIND, [{"field": "kind", "message": str(UNKNOWN_KIND)}])
    facts = selectors.issue_facts(enrolment.pk)
    if facts.held is not None:
        raise Conflict(_holds(*facts.held, HOLDS_DIPLOMA, HOLDS_CERTIFICATE))
    # The edition's sessions are read once (with the attendance): for the rule and for the document's dates.
    sessions, outcome = selectors.issue_standing(enrolment, facts)
    refused = refusal(kind, enrolment, outcome)
    if refused:
        relevant = [c for c in outcome.criteria if kind == AwardKind.DIPLOMA or c.criterion == rules.ATTENDANCE]
        unmet = [{"field": "kind", "message": c.detail} for c in relevant if not c.met]
        raise Conflict(refused, unmet)
    document = EditionDocument.load(enrolment.edition, sessions=sessions)
    award = _store(_build(actor=actor, enrolment=enrolment, kind=kind, document=document, now=timezone.now()))
    _audit_issued(actor, award)
    _email(award).save()
    return award


@transaction.atomic
def issue_for_edition(*, actor: Any, edition_id: int, issued_at: datetime.datetime | None = None) -> list[IssueResult]:
    """Issue what the rule says to every active enrolment of a finished edition that has no valid
    award yet: a diploma, a certificate of participation, or nothing (with the reason). One result
    per active enrolment, in name order. Reads are per edition, not per participant. `issued_at`
    (not in the future, not before the closing session) dates awards handed out at the ceremony and
    registered afterwards; by default it is now."""
    edition = _edition_for(actor, edition_id)
    document = EditionDocument.load(edition, sessions=selectors.edition_sessions(edition))
    today = timezone.localdate()
    if not document.final(today):
        raise Conflict(NOT_FINAL)
    # The places locked (with their participants) as issue_award locks one, so neither issues for
    # someone the other is issuing for: by the read of the standings itself.
    standings = selectors.edition_standings(edition, today=today, sessions=document.sessions, lock=True)
    results: dict[int, IssueResult] = {}
    due: list[tuple[Enrolment, str]] = []
    now = timezone.now()
    if issued_at is not None:
        closing_day = document.end_date
        if issued_at > now or timezone.localdate(issued_at) < closing_day:
            raise Invalid(ISSUED_AT_OUTSIDE, [{"field": "issued_at", "message": str(ISSUED_AT_OUTSIDE)}])
        now = issued_at
    for standing in standings:
        enrolment, held, outcome = standing.enrolment, standing.award, standing.outcome
        if held is not None:
            reason = _holds(held.kind, held.code, SKIPPED_HOLDS_DIPLOMA, SKIPPED_HOLDS_CERTIFICATE)
            results[enrolment.pk] = IssueResult(enrolment, None, reason)
        elif outcome.award == rules.NONE:
            results[enrolment.pk] = IssueResult(enrolment, None, SKIPPED_NONE % {"missing": _missing(outcome)})
        else:
            due.append((enrolment, outcome.award))
    new: list[Award] = []
    if due:
        # Read once for all the awards, not per award: their status-list positions and the key.
        indexes, key = credentials.new_status_indexes(len(due)), keys.active_key()
        new = [
            _build(actor=actor, enrolment=enrolment, kind=kind, document=document, now=now, status_index=index, key=key)
            for (enrolment, kind), index in zip(due, indexes, strict=True)
        ]
    stored = _store_all(new)
    with audit.batched():  # one INSERT for all the entries (no savepoint is caught inside)
        for award in stored:
            _audit_issued(actor, award)
            results[award.enrolment_id] = IssueResult(award.enrolment, award)
    outbox.queue_all([_email(award) for award in new])
    return [results[standing.enrolment.pk] for standing in standings]


@transaction.atomic
def revoke_award(*, actor: Any, code: str, reason: str) -> Award:
    """Revoke a valid award, with the reason the verification page will show (the programme office)."""
    award = find_award(code, lock=True)
    if award is None or not permissions.is_coordinator(actor):
        _refuse(actor, award.enrolment if award else None, AWARD_NOT_FOUND, ONLY_OFFICE_REVOKES)
    text = " ".join(str(reason or "").split())
    if not text:
        raise Invalid(REASON_REQUIRED, [{"field": "reason", "message": str(REASON_REQUIRED)}])
    if len(text) > REASON_MAX:
        message = REASON_TOO_LONG % {"max": REASON_MAX}
        raise Invalid(message, [{"field": "reason", "message": message}])
    if award.revoked:
        raise Conflict(ALREADY_REVOKED)
    before = audit.snapshot(award, REVOKE_FIELDS)
    award.revoked_at = timezone.now()
    award.revoked_by = actor
    award.revoked_reason = text
    award.save(update_fields=REVOKE_FIELDS)
    audit.record(actor=actor, action="award.revoked", obj=award, before=before, after=audit.snapshot(award, REVOKE_FIELDS))
    _email(award, REVOKED_TEMPLATE).save()  # the holder hears it from us, not from an employer
    return award
