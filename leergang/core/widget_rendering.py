"""Django's form renderer with the standard widget templates written out in Python.

Rendering a widget through Django's templates costs an include per widget, per attribute list and
per option: about 0.09 ms a field, most of a form page's rendering. The input, select and textarea
templates are written out here, producing exactly the markup they produce (tests/core/
test_widget_rendering.py compares every field of every form; tests/schedule_page/ the schedule's
rows); any other widget (radio buttons, option groups) falls back to the templates.
settings.FORM_RENDERER names `WidgetRenderer`.

`form_field` writes a whole field (label, help, errors, widget) as the template
enrolment/application_field.html does, which nearly every form page included once per field
(`{% form_field field %}` in templates; compared with the template for every form).
"""

from __future__ import annotations

import html
from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

INPUT_TEMPLATES = frozenset(
    {
        "django/forms/widgets/input.html",
        "django/forms/widgets/number.html",
        "django/forms/widgets/date.html",
        "django/forms/widgets/time.html",
        "django/forms/widgets/text.html",
        "django/forms/widgets/hidden.html",
        "django/forms/widgets/checkbox.html",  # each of these an include of input.html
        "django/forms/widgets/email.html",
        "django/forms/widgets/password.html",
        "django/forms/widgets/url.html",
        "django/forms/widgets/tel.html",
        "django/forms/widgets/search.html",
        "django/forms/widgets/color.html",
        "django/forms/widgets/datetime.html",
        "django/forms/widgets/file.html",
    }
)
# Radio buttons and checkboxes: multiple_input.html around input_option.html per choice.
MULTIPLE_INPUT_TEMPLATES = frozenset({"django/forms/widgets/radio.html", "django/forms/widgets/checkbox_select.html"})
INPUT_OPTION_TEMPLATES = frozenset({"django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html"})
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _escape(value: Any) -> str:
    """django.utils.html.conditional_escape, without the lazy-string wrapper around its escape()
    (which cost as much as the escaping here)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: True as a bare attribute, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {_escape(name)}")
        elif value is not False:
            parts.append(f' {_escape(name)}="{_escape(value)}"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = f' value="{_escape(value)}"' if value is not None else ""
    return f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _option(option: dict[str, Any]) -> str:
    # The option template ends with a newline, which the select template keeps.
    return f'<option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>{_escape(str(option["label"]))}</option>\n'


def _select(widget: dict[str, Any]) -> str | None:
    options = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            return None  # option groups: not used by the rows, left to the template
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            options.append("\n  " + _option(option))
    return f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>{"".join(options)}\n</select>'


def _textarea(widget: dict[str, Any]) -> str:
    value = _escape(str(widget["value"])) if widget["value"] else ""
    return f'<textarea name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _input_option(option: dict[str, Any]) -> str:
    # input_option.html (with input.html's and its own closing newlines), included by radio_option.html,
    # which adds one more.
    if not option["wrap_label"]:
        return f"{_input(option)}\n\n\n"
    label_id = option["attrs"].get("id")
    label_for = f' for="{_escape(label_id)}"' if label_id else ""
    return f"<label{label_for}>{_input(option)}\n {_escape(str(option['label']))}</label>\n\n"


def _multiple_input(widget: dict[str, Any]) -> str | None:
    choices = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            return None  # option groups: left to the template
        for option in group_choices:
            if option["template_name"] not in INPUT_OPTION_TEMPLATES:
                return None
            choices.append(f"<div>\n    {_input_option(option)}</div>")
    attrs = widget["attrs"]
    shown_id = f' id="{_escape(attrs["id"])}"' if attrs.get("id") else ""
    shown_class = f' class="{_escape(attrs["class"])}"' if attrs.get("class") else ""
    return f"<div{shown_id}{shown_class}>{''.join(choices)}\n</div>"


class WidgetRenderer(DjangoTemplates):
    """Django's template renderer, with the standard widget templates written out in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        html: str | None = None
        if template_name in INPUT_TEMPLATES:
            html = _input(context["widget"])
        elif template_name == SELECT_TEMPLATE:
            html = _select(context["widget"])
        elif template_name == TEXTAREA_TEMPLATE:
            html = _textarea(context["widget"])
        elif template_name in MULTIPLE_INPUT_TEMPLATES:
            html = _multiple_input(context["widget"])
        elif template_name in INPUT_OPTION_TEMPLATES:
            html = _input_option(context["widget"]).strip()  # as the renderer strips a template's output
        if html is None:
            return super().render(template_name, context, request)
        return html


def _errors(field: BoundField) -> str:
    if not field.errors:
        return ""
    messages = " ".join(_escape(error) for error in field.errors)
    return f'<p class="field-error" id="{_escape(field.auto_id)}_error">{messages}</p>'


def form_field(field: BoundField) -> SafeString:
    """enrolment/application_field.html, written out: radio buttons in a fieldset with their legend,
    a tick box with its label after it, any other field with its label, help and errors above it."""
    errors, has_error = _errors(field), " has-error" if field.errors else ""
    widget_type = field.widget_type
    if widget_type == "radioselect":
        described = f' aria-describedby="{_escape(field.auto_id)}_error"' if field.errors else ""
        choices = "".join(
            f'<div class="choice">{radio.tag()}<label for="{_escape(radio.id_for_label)}">{_escape(radio.choice_label)}</label></div>'
            for radio in field
        )
        markup = (
            f'<fieldset class="choice-field{has_error}"{described}>\n  <legend>{_escape(field.label)}</legend>\n'
            f'  {errors}\n  <div class="choices">{choices}</div>\n</fieldset>\n'
        )
    elif widget_type == "checkbox":
        markup = (
            f'<div class="form-field check-field{has_error}">\n  {errors}\n'
            f'  <div class="check-row">{field}<label for="{_escape(field.id_for_label)}">{_escape(field.label)}</label></div>\n</div>\n'
        )
    else:
        help_text = (
            f'<p class="form-help" id="{_escape(field.auto_id)}_helptext">{_escape(field.help_text)}</p>'
            if field.help_text
            else ""
        )
        markup = (
            f'<div class="form-field{has_error}">\n  <label for="{_escape(field.id_for_label)}">{_escape(field.label)}</label>\n'
            f"  {help_text}\n  {errors}\n  {field}\n</div>\n"
        )
    # Every value above is escaped, or is markup the renderer escaped; the newline is the template's last.
    return mark_safe(markup + "\n")  # noqa: S308
