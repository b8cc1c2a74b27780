"""Profile screening (M4) as pure rules: each criterion alone, each unmet one with a message.
Screening advises; the coordinator decides. No ORM here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

LEVEL = "level"
EXPERIENCE = "experience"
LEADERSHIP = "leadership"
CRITERIA = (LEVEL, EXPERIENCE, LEADERSHIP)
MIN_YEARS = 5
LEVELS_MEETING_PROFILE = ("wo", "hbo")


@dataclass(frozen=True)
class Unmet:
    criterion: str
    message: str


def level_met(education_level: str) -> bool:
    """WO and HBO meet the level; "other" is for the coordinator to judge at the intake."""
    return education_level in LEVELS_MEETING_PROFILE


def experience_met(years: int, min_years: int = MIN_YEARS) -> bool:
    return years >= min_years


def leadership_met(leadership_role: bool) -> bool:
    return bool(leadership_role)


def message(criterion: str, *, years: int | None = None, min_years: int = MIN_YEARS) -> str:
    """The reason a criterion is unmet, in the active language (rendered when read, not stored)."""
    if criterion == LEVEL:
        return _(
            "The profile asks for a university (WO) or higher professional (HBO) education, or equivalent "
            "working and thinking level: judge equivalence at the intake."
        )
    if criterion == EXPERIENCE:
        if years is None:
            return _("The profile asks for at least %(min)s years of relevant experience.") % {"min": min_years}
        return _("The profile asks for at least %(min)s years of relevant experience; the applicant has %(years)s.") % {
            "min": min_years,
            "years": years,
        }
    if criterion == LEADERSHIP:
        return _("The profile asks for a leadership task or an assignment to collaborate; the applicant has neither.")
    raise ValueError(f"unknown criterion {criterion!r}")


def unmet_criteria(*, education_level: str, years_experience: int, leadership_role: bool) -> list[str]:
    found = []
    if not level_met(education_level):
        found.append(LEVEL)
    if not experience_met(years_experience):
        found.append(EXPERIENCE)
    if not leadership_met(leadership_role):
        found.append(LEADERSHIP)
    return found


def screen(*, education_level: str, years_experience: int, leadership_role: bool) -> list[Unmet]:
    """Every unmet criterion with its message; an empty list means the profile is met."""
    return [
        Unmet(criterion, message(criterion, years=years_experience))
        for criterion in unmet_criteria(
            education_level=education_level, years_experience=years_experience, leadership_role=leadership_role
        )
    ]
