"""Forms of the coordinator's schedule page: one row per session, the planner's first date and
the explicit acceptance of rule violations. Dates and times travel as ISO values (type="date" and
type="time" inputs), whatever the page's language."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from leergang.catalog.models import DeliveryMode, Session, SessionKind

from . import cells
from .services import SessionInput

# One renderer for all rows (an instance: a class would build a template engine per form).
ROW_RENDERER = cells.RowWidgetRenderer()
PREFIX = "sessions"
MAX_SESSIONS = 60
ROW_FIELDS = ("number", "kind", "date", "start_time", "end_time", "delivery_mode", "theme_nl", "theme_en")
ISO_DATE = "%Y-%m-%d"
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def violations_id(form: forms.Form) -> str:
    """The id of the element that lists a row's rule violations (filled in by the live check)."""
    return prefixed_violations_id(form.prefix)


def prefixed_violations_id(prefix: str) -> str:
    return f"{prefix}-violations"


class RowDateBoundField(BoundField):
    """A session's date is also described by the row's rule violations."""

    @property
    def aria_describedby(self) -> str:
        ids = [super().aria_describedby or "", violations_id(self.form)]
        return " ".join(i for i in ids if i)


class SessionRowForm(forms.Form):
    default_renderer = ROW_RENDERER
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=999)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    date = forms.DateField(
        label=_("Date"),
        input_formats=[ISO_DATE],
        widget=DateInput(),
        bound_field_class=RowDateBoundField,
        error_messages={"required": _("Choose a date."), "invalid": _("Enter a date, for example 2027-01-13.")},
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        input_formats=TIME_FORMATS,
        widget=TimeInput(),
        error_messages={"required": _("Choose a start time."), "invalid": _("Enter a time, for example 13:30.")},
    )
    end_time = forms.TimeField(
        label=_("End time"),
        input_formats=TIME_FORMATS,
        widget=TimeInput(),
        error_messages={"required": _("Choose an end time."), "invalid": _("Enter a time, for example 19:30.")},
    )
    delivery_mode = forms.ChoiceField(label=_("Delivery mode"), choices=DeliveryMode.choices)
    theme_nl = forms.CharField(label=_("Theme (Dutch)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    theme_en = forms.CharField(label=_("Theme (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].error_messages["required"] = _("Give the session a number.")

    def to_input(self) -> SessionInput:
        data = self.cleaned_data
        return SessionInput(
            number=data["number"],
            date=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            kind=data["kind"],
            delivery_mode=data["delivery_mode"],
            theme_nl=data["theme_nl"],
            theme_en=data["theme_en"],
        )

    def raw(self) -> dict[str, Any]:
        """The row's values as entered (valid or not), to show them again."""
        return {name: self[name].value() for name in ROW_FIELDS}

    def posted_date(self) -> datetime.date | None:
        """The row's date if it is a valid date (other fields may still be wrong)."""
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        return self.cleaned_data.get("date")


class BaseSessionFormSet(forms.BaseFormSet):
    def management_html(self) -> SafeString:
        """The management form's hidden inputs: what its form template writes when the form has no
        errors (only tampered data has), without that template's cost. A method, handed to the
        templates as it is: `{{ formset.management_html }}` would first try `formset["management_html"]`,
        which builds every row's form before it fails."""
        form = self.management_form
        if form.errors:
            return form.render()
        return mark_safe("".join(str(field) for field in form.hidden_fields()))  # noqa: S308 - rendered widgets

    def raw_rows(self) -> list[dict[str, Any]]:
        """Each row's values as entered, as `SessionRowForm.raw` gives them, read from the data
        without building the row forms (which only the rows shown again need): every row widget
        takes its value from the data as it is."""
        if not self.is_bound:
            return [form.raw() for form in self.forms]
        data = self.data
        return [
            {name: data.get(f"{self.add_prefix(index)}-{name}") for name in ROW_FIELDS}
            for index in range(self.total_form_count())
        ]


def initial_rows(formset: BaseSessionFormSet) -> list[Mapping[str, Any]]:
    """The initial values of an unbound formset's rows, one per form it would build."""
    initial = formset.initial or []
    return [initial[index] if index < len(initial) else {} for index in range(formset.total_form_count())]


def unbound_cells() -> cells.UnboundCells:
    """The writer of unbound rows' cells (see cells.UnboundCells), for one table."""
    return cells.UnboundCells(
        SessionRowForm.base_fields,
        ROW_FIELDS,
        described={name for name, field in SessionRowForm.base_fields.items() if field.bound_field_class is RowDateBoundField},
        renderer=ROW_RENDERER,
    )


SessionFormSet = forms.formset_factory(
    SessionRowForm,
    formset=BaseSessionFormSet,
    extra=0,
    max_num=MAX_SESSIONS,
    absolute_max=MAX_SESSIONS,
    validate_max=True,
    renderer=ROW_RENDERER,
)


def session_rows(sessions: list[Session]) -> list[dict[str, Any]]:
    """Stored sessions as rows of the form."""
    return [{name: getattr(session, name) for name in ROW_FIELDS} for session in sessions]


def bound_rows(data: Any) -> BaseSessionFormSet:
    return SessionFormSet(data, prefix=PREFIX)


def unbound_rows(rows: list[dict[str, Any]]) -> BaseSessionFormSet:
    return SessionFormSet(initial=rows, prefix=PREFIX)


def has_rows(data: Any) -> bool:
    """Whether a request carries the rows of the form (the planner's own form does not without htmx)."""
    return f"{PREFIX}-TOTAL_FORMS" in data


class PlanForm(forms.Form):
    default_renderer = ROW_RENDERER  # its date input, written out as the rows' are
    first_date = forms.DateField(
        label=_("First date"),
        input_formats=[ISO_DATE],
        widget=DateInput(attrs={"aria-describedby": "first-date-help first-date-error"}),
        error_messages={
            "required": _("Choose the first date to plan from."),
            "invalid": _("Enter a date, for example 2027-01-13."),
        },
    )


class AcceptForm(forms.Form):
    default_renderer = ROW_RENDERER
    accept_violations = forms.BooleanField(label=_("I accept these violations"), required=False)
