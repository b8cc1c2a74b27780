"""Groups for case work (M12): form or reshuffle an edition's groups at a session, and read the
grouping in force at any session. Writes are atomic, actor explicit, audited (R8).

The grouping in force at session n is the one formed at the latest session numbered n or lower;
before the first grouping, the first grouping (so groups formed at session 2 also hold for the
first session's case entries). Keeping the groups for a session therefore needs no action.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.catalog.models import Edition, Session
from leergang.core import audit
from leergang.core.errors import Invalid, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import grouping
from .models import StudyGroup, StudyGroupMember
from .permissions import can_manage_groups

MIN_SIZE = 2
MAX_SIZE = 12


@dataclass(frozen=True)
class Group:
    id: int
    number: int
    from_session_id: int
    enrolment_ids: tuple[int, ...]


def _edition_for(actor: Any, edition_id: int) -> Edition:
    edition = Edition.objects.select_for_update().filter(pk=edition_id).order_by().first()
    if edition is None:
        raise NotFound(_("There is no edition with this number."))
    if not can_manage_groups(actor, edition):
        raise PermissionDenied(_("Only a teacher of this edition or the programme office can form its groups."))
    return edition


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _invalid(field: str, message) -> Invalid:
    return Invalid(message, [{"field": field, "message": message}])


def form_groups(*, actor: Any, edition_id: int, session_id: int, size: int) -> list[StudyGroup]:
    """Form the edition's groups anew at a session: groups of at most `size` people that mix
    organisations (see grouping.form_groups), from the enrolled participants. Replaces a grouping
    formed earlier at the same session; groups of other sessions stay as they were."""
    with transaction.atomic():
        # Who may comes first: someone who may not form groups learns nothing from the other checks.
        edition = _edition_for(actor, edition_id)
        if isinstance(size, bool) or not isinstance(size, int) or not MIN_SIZE <= size <= MAX_SIZE:
            raise _invalid("size", _("Choose a group size from %(min)s to %(max)s.") % {"min": MIN_SIZE, "max": MAX_SIZE})
        session = Session.objects.filter(pk=session_id, edition=edition).order_by().first() if _is_id(session_id) else None
        if session is None:
            raise _invalid("session", _("Choose one of this edition's sessions."))
        enrolments = list(
            Enrolment.objects.filter(edition=edition, status=EnrolmentStatus.ENROLLED)
            .order_by("pk")
            .values_list("pk", "organisation")
        )
        if len(enrolments) < 2:
            raise _invalid("participants", _("Groups need at least two enrolled participants."))
        previous = list(StudyGroup.objects.filter(from_session=session).prefetch_related("members"))
        before = [sorted(m.enrolment_id for m in group.members.all()) for group in previous]
        StudyGroupMember.objects.filter(from_session=session).delete()
        StudyGroup.objects.filter(from_session=session).delete()
        # A fresh deal at every reshuffle (a seed derived from counts repeated the same deal at the
        # second reshuffle of a session), repeatable from the seed in the audit entry.
        seed = secrets.randbelow(2**31)
        dealt = grouping.form_groups(enrolments, size, seed=seed)
        now = timezone.now()
        created = []
        for number, members in enumerate(dealt, start=1):
            group = StudyGroup.objects.create(
                edition=edition, from_session=session, number=number, formed_at=now, formed_by=actor
            )
            StudyGroupMember.objects.bulk_create(
                StudyGroupMember(group=group, enrolment_id=member, from_session=session) for member in members
            )
            created.append(group)
        audit.record(
            actor=actor,
            action="groups.formed",
            obj=session,
            before={"groups": before} if before else None,
            after={"size": size, "seed": seed, "groups": [sorted(members) for members in dealt]},
        )
    return created


def groupings(edition_id: int) -> dict[int, list[Group]]:
    """Every grouping of an edition by the number of the session it was formed at (one query)."""
    groups: dict[int, tuple[int, int, int]] = {}
    members: dict[int, list[int]] = {}
    # A row per member; the outer join keeps a group whose members were all erased.
    for group_id, number, from_session_id, session_number, enrolment_id in (
        StudyGroup.objects.filter(edition_id=edition_id)
        .order_by()
        .values_list("pk", "number", "from_session_id", "from_session__number", "members__enrolment_id")
    ):
        groups[group_id] = (number, from_session_id, session_number)
        found = members.setdefault(group_id, [])
        if enrolment_id is not None:
            found.append(enrolment_id)
    result: dict[int, list[Group]] = {}
    for group_id, (number, from_session_id, session_number) in groups.items():
        result.setdefault(session_number, []).append(Group(group_id, number, from_session_id, tuple(sorted(members[group_id]))))
    for found_groups in result.values():
        found_groups.sort(key=lambda g: g.number)
    return result


def in_force_from(formed_at: Iterable[int], session_number: int) -> int | None:
    """The number of the session whose grouping is in force at a session, given the numbers of the
    sessions groups were formed at; None without any grouping (pure; see the module's rule)."""
    numbers = list(formed_at)
    if not numbers:
        return None
    earlier = [number for number in numbers if number <= session_number]
    return max(earlier) if earlier else min(numbers)


def in_force(all_groupings: dict[int, list[Group]], session_number: int) -> list[Group]:
    """The grouping in force at a session (pure; see the module's rule)."""
    number = in_force_from(all_groupings, session_number)
    return [] if number is None else all_groupings[number]


def group_of(all_groupings: dict[int, list[Group]], session_number: int, enrolment_id: int) -> Group | None:
    for group in in_force(all_groupings, session_number):
        if enrolment_id in group.enrolment_ids:
            return group
    return None


def peers_at(edition_id: int, session_number: int, enrolment_id: int) -> set[int]:
    """The enrolments in the same group as `enrolment_id` at a session, itself excluded (one query)."""
    group = group_of(groupings(edition_id), session_number, enrolment_id)
    return set(group.enrolment_ids) - {enrolment_id} if group else set()


def ever_peers(edition_id: int, enrolment_id: int) -> set[int]:
    """Everyone who shares or shared a group with `enrolment_id` in the edition (one query)."""
    result: set[int] = set()
    for groups in groupings(edition_id).values():
        for group in groups:
            if enrolment_id in group.enrolment_ids:
                result |= set(group.enrolment_ids)
    return result - {enrolment_id}
