"""The cells of the schedule table, rendered in Python.

A schedule has up to sixty rows of eight fields. Rendering each field through Django's widget
templates (an include per widget, per attribute list and per option) cost about two thirds of the
page's time, so the few standard widget templates the rows use are written out here, producing
exactly the markup those templates produce (core.widget_rendering, the project's form renderer;
tests/schedule_page/test_perf_scheduling.py compares them). Rows shown unchanged (as stored, as planned) are
written from their values without building their forms at all (UnboundCells).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from django.forms import CheckboxInput, Field, Widget
from django.forms.boundfield import BoundField
from django.forms.renderers import BaseRenderer
from django.forms.utils import pretty_name
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from leergang.core.widget_rendering import (
    INPUT_TEMPLATES,
    OPTION_TEMPLATE,
    SELECT_TEMPLATE,
    TEXTAREA_TEMPLATE,
    WidgetRenderer,
    _attrs,
    _escape,
)

# The schedule's rows were the first forms written out; every form now renders this way.
RowWidgetRenderer = WidgetRenderer


def cell(field: BoundField, row_label: str) -> SafeString:
    """scheduling/_cell.html, written out: the field's label (naming the row for screen readers),
    its widget and its errors."""
    errors = ""
    if field.errors:
        messages = " ".join(_escape(error) for error in field.errors)
        errors = f'<p class="field-error" id="{_escape(field.auto_id)}_error">{messages}</p>'
    return _cell(_escape(field.id_for_label), _escape(str(field.label)), _escape(row_label), str(field), errors)


def _cell(label_for: str, label: str, row_label: str, widget_html: str, errors_html: str) -> SafeString:
    """A cell's markup from its escaped parts and its widget's (and errors') markup."""
    # Every value is escaped by the caller or is the widget's own markup (escaped by the renderer).
    return mark_safe(  # noqa: S308
        f'<label for="{label_for}" class="cell-label">{label}'
        f'<span class="visually-hidden"> ({row_label})</span></label>\n'
        f"{widget_html}\n{errors_html}\n"
    )


class UnboundCells:
    """The cells of unbound row forms, as `cell(form[name], row_label)` writes them (compared in
    tests/schedule_page/test_unbound_cells.py), without building the forms: a form's deep copy of
    its fields, the bound fields' lookups, and escaping again for every row what all rows share
    (labels, attributes, options) were most of the table's cost. An unbound row form has no errors
    and, in a formset, no `required` attribute: its widgets get their own attributes, then a
    description for the fields in `described` (`<prefix>-violations`, as the date's bound field
    gives it), then the id. Made per table, in the language of the response."""

    def __init__(
        self, fields: Mapping[str, Field], names: Sequence[str], *, described: Collection[str], renderer: BaseRenderer
    ) -> None:
        self.fields = [(name, fields[name], name in described) for name in names]
        self.renderer = renderer
        self.labels = {
            name: _escape(str(pretty_name(name) if field.label is None else field.label))
            for name, field, _described in self.fields
        }
        self.writers = {name: _writer(field.widget) for name, field, _described in self.fields}

    def cells(self, prefix: str, initial: Mapping[str, Any], row_label: str) -> dict[str, SafeString]:
        """The cells of the row form with this prefix and these initial values."""
        row = _escape(prefix)
        shown_label = _escape(row_label)
        written = {}
        for name, field, described in self.fields:
            widget = field.widget
            auto_id = f"id_{prefix}-{name}"
            value = field.prepare_value(_initial_value(field, initial.get(name, field.initial)))
            writer = self.writers[name]
            if writer is None:
                attrs = {"aria-describedby": f"{prefix}-violations"} if described else {}
                if "id" not in widget.attrs:
                    attrs["id"] = auto_id
                markup = widget.render(f"{prefix}-{name}", value, attrs, renderer=self.renderer)
            else:
                extra = f' aria-describedby="{row}-violations"' if described else ""
                markup = writer(f"{row}-{name}", f'{extra} id="id_{row}-{name}"', value)
            label_for = widget.id_for_label(widget.attrs.get("id") or auto_id)
            written[name] = _cell(_escape(label_for), self.labels[name], shown_label, markup, "")
        return written


def _initial_value(field: Field, value: Any) -> Any:
    """Form.get_initial_for_field for a value (or the field's own initial)."""
    if callable(value):
        value = value()
    if isinstance(value, (datetime.datetime, datetime.time)) and not field.widget.supports_microseconds:
        value = value.replace(microsecond=0)
    return value


def _writer(widget: Widget) -> Callable[[str, str, Any], str] | None:
    """A function writing the widget (escaped name, escaped extra attributes, value) as its template
    would, with its own attributes and its options escaped once; None for other widgets, or if the
    widget's own attributes would take the place of the extra ones."""
    if "id" in widget.attrs or "aria-describedby" in widget.attrs:
        return None
    own = _attrs(widget.attrs)
    template = widget.template_name
    if template in INPUT_TEMPLATES and not isinstance(widget, CheckboxInput):
        head = f'<input type="{_escape(widget.input_type)}" name="'

        def write_input(name: str, extra: str, value: Any) -> str:
            shown = widget.format_value(value)
            shown = f' value="{_escape(shown)}"' if shown is not None else ""
            return f'{head}{name}"{shown}{own}{extra}>'

        return write_input
    if template == TEXTAREA_TEMPLATE:

        def write_textarea(name: str, extra: str, value: Any) -> str:
            shown = widget.format_value(value)
            return f'<textarea name="{name}"{own}{extra}>\n{_escape(str(shown)) if shown else ""}</textarea>'

        return write_textarea
    if template == SELECT_TEMPLATE and widget.option_template_name == OPTION_TEMPLATE and not widget.allow_multiple_selected:
        options = []
        for option_value, option_label in widget.choices:
            if isinstance(option_label, (list, tuple)):
                return None  # option groups
            option_value = "" if option_value is None else option_value
            start, end = f'\n  <option value="{_escape(option_value)}"', f">{_escape(str(option_label))}</option>\n"
            options.append((str(option_value), start + end, f"{start} selected{end}"))

        def write_select(name: str, extra: str, value: Any) -> str:
            chosen, parts, found = widget.format_value(value), [], False
            for option_value, plain, selected in options:
                if not found and option_value in chosen:  # the first match only, as Select selects
                    parts.append(selected)
                    found = True
                else:
                    parts.append(plain)
            return f'<select name="{name}"{own}{extra}>{"".join(parts)}\n</select>'

        return write_select
    return None


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
