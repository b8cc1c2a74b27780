"""Unbound rows (the schedule as stored, as the planner filled it in, with a row added or removed)
are written from their initial values without building their forms (leergang.scheduling.cells.
UnboundCells), and the planner's and the acceptance's widgets go through the rows' Python widget
renderer: the markup must stay exactly what the row forms, Django's widget templates and the former
cell template wrote, cell by cell and for whole responses."""

import datetime
import re
from functools import partial

import pytest
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.utils import translation

from leergang.catalog.models import Edition
from leergang.scheduling import cells, forms, pages
from tests import factories

from .conftest import HTMX, SPRING_HOLIDAY, form_data, page_url, stored_rows
from .test_perf_scheduling import CELL_TEMPLATE, ROWS_TEMPLATE, odd_rows

pytestmark = pytest.mark.django_db

LABEL = 'session <1> & "2"'


def row_sets(edition: Edition) -> list[list[dict]]:
    """Initial rows in every shape the views hand to an unbound formset."""
    stored = forms.session_rows(list(edition.sessions.order_by("number")))
    posted = stored_rows(edition)
    new = pages._new_row(edition, 8, kind="closing", mode="online")
    return [
        stored,  # as stored: ints, dates and times
        posted,  # as posted: strings
        odd_rows(posted),  # markup, a bad date and time, no number, an unknown kind
        [new, {**new, "start_time": datetime.time(9, 5, 30, 123456), "theme_nl": "\n  two\nlines "}],
        [{}, dict.fromkeys(forms.ROW_FIELDS), dict.fromkeys(forms.ROW_FIELDS, ""), {"kind": "content", "number": 0}],
        [
            {**stored[0], "delivery_mode": mode, "kind": kind}
            for mode in ("on_site", "online", "hybrid")
            for kind in ("content", "closing")
        ],
    ]


def former_cells(form: forms.SessionRowForm, row_label: str) -> dict[str, str]:
    """The cells as the former `_cell.html` wrote them, with Django's own widget templates."""
    form.renderer = DjangoTemplates()
    return {name: CELL_TEMPLATE.render(Context({"field": form[name], "row_label": row_label})) for name in forms.ROW_FIELDS}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_unbound_cells_are_what_the_forms_and_templates_write(edition, language):
    with translation.override(language):
        writer = forms.unbound_cells()
        checked = 0
        for rows in row_sets(edition):
            formset = forms.unbound_rows(rows)
            assert len(formset.forms) == len(rows)
            for index, form in enumerate(formset.forms):
                written = writer.cells(formset.add_prefix(index), rows[index], LABEL)
                assert written == {name: cells.cell(form[name], LABEL) for name in forms.ROW_FIELDS}
                assert written == former_cells(form, LABEL)
                checked += 1
        assert checked > 20


def test_other_widgets_are_left_to_their_templates(edition):
    """A widget the writer does not know (or whose own attributes hold an id) is rendered by Django."""
    from django import forms as django_forms

    class Odd(django_forms.Form):
        tick = django_forms.BooleanField()
        named = django_forms.CharField(widget=django_forms.TextInput(attrs={"id": "own"}))
        date = django_forms.DateField(widget=forms.DateInput())

    writer = cells.UnboundCells(Odd.base_fields, ["tick", "named", "date"], described={"date"}, renderer=forms.ROW_RENDERER)
    assert writer.writers["tick"] is None and writer.writers["named"] is None and writer.writers["date"] is not None
    form = Odd(prefix="p-0", initial={"tick": True, "named": "x"}, use_required_attribute=False)
    written = writer.cells("p-0", {"tick": True, "named": "x"}, "row")
    assert written["tick"] == cells.cell(form["tick"], "row")
    assert written["named"] == cells.cell(form["named"], "row")
    assert 'aria-describedby="p-0-violations" id="id_p-0-date"' in written["date"]


# -- whole responses -----------------------------------------------------------------------------


def former_rows(formset):
    """pages._rows as it was: every row through its form, its cells through the former templates."""
    return [
        pages.Row(
            pages._row_label(form["number"].value()),
            form.posted_date() if form.is_bound else pages._as_date(form.initial.get("date")),
            forms.violations_id(form),
            partial(former_cells, form),
        )
        for form in formset.forms
    ]


