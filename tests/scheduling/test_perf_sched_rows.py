"""Adding or removing a row reads the posted rows without building a form per row
(BaseSessionFormSet.raw_rows): the values must be exactly what the row forms' fields give."""

import pytest
from django.http import QueryDict

from leergang.scheduling import forms


def _data(rows: list[dict], total: str | None = None, **extra: str) -> QueryDict:
    data = QueryDict(mutable=True)
    data["sessions-TOTAL_FORMS"] = str(len(rows)) if total is None else total
    data["sessions-INITIAL_FORMS"] = str(len(rows))
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"sessions-{index}-{name}"] = value
    data.update(extra)
    return data


ROW = {
    "number": "3",
    "kind": "content",
    "date": "2027-01-13",
    "start_time": "13:30",
    "end_time": "19:30",
    "delivery_mode": "on_site",
    "theme_nl": "Thema <b>&</b>",
    "theme_en": "",
}
ODD = {"number": "x", "kind": "bogus", "date": "13-01-2027", "start_time": "25:99", "theme_nl": "  spaties  "}  # fields missing


@pytest.mark.parametrize(
    "data",
    [
        _data([ROW, ODD, {}]),
        _data([ROW] * 3, total="2"),  # fewer rows counted than posted
        _data([ROW], total="5"),  # more counted than posted
        _data([ROW] * 2, total="x"),  # a broken management form: no rows
        _data([ROW] * (forms.MAX_SESSIONS + 2)),  # beyond the maximum
        _data([]),
    ],
)
def test_raw_rows_are_what_the_row_forms_give(data):
    formset = forms.bound_rows(data)
    expected = [form.raw() for form in forms.bound_rows(data).forms]
    assert formset.raw_rows() == expected
    assert "forms" not in formset.__dict__  # no row form was built


def test_a_repeated_value_reads_as_the_forms_read_it():
    data = _data([ROW])
    data.appendlist("sessions-0-theme_nl", "the last one")
    assert forms.bound_rows(data).raw_rows() == [form.raw() for form in forms.bound_rows(data).forms]


def test_unbound_rows_are_their_initial_values():
    formset = forms.unbound_rows([{**ROW, "number": 1}])
    assert formset.raw_rows() == [form.raw() for form in formset.forms]
