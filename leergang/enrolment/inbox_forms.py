"""Forms of the coordinator's applications inbox and application page: the status filter, the bulk
decision, planning an intake, recording its outcome, the decision and cancelling an enrolment.

The forms only check what the coordinator typed; the services decide what may happen (a full
edition, an application already decided) and their domain errors are put on these forms by
`add_domain_error`. Dates and times travel as ISO values (a datetime-local input), read in the
current time zone (Europe/Amsterdam), whatever the page's language.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.core.errors import DomainError
from leergang.invoicing.rules import MAX_REASON_LENGTH

from .models import ApplicationStatus, Intake, IntakeMode, IntakeOutcome

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
DATETIME_FORMATS = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S"]
MAX_NOTE = 2000
MAX_REASON = MAX_REASON_LENGTH  # what a credit note can carry

# The statuses the inbox filters on, in the order the filter shows them.
FILTER_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INTAKE_PLANNED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.OFFERED,
    ApplicationStatus.ADMITTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WITHDRAWN,
)

# The statuses in which an intake can still be planned and a decision taken (as the services allow).
PLANNABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.INTAKE_PLANNED, ApplicationStatus.WAITLISTED)
DECIDABLE = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INTAKE_PLANNED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.OFFERED,
)

ADMIT, WAITLIST, DECLINE = "admit", "waitlist", "decline"
DECISION_LABELS = {
    ADMIT: _("Admit"),
    WAITLIST: _("Put on the waiting list"),
    DECLINE: _("Decline"),
}


def decision_choices(status: str) -> list[tuple[str, Any]]:
    """What can be decided from a status: the waiting list only for an application not on it (or
    offered a seat from it) already."""
    if status in (ApplicationStatus.WAITLISTED, ApplicationStatus.OFFERED):
        return [(ADMIT, DECISION_LABELS[ADMIT]), (DECLINE, DECISION_LABELS[DECLINE])]
    return list(DECISION_LABELS.items())


def status_filter(value: Any) -> str:
    """The status the inbox shows (`?status=...`); anything unknown shows every application."""
    return value if value in FILTER_STATUSES else ""


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format=DATETIME_LOCAL)


class DomainErrorsMixin:
    """Put a service's error on the form: its field messages at their fields, the rest on top."""

    def add_domain_error(self, exc: DomainError, *, field_map: dict[str, str] | None = None) -> None:
        mapping = field_map or {}
        self.add_error(None, str(exc.detail))
        for error in exc.errors:
            name = mapping.get(str(error.get("field", "")), str(error.get("field", "")))
            message = str(error.get("message", ""))
            if not message:
                continue
            if name in self.fields:
                self.add_error(name, message)
            elif message not in self.non_field_errors():
                self.add_error(None, message)

    def add_model_error(self, exc: ValidationError, *, field_map: dict[str, str] | None = None) -> None:
        """A model's full_clean() refusal (the form checks the same, so this is a safety net)."""
        mapping = field_map or {}
        for name, messages in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
            target = mapping.get(name, name)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class IntakeForm(DomainErrorsMixin, forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_("Dutch time (Europe/Amsterdam). The applicant is invited by e-mail straight away."),
        error_messages={
            "required": _("Choose the date and time of the intake."),
            "invalid": _("Enter a date and time, for example 2027-01-05 10:30."),
        },
    )
    mode = forms.ChoiceField(
        label=_("Online or on site"),
        choices=IntakeMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose online or on site.")},
    )
    interviewer = forms.CharField(
        label=_("With whom"),
        max_length=Intake._meta.get_field("interviewer").max_length,
        help_text=_("The name the applicant sees in the invitation, for example the lead teacher's."),
        error_messages={"required": _("Fill in who holds the intake.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "intake")
        super().__init__(*args, **kwargs)

    def clean_scheduled_at(self) -> datetime.datetime:
        moment = self.cleaned_data["scheduled_at"]
        if moment <= timezone.now():
            raise forms.ValidationError(_("Choose a moment that has not passed yet."))
        return moment

    def clean_interviewer(self) -> str:
        value = self.cleaned_data["interviewer"].strip()
        if not value:
            raise forms.ValidationError(_("Fill in who holds the intake."))
        return value


OUTCOME_CHOICES = [(value, label) for value, label in IntakeOutcome.choices if value != IntakeOutcome.PENDING]


class OutcomeForm(DomainErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the intake go?"),
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome of the intake.")},
    )
    note = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the programme office only; the applicant does not see them."),
    )

    def __init__(self, *args: Any, intake: Intake, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"outcome-{intake.pk}")
        if not args and "initial" not in kwargs and intake.outcome != IntakeOutcome.PENDING:
            kwargs["initial"] = {"outcome": intake.outcome, "note": intake.outcome_note}
        super().__init__(*args, **kwargs)
        self.intake = intake


class DecisionForm(DomainErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose admit, waitlist or decline."),
            "invalid_choice": _("Choose one of the decisions shown."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the decision in the history; the applicant does not see it."),
    )

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decision_choices(status)


class CancelForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed on the credit note, for example “Cancelled by the participant before the start”."),
    )
    # Shown only when a cancellation fee applies; ticked, no fee invoice is issued (audited with the reason).
    waive_fee = forms.BooleanField(
        label=_("Waive the cancellation fee"),
        required=False,
        help_text=_("No fee invoice is issued. Give the reason above; it is kept in the history."),
    )
    confirm = forms.BooleanField(
        label=_("Yes, cancel this enrolment and credit its invoice"),
        error_messages={"required": _("Tick the box to confirm the cancellation.")},
    )


class BulkDecisionForm(forms.Form):
    """One decision for several applications of an edition, ticked in the inbox."""

    decision = forms.ChoiceField(
        label=_("Decision for the selected applications"),
        choices=[("", _("Choose a decision")), *DECISION_LABELS.items()],
        error_messages={"required": _("Choose a decision for the selected applications.")},
    )
    applications = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": _("Select one or more applications first."),
            "invalid_choice": _("One of the selected applications is not in this list any more; reload the page."),
        },
    )
    status = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, application_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [(str(pk), str(pk)) for pk in application_ids]
