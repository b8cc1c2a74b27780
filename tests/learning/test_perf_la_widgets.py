"""The select box rendered in Python writes exactly what Django's template-rendered Select writes."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from leergang.learning.views_groups import GroupsForm
from leergang.learning.widgets import PlainSelect
from tests import factories

CHOICES = [
    (1, "Session 1 · Wednesday 13 January 2027"),
    (2, 'Quotes " and <tags> & ampersands'),
    ("", "Choose"),
    (3, mark_safe("<b>safe</b>")),
]
GROUPED = [("Group <a>", [(1, "One"), (2, "Two")]), (3, "Three")]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED, []])
@pytest.mark.parametrize("value", [None, 2, "2", "", [1, 3]])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_session", "required": True, "disabled": False, "hx-get": "/nl/x/?a=1&b=2", "data-n": 4}],
)
def test_the_markup_is_djangos(choices, value, attrs):
    ours = PlainSelect(choices=choices, attrs={"class": "pick"}).render("session", value, attrs=attrs)
    djangos = forms.Select(choices=choices, attrs={"class": "pick"}).render("session", value, attrs=attrs)
    assert ours == djangos


@pytest.mark.django_db
def test_the_groups_form_renders_as_before():
    edition = factories.EditionFactory()
    sessions = [factories.SessionFactory(edition=edition, number=n, theme_nl=f"Thema <{n}>") for n in range(1, 5)]
    form = GroupsForm(
        initial={"session": sessions[1].pk, "size": 4},
        sessions=sessions,
        formed={sessions[0].pk},
        refresh_url="/nl/groepen/1/",
    )
    field = form["session"]
    djangos = forms.Select(choices=field.field.choices, attrs=field.field.widget.attrs)
    assert str(field) == field.as_widget(widget=djangos)
    assert "(groups formed)" in str(field) or "(groepen gevormd)" in str(field)
