"""The teachers' form to add literature to a session: a file or a link, with its preparation time.

The form only checks what was typed; `literature.add_literature` decides (content checks of the
file, the link's form, who may) and its errors are put on the form.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from leergang.enrolment.inbox_forms import DomainErrorsMixin

from .literature import PREPARATION_MAX_MINUTES, TITLE_MAX, URL_MAX


class LiteratureForm(DomainErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Give the literature a title.")},
    )
    file = forms.FileField(
        label=_("File (PDF or Word, at most 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    url = forms.CharField(
        label=_("Or a link"),
        required=False,
        max_length=URL_MAX,
        widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )
    preparation_minutes = forms.IntegerField(
        label=_("Preparation time in minutes"),
        min_value=0,
        max_value=PREPARATION_MAX_MINUTES,
        initial=0,
        error_messages={
            "invalid": _("Enter the preparation time as whole minutes, for example 90."),
            "required": _("Enter the preparation time as whole minutes, for example 90."),
            "min_value": _("Enter the preparation time as whole minutes, for example 90."),
            "max_value": _("Enter the preparation time as whole minutes, for example 90."),
        },
    )
