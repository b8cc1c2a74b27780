import datetime
from typing import Literal

from ninja import Field, Schema

from .schemas import ErrorItem, Kind, LocalTime, Mode, Region, SessionOut, WeekdayName, WholeNumber

Rule = Literal["weekday", "min_gap", "school_holiday", "public_holiday"]


class ViolationOut(Schema):
    date: datetime.date
    rule: Rule
    message: str


class ScheduleCheckIn(Schema):
    dates: list[datetime.date] = Field(max_length=100)
    weekday: WeekdayName = "wednesday"
    min_gap_days: WholeNumber = Field(28, ge=0, le=365)
    holiday_region: Region = "noord"


class ScheduleCheckOut(Schema):
    valid: bool
    violations: list[ViolationOut]


class SchedulePlanIn(Schema):
    first_date: datetime.date
    count: WholeNumber = Field(7, ge=1, le=20)
    weekday: WeekdayName = "wednesday"
    min_gap_days: WholeNumber = Field(28, ge=0, le=365)
    holiday_region: Region = "noord"


class SchedulePlanOut(Schema):
    dates: list[datetime.date]


class SessionIn(Schema):
    number: WholeNumber = Field(ge=1, le=100)
    kind: Kind = "content"
    date: datetime.date
    start_time: LocalTime | None = Field(None, description="HH:MM; the edition's start time when left out")
    end_time: LocalTime | None = Field(None, description="HH:MM; the edition's end time when left out")
    theme: str | None = Field(None, max_length=2000, description="In the request's language (Accept-Language)")
    theme_nl: str | None = Field(None, max_length=2000)
    theme_en: str | None = Field(None, max_length=2000)
    delivery_mode: Mode = "on_site"


class SessionsIn(Schema):
    sessions: list[SessionIn] = Field(max_length=50)
    allow_violations: bool = False


class SessionsOut(Schema):
    sessions: list[SessionOut]
    violations: list[ViolationOut]


class SessionsPlanIn(Schema):
    first_date: datetime.date


class ScheduleErrorOut(Schema):
    """The error format, plus the violations when a schedule breaks a rule."""

    detail: str
    errors: list[ErrorItem]
    violations: list[ViolationOut] = []
