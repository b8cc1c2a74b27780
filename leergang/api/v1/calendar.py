from ninja import Router

from leergang.api.middleware import api_language
from leergang.catalog import selectors
from leergang.scheduling import ics
from leergang.scheduling.views import calendar_response

from .auth import ANONYMOUS_ALLOWED, optional_bearer
from .schemas import ErrorOut

router = Router(tags=["calendar"])

ICS_RESPONSE = {
    "responses": {
        200: {
            "description": "The edition's sessions as an iCalendar (RFC 5545) feed, times in Europe/Amsterdam.",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/editions/{edition_id}/calendar.ics",
    response={200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=optional_bearer,
    openapi_extra={**ANONYMOUS_ALLOWED, **ICS_RESPONSE},
    url_name="edition_calendar",
    summary="An edition's sessions as a calendar feed (.ics; public unless draft)",
)
def edition_calendar(request, edition_id: int):
    edition = selectors.edition_detail(user=request.user, edition_id=edition_id)
    body = ics.edition_calendar(edition, edition.sessions.all(), language=api_language(request))
    return calendar_response(body, filename=f"{edition.programme.slug}-{edition.start_date:%Y-%m-%d}.ics")
