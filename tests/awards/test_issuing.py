"""Issuing a diploma or certificate for one enrolment (M19) through the real service: the rule
decides, refusals change nothing, one valid award per enrolment, revoking, permissions.

The helpers at the top build a finished edition with a register, papers and presentations; the
other award tests import them."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone, translation

from leergang.attendance.models import Attendance
from leergang.awards import codes, pdf, services
from leergang.awards.models import Award
from leergang.catalog.models import Edition, ProgrammeTeacher
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.core.models import AuditEntry
from leergang.enrolment.models import Enrolment
from leergang.learning.models import PaperSubmission, PresentationSlot
from leergang.notifications.models import OutboxEmail
from tests import factories
from tests.attendance.helpers import day, enrol

CONTENT_SESSIONS = 6


def finished_edition(*, language: str = "nl", closing_in_days: int = -1) -> Edition:
    """An edition of six content sessions, all held, and a closing session `closing_in_days` from
    today (past by default: the outcome is final). Two learning goals, two lead teachers."""
    programme = factories.ProgrammeFactory(
        title_nl="Sturen vanuit vertrouwen",
        title_en="Leading from trust",
        organiser="VU School of Governance",
    )
    factories.LearningGoalFactory(programme=programme, order=1, text_nl="Tweede leerdoel", text_en="Second goal")
    factories.LearningGoalFactory(programme=programme, order=0, text_nl="Eerste leerdoel", text_en="First goal")
    second = factories.TeacherFactory(name="Dr. Tjerk Budding", position_nl="Hoofddocent", position_en="Associate professor")
    first = factories.TeacherFactory(name="Dr. ir. Frédérique Six", position_nl="Programmaleider", position_en="Programme lead")
    ProgrammeTeacher.objects.create(programme=programme, teacher=second, order=1)
    ProgrammeTeacher.objects.create(programme=programme, teacher=first, order=0)
    start = day(-1 - 28 * CONTENT_SESSIONS)
    edition = factories.EditionFactory(programme=programme, language=language, status="completed", start_date=start)
    for number in range(1, CONTENT_SESSIONS + 1):
        factories.SessionFactory(edition=edition, number=number, date=start + datetime.timedelta(days=28 * (number - 1)))
    factories.SessionFactory(edition=edition, number=CONTENT_SESSIONS + 1, kind="closing", date=day(closing_in_days))
    return edition


def record(
    enrolment: Enrolment,
    *,
    attended: int = CONTENT_SESSIONS,
    excused: int = 0,
    paper: str = "sufficient",
    presented: bool | None = True,
) -> Enrolment:
    """The register (the first `attended` content sessions present, then `excused` excused, the rest
    absent), the latest paper's result and the presentation, written directly (their services are
    tested elsewhere)."""
    recorder = factories.TeacherUserFactory()
    now = timezone.now()
    sessions = list(enrolment.edition.sessions.filter(kind="content").order_by("number"))
    for index, session in enumerate(sessions):
        status = "present" if index < attended else "excused" if index < attended + excused else "absent"
        Attendance.objects.create(session=session, enrolment=enrolment, status=status, recorded_at=now, recorded_by=recorder)
    if paper != "missing":
        result = "pending" if paper == "submitted" else paper
        PaperSubmission.objects.create(
            enrolment=enrolment,
            file_path=f"papers/{uuid.uuid4().hex}.pdf",
            original_filename="paper.pdf",
            content_type="pdf",
            size=1000,
            sha256="0" * 64,
            submitted_at=now,
            submitted_by=enrolment.participant,
            result=result,
            assessed_at=None if result == "pending" else now,
            assessed_by=None if result == "pending" else recorder,
        )
    if presented is not None:
        PresentationSlot.objects.create(
            enrolment=enrolment, edition=enrolment.edition, presented=presented, recorded_at=now, recorded_by=recorder
        )
    return enrolment


def participant_in(edition: Edition, email: str, first: str = "Anna", last: str = "Jansen", **register) -> Enrolment:
    """A participant of the edition (with `language` for their e-mail), with their register."""
    language = register.pop("language", "nl")
    return record(enrol(edition, email, first, last, dietary=None, language=language), **register)


def stored() -> dict:
    """What a refused action might wrongly touch."""
    return {
        "awards": list(Award.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.filter(action__startswith="award.").count(),
        "emails": OutboxEmail.objects.count(),
    }


# -- fixtures -------------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english():
    """Messages in English, to assert their text (the Dutch ones come with the lead's translations)."""
    with translation.override("en"):
        yield


@pytest.fixture
def edition(db):
    return finished_edition()


@pytest.fixture
def qualified(edition):
    return participant_in(edition, "anna@example.org", "Anna", "Jansen")


@pytest.fixture
def lead_teacher(edition):
    """A teacher of the edition's programme, with an account."""
    user = factories.TeacherUserFactory(email="lead@example.org")
    ProgrammeTeacher.objects.create(programme=edition.programme, teacher=factories.TeacherFactory(user=user), order=5)
    return user


# -- the rule decides -----------------------------------------------------------------------------------------------


def test_a_diploma_when_every_criterion_is_met(coordinator, qualified):
    award = services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="diploma")
    award.refresh_from_db()
    assert award.kind == "diploma" and award.enrolment == qualified and not award.revoked
    assert award.issued_by == coordinator and award.language == "nl"
    assert codes.normalise(award.code) == award.code and len(award.code) == 14
    assert award.credential.count(".") == 2
    # The document is made when first needed (the e-mail, a download), then kept.
    assert bytes(award.pdf) == b""
    document = pdf.document(award)
    assert document.startswith(b"%PDF") and bytes(Award.objects.get(pk=award.pk).pdf) == document
    entry = AuditEntry.objects.get(action="award.issued")
    assert entry.actor == coordinator and entry.object_id == str(award.pk) and entry.before is None
    assert entry.after["kind"] == "diploma" and entry.after["code"] == award.code


