"""Erasure on request (M23, R9): the programme office erases a person; what the law requires is kept.

`erase_person` anonymises in one transaction everything HANDLED lists as erased, and keeps what is
kept by law or as the register:
- invoices and credit notes stay exactly as issued (with their payments, refunds and reminders):
  Dutch tax law (art. 52 AWR) requires the administration to be kept for seven years, and an issued
  invoice is an immutable snapshot that is never changed;
- the register of issued diplomas and certificates (Award rows with their snapshot, PDF and signed
  credential) stays, so every document issued keeps verifying. The public verification page still
  shows the holder's name as printed on the document: that name is what a verifier compares with
  the paper in their hands, and the register is kept for that purpose (AVG art. 17(3)(b) and (e));
- the rows that make the edition's history (places, attendance, hours, group memberships, the paper's
  assessment result, the presentation) stay, anonymous through the anonymised account.

The audit entry of the erasure says who erased whom (by account number), when and why; it holds
none of the erased data, and the reason itself is cleaned of the person's name and address.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import transaction
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from leergang.accounts import permissions
from leergang.accounts.models import ApiToken, Role, User
from leergang.attendance.models import Attendance
from leergang.awards.models import Award
from leergang.catalog.models import EditionStatus, Teacher
from leergang.core import audit
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.core.formatting import long_date
from leergang.enrolment.models import (
    CLOSED_APPLICATION_STATES,
    Application,
    ApplicationStatus,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    Intake,
    Offer,
    new_calendar_token,
)
from leergang.invoicing.models import Invoice, Payment, Refund
from leergang.learning.models import (
    CaseEntry,
    CaseResponse,
    OwnCase,
    PaperSubmission,
    PresentationSlot,
    StudyGroupMember,
    TimeEntry,
)

from . import anonymise
from .anonymise import ERASED, ERASED_FIRST_NAME, Needles

MAX_REASON = 1000
ACTION = "person.erased"

# What erasure does with each model that holds data about a person (the same models as export.COVERED).
HANDLED = {
    "accounts.user": "anonymised: pseudonym, erased address, no password, inactive",
    "accounts.apitoken": "revoked",
    "catalog.teacher": "unlinked from the account (the public teacher profile is the office's to change)",
    "admin.logentry": "the person's name and address replaced",
    "enrolment.application": "every typed field blanked",
    "enrolment.intake": "notes blanked",
    "enrolment.offer": "kept (status and dates only)",
    "invoicing.discountredemption": "kept (which code counted once)",
    "enrolment.enrolment": "kept, organisation blanked, calendar link revoked",
    "enrolment.enrolmentchange": "kept, reason blanked",
    "attendance.attendance": "kept, note blanked",
    "learning.timeentry": "kept, note blanked",
    "learning.owncase": "texts erased",
    "learning.caseentry": "texts erased",
    "learning.caseresponse": "texts erased (on their entries and written by them)",
    "learning.studygroupmember": "kept, anonymous through the account",
    "learning.papersubmission": "file deleted, name and feedback erased, result kept",
    "learning.presentationslot": "kept",
    "awards.award": "kept: the register of issued diplomas",
    "awards.outofreachnotice": "kept (a date)",
    "invoicing.invoice": "kept unchanged: seven years' legal retention",
    "invoicing.payment": "kept: part of the financial administration",
    "invoicing.refund": "kept: part of the financial administration",
    "invoicing.paymentreminder": "kept (a date)",
    "notifications.outboxemail": "to them: address, text and attachments erased; about them: name replaced",
    "core.auditentry": "kept, personal values erased",
}

# Editions in which an enrolled person still takes part: their place is cancelled first.
ONGOING_EDITIONS = (EditionStatus.DRAFT, EditionStatus.OPEN, EditionStatus.RUNNING)


def pseudonym(user_id: int) -> str:
    return f"#{user_id}"


def personal_objects(user: User) -> dict[str, Any]:
    """The ids of every row about `user`, per model label (what the audit log and the outbox point
    at), as lazy querysets of primary keys: `materialise` them before changing anything."""
    from .export import person_applications

    def ids(model, query: Q) -> QuerySet:
        return model.objects.filter(query).order_by().values_list("pk", flat=True)

    applications = ids(Application, person_applications(user)).distinct()
    enrolments = ids(Enrolment, Q(participant=user))
    entries = ids(CaseEntry, Q(case__enrolment__in=enrolments))
    invoices = ids(Invoice, Q(enrolment__in=enrolments))
    return {
        "accounts.user": ids(User, Q(pk=user.pk)),
        "accounts.apitoken": ids(ApiToken, Q(user=user)),
        "enrolment.application": applications,
        "enrolment.intake": ids(Intake, Q(application__in=applications)),
        "enrolment.offer": ids(Offer, Q(application__in=applications)),
        "enrolment.enrolment": enrolments,
        "enrolment.enrolmentchange": ids(EnrolmentChange, Q(from_enrolment__in=enrolments) | Q(to_enrolment__in=enrolments)),
        "attendance.attendance": ids(Attendance, Q(enrolment__in=enrolments)),
        "learning.timeentry": ids(TimeEntry, Q(enrolment__in=enrolments)),
        "learning.owncase": ids(OwnCase, Q(enrolment__in=enrolments)),
        "learning.caseentry": entries,
        "learning.caseresponse": ids(CaseResponse, Q(entry__in=entries) | Q(author=user)),
        "learning.studygroupmember": ids(StudyGroupMember, Q(enrolment__in=enrolments)),
        "learning.papersubmission": ids(PaperSubmission, Q(enrolment__in=enrolments)),
        "learning.presentationslot": ids(PresentationSlot, Q(enrolment__in=enrolments)),
        "awards.award": ids(Award, Q(enrolment__in=enrolments)),
        "invoicing.invoice": invoices,
        "invoicing.payment": ids(Payment, Q(invoice__in=invoices)),
        "invoicing.refund": ids(Refund, Q(credit_note__in=invoices)),
    }


def materialise(objects: dict[str, Any]) -> dict[str, list[int]]:
    return {label: list(ids) for label, ids in objects.items()}


def _as_text(ids: Any) -> Any:
    """Ids to compare with AuditEntry.object_id (text): a list as strings, a queryset cast in the database."""
    if isinstance(ids, QuerySet):
        return ids.annotate(text_id=Cast("pk", CharField())).values("text_id")
    return [str(pk) for pk in ids]


def audit_targets(objects: dict[str, Any]) -> Q:
    """The audit entries about the person's rows (not the record of an erasure itself)."""
    query = Q(pk__in=[])
    for label, ids in objects.items():
        query |= Q(object_type=label, object_id__in=_as_text(ids))
    return query & ~Q(action=ACTION)


