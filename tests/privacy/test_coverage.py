"""Nothing personal is left out: every model that points at a user, an enrolment or an application
(directly, or through a model that is itself personal) is named by the export (COVERED) or said not to
be personal (NOT_PERSONAL), and erasure says what it does with every covered model (HANDLED)."""

from django.apps import apps
from django.conf import settings

from leergang.privacy import erasure, export

ROOTS = {settings.AUTH_USER_MODEL.lower(), "enrolment.enrolment", "enrolment.application"}


def _relations(model) -> set[str]:
    return {
        field.related_model._meta.label_lower
        for field in model._meta.get_fields()
        if (field.many_to_one or field.one_to_one) and field.concrete and field.related_model is not None
    }


def personal_models() -> set[str]:
    """The roots and every model that points at one of them or at another such model (a fixed point)."""
    found = set(ROOTS)
    models = list(apps.get_models())
    while True:
        more = {m._meta.label_lower for m in models if _relations(m) & (found - set(export.NOT_PERSONAL))} - found
        if not more:
            return found
        found |= more


def test_every_model_pointing_at_a_person_is_in_the_export_or_said_not_to_be_personal():
    missing = sorted(personal_models() - set(export.COVERED) - set(export.NOT_PERSONAL))
    assert missing == [], f"add these models to privacy.export.COVERED (and erasure.HANDLED) or NOT_PERSONAL: {missing}"


def test_the_lists_name_only_models_that_exist():
    labels = {m._meta.label_lower for m in apps.get_models()}
    assert set(export.COVERED) - labels == set()
    assert set(export.NOT_PERSONAL) - labels == set()
    assert set(export.COVERED) & set(export.NOT_PERSONAL) == set()


def test_erasure_says_what_it_does_with_every_covered_model():
    assert set(erasure.HANDLED) == set(export.COVERED)


def test_a_new_model_with_a_foreign_key_to_the_user_would_fail(monkeypatch):
    # Taking a covered model away makes the check fail: the check is not vacuous.
    covered = dict(export.COVERED)
    covered.pop("learning.timeentry")
    monkeypatch.setattr(export, "COVERED", covered)
    assert "learning.timeentry" in personal_models() - set(export.COVERED) - set(export.NOT_PERSONAL)
