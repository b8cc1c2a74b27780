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
