import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

Region = Literal["noord", "midden", "zuid"]
Status = Literal["draft", "open", "running", "completed"]
WeekdayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
Mode = Literal["on_site", "online", "hybrid"]
Kind = Literal["content", "closing"]
LanguageCode = Literal["nl", "en"]


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class TeacherOut(Schema):
    name: str
    position: str
    bio: str


class EditionBrief(Schema):
    id: int
    start_date: datetime.date
    status: Status
    seats_taken: int
    capacity: int
    full: bool


class ProgrammeSummary(Schema):
    slug: str
    title: str
    tagline: str
    url: str


class ProgrammeOut(Schema):
    slug: str
    title: str
    tagline: str
    description: str
    learning_goals: list[str]
    participant_profile: str
    fee_includes: str
    vat_exempt: bool
    preparation_hours_per_session: int
    paper_hours: int
    contact_email: str
    lead_teachers: list[TeacherOut]
    editions: list[EditionBrief]
    url: str


class SessionPartOut(Schema):
    title: str
    teacher: str | None


class SessionOut(Schema):
    id: int
    number: int
    kind: Kind
    date: datetime.date
    start_time: str = Field(description="HH:MM")
    end_time: str = Field(description="HH:MM")
    theme: str
    delivery_mode: Mode
    parts: list[SessionPartOut]


class EditionOut(Schema):
    id: int
    programme: str = Field(description="The programme's slug.")
    start_date: datetime.date
    capacity: int
    seats_taken: int
    full: bool
    fee: str = Field(description="EUR, two decimals, e.g. \"2995.00\"")
    status: Status
    holiday_region: Region
    location: str
    language: LanguageCode
    weekday: WeekdayName
    start_time: str = Field(description="HH:MM")
    end_time: str = Field(description="HH:MM")
    min_gap_days: int
    sessions: list[SessionOut]


class EditionIn(Schema):
    programme: str = Field(min_length=1, max_length=100, description="The programme's slug.")
    start_date: datetime.date
    capacity: int = Field(ge=1, le=10000)
    fee: Decimal = Field(ge=Decimal("0"), le=Decimal("1000000"), max_digits=9, decimal_places=2)
    holiday_region: Region = "noord"
    location: str = Field("", max_length=300)
    status: Status = "draft"
    language: LanguageCode = "nl"
    weekday: WeekdayName = "wednesday"
    start_time: datetime.time = datetime.time(13, 30)
    end_time: datetime.time = datetime.time(19, 30)
    min_gap_days: int = Field(28, ge=0, le=365)


class EditionPatch(Schema):
    programme: str | None = Field(None, min_length=1, max_length=100)
    start_date: datetime.date | None = None
    capacity: int | None = Field(None, ge=1, le=10000)
    fee: Decimal | None = Field(None, ge=Decimal("0"), le=Decimal("1000000"), max_digits=9, decimal_places=2)
    holiday_region: Region | None = None
    location: str | None = Field(None, max_length=300)
    status: Status | None = None
    language: LanguageCode | None = None
    weekday: WeekdayName | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    min_gap_days: int | None = Field(None, ge=0, le=365)
