"""M4: the profile screening, each criterion alone and combined (pure rules, no database)."""

import itertools

import pytest
from django.utils import translation

from leergang.enrolment import rules


@pytest.mark.parametrize(("level", "met"), [("wo", True), ("hbo", True), ("other", False)])
def test_level(level, met):
    unmet = rules.unmet_criteria(education_level=level, years_experience=10, leadership_role=True)
    assert (unmet == []) is met
    assert unmet in ([], ["level"])


@pytest.mark.parametrize(("years", "met"), [(0, False), (4, False), (5, True), (30, True)])
def test_experience_needs_five_years(years, met):
    unmet = rules.unmet_criteria(education_level="wo", years_experience=years, leadership_role=True)
    assert unmet == ([] if met else ["experience"])


@pytest.mark.parametrize(("role", "met"), [(True, True), (False, False)])
def test_leadership(role, met):
    unmet = rules.unmet_criteria(education_level="hbo", years_experience=5, leadership_role=role)
    assert unmet == ([] if met else ["leadership"])


@pytest.mark.parametrize(("level", "years", "role"), list(itertools.product(["wo", "hbo", "other"], [3, 5], [True, False])))
def test_combined_every_unmet_criterion_is_listed_in_order(level, years, role):
    expected = [c for c, unmet in (("level", level == "other"), ("experience", years < 5), ("leadership", not role)) if unmet]
    found = rules.screen(education_level=level, years_experience=years, leadership_role=role)
    assert [u.criterion for u in found] == expected
    assert all(u.message for u in found)


def test_messages_explain_in_the_readers_language():
    with translation.override("en"):
        english = rules.message("experience", years=3)
    with translation.override("nl"):
        dutch = rules.message("experience", years=3)
    assert "5" in english and "3" in english and "years" in english
    assert "5" in dutch and "3" in dutch and english != dutch
