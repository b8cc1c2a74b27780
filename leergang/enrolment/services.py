"""Business actions of enrolment: apply, plan an intake, decide, enrol directly, cancel, offers.

Each is atomic with the acting user explicit, audited, and writes its e-mails to the outbox in
the same transaction. Capacity decisions lock the edition's row first, so two coordinators
clicking at the same moment are served one after the other (M6).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.catalog.models import Edition, EditionStatus, Programme
from leergang.core import audit, sql_rows
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.invoicing import discounts

from . import locked_rows, rules
from .models import (
    CLOSED_APPLICATION_STATES,
    Application,
    ApplicationStatus,
    Enrolment,
    EnrolmentStatus,
    Intake,
    Offer,
    OfferStatus,
)
from .selectors import seats_taken

OFFER_DAYS = 7  # contract: an offer's deadline defaults to seven days

APPLICATION_AUDIT_FIELDS = ["status", "edition", "email", "decision_note"]

# What application.save() writes: every column but the id.
_APPLICATION_COLUMNS = tuple(field.name for field in Application._meta.local_concrete_fields if not field.primary_key)


@dataclass
class ApplicationInput:
    first_name: str
    last_name: str
    email: str
    organisation: str
    job_title: str
    education_level: str
    years_experience: int
    leadership_role: bool
    challenge: str
    invoice_organisation: str
    invoice_address: str
    invoice_postal_code: str
    invoice_city: str
    invoice_email: str
    privacy_consent: bool
    terms_accepted: bool = False
    phone: str = ""
    education_note: str = ""
    invoice_po_number: str = ""
    dietary_requirements: str = ""
    discount_code: str = ""
    language: str = "nl"


def _existing_open_application(edition: Edition, email: str) -> Application | None:
    return Application.objects.filter(edition=edition, email__iexact=email).exclude(status__in=CLOSED_APPLICATION_STATES).first()


def _duplicate(existing: Application) -> Conflict:
    return Conflict(
        _("There is already an application (number %(number)s, submitted %(date)s) for this e-mail address and this edition.")
        % {"number": existing.pk, "date": timezone.localtime(existing.created_at).date().isoformat()},
        [{"field": "email", "message": str(_("This e-mail address has already applied for this edition."))}],
    )


@transaction.atomic
def submit_application(*, edition_id: int, data: ApplicationInput, submission_key: str | None = None) -> Application:
    """Store an application with its screening and queue the confirmation e-mail.

    A repeated `submission_key` (a double submit of the same form) returns the first application
    and sends nothing again. A second open application with the same e-mail address is a Conflict
    naming the first. Only editions open for registration accept applications; a full one still
    does (for its waiting list). A discount code is redeemed in this transaction: a code that cannot
    be used (unknown, expired, used up, ...) is a `discounts.CodeRefused` on the field
    `discount_code`, and nothing is stored.
    """
    if submission_key:
        earlier = Application.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    edition = Edition.objects.select_related("programme").filter(pk=edition_id).first()
    if edition is None or not edition.is_public or not edition.programme.published:
        raise NotFound(_("There is no edition with this number."))
    if edition.status != EditionStatus.OPEN:
        raise Conflict(_("This edition is not open for registration."))
    email = data.email.strip()
    existing = _existing_open_application(edition, email)
    if existing is not None:
        raise _duplicate(existing)
    unmet = rules.unmet_criteria(
        education_level=data.education_level, years_experience=data.years_experience, leadership_role=data.leadership_role
    )
    code = discounts.normalise(data.discount_code)
    if code:
        discounts.check_code(code=code, edition=edition)  # refuse before storing anything
    fields = {**asdict(data), "email": email, "discount_code": code}
    application = Application(
        edition=edition, submission_key=submission_key or None, meets_profile=not unmet, screening=unmet, **fields
    )
    application.full_clean(exclude=["edition", "decided_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        # Two submits racing: the same key, or the same e-mail address at the same moment.
        if submission_key:
            earlier = Application.objects.filter(submission_key=submission_key).first()
            if earlier is not None:
                return earlier
        existing = _existing_open_application(edition, email)
        if existing is not None:
            raise _duplicate(existing) from exc
        raise
    if code:
        # Under the code's lock: of two registrations taking its last use, the second is refused here
        # and its application rolls back with this transaction.
        discounts.redeem(code=code, application=application)
    audit.record(
        actor=None, action="application.submitted", obj=application, after=audit.snapshot(application, APPLICATION_AUDIT_FIELDS)
    )
    _mail(application, "application_received")
    return application


def _mail(application: Application, template: str, **context: Any) -> None:
    from leergang.notifications.services import queue_templated_email

    queue_templated_email(
        to=[application.email],
        template=template,
        context={
            "application": application,
            "edition": application.edition,
            "programme": application.edition.programme,
            **context,
        },
        language=application.language,
        kind=template,
        related=application,
    )


def _offer_url(offer: Offer, language: str) -> str:
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return settings.PUBLIC_BASE_URL + reverse("offers:answer", kwargs={"token": offer.token})


def screening(application: Application) -> dict:
    """The stored screening with messages in the reader's language."""
    return {
        "meets_profile": application.meets_profile,
        "unmet": [
            {"criterion": c, "message": rules.message(c, years=application.years_experience)} for c in application.screening
        ],
    }


