import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils.translation import gettext_noop
from ninja import Field, Schema
from pydantic import AfterValidator, Strict, ValidationInfo, field_validator

Region = Literal["noord", "midden", "zuid"]
Status = Literal["draft", "open", "running", "completed"]
WeekdayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
Mode = Literal["on_site", "online", "hybrid"]
Kind = Literal["content", "closing"]
LanguageCode = Literal["nl", "en"]
CancellationFeeKind = Literal["percentage", "amount"]

# JSON integers only: pydantic would otherwise read `true` as 1 and "12" as 12.
WholeNumber = Annotated[int, Strict()]

PERCENTAGE_MESSAGE = gettext_noop("Enter a percentage from 0 to 100.")
FREE_UNTIL = "Cancelling on or before this date costs nothing; null: the fee applies from the start (when there is one)."
FEE_KIND = "percentage: `cancellation_fee_value` percent of the invoiced amount; amount: a fixed amount in EUR."
FEE_VALUE = 'A percentage (at most "100.00") or an amount in EUR, two decimals; "0.00": cancelling is always free.'
TIME_MESSAGE = gettext_noop("Enter a time as HH:MM, without a time zone (times are in Europe/Amsterdam).")


def _local_time(value: datetime.time) -> datetime.time:
    """Session times are wall-clock times in Amsterdam: an offset would make them ambiguous."""
    if value.tzinfo is not None:
        raise ValueError(TIME_MESSAGE)
    return value.replace(second=0, microsecond=0)


LocalTime = Annotated[datetime.time, AfterValidator(_local_time)]


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def optional(**constraints: Any) -> Any:
    """A field that may be left out but not sent as null (for PATCH): no default shown in the schema."""
    return Field(None, json_schema_extra=_no_default, **constraints)


def _percentage_at_most_100(value: Decimal | None, info: ValidationInfo) -> Decimal | None:
    """A percentage fee is at most 100 (when the kind is known here; the service checks the stored kind too)."""
    if value is not None and info.data.get("cancellation_fee_kind") == "percentage" and value > 100:
        raise ValueError(PERCENTAGE_MESSAGE)
    return value


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str = Field(description="One sentence a person understands, in the language of Accept-Language.")
    errors: list[ErrorItem] = Field(description="What is wrong with which field; may be empty.")


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
    fee: str = Field(description='EUR, two decimals, e.g. "2995.00"')
    status: Status
    holiday_region: Region
    location: str
    language: LanguageCode
    weekday: WeekdayName
    start_time: str = Field(description="HH:MM")
    end_time: str = Field(description="HH:MM")
    min_gap_days: int
    cancellation_free_until: datetime.date | None = Field(description=FREE_UNTIL)
    cancellation_fee_kind: CancellationFeeKind = Field(description=FEE_KIND)
    cancellation_fee_value: str = Field(description=FEE_VALUE)
    cancellation_terms: str = Field(description="The cancellation terms as one sentence, in the language of Accept-Language.")
    sessions: list[SessionOut]


class EditionIn(Schema):
    programme: str = Field(min_length=1, max_length=100, description="The programme's slug.")
    start_date: datetime.date
    capacity: WholeNumber = Field(ge=1, le=10000)
    fee: Decimal = Field(
        ge=Decimal("0"), le=Decimal("1000000"), max_digits=9, decimal_places=2, description='EUR, e.g. "2995.00"'
    )
    holiday_region: Region = "noord"
    location: str = Field("", max_length=300)
    status: Status = "draft"
    language: LanguageCode = "nl"
    weekday: WeekdayName = "wednesday"
    start_time: LocalTime = datetime.time(13, 30)
    end_time: LocalTime = datetime.time(19, 30)
    min_gap_days: WholeNumber = Field(28, ge=0, le=365)
    cancellation_free_until: datetime.date | None = Field(None, description=FREE_UNTIL)
    cancellation_fee_kind: CancellationFeeKind = Field("percentage", description=FEE_KIND)
    cancellation_fee_value: Decimal = Field(
        Decimal("0.00"), ge=Decimal("0"), le=Decimal("1000000"), max_digits=9, decimal_places=2, description=FEE_VALUE
    )

    @field_validator("cancellation_fee_value")
    @classmethod
    def _fee_at_most_100(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        return _percentage_at_most_100(value, info)


class EditionPatch(Schema):
    """Any of EditionIn's fields; a field left out keeps its value, null is not a value."""

    programme: str = optional(min_length=1, max_length=100, description="The programme's slug.")
    start_date: datetime.date = optional()
    capacity: WholeNumber = optional(ge=1, le=10000)
    fee: Decimal = optional(ge=Decimal("0"), le=Decimal("1000000"), max_digits=9, decimal_places=2)
    holiday_region: Region = optional()
    location: str = optional(max_length=300)
    status: Status = optional()
    language: LanguageCode = optional()
    weekday: WeekdayName = optional()
    start_time: LocalTime = optional()
    end_time: LocalTime = optional()
    min_gap_days: WholeNumber = optional(ge=0, le=365)
    cancellation_free_until: datetime.date | None = optional(description=f"{FREE_UNTIL} May be sent as null.")
    cancellation_fee_kind: CancellationFeeKind = optional(description=FEE_KIND)
    cancellation_fee_value: Decimal = optional(
        ge=Decimal("0"), le=Decimal("1000000"), max_digits=9, decimal_places=2, description=FEE_VALUE
    )

    @field_validator("cancellation_fee_value")
    @classmethod
    def _fee_at_most_100(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        return _percentage_at_most_100(value, info)
