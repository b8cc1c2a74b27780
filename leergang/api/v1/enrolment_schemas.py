import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_noop
from ninja import Field, Schema
from pydantic import AfterValidator

from .schemas import WholeNumber

ApplicationStatus = Literal["submitted", "intake_planned", "admitted", "waitlisted", "offered", "declined", "withdrawn"]
Level = Literal["wo", "hbo", "other"]


EMAIL_MESSAGE = gettext_noop("Enter an e-mail address such as name@municipality.nl.")


def _email(value: str) -> str:
    value = value.strip()
    try:
        validate_email(value)
    except DjangoValidationError as exc:
        raise ValueError(EMAIL_MESSAGE) from exc
    return value


# Checked as Django checks e-mail fields (no extra package), at most 254 characters.
EmailStr = Annotated[str, Field(max_length=254), AfterValidator(_email)]

MOMENT_OFFSET_MESSAGE = gettext_noop(
    "Enter a date and time with a time zone offset of at most 14 hours, such as 2027-01-05T10:30:00+01:00."
)
MOMENT_YEAR_MESSAGE = gettext_noop("Enter a date and time from the year 1900 to 2999.")
MOMENT_DESCRIPTION = "ISO 8601 with a UTC offset of at most 14 hours (2027-01-05T10:30:00+01:00), year 1900 to 2999."


def _moment(value: datetime.datetime) -> datetime.datetime:
    """A moment every database stores and every page can show: with an offset (a real one: at most
    14 hours; PostgreSQL refuses larger ones), and a year far from the calendar's ends, where
    converting it to another time zone would overflow."""
    offset = value.utcoffset()
    if offset is None or abs(offset) > datetime.timedelta(hours=14):
        raise ValueError(MOMENT_OFFSET_MESSAGE)
    if not 1900 <= value.year <= 2999:
        raise ValueError(MOMENT_YEAR_MESSAGE)
    return value


Moment = Annotated[datetime.datetime, AfterValidator(_moment)]


class InvoiceAddressIn(Schema):
    organisation: str = Field(min_length=1, max_length=200)
    address: str = Field(min_length=1, max_length=200)
    postal_code: str = Field(min_length=1, max_length=20)
    city: str = Field(min_length=1, max_length=100)
    email: EmailStr
    po_number: str | None = Field(None, max_length=100)


class ApplicationIn(Schema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=150)
    email: EmailStr
    phone: str | None = Field(None, max_length=40)
    organisation: str = Field(min_length=1, max_length=200)
    job_title: str = Field(min_length=1, max_length=200)
    education_level: Level
    education_note: str | None = Field(None, max_length=500)
    years_experience: WholeNumber = Field(ge=0, le=80)
    leadership_role: bool
    challenge: str = Field(min_length=1, max_length=5000)
    invoice: InvoiceAddressIn
    dietary_requirements: str | None = Field(None, max_length=500)
    discount_code: str | None = Field(
        None, max_length=50, description="Optional; checked against the edition (422 on `discount_code` when it cannot be used)."
    )
    privacy_consent: Literal[True] = Field(description="Must be true: the applicant consents to the privacy statement.")
    terms_accepted: bool = True


class UnmetOut(Schema):
    criterion: Literal["level", "experience", "leadership"]
    message: str


class ScreeningOut(Schema):
    meets_profile: bool
    unmet: list[UnmetOut]


class ApplicationCreatedOut(Schema):
    id: int
    status: ApplicationStatus
    screening: ScreeningOut


class IntakeOut(Schema):
    id: int
    scheduled_at: datetime.datetime
    mode: Literal["online", "on_site"]
    interviewer: str
    outcome: Literal["pending", "positive", "doubtful", "negative"]


class ApplicationOut(Schema):
    id: int
    status: ApplicationStatus
    edition: int
    first_name: str
    last_name: str
    email: str
    phone: str
    organisation: str
    job_title: str
    education_level: Level
    education_note: str
    years_experience: int
    leadership_role: bool
    challenge: str
    invoice: dict
    dietary_requirements: str
    discount_code: str
    screening: ScreeningOut
    intakes: list[IntakeOut]
    submitted_at: datetime.datetime
    enrolment_id: int | None
    invoice_number: str | None


class IntakeIn(Schema):
    scheduled_at: Moment = Field(description=MOMENT_DESCRIPTION)
    mode: Literal["online", "on_site"]
    interviewer: str = Field(min_length=1, max_length=200)


class DecisionIn(Schema):
    decision: Literal["admit", "waitlist", "decline"]
    note: str | None = Field(None, max_length=5000)


class DecisionOut(Schema):
    status: Literal["admitted", "waitlisted", "declined"]
    enrolment_id: int | None
    invoice_number: str | None


class DirectEnrolmentIn(Schema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=150)
    email: EmailStr
    organisation: str = Field("", max_length=200)
    invoice: InvoiceAddressIn | Literal[False] | None = None
    language: Literal["nl", "en"] = "nl"


class DirectEnrolmentOut(Schema):
    enrolment_id: int
    invoice_number: str | None


class ParticipantOut(Schema):
    name: str
    email: str


class PaperOut(Schema):
    status: Literal["missing", "submitted", "sufficient", "insufficient"]
    submitted_at: datetime.datetime | None


class AttendanceRowOut(Schema):
    session: int = Field(description="The session's id.")
    status: Literal["present", "absent", "excused"]


class CriterionOut(Schema):
    criterion: Literal["attendance", "paper", "presentation"]
    met: bool
    detail: str = Field(description="Where the participant stands on this criterion, in the request's language.")


class IssuedAwardOut(Schema):
    code: str
    kind: Literal["diploma", "certificate"]
    issued_at: datetime.datetime
    verify_url: str
    pdf_url: str
    credential_url: str


class AwardStandingOut(Schema):
    award: Literal["diploma", "certificate", "none"] = Field(
        description="What the participant earns: the final award once `final`, before that the current standing."
    )
    final: bool = Field(description="True once the closing session's date has come.")
    criteria: list[CriterionOut] = Field(description="The programme's diploma criteria, each met or not.")
    diploma_reachable: bool = Field(description="Whether every diploma criterion is met or can still be met.")
    out_of_reach: bool = Field(
        description="The early warning: before the outcome is final, so many content sessions were missed that the "
        "diploma can no longer be reached."
    )
    issued: IssuedAwardOut | None = Field(description="The valid (not revoked) issued diploma or certificate, if any.")


class EnrolmentOut(Schema):
    id: int
    edition: int
    participant: ParticipantOut
    organisation: str
    status: Literal["enrolled", "cancelled"]
    invoice_number: str | None
    credit_note_number: str | None
    attendance: list[AttendanceRowOut] = Field(description="The recorded attendance, in session order.")
    paper: PaperOut
    presented: bool | None
    award: AwardStandingOut = Field(description="As GET /enrolments/{id}/award.")


class CancelIn(Schema):
    reason: str | None = Field(None, max_length=1000)
    waive_fee: bool = False


class CancelOut(Schema):
    enrolment_id: int
    status: Literal["cancelled"]
    credit_note_number: str | None
    fee_invoice_number: str | None
    cancellation_fee: str
    offered_application_id: int | None