def now() -> datetime.datetime:
    return timezone.now()


# --- intake -------------------------------------------------------------------------------------


def _require_office(actor: Any) -> None:
    if not permissions.can_manage_editions(actor):
        raise PermissionDenied(_("Only the programme office can do this."))


def _locked_application(application_id: int) -> Application:
    """The application, locked, with its edition and programme (read as SQL, core.sql_rows: what
    select_for_update(of=self) with select_related("edition__programme") loads; building and
    compiling that wide query cost several times running it)."""
    rows = sql_rows.read_joined(
        f'FROM {sql_rows.table(Application)} a JOIN {sql_rows.table(Edition)} d ON d."id" = a."edition_id" '
        f'JOIN {sql_rows.table(Programme)} p ON p."id" = d."programme_id" WHERE a."id" = %s' + sql_rows.lock_clause("a"),
        [application_id],
        ((Application, "a"), (Edition, "d"), (Programme, "p")),
    )
    if not rows:
        raise NotFound(_("There is no application with this number."))
    application, edition, programme = rows[0]
    edition.programme = programme
    application.edition = edition
    return application


def _locked_application_of(edition: Edition, application_id: int) -> Application | None:
    """The application, locked (after its edition, which it is given as)."""
    rows = sql_rows.read_joined(
        f'FROM {sql_rows.table(Application)} a WHERE a."id" = %s' + sql_rows.lock_clause("a"),
        [application_id],
        ((Application, "a"),),
    )
    if not rows:
        return None
    application = rows[0][0]
    application.edition = edition
    return application


def _open_offer(application_id: int) -> Offer | None:
    """The application's open offer (at most one: a unique constraint)."""
    rows = sql_rows.read_joined(
        f'FROM {sql_rows.table(Offer)} o WHERE o."application_id" = %s AND o."status" = %s',
        [application_id, OfferStatus.OPEN],
        ((Offer, "o"),),
    )
    return rows[0][0] if rows else None


@transaction.atomic
def plan_intake(*, actor: Any, application_id: int, scheduled_at: datetime.datetime, mode: str, interviewer: str) -> Intake:
    """Plan the intake interview (M5) and invite the applicant by e-mail."""
    _require_office(actor)
    application = _locked_application(application_id)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.INTAKE_PLANNED, ApplicationStatus.WAITLISTED):
        raise Conflict(
            _("An intake can only be planned for an application that is still open (now: %(status)s).")
            % {"status": application.get_status_display()}
        )
    intake = Intake(application=application, scheduled_at=scheduled_at, mode=mode, interviewer=interviewer.strip())
    # The intake's check constraints are its choices, which clean_fields checks (without a query each).
    intake.full_clean(exclude=["application"], validate_constraints=False)
    sql_rows.insert(intake)
    before = application.status
    application.status = ApplicationStatus.INTAKE_PLANNED
    sql_rows.update(application, "status", "updated_at")
    audit.record(
        actor=actor,
        action="application.intake_planned",
        obj=application,
        before={"status": before},
        after={
            "status": application.status,
            "scheduled_at": scheduled_at.isoformat(),
            "mode": mode,
            "interviewer": intake.interviewer,
        },
    )
    _mail(application, "intake_invitation", intake=intake)
    return intake


