"""Applications, decisions, enrolments and the participants CSV."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from leergang.accounts import permissions, ratelimit
from leergang.awards import selectors as award_selectors
from leergang.catalog.models import Edition
from leergang.core.csvsafe import neutralise
from leergang.core.errors import NotFound, TooManyRequests
from leergang.enrolment import changes, selectors, services
from leergang.enrolment.models import Application, Enrolment

from .auth import ANONYMOUS_ALLOWED, bearer, coordinator_bearer, optional_bearer
from .enrolment_schemas import (
    ApplicationCreatedOut,
    ApplicationIn,
    ApplicationOut,
    CancelIn,
    CancelOut,
    DecisionIn,
    DecisionOut,
    DirectEnrolmentIn,
    DirectEnrolmentOut,
    EnrolmentOut,
    IntakeIn,
    IntakeOut,
)
from .schemas import ErrorOut
from .standing import award_out

router = Router(tags=["enrolment"])


def _invoice_number(enrolment, kind="invoice"):
    for invoice in enrolment.invoices.all():
        if invoice.kind == kind:
            return invoice.number
    return None


@router.post(
    "/editions/{edition_id}/applications",
    response={
        201: ApplicationCreatedOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    auth=optional_bearer,
    openapi_extra=ANONYMOUS_ALLOWED,
    summary="Apply for an edition (public); 409 when the edition is not open or the e-mail already applied",
    description=(
        "A `discount_code` (matched regardless of case and spaces) is checked and used with the application; "
        "a code that is unknown, inactive, not yet valid, expired, for another programme or edition, or used up "
        'is a 422 naming the field `discount_code`, and nothing is stored. Left out, null or "": no discount. '
        "Like the registration form, at most APPLY_RATE_LIMIT requests per address in a few minutes; then 429."
    ),
)
def apply(request, edition_id: int, payload: ApplicationIn):
    if ratelimit.hit("apply", request):
        raise TooManyRequests(_("Too many applications from this address. Please try again in a few minutes."))
    invoice = payload.invoice
    data = services.ApplicationInput(
        first_name=payload.first_name.strip(),
        last_name=payload.last_name.strip(),
        email=str(payload.email),
        phone=payload.phone or "",
        organisation=payload.organisation.strip(),
        job_title=payload.job_title.strip(),
        education_level=payload.education_level,
        education_note=payload.education_note or "",
        years_experience=payload.years_experience,
        leadership_role=payload.leadership_role,
        challenge=payload.challenge.strip(),
        invoice_organisation=invoice.organisation.strip(),
        invoice_address=invoice.address.strip(),
        invoice_postal_code=invoice.postal_code.strip(),
        invoice_city=invoice.city.strip(),
        invoice_email=str(invoice.email),
        invoice_po_number=invoice.po_number or "",
        dietary_requirements=payload.dietary_requirements or "",
        discount_code=payload.discount_code or "",
        privacy_consent=True,
        terms_accepted=payload.terms_accepted,
        language=request.LANGUAGE_CODE,
    )
    application = services.submit_application(edition_id=edition_id, data=data)
    return Status(201, {"id": application.pk, "status": application.status, "screening": services.screening(application)})


def _application(application_id: int) -> Application:
    application = (
        Application.objects.select_related("enrolment")
        .prefetch_related("intakes", "enrolment__invoices")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound(_("There is no application with this number."))
    return application


def _application_out(application: Application) -> dict:
    enrolment = getattr(application, "enrolment", None)
    return {
        **{
            name: getattr(application, name)
            for name in (
                "id",
                "status",
                "first_name",
                "last_name",
                "email",
                "phone",
                "organisation",
                "job_title",
                "education_level",
                "education_note",
                "years_experience",
                "leadership_role",
                "challenge",
                "dietary_requirements",
                "discount_code",
            )
        },  # fmt: skip
        "edition": application.edition_id,
        "invoice": {
            "organisation": application.invoice_organisation,
            "address": application.invoice_address,
            "postal_code": application.invoice_postal_code,
            "city": application.invoice_city,
            "email": application.invoice_email,
            "po_number": application.invoice_po_number or None,
        },
        "screening": services.screening(application),
        "intakes": list(application.intakes.all()),
        "submitted_at": application.created_at,
        "enrolment_id": enrolment.pk if enrolment else None,
        "invoice_number": _invoice_number(enrolment) if enrolment else None,
    }


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    summary="An application with its screening and intakes (coordinator)",
)
def get_application(request, application_id: int):
    return _application_out(_application(application_id))


@router.post(
    "/applications/{application_id}/intake",
    response={201: IntakeOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    summary="Plan an intake interview and invite the applicant (coordinator)",
)
def plan_intake(request, application_id: int, payload: IntakeIn):
    intake = services.plan_intake(
        actor=request.user,
        application_id=application_id,
        scheduled_at=payload.scheduled_at,
        mode=payload.mode,
        interviewer=payload.interviewer,
    )
    return Status(201, intake)


@router.post(
    "/applications/{application_id}/decision",
    response={200: DecisionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    summary="Admit, waitlist or decline (coordinator); 409 when admitting into a full edition",
)
def decide(request, application_id: int, payload: DecisionIn):
    result = services.decide(
        actor=request.user, application_id=application_id, decision=payload.decision, note=payload.note or ""
    )
    return {
        "status": result.application.status,
        "enrolment_id": result.enrolment.pk if result.enrolment else None,
        "invoice_number": result.invoice.number if result.invoice else None,
    }


@router.post(
    "/editions/{edition_id}/enrolments",
    response={201: DirectEnrolmentOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    summary="Enrol a person directly (coordinator), with or without invoice; 409 when full",
)
def enrol(request, edition_id: int, payload: DirectEnrolmentIn):
    invoice = payload.invoice.dict() if payload.invoice else None
    if invoice is not None:
        invoice["email"] = str(invoice["email"])
        invoice["po_number"] = invoice.get("po_number") or ""
    enrolment, issued = services.enrol_directly(
        actor=request.user,
        edition_id=edition_id,
        first_name=payload.first_name.strip(),
        last_name=payload.last_name.strip(),
        email=str(payload.email),
        organisation=payload.organisation.strip(),
        invoice=invoice,
        language=payload.language,
    )
    return Status(201, {"enrolment_id": enrolment.pk, "invoice_number": issued.number if issued else None})


def _visible_enrolment(user, enrolment_id: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_related("participant", "edition__programme")
        .prefetch_related("invoices")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or not permissions.can_view_enrolment(user, enrolment):
        raise NotFound(_("There is no enrolment with this number."))
    return enrolment


@router.get(
    "/enrolments/{enrolment_id}",
    response={200: EnrolmentOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=bearer,
    summary="An enrolment with its attendance, paper, presentation and award (coordinator, the edition's teachers, the participant)",
)
def get_enrolment(request, enrolment_id: int):
    enrolment = _visible_enrolment(request.user, enrolment_id)
    standing = award_selectors.standing_for(enrolment)
    return {
        "id": enrolment.pk,
        "edition": enrolment.edition_id,
        "participant": {"name": enrolment.participant.get_full_name(), "email": enrolment.participant.email},
        "organisation": enrolment.organisation,
        "status": enrolment.status,
        "invoice_number": _invoice_number(enrolment),
        "credit_note_number": _invoice_number(enrolment, "credit_note"),
        "attendance": [{"session": session_id, "status": status} for session_id, status in standing.attendance],
        "paper": standing.paper_info,
        "presented": standing.presented,
        "award": award_out(standing),
    }


# The body may be left out (then these defaults apply), but when sent it is a JSON object: `null`
# is a 400 like on every endpoint, so the document must not offer `null` as a body.
NO_BODY = CancelIn()


@router.post(
    "/enrolments/{enrolment_id}/cancel",
    response={200: CancelOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    summary="Cancel an enrolment (coordinator): credit note, cancellation fee after the free period, seat freed",
    description=(
        "The body is optional: `reason` (printed on the credit note) and `waive_fee` (true: no cancellation "
        "fee even after the edition's free period). The invoice is credited in full; after the free period a "
        "fee invoice follows in the same series (`fee_invoice_number`), with money already paid carried over "
        "to it. The freed seat is offered to the applicant waitlisted earliest. 409 when already cancelled; "
        "400 when the body is not a JSON object."
    ),
)
def cancel(request, enrolment_id: int, payload: CancelIn = NO_BODY):
    result = changes.cancel_enrolment(
        actor=request.user,
        enrolment_id=enrolment_id,
        reason=(payload.reason or "") if payload else "",
        waive_fee=bool(payload and payload.waive_fee),
    )
    enrolment = result.enrolment
    offer = enrolment.edition.offers.filter(status="open").order_by("-id").first()
    return {
        "enrolment_id": enrolment.pk,
        "status": enrolment.status,
        "credit_note_number": result.credit_note.number if result.credit_note else None,
        "fee_invoice_number": result.fee_invoice.number if result.fee_invoice else None,
        "cancellation_fee": f"{result.fee_invoice.total:.2f}" if result.fee_invoice else "0.00",
        "offered_application_id": offer.application_id if offer else None,
    }


@router.get(
    "/editions/{edition_id}/participants.csv",
    response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}},
    summary="The edition's participants as CSV (coordinator)",
)
def participants_csv(request, edition_id: int):
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        raise NotFound(_("There is no edition with this number."))
    rows = selectors.participants(edition)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["enrolment_id", "first_name", "last_name", "email", "organisation", "status", "invoice_number", "dietary_requirements"]
    )
    for enrolment in rows:
        application = enrolment.application
        writer.writerow(
            [
                enrolment.pk,
                neutralise(enrolment.participant.first_name),
                neutralise(enrolment.participant.last_name),
                neutralise(enrolment.participant.email),
                neutralise(enrolment.organisation),
                enrolment.status,
                _invoice_number(enrolment) or "",
                neutralise(application.dietary_requirements if application else ""),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="participants-edition-{edition.pk}.csv"'
    return response