def test_the_snapshot_holds_exactly_what_the_documents_say(coordinator, edition, qualified):
    award = services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="diploma")
    sessions = list(edition.sessions.order_by("number"))
    assert award.snapshot == {
        "holder_name": "Anna Jansen",
        "holder_email": "anna@example.org",
        "programme": {"nl": "Sturen vanuit vertrouwen", "en": "Leading from trust"},
        "programme_slug": edition.programme.slug,
        "organiser": "VU School of Governance",
        "start_date": sessions[0].date.isoformat(),
        "end_date": sessions[-1].date.isoformat(),
        "goals": [{"nl": "Eerste leerdoel", "en": "First goal"}, {"nl": "Tweede leerdoel", "en": "Second goal"}],
        "signatories": [
            {"name": "Dr. ir. Frédérique Six", "position_nl": "Programmaleider", "position_en": "Programme lead"},
            {"name": "Dr. Tjerk Budding", "position_nl": "Hoofddocent", "position_en": "Associate professor"},
        ],
        "kind": "diploma",
        "edition_id": edition.pk,
    }


def test_the_award_speaks_the_language_of_the_edition(coordinator):
    edition = finished_edition(language="en")
    enrolment = participant_in(edition, "ben@example.org", "Ben", "Smith")
    assert services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma").language == "en"


@pytest.mark.parametrize(
    ("register", "named"),
    [
        ({"attended": 4}, "Attended 4 of 6 content sessions; 5 are needed."),
        ({"attended": 4, "excused": 2}, "Attended 4 of 6 content sessions; 5 are needed."),
        ({"paper": "insufficient"}, "The final paper was assessed as insufficient"),
        ({"paper": "submitted"}, "The final paper was handed in and awaits assessment."),
        ({"paper": "missing"}, "The final paper has not been handed in yet."),
        ({"presented": False}, "The paper was not presented."),
        ({"presented": None}, "The paper is presented at the closing session."),
    ],
)
def test_no_diploma_while_a_criterion_is_unmet_and_the_409_names_it(coordinator, edition, register, named):
    enrolment = participant_in(edition, "bram@example.org", "Bram", "de Vries", **register)
    before = stored()
    with pytest.raises(Conflict) as refused:
        services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma")
    assert named in str(refused.value.detail)
    assert [error["field"] for error in refused.value.errors] == ["kind"]
    assert named in refused.value.errors[0]["message"]
    assert stored() == before


def test_a_certificate_for_whoever_attended_a_content_session(coordinator, edition):
    enrolment = participant_in(edition, "bram@example.org", "Bram", "de Vries", attended=1, paper="missing", presented=None)
    award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="certificate")
    assert award.kind == "certificate" and award.snapshot["kind"] == "certificate"


def test_a_certificate_may_be_issued_instead_of_a_diploma(coordinator, qualified):
    assert services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="certificate").kind == "certificate"


def test_no_certificate_without_any_content_session_attended(coordinator, edition):
    enrolment = participant_in(edition, "eva@example.org", "Eva", "Visser", attended=0, excused=6)
    before = stored()
    with pytest.raises(Conflict) as refused:
        services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="certificate")
    assert "Attended 0 of 6 content sessions" in str(refused.value.detail)
    assert stored() == before


