"""The project's form renderer (core.widget_rendering.WidgetRenderer, settings.FORM_RENDERER) writes
every widget of every form exactly as Django's widget templates do: each field of each form in
Leergang, unbound, bound with valid-looking and with hostile values (errors, aria attributes,
escaping), in both languages."""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation

import leergang
from leergang.accounts.models import User
from leergang.core.widget_rendering import WidgetRenderer
from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = '<b>"O\'Brien" & co</b>'


def form_classes() -> list[type[forms.BaseForm]]:
    found = set()
    for module_info in pkgutil.walk_packages(leergang.__path__, "leergang."):
        if ".migrations" in module_info.name or module_info.name.endswith(("wsgi", "asgi")):
            continue
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and not inspect.isabstract(cls):
                found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def arguments() -> dict[str, dict]:
    """What the forms that need more than data take, by class name."""
    edition = factories.EditionFactory()
    sessions = [factories.SessionFactory(edition=edition, number=n, date=datetime.date(2027, n, 10)) for n in (1, 2)]
    intake = type("IntakeStub", (), {"pk": 7, "outcome": "pending", "outcome_note": ""})()
    return {
        "ChoosePasswordForm": {"user": User(email="a@example.org")},
        "TransferForm": {"choices": [(1, "Edition <1>"), (2, "Edition 2 & more")]},
        "BulkDecisionForm": {"application_ids": [1, 2, 3]},
        "DecisionForm": {"status": "submitted"},
        "OutcomeForm": {"intake": intake},
        "GroupsForm": {"sessions": sessions, "formed": {sessions[0].pk}, "refresh_url": "/x?y=1&z=2"},
        "TimeEntryForm": {"sessions": sessions, "first_day": datetime.date(2027, 1, 10)},
    }


def build(cls, extra: dict, data=None):
    args = (extra["user"],) if "user" in extra else ()
    kwargs = {key: value for key, value in extra.items() if key != "user"}
    return cls(*args, data=data, **kwargs) if data is not None else cls(*args, **kwargs)


def hostile_data(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        choices = list(getattr(field, "choices", []) or [])
        if isinstance(field, forms.MultipleChoiceField) and choices:
            data[key] = [str(choices[-1][0]), HOSTILE]
        elif choices:
            data[key] = str(choices[-1][0])
        else:
            data[key] = HOSTILE
    return data


def test_the_project_renders_forms_with_the_written_out_widgets():
    assert settings.FORM_RENDERER == "leergang.core.widget_rendering.WidgetRenderer"
    assert isinstance(get_default_renderer(), WidgetRenderer)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_widget_of_every_form_is_written_as_the_templates_write_it(language):
    templates, ours = DjangoTemplates(), WidgetRenderer()
    extra = arguments()
    seen_templates, compared = set(), 0
    with translation.override(language):
        for cls in form_classes():
            try:
                plain = build(cls, extra.get(cls.__name__, {}))
            except TypeError as error:
                raise AssertionError(f"{cls.__qualname__} needs arguments: add them to arguments() ({error})") from None
            for form in (
                plain,
                build(cls, extra.get(cls.__name__, {}), data={}),
                build(cls, extra.get(cls.__name__, {}), data=hostile_data(plain)),
            ):
                for field in form:
                    seen_templates.add(field.field.widget.template_name)
                    form.renderer = templates
                    expected = field.as_widget()
                    form.renderer = ours
                    assert field.as_widget() == expected, (cls.__qualname__, field.name)
                    compared += 1
    assert compared > 150
    # The written-out templates are the ones the forms use (a new widget kind shows up here).
    assert {"django/forms/widgets/text.html", "django/forms/widgets/select.html", "django/forms/widgets/radio.html",
            "django/forms/widgets/textarea.html", "django/forms/widgets/checkbox.html"} <= seen_templates  # fmt: skip


def test_radio_buttons_and_checkbox_lists_with_and_without_ids_and_classes(monkeypatch):
    class Choices(forms.Form):
        one = forms.ChoiceField(choices=[("a", "A & <b>"), ("", "none")], widget=forms.RadioSelect(attrs={"class": "x y"}))
        many = forms.MultipleChoiceField(choices=[(1, "1"), (2, "2")], widget=forms.CheckboxSelectMultiple, required=False)
        grouped = forms.ChoiceField(choices=[("G", [("g1", "G1")]), ("h", "H")], widget=forms.RadioSelect)

    templates, ours = DjangoTemplates(), WidgetRenderer()
    written = DjangoTemplates.render
    for form in (Choices(), Choices(auto_id=False), Choices(data={"one": "a", "many": ["1", "2"]}), Choices(data={})):
        for field in form:
            form.renderer = templates
            expected = field.as_widget()
            form.renderer = ours
            if field.name != "grouped":  # option groups are left to the templates; the rest never reaches them
                monkeypatch.setattr(DjangoTemplates, "render", lambda *args, **kwargs: pytest.fail("a template was used"))
            assert field.as_widget() == expected, field.name
            monkeypatch.setattr(DjangoTemplates, "render", written)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_form_field_is_written_as_the_field_template_writes_it(language):
    from django.template.loader import get_template

    from leergang.core.widget_rendering import form_field

    template = get_template("enrolment/application_field.html")
    extra = arguments()
    kinds, compared = set(), 0
    with translation.override(language):
        for cls in form_classes():
            plain = build(cls, extra.get(cls.__name__, {}))
            for form in (
                plain,
                build(cls, extra.get(cls.__name__, {}), data={}),
                build(cls, extra.get(cls.__name__, {}), data=hostile_data(plain)),
            ):
                for field in form:
                    assert form_field(field) == template.render({"field": field}), (cls.__qualname__, field.name)
                    kinds.add((field.widget_type, bool(field.errors), bool(field.help_text)))
                    compared += 1
    assert compared > 150
    assert {("radioselect", True, False), ("checkbox", True, False), ("text", True, False), ("text", False, True)} <= kinds
