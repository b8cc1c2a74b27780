"""The public registration form (M3): what an applicant fills in, checked field by field.

The form only checks what a person typed; storing, screening and the confirmation e-mail are
`services.submit_application`'s business. Lengths come from the model so the two never disagree.
Every error message says what to do, in the applicant's language.

The fields are written out by `render_field` below rather than by Django's widget templates: the
form page is a public hot path (quality bar P3 asks 0.2x the throughput of /healthz) and rendering
24 widgets through templates cost about 10 ms a page; the HTML is the same as Django writes.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from leergang.invoicing import discount_rules, discounts

from .models import Application, EducationLevel
from .services import ApplicationInput

# The hidden key that makes a double submit one application: 43 URL-safe characters (256 bits).
SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
MAX_YEARS = 80  # the model's plausibility constraint
MAX_CHALLENGE = 4000

# The field groups as the page shows them: (legend, intro, field names).
GROUPS = (
    (_("About you"), "", ("first_name", "last_name", "email", "phone")),
    (
        _("Your work"),
        "",
        ("organisation", "job_title", "education_level", "education_note", "years_experience", "leadership_role", "challenge"),
    ),
    (
        _("Invoice"),
        _("The invoice usually goes to your employer. Fill in the details of the department that pays it."),
        ("invoice_organisation", "invoice_address", "invoice_postal_code", "invoice_city", "invoice_email", "invoice_po_number"),
    ),
    (_("Practical"), "", ("dietary_requirements", "discount_code")),
    (_("Consent"), "", ("terms_accepted", "privacy_consent")),
)

# The rendered fieldsets of an empty form per language (see ApplicationForm.groups).
_EMPTY_FORM_GROUPS: dict[str, list] = {}

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class TelInput(forms.TextInput):
    input_type = "tel"


def new_submission_key() -> str:
    return secrets.token_urlsafe(32)


def _max_length(name: str) -> int:
    return Application._meta.get_field(name).max_length


def _too_long() -> str:
    return _("Use at most %(limit_value)d characters; you used %(show_value)d.")


def _text(name: str, label, required_message, *, required: bool = True, autocomplete: str = "", help_text="", **attrs):
    widget_attrs = {"autocomplete": autocomplete or "off", **attrs}
    return forms.CharField(
        label=label,
        max_length=_max_length(name),
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs=widget_attrs),
        error_messages={"required": required_message, "max_length": _too_long()},
    )


def _email(name: str, label, message, *, autocomplete: str, help_text=""):
    return forms.EmailField(
        label=label,
        max_length=_max_length(name),
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false", "autocapitalize": "none"}),
        error_messages={"required": message, "invalid": message, "max_length": _too_long()},
    )


class ApplicationForm(forms.Form):
    """One column of plain fields; `groups()` gives them in their fieldsets."""

    first_name = _text("first_name", _("First name"), _("Enter your first name."), autocomplete="given-name")
    last_name = _text(
        "last_name",
        _("Last name"),
        _("Enter your last name."),
        autocomplete="family-name",
        help_text=_("Including any prefix, for example “van der Berg”."),
    )
    email = _email(
        "email",
        _("E-mail address"),
        _("Enter your e-mail address, for example name@municipality.nl."),
        autocomplete="email",
        help_text=_("We send the confirmation and all further messages to this address."),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        max_length=_max_length("phone"),
        required=False,
        help_text=_("So that the programme office can call you about your application, for example to plan an intake."),
        widget=TelInput(attrs={"autocomplete": "tel"}),
        error_messages={"max_length": _too_long()},
    )

    organisation = _text(
        "organisation",
        _("Organisation"),
        _("Enter the name of the organisation you work for."),
        autocomplete="organization",
        help_text=_("Where you work now, for example “Gemeente Utrecht”."),
    )
    job_title = _text("job_title", _("Job title"), _("Enter your job title."), autocomplete="organization-title")
    education_level = forms.ChoiceField(
        label=_("Your highest level of education"),
        choices=EducationLevel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your highest level of education."),
            "invalid_choice": _("Choose your highest level of education."),
        },
    )
    education_note = forms.CharField(
        label=_("Your education or comparable experience"),
        max_length=_max_length("education_note"),
        required=False,
        help_text=_(
            "Only if you chose “Other”: which education do you have, or which experience shows that you work "
            "at a comparable level?"
        ),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        error_messages={"max_length": _too_long()},
    )
    years_experience = forms.IntegerField(
        label=_("Years of relevant work experience"),
        min_value=0,
        max_value=MAX_YEARS,
        help_text=_("Count the years in which you worked in or with (semi-)public organisations. A whole number, for example 8."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1, "autocomplete": "off"}),
        error_messages={
            "required": _("Enter your years of relevant work experience as a whole number, for example 8."),
            "invalid": _("Enter your years of relevant work experience as a whole number, for example 8."),
            "min_value": _("Enter 0 or more years."),
            "max_value": _("Enter at most %(limit_value)s years."),
        },
    )
    leadership_role = forms.TypedChoiceField(
        label=_("Do you have a leadership task or a collaboration assignment?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_(
            "For example: you lead a team or department, or you are responsible for a collaboration between organisations."
        ),
        error_messages={
            "required": _("Choose yes or no: do you have a leadership task or a collaboration assignment?"),
            "invalid_choice": _("Choose yes or no: do you have a leadership task or a collaboration assignment?"),
        },
    )
    challenge = forms.CharField(
        label=_("The challenge you face"),
        max_length=MAX_CHALLENGE,
        help_text=_("In a few sentences: where in your work do you want to rely more on trust and less on rules and control?"),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        error_messages={
            "required": _("Describe in a few sentences the challenge you face in your work."),
            "max_length": _too_long(),
        },
    )

    invoice_organisation = _text(
        "invoice_organisation",
        _("Organisation"),
        _("Enter the organisation that pays the invoice."),
        autocomplete="billing organization",
    )
    invoice_address = _text(
        "invoice_address",
        _("Address"),
        _("Enter the street and number, or the PO box, for the invoice."),
        autocomplete="billing street-address",
        help_text=_("Street and number, or PO box."),
    )
    invoice_postal_code = _text(
        "invoice_postal_code",
        _("Postal code"),
        _("Enter the postal code, for example 1081 HV."),
        autocomplete="billing postal-code",
        autocapitalize="characters",
        spellcheck="false",
    )
    invoice_city = _text("invoice_city", _("City"), _("Enter the city for the invoice."), autocomplete="billing address-level2")
    invoice_email = _email(
        "invoice_email",
        _("E-mail address for the invoice"),
        _("Enter the e-mail address for the invoice, for example invoices@municipality.nl."),
        autocomplete="billing email",
        help_text=_("Often the accounts payable department. This may be the same address as your own."),
    )
    invoice_po_number = _text(
        "invoice_po_number",
        _("Purchase order number (optional)"),
        "",
        required=False,
        help_text=_("If your organisation uses one, we put it on the invoice."),
        spellcheck="false",
    )

    dietary_requirements = _text(
        "dietary_requirements",
        _("Dietary requirements (optional)"),
        "",
        required=False,
        help_text=_("Every session includes a shared meal. Let us know about allergies or what you do not eat."),
    )
    discount_code = _text(
        "discount_code",
        _("Discount code (optional)"),
        "",
        required=False,
        autocapitalize="characters",
        spellcheck="false",
    )

    terms_accepted = forms.BooleanField(
        label=_("I accept the terms and conditions."),
        help_text=_("They describe payment, cancellation and how a colleague can take over your place."),
        error_messages={"required": _("Tick the box to accept the terms and conditions; without them we cannot register you.")},
    )
    privacy_consent = forms.BooleanField(
        label=_("I agree that my details are used for this application."),
        help_text=_(
            "The programme office uses your details only to handle your application and your participation. You can "
            "ask to see or erase them at any time."
        ),
        error_messages={
            "required": _("Tick the box to agree to the use of your details; without it we cannot handle your application.")
        },
    )

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, edition=None, **kwargs):
        super().__init__(*args, **kwargs)
        # With the edition, a discount code is checked with the other fields; without it, the
        # service's check still ends up on the field (add_domain_error).
        self.edition = edition
        self.key_replaced = False
        if self.is_bound:
            key = self.data.get("submission_key", "")
            if not SUBMISSION_KEY.match(key):
                # A form without its key (an old page, a tampered one): ask once more, with a fresh key.
                self.data = self.data.copy()
                self.data["submission_key"] = new_submission_key()
                self.key_replaced = True
        elif not self.initial.get("submission_key"):
            self.initial["submission_key"] = new_submission_key()

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and (not PHONE.match(phone) or sum(c.isdigit() for c in phone) < 6):
            raise ValidationError(_("Enter your phone number in digits, for example 06 12345678 or +31 20 598 9999."))
        return phone

    def clean_discount_code(self) -> str:
        code = discounts.normalise(self.cleaned_data["discount_code"])
        if code and self.edition is not None:
            try:
                discounts.check_code(code=code, edition=self.edition)
            except discounts.CodeRefused as exc:
                # "Used up" is left to the service: a double submit of a form that took the last use
                # must return its application, and the service knows the submission key.
                if exc.reason != discount_rules.EXHAUSTED:
                    raise ValidationError([error["message"] for error in exc.errors]) from None
        return code

    def clean(self):
        cleaned = super().clean()
        note = cleaned.get("education_note")  # absent when the field has an error of its own
        if cleaned.get("education_level") == EducationLevel.OTHER and note is not None and not note.strip():
            self.add_error(
                "education_note", _("Describe your education or comparable experience in a few words, for example your training.")
            )
        if self.key_replaced:
            raise ValidationError(_("Something went wrong with the form. Check your details and send the form again."))
        return cleaned

    def groups(self):
        """The fieldsets in page order: (legend, intro, HTML of its fields).

        An empty form is the same for every visitor in a language (the submission key is written
        separately), so its HTML is written once per language and process.
        """
        if self.is_bound or set(self.initial) - {"submission_key"}:
            return self._groups()
        language = get_language()
        if language not in _EMPTY_FORM_GROUPS:
            _EMPTY_FORM_GROUPS[language] = self._groups()
        return _EMPTY_FORM_GROUPS[language]

    def _groups(self):
        return [
            (legend, intro, mark_safe("".join(render_field(self[name]) for name in names)))  # noqa: S308 - built by format_html
            for legend, intro, names in GROUPS
        ]

    def error_links(self):
        """For the summary at the top: (anchor id, message) per error, in page order."""
        links = [("", str(error)) for error in self.non_field_errors()]
        for _legend, _intro, names in GROUPS:
            for name in names:
                field = self[name]
                if field.errors:
                    anchor = f"{field.auto_id}_0" if field.use_fieldset else field.auto_id
                    links.extend((anchor, str(error)) for error in field.errors)
        return links

    def add_domain_error(self, conflict) -> None:
        """A Conflict from the service as form errors: per field where it names one, else for the form."""
        fields = [error for error in conflict.errors if error.get("field") in self.fields]
        if any(error["field"] == "email" for error in fields):
            # Our own words: what to do now, without the first application's number and date.
            self.add_error(
                "email",
                _(
                    "This e-mail address has already applied for this edition. To change your application, reply to "
                    "the confirmation e-mail or contact the programme office."
                ),
            )
            return
        for error in fields:
            self.add_error(error["field"], error["message"])
        if not fields:
            self.add_error(None, str(conflict.detail))

    def to_input(self, *, language: str) -> ApplicationInput:
        data = self.cleaned_data
        level = data["education_level"]
        return ApplicationInput(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            organisation=data["organisation"],
            job_title=data["job_title"],
            education_level=level,
            education_note=data["education_note"].strip() if level == EducationLevel.OTHER else "",
            years_experience=data["years_experience"],
            leadership_role=data["leadership_role"],
            challenge=data["challenge"],
            invoice_organisation=data["invoice_organisation"],
            invoice_address=data["invoice_address"],
            invoice_postal_code=data["invoice_postal_code"],
            invoice_city=data["invoice_city"],
            invoice_email=data["invoice_email"],
            invoice_po_number=data["invoice_po_number"],
            dietary_requirements=data["dietary_requirements"],
            discount_code=data["discount_code"],
            terms_accepted=data["terms_accepted"],
            privacy_consent=data["privacy_consent"],
            language=language,
        )


# --- Writing the fields out ---------------------------------------------------------------------
# Label, help text, error and control of one field, with the ids Django's BoundField uses in
# aria-describedby (`<id>_helptext`, `<id>_error`). A radio group is a fieldset whose legend is the
# question; the fieldset carries aria-describedby. A checkbox comes before its label.


def _widget_context(field: forms.BoundField) -> dict:
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.get_context(field.html_name, field.value(), attrs)["widget"]


def _control(widget: dict) -> SafeString:
    """An <input> or <textarea> as Django's default widget templates write it."""
    if widget["template_name"].endswith("textarea.html"):
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', widget["name"], flatatt(widget["attrs"]), widget["value"] or ""
        )
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, flatatt(widget["attrs"]))


