from django.utils.translation import gettext as _
from ninja import Router

from leergang.accounts import permissions
from leergang.catalog import selectors, services
from leergang.catalog.models import Programme, Weekday
from leergang.core.errors import Invalid, PermissionDenied

from . import presenters
from .auth import bearer, optional_bearer
from .schemas import EditionIn, EditionOut, EditionPatch, ErrorOut

router = Router(tags=["editions"])

NOT_NULLABLE = {"programme", "start_date", "capacity", "fee", "holiday_region", "status", "language", "weekday", "start_time", "end_time", "min_gap_days"}


def _require_manager(request) -> None:
    if not permissions.can_manage_editions(request.user):
        raise PermissionDenied(_("Only the programme office can change editions."))


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


def _edition_response(request, edition_id: int) -> dict:
    return presenters.edition_detail(selectors.edition_detail(user=request.user, edition_id=edition_id))


@router.post(
    "/editions",
    response={201: EditionOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=bearer,
    summary="Create an edition (coordinator)",
)
def create_edition(request, payload: EditionIn):
    _require_manager(request)
    fields = _model_fields(payload.dict())
    edition = services.create_edition(actor=request.user, **fields)
    return 201, _edition_response(request, edition.id)


@router.get(
    "/editions/{edition_id}",
    response={200: EditionOut, 401: ErrorOut, 404: ErrorOut},
    auth=optional_bearer,
    summary="An edition with its sessions (public unless draft)",
)
def get_edition(request, edition_id: int):
    return _edition_response(request, edition_id)


@router.patch(
    "/editions/{edition_id}",
    response={200: EditionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=bearer,
    summary="Change an edition (coordinator); capacity below seats taken is a 409",
)
def patch_edition(request, edition_id: int, payload: EditionPatch):
    _require_manager(request)
    selectors.edition_detail(user=request.user, edition_id=edition_id)  # 404 before anything else
    changes = payload.dict(exclude_unset=True)
    empty = [name for name, value in changes.items() if value is None and name in NOT_NULLABLE]
    if empty:
        raise Invalid(
            _("Some fields are not valid; see errors for what to change."),
            [{"field": name, "message": _("This field may not be empty.")} for name in empty],
        )
    if changes.get("location") is None:
        changes.pop("location", None)
    services.update_edition(actor=request.user, edition_id=edition_id, changes=_model_fields(changes))
    return _edition_response(request, edition_id)
