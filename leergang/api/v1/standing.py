"""Where an enrolment stands toward its diploma or certificate (M18). No business logic here."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Router

from leergang.accounts import permissions
from leergang.awards import selectors
from leergang.awards.models import Award
from leergang.core.errors import NotFound
from leergang.enrolment.models import Enrolment

from .auth import bearer
from .enrolment_schemas import AwardStandingOut
from .schemas import ErrorOut

router = Router(tags=["awards"])


def visible_enrolment(user, enrolment_id: int) -> Enrolment:
    """The enrolment with its participant and programme if the user may see it (the programme
    office, the edition's teachers, the participant); NotFound for anyone else, alike for an
    enrolment that does not exist."""
    enrolment = Enrolment.objects.select_related("participant", "edition__programme").filter(pk=enrolment_id).first()
    if enrolment is None or not permissions.can_view_enrolment(user, enrolment):
        raise NotFound(_("There is no enrolment with this number."))
    return enrolment


def issued_out(award: Award | None) -> dict | None:
    if award is None:
        return None
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return {
        "code": award.code,
        "kind": award.kind,
        "issued_at": award.issued_at,
        "verify_url": f"{base}/verify/{award.code}",
        "pdf_url": f"{base}/api/v1/credentials/{award.code}/document.pdf",
        "credential_url": f"{base}/api/v1/credentials/{award.code}/credential.jwt",
    }


def award_out(standing: selectors.Standing) -> dict:
    """The contract's award object; the details are in the active (the request's) language."""
    outcome = standing.outcome
    return {
        "award": outcome.award,
        "final": outcome.final,
        "criteria": [{"criterion": c.criterion, "met": c.met, "detail": c.detail} for c in outcome.criteria],
        "diploma_reachable": outcome.diploma_reachable,
        "out_of_reach": standing.out_of_reach,
        "issued": issued_out(standing.award),
    }


@router.get(
    "/enrolments/{enrolment_id}/award",
    response={200: AwardStandingOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=bearer,
    summary=(
        "Where the participant stands toward the diploma (coordinator, the edition's teachers, the participant): "
        "the award, every criterion met or not, and the issued award if any"
    ),
)
def get_award(request, enrolment_id: int):
    enrolment = visible_enrolment(request.user, enrolment_id)
    return award_out(selectors.standing_for(enrolment))