def test_nothing_for_a_cancelled_enrolment(coordinator, qualified):
    Enrolment.objects.filter(pk=qualified.pk).update(status="cancelled", cancelled_at=timezone.now())
    before = stored()
    for kind in ("diploma", "certificate"):
        with pytest.raises(Conflict) as refused:
            services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind=kind)
        assert "cancelled" in str(refused.value.detail)
    assert stored() == before


def test_an_unknown_kind_is_invalid(coordinator, qualified):
    before = stored()
    with pytest.raises(Invalid) as refused:
        services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="badge")
    assert refused.value.errors[0]["field"] == "kind"
    assert stored() == before


# -- one valid award per enrolment ------------------------------------------------------------------------------


def test_a_second_award_needs_the_first_revoked(coordinator, qualified):
    first = services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="certificate")
    before = stored()
    for kind in ("diploma", "certificate"):
        with pytest.raises(Conflict) as refused:
            services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind=kind)
        assert first.code in str(refused.value.detail) and "revoke it first" in str(refused.value.detail)
    assert stored() == before

    services.revoke_award(actor=coordinator, code=first.code, reason="The diploma replaces the certificate.")
    second = services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="diploma")
    assert second.code != first.code and second.status_index != first.status_index
    assert [a.kind for a in Award.objects.filter(enrolment=qualified, revoked_at__isnull=True)] == ["diploma"]
    assert Award.objects.filter(enrolment=qualified).count() == 2


# -- permissions ------------------------------------------------------------------------------------------------------


def test_only_the_programme_office_issues(qualified, lead_teacher, edition):
    outsider = factories.UserFactory(email="outsider@example.org")
    before = stored()
    with pytest.raises(PermissionDenied):
        services.issue_award(actor=lead_teacher, enrolment_id=qualified.pk, kind="diploma")
    with pytest.raises(PermissionDenied):
        services.issue_award(actor=qualified.participant, enrolment_id=qualified.pk, kind="diploma")
    with pytest.raises(NotFound):
        services.issue_award(actor=outsider, enrolment_id=qualified.pk, kind="diploma")
    with pytest.raises(NotFound):
        services.issue_award(actor=factories.TeacherUserFactory(), enrolment_id=qualified.pk, kind="diploma")
    assert stored() == before


def test_an_unknown_enrolment_is_not_found(coordinator):
    with pytest.raises(NotFound):
        services.issue_award(actor=coordinator, enrolment_id=999999, kind="diploma")


# -- revoking ------------------------------------------------------------------------------------------------------------


def test_revoking_keeps_the_award_with_who_when_and_why(coordinator, qualified):
    award = services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="diploma")
    typed = award.code.lower().replace("-", "")
    revoked = services.revoke_award(actor=coordinator, code=typed, reason="  Issued   by mistake. ")
    revoked.refresh_from_db()
    assert revoked.pk == award.pk and revoked.revoked and revoked.revoked_by == coordinator
    assert revoked.revoked_reason == "Issued by mistake."
    entry = AuditEntry.objects.get(action="award.revoked")
    assert entry.before == {"revoked_at": None, "revoked_by": None, "revoked_reason": ""}
    assert entry.after["revoked_reason"] == "Issued by mistake." and entry.after["revoked_by"] == coordinator.pk


def test_revoking_needs_a_reason_of_at_most_500_characters(coordinator, qualified):
    award = services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="diploma")
    before = stored()
    for reason in ("", "   ", "x" * 501):
        with pytest.raises(Invalid) as refused:
            services.revoke_award(actor=coordinator, code=award.code, reason=reason)
        assert refused.value.errors[0]["field"] == "reason"
    assert stored() == before
    assert services.revoke_award(actor=coordinator, code=award.code, reason="x" * 500).revoked


def test_revoking_twice_is_a_conflict(coordinator, qualified):
    award = services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="diploma")
    services.revoke_award(actor=coordinator, code=award.code, reason="Issued by mistake.")
    before = stored()
    with pytest.raises(Conflict):
        services.revoke_award(actor=coordinator, code=award.code, reason="Again.")
    assert stored() == before


def test_only_the_programme_office_revokes(coordinator, qualified, lead_teacher):
    award = services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="diploma")
    before = stored()
    with pytest.raises(PermissionDenied):
        services.revoke_award(actor=lead_teacher, code=award.code, reason="No.")
    with pytest.raises(PermissionDenied):
        services.revoke_award(actor=qualified.participant, code=award.code, reason="No.")
    with pytest.raises(NotFound):
        services.revoke_award(actor=factories.UserFactory(), code=award.code, reason="No.")
    with pytest.raises(NotFound):
        services.revoke_award(actor=coordinator, code="ZZZZ-ZZZZ-ZZZZ", reason="No.")
    assert stored() == before
