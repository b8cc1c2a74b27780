"""Named permission checks. Views and endpoints call these, never test roles themselves."""

from typing import Any


def is_coordinator(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_coordinator)


def can_manage_editions(user: Any) -> bool:
    return is_coordinator(user)


def can_see_draft_editions(user: Any) -> bool:
    return is_coordinator(user)


def can_view_edition(user: Any, edition: Any) -> bool:
    """Published editions are public; drafts only for the programme office."""
    return edition.is_public or can_see_draft_editions(user)


def can_view_programme(user: Any, programme: Any) -> bool:
    return programme.published or is_coordinator(user)


def can_plan_schedule(user: Any, edition: Any) -> bool:
    """Who may see and change an edition's schedule page: the programme office."""
    return can_manage_editions(user)


def teaches_edition(user: Any, edition: Any) -> bool:
    """A teacher of the programme (lead) or of one of the edition's session parts."""
    profile = getattr(user, "teacher_profile", None) if getattr(user, "is_teacher", False) else None
    if profile is None:
        return False
    return (
        profile.programme_links.filter(programme_id=edition.programme_id).exists()
        or profile.session_parts.filter(session__edition=edition).exists()
    )


def can_view_enrolment(user: Any, enrolment: Any) -> bool:
    """The programme office, the edition's teachers and the participant themselves."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_coordinator(user) or enrolment.participant_id == user.pk or teaches_edition(user, enrolment.edition)
