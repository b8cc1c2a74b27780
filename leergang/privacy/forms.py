"""The programme office's erasure form: the reason (kept in the audit log) and a confirming tick."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leergang.enrolment.inbox_forms import DomainErrorsMixin

from .erasure import MAX_REASON


class EraseForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the erasure"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history, for example “Request by e-mail of 3 March”. Do not repeat the person's name."),
        error_messages={
            "required": _("Give the reason for the erasure, for example “Request by e-mail of 3 March”."),
            "max_length": _("Keep the reason under %(limit_value)s characters."),
        },
    )
    confirm = forms.BooleanField(
        label=_("Yes, erase this person's data. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
