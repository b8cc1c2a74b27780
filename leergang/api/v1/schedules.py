"""Schedule endpoints: the stateless check and plan, and an edition's sessions."""

from ninja import Router

from leergang.catalog import selectors
from leergang.catalog.models import Edition, Weekday
from leergang.core.errors import Invalid
from leergang.scheduling import rules, services

from . import presenters
from .auth import ANONYMOUS_ALLOWED, coordinator_bearer, optional_bearer
from .schedule_schemas import (
    ScheduleCheckIn,
    ScheduleCheckOut,
    ScheduleErrorOut,
    SchedulePlanIn,
    SchedulePlanOut,
    SessionsIn,
    SessionsOut,
    SessionsPlanIn,
)
from .schemas import ErrorOut

router = Router(tags=["schedules"])


def _rules(payload) -> rules.ScheduleRules:
    return rules.ScheduleRules(
        weekday=Weekday[payload.weekday.upper()].value,
        min_gap_days=payload.min_gap_days,
        holiday_region=payload.holiday_region,
    )


def _outside(exc: rules.OutsideKnownYears, field: str) -> Invalid:
    return Invalid(str(exc), [{"field": field, "message": str(exc)}])


@router.post(
    "/schedules/check",
    response={200: ScheduleCheckOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    auth=optional_bearer,
    openapi_extra=ANONYMOUS_ALLOWED,
    summary="Check dates against the scheduling rules (stateless)",
)
def check_schedule(request, payload: ScheduleCheckIn):
    try:
        violations = rules.validate(payload.dates, _rules(payload))
    except rules.OutsideKnownYears as exc:
        raise _outside(exc, "dates") from exc
    return {"valid": not violations, "violations": [v.as_dict() for v in violations]}


@router.post(
    "/schedules/plan",
    response={200: SchedulePlanOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    auth=optional_bearer,
    openapi_extra=ANONYMOUS_ALLOWED,
    summary="The earliest valid dates from a first date (stateless); 422 when none exist",
)
def plan_schedule(request, payload: SchedulePlanIn):
    try:
        dates = rules.plan(payload.first_date, payload.count, _rules(payload))
    except rules.OutsideKnownYears as exc:
        raise _outside(exc, "first_date") from exc
    return {"dates": dates}


def _session_inputs(payload: SessionsIn, language: str) -> list[services.SessionInput]:
    items = []
    for item in payload.sessions:
        themes = {"theme_nl": item.theme_nl, "theme_en": item.theme_en}
        if item.theme is not None and themes[f"theme_{language}"] is None:
            themes[f"theme_{language}"] = item.theme
        items.append(
            services.SessionInput(
                number=item.number,
                kind=item.kind,
                date=item.date,
                start_time=item.start_time,
                end_time=item.end_time,
                delivery_mode=item.delivery_mode,
                **themes,
            )
        )
    return items


def _result(request, edition_id: int, violations) -> dict:
    # The service has found the edition and checked the coordinator: only the stored sessions are
    # read back (two queries; edition_detail's seat count and joins are not shown here).
    edition = selectors.with_sessions(Edition(pk=edition_id))
    return {
        "sessions": [presenters.session(s) for s in edition.sessions.all()],
        "violations": [v.as_dict() for v in violations],
    }


@router.put(
    "/editions/{edition_id}/sessions",
    response={
        200: SessionsOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ScheduleErrorOut,
    },
    auth=coordinator_bearer,
    summary="Replace an edition's sessions, matched by number (coordinator)",
)
def put_sessions(request, edition_id: int, payload: SessionsIn):
    result = services.replace_sessions(
        actor=request.user,
        edition_id=edition_id,
        sessions=_session_inputs(payload, request.LANGUAGE_CODE),
        allow_violations=payload.allow_violations,
    )
    return _result(request, edition_id, result.violations)


@router.post(
    "/editions/{edition_id}/sessions/plan",
    response={200: SessionsOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    summary="Plan and store an edition's sessions from a first date (coordinator)",
)
def plan_sessions(request, edition_id: int, payload: SessionsPlanIn):
    result = services.plan_sessions(actor=request.user, edition_id=edition_id, first_date=payload.first_date)
    return _result(request, edition_id, result.violations)