def refusal(*, actor: Any, user: User) -> str | None:
    """Why this person cannot be erased now (a message for the office), or None."""
    if anonymise.is_erased_email(user.email):
        return _("This person's data has already been erased.")
    if user.pk == getattr(actor, "pk", None):
        return _("You cannot erase your own account. Ask another programme manager to do it.")
    if (
        user.role == Role.COORDINATOR
        and not User.objects.filter(role=Role.COORDINATOR, is_active=True).exclude(pk=user.pk).exists()
    ):
        return _("This is the last programme manager's account; it cannot be erased.")
    ongoing = (
        Enrolment.objects.filter(participant=user, status=EnrolmentStatus.ENROLLED, edition__status__in=ONGOING_EDITIONS)
        .select_related("edition__programme")
        .order_by("edition__start_date")
        .first()
    )
    if ongoing is not None:
        return _(
            "This person is still enrolled in %(programme)s (edition starting %(date)s). Cancel that place first; "
            "then their data can be erased."
        ) % {"programme": ongoing.edition.programme.title, "date": long_date(ongoing.edition.start_date)}
    from .export import person_applications

    open_application = (
        Application.objects.filter(person_applications(user))
        .exclude(status__in=(*CLOSED_APPLICATION_STATES, ApplicationStatus.ADMITTED))
        .exists()
    )
    if open_application:
        return _("This person has an application that has not been decided yet. Decline it first; then their data can be erased.")
    return None


def _needles(user: User, applications: list[Application]) -> Needles:
    needles = Needles()
    needles.add_address(user.email)
    needles.add_name(user.get_full_name(), user.first_name, user.last_name)
    for application in applications:
        anonymise.application_needles(application, needles)
    return needles