@pytest.fixture
def former(monkeypatch):
    """Switch the schedule pages to the former rendering: forms for every row, Django's widget
    templates for every widget, the rows' template for the table."""

    def switch():
        templates = DjangoTemplates()
        monkeypatch.setattr(pages, "_rows", former_rows)
        monkeypatch.setattr(forms.SessionFormSet, "renderer", templates)
        monkeypatch.setattr(forms.PlanForm, "default_renderer", templates)
        monkeypatch.setattr(forms.AcceptForm, "default_renderer", templates)
        monkeypatch.setattr(pages.cells, "table_rows", lambda rows, **urls: ROWS_TEMPLATE.render(Context({"rows": rows, **urls})))

    return switch


CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def responses(client, edition: Edition, empty: Edition, language: str) -> dict[str, str]:
    """The schedule's responses in many states (nothing is saved), the CSRF tokens left out."""
    rows, url = stored_rows(edition), partial(page_url, language=language)
    odd = odd_rows(rows)
    violating = [dict(row) for row in rows]
    violating[4]["date"] = SPRING_HOLIDAY.isoformat()
    sent = {
        "page": client.get(url(edition.pk)),
        "empty page": client.get(url(empty.pk)),
        "plan": client.post(url(edition.pk, "plan"), {"first_date": "2027-09-01"}),
        "plan from nothing": client.post(url(empty.pk, "plan"), {"first_date": "2027-09-01"}),
        "plan, bad date": client.post(url(edition.pk, "plan"), {"first_date": "13-09-2027"}),
        "plan, unknown years": client.post(url(edition.pk, "plan"), {"first_date": "2099-09-01"}),
        "plan with rows": client.post(url(edition.pk, "plan"), form_data(odd, first_date="2027-09-01")),
        "plan, htmx": client.post(url(edition.pk, "plan"), form_data(odd, first_date="2027-09-01"), **HTMX),
        "plan, htmx, no date": client.post(url(edition.pk, "plan"), form_data(odd, first_date=""), **HTMX),
        "plan, htmx, from nothing": client.post(url(empty.pk, "plan"), {"first_date": "2027-09-01"}, **HTMX),
        "add a row": client.post(url(edition.pk, "rows"), form_data(odd, add="1"), **HTMX),
        "remove a row": client.post(url(edition.pk, "rows"), form_data(odd, remove="2"), **HTMX),
        "check": client.post(url(edition.pk, "check"), form_data(violating), **HTMX),
        "save, incomplete": client.post(url(edition.pk), form_data(odd, accept_violations="on")),
        "save, violations": client.post(url(edition.pk), form_data(violating)),
    }
    return {name: f"{r.status_code}\n{CSRF.sub('', r.content.decode())}" for name, r in sent.items()}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_responses_are_what_the_former_rendering_wrote(coordinator_client, edition, former, language):
    empty = factories.EditionFactory(start_date=edition.start_date)
    fast = responses(coordinator_client, edition, empty, language)
    former()
    assert fast == responses(coordinator_client, edition, empty, language)
    assert all(
        code in fast["page"] for code in ('<tr class="schedule-row">', 'name="sessions-TOTAL_FORMS"', 'id="id_first_date"')
    )
    assert 'type="checkbox" name="accept_violations"' in fast["check"]
    assert 'aria-invalid="true"' in fast["plan, bad date"]


def test_the_rows_template_does_not_build_the_row_forms(coordinator_client, edition, monkeypatch):
    """Shown as stored or as planned, no row form is built (`formset.management_html` in a template
    would build them all: Django tries `formset["management_html"]` first)."""
    built = []
    original = forms.SessionFormSet._construct_form
    monkeypatch.setattr(forms.SessionFormSet, "_construct_form", lambda self, i, **kw: built.append(i) or original(self, i, **kw))
    assert coordinator_client.get(page_url(edition.pk)).status_code == 200
    assert coordinator_client.post(page_url(edition.pk, "plan"), {"first_date": "2027-09-01"}).status_code == 200
    assert built == []
