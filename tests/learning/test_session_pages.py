"""The session page (M11): facts, parts, goals and literature for the edition's people only; the
edition's teachers and the programme office add and remove literature there."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from leergang.catalog.models import SessionPart
from leergang.learning import literature
from leergang.learning.models import LiteratureItem
from leergang.notifications.models import OutboxTask
from tests import factories

from .conftest import stored_files


def url(name: str, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(f"learning_sessions:{name}", kwargs=kwargs)


@pytest.fixture
def session(edition, teacher_user):
    session = factories.SessionFactory(edition=edition, number=1, theme_nl="Vertrouwen als basis", theme_en="Trust as a basis")
    goal = factories.LearningGoalFactory(
        programme=edition.programme, text_nl="U kent de literatuur", text_en="You know the literature"
    )
    session.goals.add(goal)
    teacher = factories.TeacherFactory(name="Dr. F. Six")
    SessionPart.objects.create(session=session, order=1, title_nl="Inleiding", title_en="Introduction", teacher=teacher)
    factories.SessionFactory(edition=edition, number=2)
    return session


@pytest.fixture
def reading(session, teacher_user):
    return literature.add_literature(
        actor=teacher_user,
        session_id=session.pk,
        title="Six (2013) Trust in public governance",
        url="https://example.org/six",
        preparation_minutes=240,
    )


def test_an_enrolled_participant_sees_the_session_with_its_literature(client, session, enrolment, reading, participant):
    client.force_login(participant)
    response = client.get(url("session", session_id=session.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vertrouwen als basis" in page
    assert "Six (2013) Trust in public governance" in page
    assert reverse("literature:item", kwargs={"item_id": reading.pk}) in page
    assert "ongeveer 4 uur" in page or "about 4 hours" in page
    assert "Inleiding" in page and "Dr. F. Six" in page
    assert "U kent de literatuur" in page
    assert "Literatuur toevoegen" not in page and 'name="title"' not in page  # no management form


def test_the_session_page_speaks_english_at_en(client, session, enrolment, reading, participant):
    client.force_login(participant)
    with translation.override("en"):
        address = reverse("learning_sessions:session", kwargs={"session_id": session.pk})
    page = client.get(address).content.decode()
    assert address.startswith("/en/")
    assert "Trust as a basis" in page and "You know the literature" in page and "Introduction" in page


@pytest.mark.parametrize("who", ["other_participant", "other_teacher", "cancelled"])
def test_people_outside_the_edition_get_a_404_like_a_missing_session(client, session, reading, who, other_teacher, edition):
    if who == "other_participant":
        user = factories.EnrolmentFactory(participant=factories.UserFactory(email="x@example.org")).participant
    elif who == "other_teacher":
        user = other_teacher
    else:
        user = factories.EnrolmentFactory(
            edition=edition, status="cancelled", participant=factories.UserFactory(email="c@example.org")
        ).participant
    client.force_login(user)
    assert client.get(url("session", session_id=session.pk)).status_code == 404
    assert client.get(url("session", session_id=session.pk + 999)).status_code == 404
    assert client.get(url("edition", edition_id=edition.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, session):
    response = client.get(url("session", session_id=session.pk))
    assert response.status_code == 302 and "/account/" in response["Location"]


def test_a_teacher_adds_a_file_and_participants_are_told(client, session, enrolment, teacher_user, pdf_bytes, upload_root):
    client.force_login(teacher_user)
    response = client.post(
        url("add-literature", session_id=session.pk),
        {"title": "Hoofdstuk 3", "file": SimpleUploadedFile("hoofdstuk3.pdf", pdf_bytes), "url": "", "preparation_minutes": "90"},
    )
    assert response.status_code == 302
    item = LiteratureItem.objects.get(session=session)
    assert (item.title, item.kind, item.preparation_minutes, item.original_filename) == (
        "Hoofdstuk 3",
        "file",
        90,
        "hoofdstuk3.pdf",
    )
    assert len(stored_files(upload_root)) == 1
    assert OutboxTask.objects.filter(name=literature.LITERATURE_ADDED_TASK).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Hoofdstuk 3" in page and "Verwijderen" in page


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"title": "", "url": "https://example.org", "preparation_minutes": "0"}, "Geef de literatuur een titel."),
        ({"title": "Link", "url": "javascript:alert(1)", "preparation_minutes": "0"}, "http://"),
        ({"title": "Niets", "url": "", "preparation_minutes": "0"}, "bestand of een link"),
        ({"title": "Minuten", "url": "https://example.org", "preparation_minutes": "veel"}, "hele minuten"),
    ],
)
def test_bad_literature_input_is_a_form_error_and_changes_nothing(
    client, session, teacher_user, data, field_message, upload_root
):
    client.force_login(teacher_user)
    response = client.post(url("add-literature", session_id=session.pk), data)
    assert response.status_code in (400, 422)
    assert field_message in response.content.decode()
    assert not LiteratureItem.objects.exists()
    assert stored_files(upload_root) == []


def test_a_renamed_executable_is_refused_with_a_clear_message(client, session, teacher_user, upload_root):
    client.force_login(teacher_user)
    data = {
        "title": "Reader",
        "file": SimpleUploadedFile("reader.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        "url": "",
        "preparation_minutes": "0",
    }
    response = client.post(url("add-literature", session_id=session.pk), data)
    assert response.status_code == 415
    assert "PDF" in response.content.decode()
    assert not LiteratureItem.objects.exists() and stored_files(upload_root) == []


def test_participants_cannot_add_or_remove_literature(client, session, enrolment, participant, reading):
    client.force_login(participant)
    data = {"title": "Mine", "url": "https://example.org", "preparation_minutes": "0"}
    assert client.post(url("add-literature", session_id=session.pk), data).status_code == 404
    assert client.post(url("remove-literature", session_id=session.pk, item_id=reading.pk)).status_code == 404
    assert list(LiteratureItem.objects.values_list("title", flat=True)) == [reading.title]


def test_a_coordinator_removes_literature(client, session, coordinator, reading):
    client.force_login(coordinator)
    response = client.post(url("remove-literature", session_id=session.pk, item_id=reading.pk))
    assert response.status_code == 302
    assert not LiteratureItem.objects.exists()


def test_removing_through_another_sessions_address_is_a_404(client, session, coordinator, reading, edition):
    other = factories.SessionFactory(edition=edition, number=3)
    client.force_login(coordinator)
    assert client.post(url("remove-literature", session_id=other.pk, item_id=reading.pk)).status_code == 404
    assert LiteratureItem.objects.filter(pk=reading.pk).exists()


def test_the_edition_overview_lists_sessions_with_their_reading(client, session, enrolment, participant, reading, edition):
    client.force_login(participant)
    page = client.get(url("edition", edition_id=edition.pk)).content.decode()
    assert reverse("learning_sessions:session", kwargs={"session_id": session.pk}) in page
    assert "1 tekst" in page or "1 item" in page


def test_the_session_page_has_a_fixed_number_of_queries(
    client, session, enrolment, participant, teacher_user, django_assert_max_num_queries
):
    client.force_login(participant)
    address = url("session", session_id=session.pk)
    client.get(address)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(address)
    for number in range(6):
        literature.add_literature(
            actor=teacher_user, session_id=session.pk, title=f"Text {number}", url="https://example.org/t", preparation_minutes=30
        )
    with CaptureQueriesContext(connection) as many:
        client.get(address)
    assert len(many) == len(few)


def test_online_sessions_show_their_link(client, session, enrolment, participant):
    session.delivery_mode = "online"
    session.online_url = "https://meet.example.org/sessie-1"
    session.date = datetime.date(2027, 1, 13)
    session.save()
    client.force_login(participant)
    page = client.get(url("session", session_id=session.pk)).content.decode()
    assert "https://meet.example.org/sessie-1" in page
