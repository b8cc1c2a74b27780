"""Issued diplomas and certificates (M19): issuing, public verification, the documents for their
holder, revoking. No business logic here: the services decide, these endpoints translate."""

import datetime
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from leergang.accounts import permissions
from leergang.awards import pdf, services, status_list
from leergang.awards.models import Award
from leergang.core.errors import NotFound

from .auth import bearer, coordinator_bearer, session
from .schemas import ErrorOut

router = Router(tags=["awards"])

AwardKindName = Literal["diploma", "certificate"]


class IssueIn(Schema):
    kind: AwardKindName


class IssuedOut(Schema):
    code: str
    kind: AwardKindName
    pdf_url: str = Field(description="The document as PDF, for its holder and coordinators (token or session).")
    verify_url: str = Field(description="The public verification page, as printed on the document.")
    credential_url: str = Field(
        description="The signed Open Badges 3.0 credential (VC-JWT), for its holder and coordinators (token or session)."
    )


class RevokeIn(Schema):
    reason: str = Field(description="Why it is revoked (at most 500 characters); the verification page shows it.")


class CredentialOut(Schema):
    valid: bool = Field(description="Issued by us and not revoked.")
    kind: AwardKindName
    holder_name: str
    programme: str = Field(description="The programme's title as on the document, in the language of Accept-Language.")
    issued_on: datetime.date
    revoked: bool
    revoked_on: datetime.date | None
    revoked_reason: str
    organiser: str
    code: str
    verify_url: str


def _absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL + path


def _in_language(text) -> str:
    """A snapshot text stored in both languages, in the request's (Accept-Language)."""
    if not isinstance(text, dict):
        return str(text or "")
    language = (get_language() or "nl").split("-")[0]
    return text.get(language) or text.get("nl") or text.get("en") or ""


def issued(award: Award) -> dict:
    return {
        "code": award.code,
        "kind": award.kind,
        "pdf_url": _absolute(reverse("api-v1:credential_pdf", kwargs={"code": award.code})),
        "verify_url": pdf.verify_url(award.code),
        "credential_url": _absolute(reverse("api-v1:credential_jwt", kwargs={"code": award.code})),
    }


def credential(award: Award) -> dict:
    """What anyone may know of an award: what its document says (never the holder's e-mail address)."""
    snap = award.snapshot
    return {
        "valid": not award.revoked,
        "kind": award.kind,
        "holder_name": snap.get("holder_name", ""),
        "programme": _in_language(snap.get("programme")),
        "issued_on": timezone.localtime(award.issued_at).date(),
        "revoked": award.revoked,
        "revoked_on": timezone.localtime(award.revoked_at).date() if award.revoked else None,
        "revoked_reason": award.revoked_reason,
        "organiser": snap.get("organiser", ""),
        "code": award.code,
        "verify_url": pdf.verify_url(award.code),
    }


def _known(code: str) -> Award:
    award = services.find_award(code)
    if award is None:
        raise NotFound(_("There is no diploma or certificate with this code."))
    return award


def _downloadable(user, code: str) -> Award:
    """The award if the user holds it or is the programme office; NotFound for anyone else, alike
    for a code that does not exist."""
    award = services.find_award(code)
    if award is None or not (permissions.is_coordinator(user) or award.enrolment.participant_id == user.pk):
        raise NotFound(_("There is no diploma or certificate with this code."))
    return award


def _document(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _binary(media_type: str, description: str) -> dict:
    return {"responses": {200: {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}}}


@router.post(
    "/enrolments/{enrolment_id}/award/issue",
    response={201: IssuedOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    url_name="award_issue",
    summary=(
        "Issue a diploma or a certificate of participation (coordinator): 409 when the criteria for that kind are "
        "not met (the detail names what is missing) or the enrolment already has a valid award"
    ),
)
def issue(request, enrolment_id: int, payload: IssueIn):
    award = services.issue_award(actor=request.user, enrolment_id=enrolment_id, kind=payload.kind)
    return Status(201, issued(award))


# The documents are registered before `/credentials/{code}`.
@router.get(
    "/credentials/{code}/document.pdf",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    auth=[bearer, session],
    url_name="credential_pdf",
    openapi_extra=_binary("application/pdf", "The diploma or certificate as an A4 PDF, exactly as issued."),
    summary="The document as PDF (its holder, coordinators; token or session)",
)
def document_pdf(request, code: str):
    award = _downloadable(request.user, code)
    return _document(pdf.document(award), "application/pdf", pdf.filename(award))


@router.get(
    "/credentials/{code}/credential.jwt",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    auth=[bearer, session],
    url_name="credential_jwt",
    openapi_extra=_binary(status_list.MEDIA_TYPE, "The signed Open Badges 3.0 credential as a compact JWS (VC-JWT)."),
    summary="The signed Open Badges 3.0 credential (its holder, coordinators; token or session)",
)
def credential_jwt(request, code: str):
    award = _downloadable(request.user, code)
    return _document(award.credential, status_list.MEDIA_TYPE, pdf.filename(award).removesuffix(".pdf") + ".jwt")


@router.get(
    "/credentials/{code}",
    response={200: CredentialOut, 404: ErrorOut},
    auth=None,
    url_name="credential",
    summary=(
        "Verify a diploma or certificate by its code (public, any case, with or without dashes): whether it is valid "
        "and what it says; 404 for an unknown code"
    ),
)
def verify(request, code: str, response: HttpResponse):
    response["Cache-Control"] = "no-store"  # a revocation must show at once
    return credential(_known(code))


@router.post(
    "/credentials/{code}/revoke",
    response={200: CredentialOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    url_name="credential_revoke",
    summary="Revoke a diploma or certificate with a reason (coordinator); 409 when it was already revoked",
)
def revoke(request, code: str, payload: RevokeIn):
    return credential(services.revoke_award(actor=request.user, code=code, reason=payload.reason))