@transaction.atomic
def record_intake_outcome(*, actor: Any, intake_id: int, outcome: str, note: str = "") -> Intake:
    _require_office(actor)
    intake = Intake.objects.select_for_update().select_related("application").filter(pk=intake_id).first()
    if intake is None:
        raise NotFound(_("There is no intake with this number."))
    before = {"outcome": intake.outcome, "outcome_note": intake.outcome_note}
    intake.outcome, intake.outcome_note = outcome, note
    intake.full_clean(exclude=["application"])
    intake.save(update_fields=["outcome", "outcome_note", "updated_at"])
    audit.record(
        actor=actor, action="application.intake_outcome", obj=intake.application, before=before,
        after={"outcome": outcome, "outcome_note": note},
    )  # fmt: skip
    return intake


# --- admission, waiting list, decline ----------------------------------------------------------


@dataclass
class DecisionResult:
    application: Application
    enrolment: Enrolment | None = None
    invoice: Any = None


def _locked_edition(edition_id: int) -> Edition:
    return Edition.objects.select_for_update(of=("self",)).select_related("programme").get(pk=edition_id)


def _locked_edition_row(edition_id: int) -> Edition:
    """`_locked_edition` read as SQL (core.sql_rows), for a decision."""
    rows = sql_rows.read_joined(
        f'FROM {sql_rows.table(Edition)} d JOIN {sql_rows.table(Programme)} p ON p."id" = d."programme_id" WHERE d."id" = %s'
        + sql_rows.lock_clause("d"),
        [edition_id],
        ((Edition, "d"), (Programme, "p")),
    )
    if not rows:
        raise Edition.DoesNotExist("Edition matching query does not exist.")
    edition, programme = rows[0]
    edition.programme = programme
    return edition


def _full(edition: Edition) -> Conflict:
    return Conflict(
        _("This edition is full: all %(capacity)s seats are taken or held for an offer.") % {"capacity": edition.capacity},
        [{"field": "decision", "message": str(_("Put the applicant on the waiting list instead."))}],
    )


def _enrol(
    *,
    actor: Any,
    edition: Edition,
    person: Any,
    organisation: str,
    application: Application | None,
    recipient: dict | None,
    language: str,
):
    """The seat, the account's invitation and (when a recipient is given) the invoice."""
    from leergang.invoicing.services import issue_invoice

    enrolment = Enrolment.objects.create(edition=edition, participant=person, organisation=organisation, application=application)
    invoice = None
    if recipient is not None:
        invoice = issue_invoice(actor=actor, enrolment=enrolment, recipient=recipient, language=language)
    audit.record(
        actor=actor,
        action="enrolment.created",
        obj=enrolment,
        after={"edition": edition.pk, "participant": person.pk, "invoice": invoice.number if invoice else None},
    )
    return enrolment, invoice


@transaction.atomic
def decide(*, actor: Any, application_id: int, decision: str, note: str = "") -> DecisionResult:
    """Admit, waitlist or decline an application, with its e-mail.

    Admission locks the edition's row and counts enrolled and offered seats under that lock, so
    admissions never exceed capacity however many coordinators act at once. The seat of an open
    offer is held for the offered applicant only. Admission creates (or links) the participant's
    account, invites them to set a password, and issues the invoice to the application's address.
    """
    _require_office(actor)
    return _decide(actor=actor, application_id=application_id, decision=decision, note=note)


