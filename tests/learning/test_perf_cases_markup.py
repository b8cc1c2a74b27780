"""The case page builds the empty response form's field in Python (ResponseForm.empty_markup)
instead of through application_form_errors.html, application_field.html and the widget template:
the markup must stay exactly what those templates render."""

import re

import pytest
from django.template import engines
from django.utils import translation

from leergang.learning import views_cases
from leergang.learning.views_cases import ResponseForm
from tests.learning.cases_fixtures import (
    case_url,
    world,  # noqa: F401 (fixture)
    written,  # noqa: F401 (fixture)
)

# The errors include and the field exactly as case_responses.html has them for a bound form.
INCLUDES = '{% include "enrolment/application_form_errors.html" %}\n    {% form_field form.text %}'


def through_templates(form: ResponseForm) -> str:
    return engines["django"].from_string("{% load leergang %}" + INCLUDES).render({"form": form})


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("entry_id", [1, 42, 123456])
def test_the_empty_form_is_what_the_templates_render(language, entry_id):
    with translation.override(language):
        form = ResponseForm(auto_id=f"response-{entry_id}-%s")
        assert str(form.empty_markup()) == through_templates(form)


def test_the_template_includes_are_the_ones_compared():
    """A change to the includes in case_responses.html must be made in INCLUDES (and empty_markup) too."""
    source = engines["django"].engine.get_template("learning/case_responses.html").source
    assert "{% if form.is_bound %}" + INCLUDES + "{% else %}{{ form.empty_markup }}{% endif %}" in source


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_case_page_is_unchanged(client, written, coordinator, monkeypatch, language):  # noqa: F811
    client.force_login(coordinator)
    fast = client.get(case_url(written, language)).content.decode()
    monkeypatch.setattr(views_cases.ResponseForm, "empty_markup", through_templates)
    slow = client.get(case_url(written, language)).content.decode()
    assert fast.count('class="case-response-form"') == len(written.entries)

    def without_tokens(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    assert without_tokens(fast) == without_tokens(slow)
