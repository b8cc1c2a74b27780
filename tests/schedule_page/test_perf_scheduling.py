"""The schedule table's cells are rendered in Python for speed (leergang.scheduling.cells): the markup
must stay exactly what Django's widget templates and the former `_cell.html` produced."""

import pytest
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.utils import translation

from leergang.scheduling import cells, forms, pages

from .conftest import SPRING_HOLIDAY, form_data, page_url, stored_rows

pytestmark = pytest.mark.django_db

# The former scheduling/_cell.html, included once per field.
CELL_TEMPLATE = Template(
    '<label for="{{ field.id_for_label }}" class="cell-label">{{ field.label }}'
    '<span class="visually-hidden"> ({{ row_label }})</span></label>\n'
    "{{ field }}\n"
    '{% if field.errors %}<p class="field-error" id="{{ field.auto_id }}_error">{{ field.errors|join:" " }}</p>{% endif %}\n'
)


# The former loop of scheduling/_rows.html over the table's body rows.
ROWS_TEMPLATE = Template(
    "{% load i18n %}"
    + """{% for row in rows %}{% with cells=row.cells %}
      <tr class="schedule-row">
        <td class="cell-number">{{ cells.number }}</td>
        <td class="cell-kind">{{ cells.kind }}</td>
        <td class="cell-date" hx-post="{{ check_url }}" hx-trigger="change delay:300ms" hx-target="#schedule-status" hx-swap="innerHTML" hx-sync="#schedule-form:replace">{{ cells.date }}{% include "scheduling/_row_violations.html" %}</td>
        <td class="cell-time">
          <div class="stacked-field">{{ cells.start_time }}</div>
          <div class="stacked-field">{{ cells.end_time }}</div>
        </td>
        <td class="cell-mode">{{ cells.delivery_mode }}</td>
        <td class="cell-theme">
          <div class="stacked-field">{{ cells.theme_nl }}</div>
          <div class="stacked-field">{{ cells.theme_en }}</div>
        </td>
        <td class="cell-actions"><button type="button" id="remove-row-{{ forloop.counter0 }}" class="button button-quiet" name="remove" value="{{ forloop.counter0 }}" hx-post="{{ rows_url }}" hx-target="#schedule-rows" hx-swap="outerHTML" hx-sync="#schedule-form:replace">{% translate "Remove" %}<span class="visually-hidden"> ({{ row.label }})</span></button></td>
      </tr>
      {% endwith %}{% endfor %}"""
)


def odd_rows(rows: list[dict]) -> list[dict]:
    """Rows with every kind of trouble: markup in a theme, bad date and time, no number, a bad choice."""
    rows = [dict(row) for row in rows]
    rows[0]["theme_nl"] = "<b>\"Quote\" & 'apos'</b>"
    rows[1]["date"] = "13-01-2027"
    rows[2]["start_time"] = "25:99"
    rows[3]["number"] = ""
    rows[4]["date"] = SPRING_HOLIDAY.isoformat()
    rows[5]["kind"] = "bogus"
    rows[6]["theme_en"] = ""
    return rows


def formsets(edition) -> list[forms.BaseSessionFormSet]:
    stored = forms.session_rows(list(edition.sessions.order_by("number")))
    bound = forms.bound_rows(form_data(odd_rows(stored_rows(edition))))
    bound.is_valid()
    return [forms.unbound_rows(stored), forms.unbound_rows([{**stored[0], "date": None}]), bound]


def test_the_row_renderer_writes_what_the_widget_templates_write(edition):
    templates = DjangoTemplates()
    for formset in formsets(edition):
        for form in formset.forms:
            fast = {name: form[name].as_widget() for name in forms.ROW_FIELDS}
            form.renderer = templates
            assert fast == {name: form[name].as_widget() for name in forms.ROW_FIELDS}


def test_a_cell_is_what_the_cell_template_was(edition):
    for formset in formsets(edition):
        for form in formset.forms:
            for name in forms.ROW_FIELDS:
                field = form[name]
                expected = CELL_TEMPLATE.render(Context({"field": field, "row_label": "session <1>"}))
                assert cells.cell(field, "session <1>") == expected, name


def test_the_management_form_still_renders(edition):
    html = str(formsets(edition)[0].management_form)
    assert 'name="sessions-TOTAL_FORMS"' in html and 'type="hidden"' in html


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_table_rows_are_what_the_rows_template_wrote(edition, language):
    urls = {"check_url": "/nl/check?a=1&b=<2>", "rows_url": "/nl/rows/"}
    with translation.override(language):
        for formset in formsets(edition):
            rows = pages._check(edition, formset)["rows"]
            assert any(row.violations for row in rows) or formset.is_bound is False
            expected = ROWS_TEMPLATE.render(Context({"rows": rows, **urls}))
            assert cells.table_rows(rows, **urls) == expected


def test_the_schedule_page_shows_the_rows_once(coordinator_client, edition):
    html = coordinator_client.get(page_url(edition.pk)).content.decode()
    assert html.count('<tr class="schedule-row">') == edition.sessions.count()
    assert 'id="remove-row-6"' in html and 'id="remove-row-7"' not in html