def _decide(*, actor: Any, application_id: int, decision: str, note: str) -> DecisionResult:
    """`decide` without the permission check: also reached by an applicant accepting an offer."""
    from leergang.accounts.services import get_or_create_participant, invite_user

    # Lock order everywhere: the edition first, then its application (no deadlock with cancellations).
    edition_id = sql_rows.scalar(
        f'SELECT "edition_id" FROM {sql_rows.table(Application)} WHERE "id" = %s',  # noqa: S608 - names from the model
        [application_id],
        Application._meta.get_field("edition"),
    )
    if not edition_id:
        raise NotFound(_("There is no application with this number."))
    edition = _locked_edition_row(edition_id)
    application = _locked_application_of(edition, application_id)
    if application is None:
        raise NotFound(_("There is no application with this number."))
    before = audit.snapshot(application, APPLICATION_AUDIT_FIELDS)
    open_offer = _open_offer(application.pk)
    if application.status in (ApplicationStatus.ADMITTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN):
        raise Conflict(
            _("This application has already been decided (%(status)s).") % {"status": application.get_status_display()}
        )
    result = DecisionResult(application=application)
    if decision == "admit":
        taken = seats_taken(edition.pk) - (1 if open_offer else 0)
        if taken >= edition.capacity:
            raise _full(edition)
        person, _created = get_or_create_participant(
            email=application.email,
            first_name=application.first_name,
            last_name=application.last_name,
            language=application.language,
        )
        if Enrolment.objects.filter(edition=edition, participant=person, status=EnrolmentStatus.ENROLLED).exists():
            raise Conflict(_("This person is already enrolled in this edition."))
        result.enrolment, result.invoice = _enrol(
            actor=actor, edition=edition, person=person, organisation=application.organisation,
            application=application, recipient=application.invoice_recipient(), language=application.language,
        )  # fmt: skip
        if open_offer is not None:
            open_offer.status, open_offer.answered_at = OfferStatus.ACCEPTED, timezone.now()
            open_offer.save(update_fields=["status", "answered_at", "updated_at"])
        application.status = ApplicationStatus.ADMITTED
        invite_user(
            actor=actor, user=person, language=application.language, context={"programme": edition.programme, "edition": edition}
        )
        template = "decision_admitted"
    elif decision == "waitlist":
        application.status = ApplicationStatus.WAITLISTED
        application.waitlisted_at = application.waitlisted_at or timezone.now()
        template = "decision_waitlisted"
    elif decision == "decline":
        if open_offer is not None:
            open_offer.status, open_offer.answered_at = OfferStatus.REFUSED, timezone.now()
            open_offer.save(update_fields=["status", "answered_at", "updated_at"])
        application.status = ApplicationStatus.DECLINED
        template = "decision_declined"
    else:
        raise Invalid(
            _("Choose admit, waitlist or decline."),
            [{"field": "decision", "message": str(_("Choose admit, waitlist or decline."))}],
        )
    application.decided_at, application.decision_note = timezone.now(), note
    application.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    sql_rows.update(application, *_APPLICATION_COLUMNS)  # every column, as application.save() writes them
    audit.record(
        actor=actor, action=f"application.{decision}", obj=application, before=before,
        after=audit.snapshot(application, APPLICATION_AUDIT_FIELDS),
    )  # fmt: skip
    _mail(application, template, invoice=result.invoice)
    if decision == "decline" and open_offer is not None:
        offer_next_seat(edition=edition)
    return result


# --- direct enrolment (cancellation and other changes of plan: changes.py) -------------------------------------------------------------


