"""Forms of the attendance pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leergang.enrolment.inbox_forms import DomainErrorsMixin

from .checkin import CODE_DIGITS


class CheckInForm(DomainErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=20,
        help_text=_("The six digits on the teacher's screen."),
        error_messages={"required": _("Type the six digits on the teacher's screen.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "size": CODE_DIGITS + 2,
                "class": "check-in-input",
            }
        ),
    )
