"""Whether an edition may meet on site: the room must hold participants and staff under the
distancing rule in force (square metres per person; 0 means no rule). Pure: no ORM."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RoomCheck:
    allowed: bool
    people: int
    area_m2: Decimal | None
    m2_per_person: Decimal
    room_holds: int | None  # people the room holds under the rule; None without rule or room
    reason: str


def room_check(*, area_m2: Decimal | None, participants: int, staff: int, m2_per_person: Decimal) -> RoomCheck:
    people = participants + staff
    if not m2_per_person or m2_per_person <= 0:
        return RoomCheck(True, people, area_m2, Decimal(0), None, _("No distancing rule is in force."))
    if area_m2 is None:
        return RoomCheck(
            False,
            people,
            None,
            m2_per_person,
            None,
            _("A distancing rule of %(rule)s m² per person is in force and this edition has no room with a known area.")
            % {"rule": m2_per_person},
        )
    holds = math.floor(Decimal(area_m2) / Decimal(m2_per_person))
    values = {
        "room": area_m2,
        "rule": m2_per_person,
        "holds": holds,
        "people": people,
        "participants": participants,
        "staff": staff,
    }
    if people <= holds:
        return RoomCheck(
            True,
            people,
            area_m2,
            m2_per_person,
            holds,
            _("The room (%(room)s m²) holds %(holds)s people at %(rule)s m² per person; %(people)s are expected.") % values,
        )
    return RoomCheck(
        False,
        people,
        area_m2,
        m2_per_person,
        holds,
        _(
            "The room (%(room)s m²) holds only %(holds)s people at %(rule)s m² per person, but %(people)s are expected "
            "(%(participants)s participants and %(staff)s staff). Meet online, or choose a larger room."
        )
        % values,
    )