def _delete_files(paths: list) -> None:
    for path in paths:
        # A file that cannot be removed is left to the administrator; the database no longer points at it.
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _erase_learning(user: User, objects: dict[str, list[int]]) -> None:
    from leergang.learning import services as learning_services

    now = timezone.now()
    OwnCase.objects.filter(pk__in=objects["learning.owncase"]).update(
        title=ERASED, question=ERASED, context=ERASED, updated_at=now
    )
    CaseEntry.objects.filter(pk__in=objects["learning.caseentry"]).update(
        done=ERASED, learned=ERASED, next_step=ERASED, updated_at=now
    )
    CaseResponse.objects.filter(pk__in=objects["learning.caseresponse"]).update(text=ERASED)
    TimeEntry.objects.filter(pk__in=objects["learning.timeentry"]).update(note="", updated_at=now)
    Attendance.objects.filter(pk__in=objects["attendance.attendance"]).update(note="", updated_at=now)
    files = []
    for paper in PaperSubmission.objects.filter(pk__in=objects["learning.papersubmission"]):
        if not paper.file_path.startswith("erased/"):
            with contextlib.suppress(NotFound):  # a path outside UPLOAD_ROOT is never touched
                files.append(learning_services.paper_file(paper))
        paper.file_path, paper.original_filename, paper.sha256, paper.feedback = f"erased/{paper.pk}", "", "", ""
        paper.save(update_fields=["file_path", "original_filename", "sha256", "feedback", "updated_at"])
    transaction.on_commit(lambda: _delete_files(files))


@transaction.atomic
def erase_person(*, actor: Any, user_id: int, reason: str) -> User:
    """Erase a person's data on their request (see the module's docstring). Programme office only.

    Raises PermissionDenied for anyone else, NotFound for an unknown account, Invalid without a
    reason, and Conflict (nothing changed) for the office's own account, the last programme manager,
    a person already erased, still enrolled in an edition that has not ended, or with an undecided application.
    """
    if not permissions.can_manage_editions(actor):
        raise PermissionDenied(_("Only the programme office can erase a person's data."))
    reason = " ".join((reason or "").split())
    if not reason:
        message = _("Give the reason for the erasure, for example “Request by e-mail of 3 March”.")
        raise Invalid(message, [{"field": "reason", "message": str(message)}])
    if len(reason) > MAX_REASON:
        message = _("Keep the reason under %(max)s characters.") % {"max": MAX_REASON}
        raise Invalid(message, [{"field": "reason", "message": str(message)}])
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("There is no person with this number."))
    problem = refusal(actor=actor, user=user)
    if problem:
        raise Conflict(problem)

    objects = materialise(personal_objects(user))
    applications = list(Application.objects.filter(pk__in=objects["enrolment.application"]))
    needles = _needles(user, applications)
    erased_address = anonymise.erased_email("person", user.pk)
    now = timezone.now()

    about_them = audit_targets(objects)
    anonymise.scrub_audit(about_them, needles)
    anonymise.scrub_audit(Q(actor=user) & ~about_them, needles, keys=False)  # what they did to others' rows
    anonymise.scrub_admin_log(needles, objects)
    anonymise.scrub_outbox(needles, anonymise.outbox_related(objects), erased_address)
    for application in applications:
        anonymise.anonymise_application(application, pseudonym(user.pk))
    for enrolment in Enrolment.objects.filter(pk__in=objects["enrolment.enrolment"]):
        enrolment.organisation, enrolment.calendar_token = "", new_calendar_token()
        enrolment.save(update_fields=["organisation", "calendar_token", "updated_at"])
    EnrolmentChange.objects.filter(pk__in=objects["enrolment.enrolmentchange"]).update(reason="")
    _erase_learning(user, objects)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    Teacher.objects.filter(user=user).update(user=None, updated_at=now)

    role = user.role
    user.first_name, user.last_name, user.email = ERASED_FIRST_NAME, pseudonym(user.pk), erased_address
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    audit.record(
        actor=actor,
        action=ACTION,
        obj=user,
        after={
            "person": user.pk,
            "role": role,
            "reason": needles.text(reason),
            "kept": ["invoices", "payments", "awards", "attendance", "enrolments"],
        },
    )
    return user
