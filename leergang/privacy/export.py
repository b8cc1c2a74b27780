"""A person's own data as JSON (M23, R9): everything the application keeps about them, in one document.

`personal_data(user)` reads every model that holds data about a person (see COVERED) and returns a
JSON-serialisable dict. It never includes another person's data: group memberships name the group,
not its other members; a teacher's response to the person's case entry is included (it is about
them), with the author's name. Uploaded files are not embedded: each paper gives its metadata and
the address to download it from. The number of queries does not grow with the amount of data.

COVERED and NOT_PERSONAL together name every model that points (directly or through a covered
model) at a user, an enrolment or an application; tests/privacy/test_coverage.py fails when a new
model is in neither, so nothing personal is silently left out of the export.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from leergang.accounts.models import ApiToken, User
from leergang.attendance.models import Attendance
from leergang.awards.models import Award
from leergang.awards.pdf import verify_url
from leergang.catalog.models import Edition, Teacher
from leergang.core.models import AuditEntry
from leergang.enrolment.models import Application, Enrolment, EnrolmentChange
from leergang.invoicing.models import Invoice, Payment, Refund
from leergang.learning.models import CaseEntry, CaseResponse, PaperSubmission, StudyGroupMember, TimeEntry
from leergang.notifications.models import OutboxEmail

FORMAT = "leergang-personal-data/1"

# model label -> where its rows appear in the export.
COVERED = {
    "accounts.user": "account",
    "accounts.apitoken": "account.api_tokens",
    "catalog.teacher": "account.teacher_profile",
    "admin.logentry": "support_admin_actions",
    "enrolment.application": "applications",
    "enrolment.intake": "applications[].intakes",
    "enrolment.offer": "applications[].offers",
    "invoicing.discountredemption": "applications[].discount_code_used",
    "enrolment.enrolment": "enrolments",
    "enrolment.enrolmentchange": "enrolments[].changes",
    "attendance.attendance": "enrolments[].attendance (with excused absences)",
    "learning.timeentry": "enrolments[].time_log",
    "learning.owncase": "enrolments[].case",
    "learning.caseentry": "enrolments[].case.entries",
    "learning.caseresponse": "enrolments[].case.entries[].responses and case_responses_written",
    "learning.studygroupmember": "enrolments[].groups",
    "learning.papersubmission": "enrolments[].papers",
    "learning.presentationslot": "enrolments[].presentation",
    "awards.award": "enrolments[].awards",
    "awards.outofreachnotice": "enrolments[].diploma_out_of_reach_notice",
    "invoicing.invoice": "enrolments[].invoices",
    "invoicing.payment": "enrolments[].invoices[].payments",
    "invoicing.refund": "enrolments[].invoices[].refunds",
    "invoicing.paymentreminder": "enrolments[].invoices[].reminder_sent_at",
    "notifications.outboxemail": "emails",
    "core.auditentry": "history",
}

# Models that point at a user, an enrolment or an application without holding data about that person.
NOT_PERSONAL = {
    "attendance.checkincode": "created_by: the teacher who showed a session's check-in code",
    "learning.literatureitem": "added_by: who added reading for a session",
    "learning.studygroup": "formed_by: who formed the groups (the person's membership is covered)",
    "catalog.programmeteacher": "the public programme: which teacher profile leads it",
    "catalog.sessionpart": "the public programme: which teacher profile gives a part of a session",
}


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return f"{value:.2f}"
    return value


def _fields(obj: Any, names: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in names}


def _absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{path}"


def _edition(edition: Edition) -> dict[str, Any]:
    programme = edition.programme
    return {
        "id": edition.pk,
        "programme": {"nl": programme.title_nl, "en": programme.title_en},
        "start_date": _value(edition.start_date),
        "status": edition.status,
    }


APPLICATION_FIELDS = (
    "status", "language", "first_name", "last_name", "email", "phone", "organisation", "job_title",
    "education_level", "education_note", "years_experience", "leadership_role", "challenge",
    "invoice_organisation", "invoice_address", "invoice_postal_code", "invoice_city", "invoice_email",
    "invoice_po_number", "dietary_requirements", "discount_code", "terms_accepted", "privacy_consent",
    "meets_profile", "screening", "created_at", "waitlisted_at", "decided_at", "decision_note",
)  # fmt: skip
INTAKE_FIELDS = ("scheduled_at", "mode", "interviewer", "outcome", "outcome_note")
INVOICE_FIELDS = (
    "number", "kind", "status", "purpose", "reason", "issued_on", "due_on", "language", "currency",
    "recipient_organisation", "recipient_contact_name", "recipient_address", "recipient_postal_code",
    "recipient_city", "recipient_email", "recipient_po_number", "participant_name", "programme_title",
    "edition_start_date", "edition_end_date", "lines", "total", "vat_amount", "vat_exemption_note",
)  # fmt: skip


def person_applications(user: User) -> Q:
    """The applications of a person: those their places came from, and those sent with their address."""
    return Q(email__iexact=user.email) | Q(enrolment__participant=user)


def _applications(user: User) -> list[dict[str, Any]]:
    rows = (
        Application.objects.filter(person_applications(user))
        .select_related("edition__programme", "discount_redemption__discount")
        .prefetch_related("intakes", "offers")
        .distinct()
        .order_by("created_at", "pk")
    )
    result = []
    for application in rows:
        redemption = getattr(application, "discount_redemption", None)
        result.append(
            {
                "id": application.pk,
                "edition": _edition(application.edition),
                **_fields(application, APPLICATION_FIELDS),
                "intakes": [_fields(intake, INTAKE_FIELDS) for intake in application.intakes.all()],
                "offers": [
                    _fields(offer, ("status", "created_at", "expires_at", "answered_at")) for offer in application.offers.all()
                ],
                "discount_code_used": (
                    {"code": redemption.discount.code, "redeemed_at": _value(redemption.redeemed_at)} if redemption else None
                ),
            }
        )
    return result


def _case(enrolment: Enrolment) -> dict[str, Any] | None:
    case = getattr(enrolment, "own_case", None)
    if case is None:
        return None
    entries = []
    for entry in case.entries.all():
        entries.append(
            {
                "session": entry.session.number,
                **_fields(entry, ("done", "learned", "next_step", "created_at", "updated_at")),
                "responses": [
                    {"author": response.author.get_full_name(), "text": response.text, "created_at": _value(response.created_at)}
                    for response in entry.responses.all()
                ],
            }
        )
    return {**_fields(case, ("title", "question", "context", "created_at", "updated_at")), "entries": entries}


def _paper(paper: PaperSubmission) -> dict[str, Any]:
    return {
        **_fields(paper, ("original_filename", "content_type", "size", "sha256", "submitted_at", "result", "feedback")),
        "assessed_at": _value(paper.assessed_at),
        "file": "The file itself is not part of this export; download it from the address below.",
        "download_url": _absolute(reverse("papers:file", kwargs={"submission_id": paper.pk})),
    }


def _award(award: Award) -> dict[str, Any]:
    return {
        **_fields(award, ("code", "kind", "language", "issued_at", "revoked_at", "revoked_reason")),
        "holder_name": (award.snapshot or {}).get("holder_name", ""),
        "verify_url": verify_url(award.code),
    }


def _invoice(invoice: Invoice) -> dict[str, Any]:
    reminder = getattr(invoice, "payment_reminder", None)
    return {
        **_fields(invoice, INVOICE_FIELDS),
        "corrects": invoice.corrects.number if invoice.corrects_id else None,
        "pdf_url": _absolute(reverse("my_invoices:pdf", kwargs={"number": invoice.number})),
        "payments": [_fields(p, ("paid_on", "amount", "reference")) for p in invoice.payments.all()],
        "refunds": [_fields(r, ("paid_on", "amount", "method", "reference")) for r in invoice.refunds.all()],
        "reminder_sent_at": _value(reminder.sent_at) if reminder else None,
    }


def _changes(enrolment: Enrolment, changes: list[EnrolmentChange]) -> list[dict[str, Any]]:
    return [
        {
            "kind": change.kind,
            "direction": "out" if change.from_enrolment_id == enrolment.pk else "in",
            "reason": change.reason,
            "created_at": _value(change.created_at),
        }
        for change in changes
        if enrolment.pk in (change.from_enrolment_id, change.to_enrolment_id)
    ]


def _enrolments(user: User) -> list[dict[str, Any]]:
    invoices = Invoice.objects.select_related("corrects", "payment_reminder").prefetch_related(
        Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk")),
        Prefetch("refunds", queryset=Refund.objects.order_by("paid_on", "pk")),
    )
    enrolments = list(
        Enrolment.objects.filter(participant=user)
        .select_related("edition__programme", "own_case", "presentation_slot", "out_of_reach_notice")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("session").order_by("session__number")),
            Prefetch("time_entries", queryset=TimeEntry.objects.select_related("session").order_by("day", "pk")),
            Prefetch(
                "own_case__entries",
                queryset=CaseEntry.objects.select_related("session").prefetch_related(
                    Prefetch("responses", queryset=CaseResponse.objects.select_related("author").order_by("created_at", "pk"))
                ),
            ),
            Prefetch("group_memberships", queryset=StudyGroupMember.objects.select_related("group", "from_session")),
            Prefetch("paper_submissions", queryset=PaperSubmission.objects.order_by("submitted_at", "pk")),
            Prefetch("awards", queryset=Award.objects.defer("pdf", "credential").order_by("issued_at")),
            Prefetch("invoices", queryset=invoices.order_by("year", "sequence")),
        )
        .order_by("edition__start_date", "pk")
    )
    ids = [e.pk for e in enrolments]
    changes = list(EnrolmentChange.objects.filter(Q(from_enrolment_id__in=ids) | Q(to_enrolment_id__in=ids)))
    result = []
    for enrolment in enrolments:
        time_entries = list(enrolment.time_entries.all())
        slot = getattr(enrolment, "presentation_slot", None)
        notice = getattr(enrolment, "out_of_reach_notice", None)
        result.append(
            {
                "id": enrolment.pk,
                "edition": _edition(enrolment.edition),
                **_fields(enrolment, ("status", "organisation", "created_at", "cancelled_at")),
                "application_id": enrolment.application_id,
                "calendar_feed_url": _absolute(
                    reverse("scheduling:participant-calendar", kwargs={"token": enrolment.calendar_token})
                ),
                "attendance": [
                    {"session": row.session.number, "date": _value(row.session.date), "status": row.status, "note": row.note}
                    | {"recorded_at": _value(row.recorded_at)}
                    for row in enrolment.attendance.all()
                ],
                "time_log": {
                    "total_minutes": sum(entry.minutes for entry in time_entries),
                    "entries": [
                        {
                            **_fields(entry, ("kind", "day", "minutes", "note", "logged_at")),
                            "session": entry.session.number if entry.session_id else None,
                        }
                        for entry in time_entries
                    ],
                },
                "case": _case(enrolment),
                "groups": [
                    {"from_session": member.from_session.number, "group": member.group.number}
                    for member in enrolment.group_memberships.all()
                ],
                "papers": [_paper(paper) for paper in enrolment.paper_submissions.all()],
                "presentation": _fields(slot, ("position", "presented", "recorded_at")) if slot else None,
                "awards": [_award(award) for award in enrolment.awards.all()],
                "invoices": [_invoice(invoice) for invoice in enrolment.invoices.all()],
                "changes": _changes(enrolment, changes),
                "diploma_out_of_reach_notice": _value(notice.noticed_at) if notice else None,
            }
        )
    return result


def _audit_targets(user: User) -> Q:
    """The audit entries about the person (their account, applications, places and what hangs on them) or by them."""
    from .erasure import audit_targets, personal_objects

    return Q(actor=user) | audit_targets(personal_objects(user))


def _account(user: User) -> dict[str, Any]:
    teacher = Teacher.objects.filter(user=user).first()
    return {
        "id": user.pk,
        **_fields(user, ("email", "first_name", "last_name", "role", "preferred_language", "is_active")),
        "date_joined": _value(user.date_joined),
        "last_login": _value(user.last_login),
        "api_tokens": [
            _fields(token, ("prefix", "created_at", "revoked_at")) for token in ApiToken.objects.filter(user=user).order_by("pk")
        ],
        "teacher_profile": _fields(teacher, ("name", "position_nl", "position_en", "bio_nl", "bio_en")) if teacher else None,
    }


def personal_data(user: User) -> dict[str, Any]:
    """Everything kept about `user`, JSON-serialisable (see the module's docstring)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": _value(timezone.now()),
        "account": _account(user),
        "applications": _applications(user),
        "enrolments": _enrolments(user),
        "case_responses_written": [
            {"entry": response.entry_id, "text": response.text, "created_at": _value(response.created_at)}
            for response in CaseResponse.objects.filter(author=user).exclude(entry__case__enrolment__participant=user)
        ],
        "emails": [
            _fields(email, ("subject", "kind", "language", "status", "created_at", "sent_at"))
            for email in OutboxEmail.objects.filter(to__icontains=user.email).only(
                "subject", "kind", "language", "status", "created_at", "sent_at"
            )
        ],
    }
    data["history"] = [
        {
            "at": _value(entry.at),
            "action": entry.action,
            "object": f"{entry.object_type}#{entry.object_id}",
            "by_you": entry.actor_id == user.pk,
        }
        for entry in AuditEntry.objects.filter(_audit_targets(user))
        .order_by("at", "pk")
        .only("at", "action", "object_type", "object_id", "actor_id")
    ]
    data["support_admin_actions"] = [
        {"at": _value(entry.action_time), "object": entry.object_repr, "action": entry.get_action_flag_display()}
        for entry in LogEntry.objects.filter(user=user).order_by("action_time")
    ]
    return data