def _help(field: forms.BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    return format_html('<p class="form-help" id="{}_helptext">{}</p>', field.auto_id, field.help_text)


def _error(field: forms.BoundField) -> SafeString:
    if not field.errors:
        return mark_safe("")
    return format_html('<p class="field-error" id="{}_error">{}</p>', field.auto_id, " ".join(str(e) for e in field.errors))


def render_field(field: forms.BoundField) -> SafeString:
    classes = "form-field"
    if field.errors:
        classes += " has-error"
    widget = _widget_context(field)
    if field.use_fieldset:
        options = [option for _group, group_options, _index in widget["optgroups"] for option in group_options]
        choices = format_html_join(
            "",
            '<div class="choice">{}<label for="{}">{}</label></div>',
            ((_control(option), option["attrs"]["id"], option["label"]) for option in options),
        )
        described = field.aria_describedby
        return format_html(
            '<div class="{}"><fieldset class="choice-field" id="{}-group"{}><legend>{}</legend>{}{}<div class="choices">{}</div></fieldset></div>',
            classes,
            field.auto_id,
            format_html(' aria-describedby="{}"', described) if described else "",
            field.label,
            _help(field),
            _error(field),
            choices,
        )
    if field.widget_type == "checkbox":
        return format_html(
            '<div class="{} check-field">{}<div class="check-row">{}<label for="{}">{}</label></div>{}</div>',
            classes,
            _error(field),
            _control(widget),
            field.id_for_label,
            field.label,
            _help(field),
        )
    if field.name == "education_note":
        classes += " education-note"
    return format_html(
        '<div class="{}"><label for="{}">{}</label>{}{}{}</div>',
        classes,
        field.id_for_label,
        field.label,
        _help(field),
        _error(field),
        _control(widget),
    )
