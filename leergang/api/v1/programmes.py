from django.http import Http404
from ninja import Router
from ninja.decorators import decorate_view

from leergang.catalog import selectors
from leergang.catalog.public_cache import cache_public_api

from . import presenters
from .auth import ANONYMOUS_ALLOWED, optional_bearer
from .schemas import ErrorOut, ProgrammeOut, ProgrammeSummary

router = Router(tags=["programmes"])


@router.get(
    "/programmes",
    response={200: list[ProgrammeSummary], 401: ErrorOut},
    auth=optional_bearer,
    openapi_extra=ANONYMOUS_ALLOWED,
    summary="Published programmes (all programmes for a coordinator)",
)
@decorate_view(cache_public_api)
def list_programmes(request):
    return [presenters.programme_summary(p) for p in selectors.visible_programmes(request.user)]


@router.get(
    "/programmes/{slug}",
    response={200: ProgrammeOut, 401: ErrorOut, 404: ErrorOut},
    auth=optional_bearer,
    openapi_extra=ANONYMOUS_ALLOWED,
    summary="A programme with its learning goals, teachers and editions (drafts only for a coordinator)",
)
@decorate_view(cache_public_api)
def get_programme(request, slug: str):
    if "\x00" in slug:  # no slug has one, and PostgreSQL cannot even look a NUL character up
        raise Http404
    return presenters.programme_detail(selectors.programme_for_api(user=request.user, slug=slug))
