"""Forms of a place's changes of plan (M7): cancelling it, a colleague taking it over, a transfer to a
later edition. They check only what the programme office typed; the services in changes.py decide
what may happen, and their domain errors are put on these forms (`add_domain_error`, with the
service's field names mapped to the form's: `invoice.city` is the field `invoice_city`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leergang.invoicing.rules import MAX_REASON_LENGTH, RECIPIENT_FIELDS

from .inbox_forms import CancelForm, DomainErrorsMixin

__all__ = ["CancelForm", "SubstituteForm", "TransferForm", "INVOICE_FIELD_MAP"]

# The service's error fields (as in the API's invoice object) to this module's form fields.
INVOICE_FIELD_MAP = {f"invoice.{key}": f"invoice_{key}" for key in RECIPIENT_FIELDS}
# Required when a different invoice address is ticked (as invoicing.rules.clean_recipient requires,
# plus the organisation and e-mail address the registration form asks for).
REQUIRED_INVOICE_FIELDS = ("organisation", "address", "postal_code", "city", "email")
INVOICE_LABELS = {
    "organisation": _("Organisation (invoice)"),
    "contact_name": _("For the attention of (optional)"),
    "address": _("Address"),
    "postal_code": _("Postal code"),
    "city": _("City"),
    "email": _("E-mail address for invoices"),
    "po_number": _("Purchase order number (optional)"),
}
INVOICE_REQUIRED_MESSAGES = {
    "organisation": _("Fill in the organisation the invoice is for."),
    "address": _("Fill in the street and number of the invoice address."),
    "postal_code": _("Fill in the postal code of the invoice address."),
    "city": _("Fill in the city of the invoice address."),
    "email": _("Fill in the e-mail address the invoice goes to."),
}


def _reason(help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class SubstituteForm(DomainErrorsMixin, forms.Form):
    """A colleague takes over the place. The invoice address fields are always on the page (they work
    without JavaScript) and count only when `other_invoice` is ticked."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Fill in the colleague's first name.")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": _("Fill in the colleague's last name.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The colleague receives the invitation to choose a password at this address."),
        error_messages={
            "required": _("Fill in the colleague's e-mail address."),
            "invalid": _("Enter an e-mail address, for example name@municipality.nl."),
        },
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    other_invoice = forms.BooleanField(label=_("Send the new invoice to a different address"), required=False)
    invoice_organisation = forms.CharField(label=INVOICE_LABELS["organisation"], max_length=200, required=False)
    invoice_contact_name = forms.CharField(label=INVOICE_LABELS["contact_name"], max_length=200, required=False)
    invoice_address = forms.CharField(label=INVOICE_LABELS["address"], max_length=200, required=False)
    invoice_postal_code = forms.CharField(label=INVOICE_LABELS["postal_code"], max_length=20, required=False)
    invoice_city = forms.CharField(label=INVOICE_LABELS["city"], max_length=100, required=False)
    invoice_email = forms.EmailField(
        label=INVOICE_LABELS["email"],
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter an e-mail address, for example name@municipality.nl.")},
    )
    invoice_po_number = forms.CharField(label=INVOICE_LABELS["po_number"], max_length=100, required=False)
    reason = _reason(_("Printed on the credit note. Left empty: “Place taken over by” and the colleague's name."))
    confirm = forms.BooleanField(
        label=_("Yes, let this colleague take over the place"),
        error_messages={"required": _("Tick the box to confirm that the colleague takes over the place.")},
    )

    INVOICE_FIELDS = tuple(f"invoice_{key}" for key in RECIPIENT_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("other_invoice"):
            for key in REQUIRED_INVOICE_FIELDS:
                name = f"invoice_{key}"
                if name in data and not str(data.get(name) or "").strip():
                    self.add_error(name, INVOICE_REQUIRED_MESSAGES[key])
        return data

    def recipient(self) -> dict[str, str] | None:
        """The different invoice address, or None for the current debtor (the tick not set)."""
        if not self.cleaned_data.get("other_invoice"):
            return None
        return {key: (self.cleaned_data.get(f"invoice_{key}") or "").strip() for key in RECIPIENT_FIELDS}

    def invoice_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.INVOICE_FIELDS]


class TransferForm(DomainErrorsMixin, forms.Form):
    """A move to one of `choices`: (edition id, label) of the programme's later editions."""

    edition = forms.TypedChoiceField(
        label=_("Move the place to"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the edition to move the place to."),
            "invalid_choice": _("Choose one of the editions shown."),
        },
    )
    reason = _reason(_("Printed on the credit note. Left empty: “Moved to the edition starting” and its date."))
    confirm = forms.BooleanField(
        label=_("Yes, move the place to this edition"),
        error_messages={"required": _("Tick the box to confirm the move.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [(str(value), label) for value, label in choices]

    def show_choices(self, choices: list[tuple[int, str]]) -> None:
        """The choices as the page shows them again after a form was sent (checked against the same ids)."""
        self.fields["edition"].choices = [(str(value), label) for value, label in choices]
