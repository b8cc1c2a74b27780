"""The cells of the schedule table, rendered in Python.

A schedule has up to sixty rows of eight fields. Rendering each field through Django's widget
templates (an include per widget, per attribute list and per option) cost about two thirds of the
page's time, so the few standard widget templates the rows use are written out here, producing
exactly the markup those templates produce (tests/schedule_page/test_perf_scheduling.py compares
them). Anything else falls back to the templates.
"""

from __future__ import annotations

import html
from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

INPUT_TEMPLATES = frozenset(
    {
        "django/forms/widgets/input.html",
        "django/forms/widgets/number.html",
        "django/forms/widgets/date.html",
        "django/forms/widgets/time.html",
        "django/forms/widgets/text.html",
        "django/forms/widgets/hidden.html",
    }
)
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


class RowWidgetRenderer(DjangoTemplates):
    """Django's template renderer, with the rows' widget templates written out in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        html: str | None = None
        if template_name in INPUT_TEMPLATES:
            html = _input(context["widget"])
        elif template_name == SELECT_TEMPLATE:
            html = _select(context["widget"])
        elif template_name == TEXTAREA_TEMPLATE:
            html = _textarea(context["widget"])
        if html is None:
            return super().render(template_name, context, request)
        return html


def cell(field: BoundField, row_label: str) -> SafeString:
    """scheduling/_cell.html, written out: the field's label (naming the row for screen readers),
    its widget and its errors."""
    errors = ""
    if field.errors:
        messages = " ".join(_escape(error) for error in field.errors)
        errors = f'<p class="field-error" id="{_escape(field.auto_id)}_error">{messages}</p>'
    # Every value is escaped above or is the widget's own markup (escaped by the renderer).
    return mark_safe(  # noqa: S308
        f'<label for="{_escape(field.id_for_label)}" class="cell-label">{_escape(str(field.label))}'
        f'<span class="visually-hidden"> ({_escape(row_label)})</span></label>\n'
        f"{field}\n{errors}\n"
    )


def violations(row_violations_id: str, found: list[dict[str, Any]]) -> str:
    """scheduling/_row_violations.html (not out of band), written out."""
    items = "".join(f'<li class="violation-tag" data-rule="{_escape(v["rule"])}">{_escape(v["label"])}</li>' for v in found)
    listed = f'<ul class="plain">{items}</ul>' if found else ""
    return f'<div id="{_escape(row_violations_id)}" class="row-violations">{listed}</div>\n'


def table_rows(rows: list[Any], *, check_url: str, rows_url: str) -> SafeString:
    """The schedule table's body rows, as scheduling/_rows.html looped over them (compared in
    tests/schedule_page/test_perf_scheduling.py): per row a template `with`, an include and some
    fifteen lookups were most of a schedule request's rendering."""
    check, target = _escape(check_url), _escape(rows_url)
    remove = _escape(_("Remove"))
    parts = []
    for index, row in enumerate(rows):
        c = row.cells
        parts.append(
            '\n      <tr class="schedule-row">\n'
            f'        <td class="cell-number">{c["number"]}</td>\n'
            f'        <td class="cell-kind">{c["kind"]}</td>\n'
            f'        <td class="cell-date" hx-post="{check}" hx-trigger="change delay:300ms" hx-target="#schedule-status" '
            f'hx-swap="innerHTML" hx-sync="#schedule-form:replace">{c["date"]}{violations(row.violations_id, row.violations)}</td>\n'
            '        <td class="cell-time">\n'
            f'          <div class="stacked-field">{c["start_time"]}</div>\n'
            f'          <div class="stacked-field">{c["end_time"]}</div>\n'
            "        </td>\n"
            f'        <td class="cell-mode">{c["delivery_mode"]}</td>\n'
            '        <td class="cell-theme">\n'
            f'          <div class="stacked-field">{c["theme_nl"]}</div>\n'
            f'          <div class="stacked-field">{c["theme_en"]}</div>\n'
            "        </td>\n"
            f'        <td class="cell-actions"><button type="button" id="remove-row-{index}" class="button button-quiet" '
            f'name="remove" value="{index}" hx-post="{target}" hx-target="#schedule-rows" hx-swap="outerHTML" '
            f'hx-sync="#schedule-form:replace">{remove}<span class="visually-hidden"> ({_escape(row.label)})</span></button></td>\n'
            "      </tr>\n      "
        )
    # The cells are the renderer's escaped markup; every other value is escaped here.
    return mark_safe("".join(parts))  # noqa: S308
