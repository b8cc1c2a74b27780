from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from leergang.catalog import selectors, services
from leergang.catalog.models import Programme, Weekday
from leergang.core.errors import Invalid
from leergang.enrolment import cancellation_rules

from . import presenters
from .auth import ANONYMOUS_ALLOWED, coordinator_bearer, optional_bearer
from .schemas import EditionIn, EditionOut, EditionPatch, ErrorOut

router = Router(tags=["editions"])


def _present(edition) -> dict:
    """The edition as presenters.edition_detail shows it, with its cancellation terms (no queries)."""
    return {
        **presenters.edition_detail(edition),
        "cancellation_free_until": edition.cancellation_free_until,
        "cancellation_fee_kind": edition.cancellation_fee_kind,
        "cancellation_fee_value": f"{edition.cancellation_fee_value:.2f}",
        "cancellation_terms": cancellation_rules.summary(cancellation_rules.Terms.of(edition)),
    }


def _model_fields(data: dict) -> dict:
    """Contract names to model values: the programme's slug to the programme, weekday names to numbers."""
    fields = dict(data)
    if "programme" in fields:
        programme = Programme.objects.filter(slug=fields["programme"]).first()
        if programme is None:
            raise Invalid(
                _("There is no programme with this slug."),
                [{"field": "programme", "message": _("Use the slug of an existing programme.")}],
            )
        fields["programme"] = programme
    if "weekday" in fields:
        fields["weekday"] = Weekday[fields["weekday"].upper()].value
    return fields


@router.post(
    "/editions",
    response={201: EditionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    summary="Create an edition (coordinator)",
    description=(
        "Cancellation terms: free until `cancellation_free_until` (inclusive), then a fee: `cancellation_fee_kind` "
        "percentage (of the invoiced amount, at most 100) or amount (EUR), `cancellation_fee_value` (default "
        '"0.00": always free). A percentage over 100, a negative value or an unknown kind is a 422; nothing is stored.'
    ),
)
def create_edition(request, payload: EditionIn):
    fields = _model_fields(payload.dict())
    edition = services.create_edition(actor=request.user, **fields)
    return Status(201, _present(selectors.edition_detail(user=request.user, edition_id=edition.id)))


@router.get(
    "/editions/{edition_id}",
    response={200: EditionOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=optional_bearer,
    openapi_extra=ANONYMOUS_ALLOWED,
    summary="An edition with its sessions and cancellation terms (public unless draft)",
)
def get_edition(request, edition_id: int):
    return _present(selectors.edition_detail(user=request.user, edition_id=edition_id))


@router.patch(
    "/editions/{edition_id}",
    response={200: EditionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    summary="Change an edition (coordinator); capacity below seats taken is a 409",
    description=(
        "Any field of POST /editions, the cancellation terms included (`cancellation_free_until` may be null: no "
        "free period). A percentage fee over 100 (also with the kind already stored), a negative value or an unknown "
        "kind is a 422; nothing is stored."
    ),
)
def patch_edition(request, edition_id: int, payload: EditionPatch):
    changes = _model_fields(payload.dict(exclude_unset=True))
    edition = services.update_edition(actor=request.user, edition_id=edition_id, changes=changes)
    return _present(selectors.with_sessions(edition))
