"""A small world for the own case (M13): one edition with three sessions and four participants, the
groups formed at session 1 and reshuffled at session 3, and the writer's case with an entry per
session, all written through the real services.

    session 1 (grouping formed here, also in force at session 2):  {writer, peer}  {stranger, later}
    session 3 (reshuffled):                                          {writer, later} {peer, stranger}

So `peer` sees the case and the entries of sessions 1 and 2, `later` the case and session 3's entry,
and `stranger` never shares a group with the writer: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leergang.learning import cases
from leergang.learning.models import CaseEntry, OwnCase, StudyGroup, StudyGroupMember
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class World:
    edition: Any
    sessions: list
    writer: Any  # the enrolment whose case it is
    peer: Any
    later: Any
    stranger: Any
    case: OwnCase | None = None
    entries: list | None = None


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"cases:{name}", kwargs=kwargs)


def case_url(world: World, language: str = "nl") -> str:
    return url("case", language, enrolment_id=world.writer.pk)


def entry_url(world: World, session, language: str = "nl") -> str:
    return url("entry", language, enrolment_id=world.writer.pk, session_id=session.pk)


def respond_url(world: World, entry, language: str = "nl") -> str:
    return url("respond", language, enrolment_id=world.writer.pk, entry_id=entry.pk)


def make_groups(edition, session, members: list[list], formed_by) -> None:
    for number, enrolments in enumerate(members, start=1):
        group = StudyGroup.objects.create(
            edition=edition, from_session=session, number=number, formed_at=timezone.now(), formed_by=formed_by
        )
        for enrolment in enrolments:
            StudyGroupMember.objects.create(group=group, enrolment=enrolment, from_session=session)


def write_case(enrolment, **fields) -> OwnCase:
    values = {
        "title": "Vertrouwen in het wijkteam",
        "question": "Hoe geef ik het wijkteam meer ruimte?",
        "context": "Gemeente, sociaal domein, nieuw team.",
    } | fields
    return cases.write_case(actor=enrolment.participant, enrolment_id=enrolment.pk, **values)


def write_entry(enrolment, session, marker: str | None = None) -> CaseEntry:
    marker = marker or f"S{session.number}"
    return cases.write_entry(
        actor=enrolment.participant,
        enrolment_id=enrolment.pk,
        session_id=session.pk,
        done=f"Gedaan-{marker}",
        learned=f"Geleerd-{marker}",
        next_step=f"Volgende-{marker}",
    )


@pytest.fixture
def world(edition, enrolment, coordinator) -> World:
    """The world of the module docstring, without the case (see `written`)."""
    sessions = [factories.SessionFactory(edition=edition, number=number) for number in (1, 2, 3)]
    peer, later, stranger = (
        factories.EnrolmentFactory(edition=edition, participant=factories.UserFactory(email=f"{name}@example.org"))
        for name in ("peer", "later", "stranger")
    )
    make_groups(edition, sessions[0], [[enrolment, peer], [stranger, later]], coordinator)
    make_groups(edition, sessions[2], [[enrolment, later], [peer, stranger]], coordinator)
    return World(edition, sessions, enrolment, peer, later, stranger)


@pytest.fixture
def written(world) -> World:
    """The world with the writer's case and an entry for each of the three sessions."""
    world.case = write_case(world.writer)
    world.entries = [write_entry(world.writer, session) for session in world.sessions]
    return world
