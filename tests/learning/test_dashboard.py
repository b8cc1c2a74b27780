"""The dashboard (M11-M18): a participant's next session, reading, case, hours and standing; a
teacher's editions with what waits for them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from leergang.attendance import services as attendance_services
from leergang.catalog.models import EditionStatus
from leergang.learning import cases, literature, services, timelog
from tests import factories


def dashboard_url(language: str = "nl") -> str:
    with translation.override(language):
        return reverse("accounts:dashboard")


@pytest.fixture
def running(edition):
    """The fixture edition running: one session held, five more to come and the closing session."""
    today = timezone.localdate()
    edition.status = EditionStatus.RUNNING
    edition.start_date = today - datetime.timedelta(days=28)
    edition.save()
    edition.programme.preparation_hours_per_session = 4
    edition.programme.paper_hours = 50
    edition.programme.save()
    for number in range(1, 8):
        factories.SessionFactory(
            edition=edition,
            number=number,
            kind="closing" if number == 7 else "content",
            date=today + datetime.timedelta(days=28 * (number - 2) + 7),
            theme_nl=f"Thema {number}",
            theme_en=f"Theme {number}",
        )
    return edition


def test_a_participant_sees_next_session_reading_case_hours_and_standing(client, running, enrolment, participant, teacher_user):
    next_session = running.sessions.get(number=2)
    literature.add_literature(
        actor=teacher_user,
        session_id=next_session.pk,
        title="Six over vertrouwen",
        url="https://example.org/six",
        preparation_minutes=240,
    )
    cases.write_case(
        actor=participant,
        enrolment_id=enrolment.pk,
        title="Minder regels in het sociaal domein",
        question="Hoe?",
        context="Gemeente",
    )
    timelog.log_time(
        actor=participant,
        enrolment_id=enrolment.pk,
        kind="preparation",
        session_id=next_session.pk,
        day=timezone.localdate(),
        hours="1,5",
    )
    client.force_login(participant)
    page = client.get(dashboard_url()).content.decode()
    assert "Thema 2" in page
    assert reverse("learning_sessions:session", kwargs={"session_id": next_session.pk}) in page
    assert "Six over vertrouwen" in page
    assert "Minder regels in het sociaal domein" in page
    assert "1,5 van 24" in page  # preparation against the norm of six content sessions of four hours
    assert "0 van 50" in page
    assert "0 van 6 inhoudelijke bijeenkomsten" in page  # the attendance criterion, in Dutch


def test_the_dashboard_warns_when_the_diploma_is_out_of_reach(client, running, enrolment, participant):
    for number in (2, 3, 4):
        attendance_services.report_absence(
            actor=participant, session_id=running.sessions.get(number=number).pk, enrolment_id=enrolment.pk
        )
    # Three of six content sessions excused ahead: at most 3 can still be attended, 5 are needed.
    client.force_login(participant)
    page = client.get(dashboard_url("en")).content.decode()
    assert "can no longer be reached" in page


def test_a_teacher_sees_entries_to_respond_to_and_papers_to_assess(
    client, running, enrolment, participant, teacher_user, pdf_bytes
):
    session = running.sessions.get(number=1)
    cases.write_case(actor=participant, enrolment_id=enrolment.pk, title="Casus", question="Vraag", context="Context")
    entry = cases.write_entry(
        actor=participant, enrolment_id=enrolment.pk, session_id=session.pk, done="Gesprekken", learned="Veel", next_step="Plan"
    )
    services.submit_paper(actor=participant, enrolment_id=enrolment.pk, uploaded_file=SimpleUploadedFile("paper.pdf", pdf_bytes))
    client.force_login(teacher_user)
    page = client.get(dashboard_url()).content.decode()
    assert reverse("cases:case", kwargs={"enrolment_id": enrolment.pk}) + f"#entry-{entry.pk}" in page
    assert reverse("papers:paper", kwargs={"enrolment_id": enrolment.pk}) in page
    cases.respond(actor=teacher_user, entry_id=entry.pk, text="Goed bezig")
    page = client.get(dashboard_url()).content.decode()
    assert f"#entry-{entry.pk}" not in page


def test_another_participants_learning_is_not_on_my_dashboard(client, running, enrolment, other_enrolment, participant):
    cases.write_case(
        actor=other_enrolment.participant,
        enrolment_id=other_enrolment.pk,
        title="Geheime casus",
        question="Vraag",
        context="Context",
    )
    client.force_login(participant)
    page = client.get(dashboard_url()).content.decode()
    assert "Geheime casus" not in page
    assert reverse("cases:case", kwargs={"enrolment_id": other_enrolment.pk}) not in page
