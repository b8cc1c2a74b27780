from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from . import ics, selectors

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_response(body: bytes, *, filename: str) -> HttpResponse:
    """An .ics body as calendar apps and browsers expect it: shown or opened, not saved as a download."""
    response = HttpResponse(body, content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_not_required  # the secret token in the address is the key: calendar apps cannot log in
@require_safe
def participant_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A participant's private feed: the sessions of all their active enrolments, in their language."""
    enrolments = selectors.calendar_enrolments(token=token)
    if not enrolments:
        raise Http404("unknown calendar token, or the token of a cancelled enrolment")
    language = enrolments[0].participant_language
    response = calendar_response(ics.participant_calendar(enrolments, language=language), filename="leergang.ics")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