@transaction.atomic
def enrol_directly(
    *, actor: Any, edition_id: int, first_name: str, last_name: str, email: str, organisation: str = "",
    invoice: dict | None = None, language: str = "nl",
) -> tuple[Enrolment, Any]:  # fmt: skip
    """In-company groups and imports of earlier editions: a seat like an admission, with or without invoice."""
    from leergang.accounts.services import get_or_create_participant, invite_user

    _require_office(actor)
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        raise NotFound(_("There is no edition with this number."))
    edition = _locked_edition(edition_id)
    if seats_taken(edition.pk) >= edition.capacity:
        raise _full(edition)
    person, _created = get_or_create_participant(email=email, first_name=first_name, last_name=last_name, language=language)
    if Enrolment.objects.filter(edition=edition, participant=person, status=EnrolmentStatus.ENROLLED).exists():
        raise Conflict(
            _("This person is already enrolled in this edition."), [{"field": "email", "message": str(_("Already enrolled."))}]
        )
    recipient = None
    if invoice:
        recipient = {"contact_name": f"{first_name} {last_name}".strip(), "po_number": "", **invoice}
    enrolment, issued = _enrol(
        actor=actor, edition=edition, person=person, organisation=organisation, application=None,
        recipient=recipient, language=language,
    )  # fmt: skip
    if not person.has_usable_password():
        invite_user(actor=actor, user=person, language=language, context={"programme": edition.programme, "edition": edition})
    return enrolment, issued


# --- offers -------------------------------------------------------------------------------------


def offer_next_seat(*, edition: Edition, days: int = OFFER_DAYS) -> Offer | None:
    """Offer a free seat to the applicant waitlisted earliest (call under the edition's lock)."""
    # The applicant waitlisted earliest with the seats taken, in one query (counted after the
    # edition's lock was taken, which every change of the seats takes first).
    found = locked_rows.first_waitlisted(edition.pk)
    if found is None or found[1] >= edition.capacity:
        return None
    application = found[0]
    application.edition = edition
    offer = Offer.objects.create(
        application=application, edition=edition, expires_at=timezone.now() + datetime.timedelta(days=days)
    )
    application.status = ApplicationStatus.OFFERED
    application.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=None, action="application.offered", obj=application, before={"status": "waitlisted"},
        after={"status": "offered", "expires_at": offer.expires_at.isoformat()},
    )  # fmt: skip
    _mail(application, "seat_offered", offer=offer, offer_url=_offer_url(offer, application.language))
    return offer


@transaction.atomic
def answer_offer(*, token: str, accept: bool) -> DecisionResult:
    """The applicant's answer through the e-mail's link: accepting admits them into the held seat."""
    offer = Offer.objects.select_related("application").filter(token=token).first()
    if offer is None:
        raise NotFound(_("This offer does not exist."))
    edition = _locked_edition(offer.edition_id)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != OfferStatus.OPEN or offer.expires_at <= timezone.now():
        raise Conflict(_("This offer is no longer open."))
    if accept:
        return _decide(actor=None, application_id=offer.application_id, decision="admit", note="offer accepted")
    offer.status, offer.answered_at = OfferStatus.REFUSED, timezone.now()
    offer.save(update_fields=["status", "answered_at", "updated_at"])
    application = offer.application
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    audit.record(actor=None, action="application.offer_refused", obj=application, after={"status": "withdrawn"})
    offer_next_seat(edition=edition)
    return DecisionResult(application=application)


def expire_offers(*, now: datetime.datetime | None = None) -> int:
    """A job: offers past their deadline expire and pass to the next on the waiting list."""
    moment = now or timezone.now()
    expired = 0
    for offer_id, edition_id in Offer.objects.filter(status=OfferStatus.OPEN, expires_at__lte=moment).values_list(
        "pk", "edition_id"
    ):
        with transaction.atomic():
            edition = _locked_edition(edition_id)
            offer = Offer.objects.select_for_update().select_related("application").get(pk=offer_id)
            if offer.status != OfferStatus.OPEN:
                continue
            offer.status = OfferStatus.EXPIRED
            offer.save(update_fields=["status", "updated_at"])
            application = offer.application
            application.status = ApplicationStatus.WITHDRAWN
            application.save(update_fields=["status", "updated_at"])
            audit.record(actor=None, action="application.offer_expired", obj=application, after={"status": "withdrawn"})
            offer_next_seat(edition=edition)
            expired += 1
    return expired
